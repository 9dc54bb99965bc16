import * as vscode from 'vscode';
import { checkMailNickname, deriveMailNickname, type GroupKind, type GroupVisibility } from '../core';
import { nameUsers } from './directoryNames';
import type { InputProblem } from './inputSchema';
import { bold, quoted } from './markdown';
import { forMarkdown, nameOf, plainText } from '../shared/text';
import { compactGroup, failure, okReply } from './toolReply';
import { userKeyProblem, userKeySchema } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

interface Input {
  displayName: string;
  kind: GroupKind;
  mailNickname?: string;
  description?: string;
  visibility?: GroupVisibility;
  ownerIds?: string[];
  memberIds?: string[];
}

const MAX_OWNERS = 20;
const MAX_MEMBERS = 100;

export const createGroupTool: LmToolDefinition<Input> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: {
      displayName: { type: 'string', minLength: 1, maxLength: 256, description: 'Name of the new group as people see it.' },
      kind: { type: 'string', enum: ['security', 'microsoft365'], description: 'security: a security group for access control. microsoft365: a Microsoft 365 group with mailbox, calendar and files.' },
      mailNickname: { type: 'string', minLength: 1, maxLength: 64, description: 'Mail alias: ASCII letters, digits, . _ - (no spaces or @()\\[]";:<>,). Derived from displayName when omitted.' },
      description: { type: 'string', maxLength: 1024, description: 'What the group is for.' },
      visibility: { type: 'string', enum: ['Public', 'Private', 'HiddenMembership'], description: 'Who can see the group and its content. HiddenMembership only for microsoft365. Graph\'s default applies when omitted.' },
      ownerIds: { type: 'array', items: userKeySchema('An owner: object id (GUID) or user principal name.'), maxItems: MAX_OWNERS, uniqueItems: true, description: `Owners (users), at most ${MAX_OWNERS}.` },
      memberIds: { type: 'array', items: userKeySchema('A member: object id (GUID) or user principal name.'), maxItems: MAX_MEMBERS, uniqueItems: true, description: `Initial members (users), at most ${MAX_MEMBERS}.` },
    },
    required: ['displayName', 'kind'],
    additionalProperties: false,
  },
  check: checkCreate,
  async prepare(env, input) {
    const [owners, members] = await Promise.all([nameUsers(env, input.ownerIds ?? []), nameUsers(env, input.memberIds ?? [])]);
    const nickname = input.mailNickname ?? deriveMailNickname(input.displayName);
    const visibility = input.visibility ?? vscode.l10n.t('default visibility');
    const ownerCount = input.ownerIds?.length ?? 0;
    const memberCount = input.memberIds?.length ?? 0;
    const headline = vscode.l10n.t('Create {0} {1} (mailNickname {2}, {3}) with {4} and {5}.',
      kindLabel(input.kind), bold(input.displayName), forMarkdown(nickname), forMarkdown(visibility),
      countLabel(ownerCount, vscode.l10n.t('1 owner'), vscode.l10n.t('{0} owners', ownerCount)),
      countLabel(memberCount, vscode.l10n.t('1 member'), vscode.l10n.t('{0} members', memberCount)));
    const lines = [headline, ''];
    if (input.description) lines.push(`- ${vscode.l10n.t('Description: {0}', quoted(input.description))}`);
    if (ownerCount) lines.push(`- ${vscode.l10n.t('Owners: {0}', listOf(owners))}`);
    if (memberCount) lines.push(`- ${vscode.l10n.t('Members: {0}', listOf(members))}`);
    return {
      invocationMessage: vscode.l10n.t('Creating the group "{0}"', plainText(input.displayName)),
      confirmationMessages: {
        title: input.kind === 'microsoft365' ? vscode.l10n.t('Create a Microsoft 365 group?') : vscode.l10n.t('Create a security group?'),
        message: new vscode.MarkdownString(lines.join('\n')),
      },
    };
  },
  async run(env, input) {
    const result = await env.services.writes.createGroup(
      {
        displayName: input.displayName,
        kind: input.kind,
        ...(input.mailNickname !== undefined ? { mailNickname: input.mailNickname } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        ...(input.ownerIds ? { ownerIds: input.ownerIds } : {}),
        ...(input.memberIds ? { memberIds: input.memberIds } : {}),
      },
      { signal: env.signal },
    );
    if (!result.success) {
      const created = result.error.created;
      if (!created) return failure(vscode.l10n.t('Could not create the group "{0}"', input.displayName), result.error);
      // The group exists even though some members could not be added (the write path told the views).
      const failed = (result.error.outcomes ?? []).filter((o) => o.status === 'failed').map((o) => ({ memberId: o.memberId, code: o.error?.code, message: o.error?.message }));
      return failure(vscode.l10n.t('Created the group "{0}" (id {1}), but not every member was added', nameOf(created), created.id), result.error, { data: compactGroup(created), failedMembers: failed });
    }
    const group = result.data;
    return okReply(vscode.l10n.t('Created {0} "{1}" (id {2}).', kindLabel(input.kind), nameOf(group), group.id), compactGroup(group), {
      owners: input.ownerIds?.length ?? 0,
      members: input.memberIds?.length ?? 0,
    });
  },
};

function checkCreate(input: Input): InputProblem | undefined {
  if (input.displayName.trim() === '') return { field: 'displayName', message: vscode.l10n.t('displayName cannot be blank.') };
  if (input.visibility === 'HiddenMembership' && input.kind !== 'microsoft365') {
    return { field: 'visibility', message: vscode.l10n.t('HiddenMembership is available only for Microsoft 365 groups.') };
  }
  if (input.mailNickname !== undefined) {
    const message = checkMailNickname(input.mailNickname);
    if (message) return { field: 'mailNickname', message };
  } else if (deriveMailNickname(input.displayName) === '') {
    return { field: 'mailNickname', message: vscode.l10n.t('No mailNickname can be derived from this display name; give one (ASCII letters and digits).') };
  }
  for (const field of ['ownerIds', 'memberIds'] as const) {
    for (const key of input[field] ?? []) {
      const problem = userKeyProblem(key, field);
      if (problem) return problem;
    }
  }
  return undefined;
}

function kindLabel(kind: GroupKind): string {
  return kind === 'microsoft365' ? vscode.l10n.t('Microsoft 365 group') : vscode.l10n.t('security group');
}

function countLabel(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function listOf(named: { labels: string[]; more: number }): string {
  const names = named.labels.map(bold).join(', ');
  return named.more ? vscode.l10n.t('{0} and {1} more', names, named.more) : names;
}
