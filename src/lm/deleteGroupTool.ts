import * as vscode from 'vscode';
import { forMarkdown, nameOf, plainText } from '../shared/text';
import { classifyGroup } from '../shared/groupKinds';
import { groupLine, kindLabel, roleAssignableLines, unreadLine } from './directoryNames';
import { bold } from './markdown';
import { deletionConsequence } from '../ui/labels';
import { refusalHeadline } from './refusals';
import { dataReply, failure } from './toolReply';
import { groupIdSchema } from './toolInputs';
import type { WriteToolDefinition } from './toolTypes';

interface Input {
  groupId: string;
}

export const deleteGroupTool: WriteToolDefinition<Input> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: { groupId: groupIdSchema('Object id (GUID) of the group to delete. Find it with entra_search_groups.') },
    required: ['groupId'],
    additionalProperties: false,
  },
  async prepare(env, input) {
    const title = vscode.l10n.t('Delete the group?');
    const read = await env.graph.getGroup(input.groupId, { signal: env.signal });
    if (!read.success) {
      // Nothing is deleted that the confirmation could not name, nor say whether it can be restored.
      const refusal = failure(vscode.l10n.t('Could not read the group {0}', input.groupId), read.error);
      return { invocationMessage: vscode.l10n.t('Deleting the group "{0}"', input.groupId), title, lines: [refusalHeadline(refusal), '', `- ${unreadLine(kindLabel('group'), input.groupId, read.error)}`], refusal };
    }
    const group = read.data;
    const consequence = deletionConsequence(classifyGroup(group));
    return {
      invocationMessage: vscode.l10n.t('Deleting the group "{0}"', plainText(nameOf(group))),
      title,
      lines: [vscode.l10n.t('Delete {0}. {1}', bold(nameOf(group)), forMarkdown(consequence)), '', `- ${groupLine(group)}`, ...roleAssignableLines(group)],
    };
  },
  async run(env, input) {
    const read = await env.graph.getGroup(input.groupId, { signal: env.signal });
    if (!read.success) return failure(vscode.l10n.t('Could not read the group {0}', input.groupId), read.error);
    const groupId = read.data.id.toLowerCase();
    const result = await env.services.writes.deleteGroup(groupId, { signal: env.signal, surface: 'chat', objectName: read.data.displayName ?? undefined });
    if (!result.success) return failure(vscode.l10n.t('Could not delete the group {0}', groupId), result.error);
    return dataReply(vscode.l10n.t('Deleted the group {0}.', groupId), { id: groupId, displayName: read.data.displayName ?? undefined });
  },
};
