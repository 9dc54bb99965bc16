import { addMembersInChunks } from './bulkMembers';
import { RESENDS, type GraphContext } from './context';
import { fail, isAlreadyMember, ok, validationError } from './errors';
import { odataString, pathSegment, Select, selectOf } from './odata';
import type { CallOptions, CreateGroupInput, Group, Result, UpdateGroupChanges } from './types';
import { checkDisplayName, checkGroupChanges, checkMailNickname, checkObjectId, deriveMailNickname } from './validation';

/** Graph accepts at most 20 owners + members in one POST /groups. */
const MAX_BINDS_AT_CREATE = 20;

function checkCreateInput(input: unknown): { field?: string; message: string } | undefined {
  if (typeof input !== 'object' || input === null) return { message: 'Group details are required.' };
  const i = input as Partial<Record<keyof CreateGroupInput, unknown>>;
  if (i.kind !== 'security' && i.kind !== 'microsoft365') return { field: 'kind', message: 'kind must be "security" or "microsoft365".' };
  const name = checkDisplayName(i.displayName);
  if (name) return { field: 'displayName', message: name };
  if (i.mailNickname !== undefined) {
    const nick = checkMailNickname(i.mailNickname);
    if (nick) return { field: 'mailNickname', message: nick };
  }
  if (i.description !== undefined && (typeof i.description !== 'string' || i.description.length > 1024)) {
    return { field: 'description', message: 'description must be text of at most 1024 characters.' };
  }
  if (i.visibility !== undefined) {
    if (i.visibility !== 'Public' && i.visibility !== 'Private' && i.visibility !== 'HiddenMembership') return { field: 'visibility', message: 'visibility must be Public, Private or HiddenMembership.' };
    if (i.visibility === 'HiddenMembership' && i.kind !== 'microsoft365') return { field: 'visibility', message: 'HiddenMembership is available only for Microsoft 365 groups.' };
  }
  for (const field of ['ownerIds', 'memberIds'] as const) {
    const list = i[field];
    if (list !== undefined && (!Array.isArray(list) || list.some((v) => typeof v !== 'string'))) return { field, message: `${field} must be a list of user ids or UPNs.` };
  }
  return undefined;
}

export async function createGroup(ctx: GraphContext, input: CreateGroupInput, options: CallOptions = {}): Promise<Result<Group>> {
  const problem = checkCreateInput(input);
  if (problem) return validationError(problem.message, problem.field);
  const mailNickname = input.mailNickname ?? deriveMailNickname(input.displayName);
  if (mailNickname === '') return validationError('A mailNickname could not be derived from the display name; please give one (ASCII letters and digits).', 'mailNickname');

  const owners = await ctx.resolveIds(input.ownerIds ?? [], 'ownerIds', options);
  if (!owners.success) return owners;
  const members = await ctx.resolveIds(input.memberIds ?? [], 'memberIds', options);
  if (!members.success) return members;
  if (owners.data.length > MAX_BINDS_AT_CREATE) return validationError(`A group can be created with at most ${MAX_BINDS_AT_CREATE} owners.`, 'ownerIds');

  const roomForMembers = MAX_BINDS_AT_CREATE - owners.data.length;
  const membersNow = members.data.slice(0, roomForMembers);
  const membersLater = members.data.slice(roomForMembers);
  const microsoft365 = input.kind === 'microsoft365';
  const body: Record<string, unknown> = {
    displayName: input.displayName,
    mailNickname,
    mailEnabled: microsoft365,
    securityEnabled: !microsoft365,
    groupTypes: microsoft365 ? ['Unified'] : [],
  };
  if (input.description !== undefined && input.description !== '') body.description = input.description;
  if (input.visibility !== undefined) body.visibility = input.visibility;
  if (owners.data.length) body['owners@odata.bind'] = owners.data.map((id) => ctx.bindUrl(id));
  if (membersNow.length) body['members@odata.bind'] = membersNow.map((id) => ctx.bindUrl(id));

  const started = ctx.transport.now();
  let created = await ctx.call<Group>('POST', '/groups', { body, ...options });
  // The POST reached Graph but its answer was lost. Look before re-sending, so the group is not created twice;
  // a re-sent POST can lose its answer too, so look again after each one.
  for (let round = 0; !created.success && created.ambiguous && round < RESENDS; round++) {
    const existing = await findRecentlyCreated(ctx, input.displayName, mailNickname, started, options);
    if (!existing.success) break;
    created = existing.data ? ok(existing.data) : await ctx.call<Group>('POST', '/groups', { body, ...options });
  }
  if (!created.success) {
    if (!created.ambiguous) return created;
    const { error } = created;
    return fail({ ...error, outcomeUnknown: true, message: `${error.message} The group may have been created: look for "${input.displayName}" before trying again.` });
  }
  const group = created.data;
  if (membersLater.length === 0) return ok(group);

  const rest = await addMembersInChunks(ctx, group.id, membersLater, options);
  if (rest.success) return ok(group);
  return fail({ ...rest.error, created: group, message: `Group "${group.displayName ?? group.id}" was created, but not every member could be added: ${rest.error.message}` });
}

async function findRecentlyCreated(ctx: GraphContext, displayName: string, mailNickname: string, startedMs: number, options: CallOptions): Promise<Result<Group | undefined>> {
  const query = `?$filter=${encodeURIComponent(`mailNickname eq ${odataString(mailNickname)}`)}&$select=${selectOf(Select.group)}`;
  const found = await ctx.call<{ value?: Group[] }>('GET', `/groups${query}`, options);
  if (!found.success) return found;
  const earliest = startedMs - 10 * 60_000;
  const match = (found.data.value ?? []).find((g) => g.displayName === displayName && (!g.createdDateTime || Date.parse(g.createdDateTime) >= earliest));
  return ok(match);
}

export async function updateGroup(ctx: GraphContext, groupId: string, changes: UpdateGroupChanges, options: CallOptions = {}): Promise<Result<void>> {
  const idProblem = checkObjectId(groupId, 'groupId');
  if (idProblem) return validationError(idProblem, 'groupId');
  const problem = checkGroupChanges(changes);
  if (problem) return validationError(problem.message, problem.field);
  const body = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const result = await ctx.call<unknown>('PATCH', `/groups/${pathSegment(groupId)}`, { body, ...options });
  return result.success ? ok(undefined) : result;
}

export async function deleteGroup(ctx: GraphContext, groupId: string, options: CallOptions = {}): Promise<Result<void>> {
  const idProblem = checkObjectId(groupId, 'groupId');
  if (idProblem) return validationError(idProblem, 'groupId');
  const result = await ctx.call<unknown>('DELETE', `/groups/${pathSegment(groupId)}`, options);
  return result.success ? ok(undefined) : result;
}

export async function addMemberToGroup(ctx: GraphContext, groupId: string, memberId: string, options: CallOptions = {}): Promise<Result<void>> {
  const idProblem = checkObjectId(groupId, 'groupId');
  if (idProblem) return validationError(idProblem, 'groupId');
  const member = await ctx.resolveIds([memberId], 'memberId', options);
  if (!member.success) return member;
  const id = member.data[0] ?? '';
  const path = `/groups/${pathSegment(groupId)}/members/$ref`;
  const body = { '@odata.id': ctx.bindUrl(id) };
  let result = await ctx.call<unknown>('POST', path, { body, ...options });
  if (result.success) return ok(undefined);
  if (!result.ambiguous) return result;
  // Answer lost after sending: send again (and again, while answers keep getting lost); "already a member"
  // now means an earlier request of ours landed.
  for (let round = 0; !result.success && result.ambiguous && round < RESENDS; round++) {
    result = await ctx.call<unknown>('POST', path, { body, ...options });
  }
  if (result.success || isAlreadyMember(result.error)) return ok(undefined);
  return result;
}

export async function removeMemberFromGroup(ctx: GraphContext, groupId: string, memberId: string, options: CallOptions = {}): Promise<Result<void>> {
  const idProblem = checkObjectId(groupId, 'groupId');
  if (idProblem) return validationError(idProblem, 'groupId');
  const member = await ctx.resolveIds([memberId], 'memberId', options);
  if (!member.success) return member;
  // `/$ref` removes the membership; without it Graph would delete the member object itself.
  const result = await ctx.call<unknown>('DELETE', `/groups/${pathSegment(groupId)}/members/${pathSegment(member.data[0] ?? '')}/$ref`, options);
  return result.success ? ok(undefined) : result;
}

