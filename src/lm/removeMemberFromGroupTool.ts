import * as vscode from 'vscode';
import { nameGroup, nameUser, resolveMember } from './directoryNames';
import { bold } from './markdown';
import { nameOf, plainText } from '../shared/text';
import { failure, okReply } from './toolReply';
import { groupIdSchema, userKeyProblem, userKeySchema } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

interface Input {
  groupId: string;
  memberId: string;
}

export const removeMemberFromGroupTool: LmToolDefinition<Input> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: {
      groupId: groupIdSchema('Object id (GUID) of the group. Find it with entra_search_groups.'),
      memberId: userKeySchema('The member to remove: object id (GUID) or user principal name.'),
    },
    required: ['groupId', 'memberId'],
    additionalProperties: false,
  },
  check: (input) => userKeyProblem(input.memberId, 'memberId'),
  async prepare(env, input) {
    const [member, group] = await Promise.all([nameUser(env, input.memberId), nameGroup(env, input.groupId)]);
    const details = [
      `- ${vscode.l10n.t('Member: {0}', bold(member.found?.userPrincipalName ?? input.memberId))}`,
      `- ${vscode.l10n.t('Group id: {0}', bold(input.groupId))}`,
      `- ${vscode.l10n.t('Only the membership is removed; the member stays in the directory.')}`,
    ];
    return {
      invocationMessage: vscode.l10n.t('Removing "{0}" from "{1}"', plainText(member.label), plainText(group.label)),
      confirmationMessages: {
        title: vscode.l10n.t('Remove a member from the group?'),
        message: new vscode.MarkdownString([vscode.l10n.t('Remove {0} from {1}.', bold(member.label), bold(group.label)), '', ...details].join('\n')),
      },
    };
  },
  async run(env, input) {
    const groupId = input.groupId.toLowerCase();
    const [member, group] = await Promise.all([resolveMember(env, input.memberId), nameGroup(env, groupId)]);
    if (!member.success) return failure(vscode.l10n.t('Could not find the member {0}', input.memberId), member.error);
    const memberId = member.data.id;
    const label = nameOf(member.data);
    const result = await env.services.writes.removeMember(groupId, memberId, { signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not remove {0} from the group "{1}"', label, group.label), result.error);
    return okReply(vscode.l10n.t('Removed {0} from the group "{1}".', label, group.label), { groupId, memberId });
  },
};
