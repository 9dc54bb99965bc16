import * as vscode from 'vscode';
import { nameGroup } from './directoryNames';
import { bold } from './markdown';
import { plainText } from '../shared/text';
import { classifyGroup } from '../shared/groupKinds';
import { failure, okReply } from './toolReply';
import { groupIdSchema } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

interface Input {
  groupId: string;
}

export const deleteGroupTool: LmToolDefinition<Input> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: { groupId: groupIdSchema('Object id (GUID) of the group to delete. Find it with entra_search_groups.') },
    required: ['groupId'],
    additionalProperties: false,
  },
  async prepare(env, input) {
    const group = await nameGroup(env, input.groupId);
    const kind = group.found ? classifyGroup(group.found).kind : undefined;
    const consequence = kind === 'microsoft365'
      ? vscode.l10n.t('Microsoft 365 groups can be restored from deleted groups for 30 days; its mailbox, files and team go with it.')
      : kind !== undefined
        ? vscode.l10n.t('security groups are deleted permanently and cannot be restored.')
        : vscode.l10n.t('the group could not be read; if it is a security group it is deleted permanently.');
    const headline = kind === 'microsoft365'
      ? vscode.l10n.t('Delete Microsoft 365 group {0}. {1}', bold(group.label), consequence)
      : vscode.l10n.t('Delete group {0} — {1}', bold(group.label), consequence);
    return {
      invocationMessage: vscode.l10n.t('Deleting the group "{0}"', plainText(group.label)),
      confirmationMessages: {
        title: vscode.l10n.t('Delete the group?'),
        message: new vscode.MarkdownString([headline, '', `- ${vscode.l10n.t('Object id: {0}', bold(input.groupId))}`].join('\n')),
      },
    };
  },
  async run(env, input) {
    const groupId = input.groupId.toLowerCase();
    const group = await nameGroup(env, groupId);
    const result = await env.services.writes.deleteGroup(groupId, { signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not delete the group {0}', group.label), result.error);
    return okReply(vscode.l10n.t('Deleted the group "{0}" (id {1}).', group.label, groupId), { id: groupId, displayName: group.found?.displayName ?? undefined });
  },
};
