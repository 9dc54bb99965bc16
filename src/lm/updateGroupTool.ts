import * as vscode from 'vscode';
import { checkMailNickname, type Group, type UpdateGroupChanges } from '../core';
import { nameOf, plainText } from '../shared/text';
import { changeLines } from './changeLines';
import { groupText, kindLabel, roleAssignableLines, unreadLine } from './directoryNames';
import { groupRefusal, refusalHeadline } from './refusals';
import { failure, okReply, type ToolReply } from './toolReply';
import { groupIdSchema } from './toolInputs';
import type { ToolEnv, WriteToolDefinition } from './toolTypes';

interface Input {
  groupId: string;
  changes: {
    displayName?: string;
    description?: string;
    mailNickname?: string;
    visibility?: 'Public' | 'Private';
  };
}

export const updateGroupTool: WriteToolDefinition<Input> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: {
      groupId: groupIdSchema('Object id (GUID) of the group to change. Find it with entra_search_groups.'),
      changes: {
        type: 'object',
        description: 'The properties to set; only those given change.',
        properties: {
          displayName: { type: 'string', minLength: 1, maxLength: 256, description: 'New display name.' },
          description: { type: 'string', maxLength: 1024, description: 'New description.' },
          mailNickname: { type: 'string', minLength: 1, maxLength: 64, description: 'New mail alias: ASCII letters, digits, . _ - (no spaces or @()\\[]";:<>,).' },
          visibility: { type: 'string', enum: ['Public', 'Private'], description: 'New visibility (HiddenMembership can only be set at creation).' },
        },
        minProperties: 1,
        additionalProperties: false,
      },
    },
    required: ['groupId', 'changes'],
    additionalProperties: false,
  },
  check(input) {
    if (input.changes.displayName !== undefined && input.changes.displayName.trim() === '') return { field: 'changes.displayName', message: vscode.l10n.t('displayName cannot be blank.') };
    if (input.changes.mailNickname !== undefined) {
      const message = checkMailNickname(input.changes.mailNickname);
      if (message) return { field: 'changes.mailNickname', message };
    }
    return undefined;
  },
  async prepare(env, input) {
    const title = vscode.l10n.t('Update the group?');
    const c = await checkGroup(env, input.groupId);
    if (!c.group) {
      return { invocationMessage: vscode.l10n.t('Updating the group "{0}"', input.groupId), title, lines: [refusalHeadline(c.refusal), '', `- ${c.line}`], refusal: c.refusal };
    }
    const invocationMessage = vscode.l10n.t('Updating the group "{0}"', plainText(nameOf(c.group)));
    const lines = [vscode.l10n.t('Update group {0}:', groupText(c.group)), '', ...changeLines(input.changes, c.group), ...roleAssignableLines(c.group)];
    if (c.refusal) return { invocationMessage, title, lines: [refusalHeadline(c.refusal), '', ...lines], refusal: c.refusal };
    return { invocationMessage, title, lines };
  },
  async run(env, input) {
    const c = await checkGroup(env, input.groupId);
    if (!c.group) return c.refusal;
    if (c.refusal) return c.refusal;
    const groupId = c.group.id.toLowerCase();
    const changes: UpdateGroupChanges = { ...input.changes };
    const result = await env.services.writes.updateGroup(groupId, changes, { signal: env.signal, surface: 'chat', objectName: c.group.displayName ?? undefined, before: c.group });
    if (!result.success) return failure(vscode.l10n.t('Could not update the group {0}', groupId), result.error);
    return okReply(vscode.l10n.t('Updated the group {0}: {1}.', groupId, Object.keys(changes).join(', ')), { id: groupId, changed: changes });
  },
};

type GroupCheck = { group?: undefined; line: string; refusal: ToolReply } | { group: Group; refusal?: ToolReply };

/** The group as it is now (the old values), or why it will not be changed. */
async function checkGroup(env: ToolEnv, groupId: string): Promise<GroupCheck> {
  const read = await env.graph.getGroup(groupId, { signal: env.signal });
  if (!read.success) return { line: unreadLine(kindLabel('group'), groupId, read.error), refusal: failure(vscode.l10n.t('Could not read the group {0}', groupId), read.error) };
  const refusal = groupRefusal(read.data, 'properties');
  return refusal ? { group: read.data, refusal } : { group: read.data };
}
