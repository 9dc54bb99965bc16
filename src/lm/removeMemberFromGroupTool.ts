import * as vscode from 'vscode';
import { forMarkdown, plainText } from '../shared/text';
import { kindNoun } from './directoryNames';
import { bold } from './markdown';
import { checkMembership, labelOf, type MembershipInput } from './membership';
import { refusalHeadline } from './refusals';
import { failure, okReply } from './toolReply';
import { groupIdSchema, userKeyProblem, userKeySchema } from './toolInputs';
import type { WriteToolDefinition } from './toolTypes';

export const removeMemberFromGroupTool: WriteToolDefinition<MembershipInput> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: {
      groupId: groupIdSchema('Object id (GUID) of the group. Find it with entra_search_groups.'),
      memberId: userKeySchema('The member to remove: object id (GUID) or user principal name. By object id also a nested group, service principal, device or contact.'),
    },
    required: ['groupId', 'memberId'],
    additionalProperties: false,
  },
  check: (input) => userKeyProblem(input.memberId, 'memberId'),
  async prepare(env, input) {
    const c = await checkMembership(env, input, 'remove');
    const member = labelOf(c.member, input.memberId);
    const group = labelOf(c.group, input.groupId);
    const lines = [c.refusal ? refusalHeadline(c.refusal) : vscode.l10n.t('Remove {0} from {1}.', bold(member), bold(group)), '', ...c.lines];
    if (!c.refusal) {
      // Removing a nested group takes away, at once, what each of its members had through it.
      lines.push(`- ${forMarkdown(c.member.kind === 'group'
        ? vscode.l10n.t('This removes a nested group: its members lose the membership they had through it.')
        : vscode.l10n.t('Only the membership is removed; the member stays in the directory.'))}`);
    }
    return {
      invocationMessage: vscode.l10n.t('Removing "{0}" from "{1}"', plainText(member), plainText(group)),
      title: vscode.l10n.t('Remove a member from the group?'),
      lines,
      ...(c.refusal ? { refusal: c.refusal } : {}),
    };
  },
  async run(env, input) {
    const c = await checkMembership(env, input, 'remove');
    if (c.refusal) return c.refusal;
    const { group, member } = c;
    const result = await env.services.writes.removeMember(group.id, member.id, { signal: env.signal, surface: 'chat', objectName: group.displayName ?? undefined, relatedName: member.displayName ?? undefined });
    if (!result.success) return failure(vscode.l10n.t('Could not remove {0} (id {1}) from the group {2}', kindNoun(member.kind), member.id, group.id), result.error);
    return okReply(vscode.l10n.t('Removed {0} (id {1}) from the group {2}.', kindNoun(member.kind), member.id, group.id), { groupId: group.id, memberId: member.id, memberType: member.odataType });
  },
};
