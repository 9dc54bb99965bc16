import * as vscode from 'vscode';
import { isAlreadyMember } from '../core';
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

export const addMemberToGroupTool: LmToolDefinition<Input> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: {
      groupId: groupIdSchema('Object id (GUID) of the group. Find it with entra_search_groups.'),
      memberId: userKeySchema('The user to add: object id (GUID) or user principal name (e.g. adele@contoso.com).'),
    },
    required: ['groupId', 'memberId'],
    additionalProperties: false,
  },
  check: (input) => userKeyProblem(input.memberId, 'memberId'),
  async prepare(env, input) {
    const [member, group] = await Promise.all([nameUser(env, input.memberId), nameGroup(env, input.groupId)]);
    const details = [
      `- ${vscode.l10n.t('User: {0}', bold(member.found?.userPrincipalName ?? input.memberId))}`,
      `- ${vscode.l10n.t('Group id: {0}', bold(input.groupId))}`,
    ];
    return {
      invocationMessage: vscode.l10n.t('Adding "{0}" to "{1}"', plainText(member.label), plainText(group.label)),
      confirmationMessages: {
        title: vscode.l10n.t('Add a member to the group?'),
        message: new vscode.MarkdownString([vscode.l10n.t('Add {0} to {1}.', bold(member.label), bold(group.label)), '', ...details].join('\n')),
      },
    };
  },
  async run(env, input) {
    const groupId = input.groupId.toLowerCase();
    const [member, group] = await Promise.all([resolveMember(env, input.memberId), nameGroup(env, groupId)]);
    if (!member.success) return failure(vscode.l10n.t('Could not find the member {0}', input.memberId), member.error);
    const result = await env.services.writes.addMember(group.found ?? { id: groupId }, member.data, { signal: env.signal });
    const label = nameOf(member.data);
    if (!result.success) {
      if (isAlreadyMember(result.error)) {
        return okReply(vscode.l10n.t('{0} is already a member of the group "{1}"; nothing changed.', label, group.label), { groupId, memberId: member.data.id }, { alreadyMember: true });
      }
      return failure(vscode.l10n.t('Could not add {0} to the group "{1}"', label, group.label), result.error);
    }
    return okReply(vscode.l10n.t('Added {0} to the group "{1}".', label, group.label), { groupId, member: member.data });
  },
};
