import * as vscode from 'vscode';
import { checkMailNickname, deriveMailNickname, type GroupKind, type GroupVisibility, type Result } from '../core';
import { forMarkdown, plainText } from '../shared/text';
import { kindNoun, objectLine, readObject, unreadLine, type DirectoryEntry } from './directoryNames';
import type { InputProblem } from './inputSchema';
import { bold, quoted } from './markdown';
import { refusalHeadline } from './refusals';
import { compactGroup, DATA_NOTE, dataReply, errorReply, failure, type ToolReply } from './toolReply';
import { userKeyProblem, userKeySchema } from './toolInputs';
import { LmErrorCodes, LmToolNames, type ToolEnv, type WriteToolDefinition } from './toolTypes';

interface Input {
  displayName: string;
  kind: GroupKind;
  mailNickname?: string;
  description?: string;
  visibility?: GroupVisibility;
  ownerIds?: string[];
  memberIds?: string[];
}

/** Graph's limit for owners at creation. */
const MAX_OWNERS = 20;
/**
 * Every member is named in the confirmation, and a list much longer than this is not read by the person confirming;
 * more members are added afterwards, each confirmed on its own.
 */
const MAX_MEMBERS = 20;

export const createGroupTool: WriteToolDefinition<Input> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: {
      displayName: { type: 'string', minLength: 1, maxLength: 256, description: 'Name of the new group as people see it.' },
      kind: { type: 'string', enum: ['security', 'microsoft365'], description: 'security: a security group for access control. microsoft365: a Microsoft 365 group with mailbox, calendar and files.' },
      mailNickname: { type: 'string', minLength: 1, maxLength: 64, description: 'Mail alias: ASCII letters, digits, . _ - (no spaces or @()\\[]";:<>,). Derived from displayName when omitted.' },
      description: { type: 'string', maxLength: 1024, description: 'What the group is for.' },
      visibility: { type: 'string', enum: ['Public', 'Private', 'HiddenMembership'], description: 'Who can see the group and its content. HiddenMembership only for microsoft365. Graph\'s default applies when omitted.' },
      ownerIds: { type: 'array', items: userKeySchema('An owner: object id (GUID) or user principal name of a user.'), maxItems: MAX_OWNERS, uniqueItems: true, description: `Owners (users only), at most ${MAX_OWNERS}.` },
      memberIds: {
        type: 'array',
        items: userKeySchema('A member: object id (GUID) or user principal name of a user.'),
        uniqueItems: true,
        description: `Initial members (users only), at most ${MAX_MEMBERS}. To add more, create the group first, then add each further user with ${LmToolNames.addMemberToGroup}.`,
      },
    },
    required: ['displayName', 'kind'],
    additionalProperties: false,
  },
  check: checkCreate,
  async prepare(env, input) {
    const parties = await readParties(env, input);
    const title = input.kind === 'microsoft365' ? vscode.l10n.t('Create a Microsoft 365 group?') : vscode.l10n.t('Create a security group?');
    const invocationMessage = vscode.l10n.t('Creating the group "{0}"', plainText(input.displayName));
    if (parties.refusal) return { invocationMessage, title, lines: [refusalHeadline(parties.refusal), ...parties.lines], refusal: parties.refusal };
    const nickname = input.mailNickname ?? deriveMailNickname(input.displayName);
    const visibility = input.visibility ?? vscode.l10n.t('default visibility');
    const ownerCount = parties.owners.length;
    const memberCount = parties.members.length;
    const headline = vscode.l10n.t('Create {0} {1} (mailNickname {2}, {3}) with {4} and {5}.',
      kindLabel(input.kind), bold(input.displayName), forMarkdown(nickname), forMarkdown(visibility),
      ownerCount === 1 ? vscode.l10n.t('1 owner') : vscode.l10n.t('{0} owners', ownerCount),
      memberCount === 1 ? vscode.l10n.t('1 member') : vscode.l10n.t('{0} members', memberCount));
    const lines = [headline];
    // The whole description: it is what the model wrote, and a cut could hide the part that matters.
    if (input.description) lines.push('', `- ${vscode.l10n.t('Description: {0}', quoted(input.description, Number.POSITIVE_INFINITY))}`);
    return { invocationMessage, title, lines: [...lines, ...parties.lines] };
  },
  async run(env, input) {
    const parties = await readParties(env, input);
    if (parties.refusal) return parties.refusal;
    // The ids just read, not the keys again: what is created is what the confirmation named.
    const ownerIds = parties.owners.map((o) => o.id);
    const memberIds = parties.members.map((m) => m.id);
    const result = await env.services.writes.createGroup(
      {
        displayName: input.displayName,
        kind: input.kind,
        ...(input.mailNickname !== undefined ? { mailNickname: input.mailNickname } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        ...(ownerIds.length ? { ownerIds } : {}),
        ...(memberIds.length ? { memberIds } : {}),
      },
      { signal: env.signal, surface: 'chat' },
    );
    if (!result.success) {
      const created = result.error.created;
      if (!created) return failure(vscode.l10n.t('Could not create the group'), result.error);
      // The group exists even though some members could not be added (the write path told the views).
      const failed = (result.error.outcomes ?? []).filter((o) => o.status === 'failed').map((o) => ({ memberId: o.memberId, code: o.error?.code, message: o.error?.message }));
      return failure(vscode.l10n.t('Created the group (id {0}), but not every member was added', created.id), result.error, { note: DATA_NOTE, data: compactGroup(created), failedMembers: failed });
    }
    const group = result.data;
    return dataReply(vscode.l10n.t('Created the {0} (id {1}) with {2} owner(s) and {3} member(s).', kindLabel(input.kind), group.id, ownerIds.length, memberIds.length), compactGroup(group), {
      owners: ownerIds.length,
      members: memberIds.length,
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
  const members = input.memberIds?.length ?? 0;
  if (members > MAX_MEMBERS) {
    return {
      field: 'memberIds',
      message: vscode.l10n.t('memberIds has {0} entries; a new group takes at most {1}, each named in the confirmation. Create the group with up to {1} members, then add the rest one by one with {2}.', members, MAX_MEMBERS, LmToolNames.addMemberToGroup),
    };
  }
  for (const field of ['ownerIds', 'memberIds'] as const) {
    for (const key of input[field] ?? []) {
      const problem = userKeyProblem(key, field);
      if (problem) return problem;
    }
  }
  return undefined;
}

type Parties =
  | { lines: string[]; refusal: ToolReply }
  | { lines: string[]; refusal?: undefined; owners: DirectoryEntry[]; members: DirectoryEntry[] };

/**
 * Reads every owner and member, names each in Markdown list lines, and refuses when one cannot be read or is not a
 * user (the schema promises users; an id of a group would nest it).
 */
async function readParties(env: ToolEnv, input: Input): Promise<Parties> {
  const ownerKeys = input.ownerIds ?? [];
  const memberKeys = input.memberIds ?? [];
  const [owners, members] = await Promise.all([Promise.all(ownerKeys.map((k) => readObject(env, k))), Promise.all(memberKeys.map((k) => readObject(env, k)))]);
  const section = (title: string, role: string, keys: readonly string[], read: Array<Result<DirectoryEntry>>): string[] =>
    read.length ? ['', forMarkdown(title), '', ...read.map((r, i) => `- ${r.success ? objectLine(r.data) : unreadLine(role, keys[i] ?? '', r.error)}`)] : [];
  const lines = [
    ...section(vscode.l10n.t('Owners ({0}):', owners.length), vscode.l10n.t('Owner'), ownerKeys, owners),
    ...section(vscode.l10n.t('Members ({0}):', members.length), vscode.l10n.t('Member'), memberKeys, members),
  ];
  const refusal = refusalOf(ownerKeys, owners, 'owner') ?? refusalOf(memberKeys, members, 'member');
  if (refusal) return { lines, refusal };
  const entries = (read: Array<Result<DirectoryEntry>>): DirectoryEntry[] => read.flatMap((r) => (r.success ? [r.data] : []));
  return { lines, owners: entries(owners), members: entries(members) };
}

function refusalOf(keys: readonly string[], read: Array<Result<DirectoryEntry>>, role: 'owner' | 'member'): ToolReply | undefined {
  for (const [i, r] of read.entries()) {
    const key = keys[i] ?? '';
    if (!r.success) {
      return failure(role === 'owner' ? vscode.l10n.t('Could not read the owner {0}; nothing was created', key) : vscode.l10n.t('Could not read the member {0}; nothing was created', key), r.error);
    }
    if (r.data.kind !== 'user') {
      const message = role === 'owner'
        ? vscode.l10n.t('The owner {0} is {1} (id {2}), not a user: owners of a new group must be users. Nothing was created.', key, kindNoun(r.data.kind), r.data.id)
        : vscode.l10n.t('The member {0} is {1} (id {2}), not a user: members of a new group must be users. Nothing was created.', key, kindNoun(r.data.kind), r.data.id);
      return errorReply(message, { code: LmErrorCodes.notAUser, message });
    }
  }
  return undefined;
}

function kindLabel(kind: GroupKind): string {
  return kind === 'microsoft365' ? vscode.l10n.t('Microsoft 365 group') : vscode.l10n.t('security group');
}
