import * as vscode from 'vscode';
import { checkMailNickname, type UpdateGroupChanges } from '../core';
import { describeChanges } from './changeLines';
import { nameGroup } from './directoryNames';
import { bold } from './markdown';
import { plainText } from '../shared/text';
import { failure, okReply } from './toolReply';
import { groupIdSchema } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

interface Input {
  groupId: string;
  changes: {
    displayName?: string;
    description?: string;
    mailNickname?: string;
    visibility?: 'Public' | 'Private';
  };
}

export const updateGroupTool: LmToolDefinition<Input> = {
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
    const group = await nameGroup(env, input.groupId);
    const lines = describeChanges(input.changes, group.found);
    const message = [vscode.l10n.t('Update group {0}: {1}', bold(group.label), lines.changes)];
    if (lines.before) message.push('', lines.before);
    return {
      invocationMessage: vscode.l10n.t('Updating the group "{0}"', plainText(group.label)),
      confirmationMessages: { title: vscode.l10n.t('Update the group?'), message: new vscode.MarkdownString(message.join('\n')) },
    };
  },
  async run(env, input) {
    const groupId = input.groupId.toLowerCase();
    const changes: UpdateGroupChanges = { ...input.changes };
    const result = await env.services.writes.updateGroup(groupId, changes, { signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not update the group {0}', groupId), result.error);
    const fields = Object.keys(changes).join(', ');
    return okReply(vscode.l10n.t('Updated the group {0}: {1}.', changes.displayName ?? groupId, fields), { id: groupId, changed: changes });
  },
};
