import { addLinkRef, addMembersInChunks } from './bulkMembers';
import type { GraphContext } from './context';
import { fail, isAlreadyMember, isNotYetReplicated, ok, outcomeUnknown, validationError } from './errors';
import { odataString, pathSegment, Select, selectOf } from './odata';
import type { CallOptions, CreateGroupInput, Group, Result, UpdateGroupChanges } from './types';
import { checkDisplayName, checkGroupChanges, checkMailNickname, checkObjectId, deriveMailNickname } from './validation';

/** Graph accepts at most 20 owners + members in one POST /groups. */
const MAX_BINDS_AT_CREATE = 20;
/** How far Graph's clock (createdDateTime) may be behind ours when a lost create is looked for. */
const CLOCK_SKEW_MS = 2 * 60_000;

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
  // Never sent again once it may have reached Graph (the transport repeats a POST only after a 429/503 answer or a
  // connection that never opened): a second POST could create a second group, and no read can prove that the first
  // did not (a new group reaches reads only after replication).
  const created = await ctx.call<Group>('POST', '/groups', { body, ...options });
  let group: Group;
  if (created.success) {
    group = created.data;
  } else {
    if (!created.ambiguous) return created;
    const found = await findCreated(ctx, input.displayName, mailNickname, started, options);
    if (!found) {
      const createdAfter = new Date(started - CLOCK_SKEW_MS).toISOString();
      const lookFor = `a group named "${input.displayName}" with mail nickname "${mailNickname}" created after ${createdAfter}`;
      return fail({
        ...created.error,
        outcomeUnknown: true,
        maybeCreated: { displayName: input.displayName, mailNickname, createdAfter },
        message: `${created.error.message} The group may have been created: before trying again, look for ${lookFor}.`,
      });
    }
    group = found;
  }
  if (membersLater.length === 0) return ok(group);

  const rest = await addMembersInChunks(ctx, group.id, membersLater, options);
  if (rest.success) return ok(group);
  return fail({ ...rest.error, created: group, message: `Group "${group.displayName ?? group.id}" was created, but not every member could be added: ${rest.error.message}` });
}

/**
 * The group a create whose answer was lost made, if reads can show it. A new group reaches reads only after
 * replication, so an empty answer is read again after a wait, under the transport's retry rule. Undefined when no read
 * confirms exactly one such group (a failed read, several candidates, or nothing within the rule).
 */
async function findCreated(ctx: GraphContext, displayName: string, mailNickname: string, startedMs: number, options: CallOptions): Promise<Group | undefined> {
  const query = `?$filter=${encodeURIComponent(`mailNickname eq ${odataString(mailNickname)}`)}&$select=${selectOf(Select.group)}`;
  const earliest = startedMs - CLOCK_SKEW_MS;
  const since = ctx.transport.now();
  for (let reads = 0; ; reads++) {
    const found = await ctx.call<{ value?: Group[] }>('GET', `/groups${query}`, options);
    if (!found.success) return undefined;
    const matches = (found.data.value ?? []).filter((g) => g.displayName === displayName && (!g.createdDateTime || Date.parse(g.createdDateTime) >= earliest));
    if (matches.length > 0) return matches.length === 1 ? matches[0] : undefined;
    if (!(await ctx.waitForReplication(reads, since, options.signal))) return undefined;
  }
}

export async function updateGroup(ctx: GraphContext, groupId: string, changes: UpdateGroupChanges, options: CallOptions = {}): Promise<Result<void>> {
  const idProblem = checkObjectId(groupId, 'groupId');
  if (idProblem) return validationError(idProblem, 'groupId');
  const problem = checkGroupChanges(changes);
  if (problem) return validationError(problem.message, problem.field);
  const body = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const result = await ctx.call<unknown>('PATCH', `/groups/${pathSegment(groupId)}`, { body, ...options });
  if (result.success) return ok(undefined);
  return result.ambiguous ? fail(outcomeUnknown(result.error)) : result;
}

export async function deleteGroup(ctx: GraphContext, groupId: string, options: CallOptions = {}): Promise<Result<void>> {
  const idProblem = checkObjectId(groupId, 'groupId');
  if (idProblem) return validationError(idProblem, 'groupId');
  const result = await ctx.call<unknown>('DELETE', `/groups/${pathSegment(groupId)}`, options);
  if (result.success) return ok(undefined);
  if (!result.ambiguous) return result;
  // An attempt reached Graph and lost its answer. Even a 404 after it proves nothing: a group created a moment ago
  // answers 404 too until it has replicated.
  return fail({ ...result.error, outcomeUnknown: true, message: `${result.error.message} The group may have been deleted: a request reached Microsoft Graph but its answer was lost.` });
}

export function addMemberToGroup(ctx: GraphContext, groupId: string, memberId: string, options: CallOptions = {}): Promise<Result<void>> {
  return addLink(ctx, groupId, 'members', memberId, 'memberId', options);
}

export function removeMemberFromGroup(ctx: GraphContext, groupId: string, memberId: string, options: CallOptions = {}): Promise<Result<void>> {
  return removeLink(ctx, groupId, 'members', memberId, 'memberId', options);
}

/** `POST /groups/{id}/owners/$ref` (learn.microsoft.com/graph/api/group-post-owners). */
export function addOwner(ctx: GraphContext, groupId: string, ownerId: string, options: CallOptions = {}): Promise<Result<void>> {
  return addLink(ctx, groupId, 'owners', ownerId, 'ownerId', options);
}

/**
 * `DELETE /groups/{id}/owners/{id}/$ref` (learn.microsoft.com/graph/api/group-delete-owners). Graph refuses to remove
 * the last owner of a group that has owners; see {@link isLastOwnerRefusal}.
 */
export function removeOwner(ctx: GraphContext, groupId: string, ownerId: string, options: CallOptions = {}): Promise<Result<void>> {
  return removeLink(ctx, groupId, 'owners', ownerId, 'ownerId', options);
}

async function addLink(ctx: GraphContext, groupId: string, relation: 'members' | 'owners', key: string, field: string, options: CallOptions): Promise<Result<void>> {
  const idProblem = checkObjectId(groupId, 'groupId');
  if (idProblem) return validationError(idProblem, 'groupId');
  const target = await ctx.resolveIds([key], field, options);
  if (!target.success) return target;
  const { result, resent } = await addLinkRef(ctx, groupId, relation, target.data[0] ?? '', options);
  // "Already a member" (or owner) after a re-send means an earlier request of ours landed.
  if (result.success || (resent && isAlreadyMember(result.error))) return ok(undefined);
  return result;
}

async function removeLink(ctx: GraphContext, groupId: string, relation: 'members' | 'owners', key: string, field: string, options: CallOptions): Promise<Result<void>> {
  const idProblem = checkObjectId(groupId, 'groupId');
  if (idProblem) return validationError(idProblem, 'groupId');
  const target = await ctx.resolveIds([key], field, options);
  if (!target.success) return target;
  // `/$ref` removes the link; without it Graph would delete the member object itself.
  const path = `/groups/${pathSegment(groupId)}/${relation}/${pathSegment(target.data[0] ?? '')}/$ref`;
  const since = ctx.transport.now();
  for (let waits = 0; ; waits++) {
    const result = await ctx.call<unknown>('DELETE', path, options);
    if (result.success) return ok(undefined);
    // Not (or no longer) linked after an attempt whose answer was lost: what the removal was for.
    if (result.ambiguous && result.error.status === 404) return ok(undefined);
    // A link write to a group created a moment ago: refused until it has replicated.
    if (!isNotYetReplicated(result.error) || !(await ctx.waitForReplication(waits, since, options.signal))) return result;
  }
}
