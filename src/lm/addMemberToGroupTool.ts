import * as vscode from 'vscode';
import { isAlreadyMember } from '../core';
import { plainText } from '../shared/text';
import { bold } from './markdown';
import { checkMembership, labelOf, type MembershipInput } from './membership';
import { refusalHeadline } from './refusals';
import { dataReply, failure, okReply } from './toolReply';
import { groupIdSchema, userKeyProblem, userKeySchema } from './toolInputs';
import type { WriteToolDefinition } from './toolTypes';

export const addMemberToGroupTool: WriteToolDefinition<MembershipInput> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: {
      groupId: groupIdSchema('Object id (GUID) of the group. Find it with entra_search_groups.'),
      memberId: userKeySchema('The user to add: object id (GUID) or user principal name (e.g. adele@contoso.com). Only users: other object types are refused.'),
    },
    required: ['groupId', 'memberId'],
    additionalProperties: false,
  },
  check: (input) => userKeyProblem(input.memberId, 'memberId'),
  async prepare(env, input) {
    const c = await checkMembership(env, input, 'add');
    const member = labelOf(c.member, input.memberId);
    const group = labelOf(c.group, input.groupId);
    const headline = c.refusal ? refusalHeadline(c.refusal) : vscode.l10n.t('Add {0} to {1}.', bold(member), bold(group));
    return {
      invocationMessage: vscode.l10n.t('Adding "{0}" to "{1}"', plainText(member), plainText(group)),
      title: vscode.l10n.t('Add a member to the group?'),
      lines: [headline, '', ...c.lines],
      ...(c.refusal ? { refusal: c.refusal } : {}),
    };
  },
  async run(env, input) {
    const c = await checkMembership(env, input, 'add');
    if (c.refusal) return c.refusal;
    const { group, member } = c;
    const event = { id: member.id, displayName: member.displayName, userPrincipalName: member.userPrincipalName, '@odata.type': member.odataType };
    const result = await env.services.writes.addMember(group, event, { signal: env.signal, surface: 'chat' });
    if (!result.success) {
      if (isAlreadyMember(result.error)) {
        return okReply(vscode.l10n.t('The user {0} is already a member of the group {1}; nothing changed.', member.id, group.id), { groupId: group.id, memberId: member.id }, { alreadyMember: true });
      }
      return failure(vscode.l10n.t('Could not add the user {0} to the group {1}', member.id, group.id), result.error);
    }
    return dataReply(vscode.l10n.t('Added the user {0} to the group {1}.', member.id, group.id), { groupId: group.id, member: event });
  },
};
