import { addLinkRef, addMembersInChunks } from './bulkMembers';
import { sendInBatches, type BatchRequest } from './batch';
import type { GraphContext } from './context';
import { fail, isAlreadyMember, isRecord, ok, validationError } from './errors';
import { odataString, pathSegment, queryString, Select, selectOf } from './odata';
import { ErrorCodes, type CallOptions, type DirectoryObject, type GraphError, type MemberOutcome, type Result } from './types';
import { checkObjectId, isGuid, isUpn } from './validation';

/** What a list row shows of a user (group-only properties such as groupTypes are refused on /users). */
const USER_LOOKUP = ['id', 'displayName', 'userPrincipalName', 'mail', 'accountEnabled', 'userType'];

export type MembershipList = 'members' | 'owners';
export const MEMBERSHIP_LISTS: readonly MembershipList[] = ['members', 'owners'];

/** What a group's membership should be. An omitted list is left as it is; an empty list means "no one". */
export interface DesiredMembership {
  members?: string[];
  owners?: string[];
}

export interface MembershipPlan {
  groupId: string;
  add: { members: DirectoryObject[]; owners: DirectoryObject[] };
  remove: { members: DirectoryObject[]; owners: DirectoryObject[] };
  /** Desired entries that match no object (or more than one). */
  unresolved: string[];
  /** Desired entries already in place. */
  unchanged: number;
}

export interface MembershipOutcome {
  id: string;
  list: MembershipList;
  change: 'add' | 'remove';
  outcome: 'done' | 'alreadyDone' | 'failed';
  error?: GraphError;
}

export interface MembershipApplyReport {
  outcomes: MembershipOutcome[];
}

/** Reads every object of one of the group's lists (all pages). */
export type ListReader = (relation: MembershipList, options: CallOptions) => Promise<Result<DirectoryObject[]>>;

/**
 * The changes that make the group's lists what `desired` says: entries are matched first against the current lists
 * (ids, and user principal names case-insensitively), then looked up in the directory 20 per `$batch`.
 */
export async function planMembership(ctx: GraphContext, readList: ListReader, groupId: string, desired: DesiredMembership, options: CallOptions = {}): Promise<Result<MembershipPlan>> {
  const idProblem = checkObjectId(groupId, 'groupId');
  if (idProblem) return validationError(idProblem, 'groupId');
  const shapeProblem = checkDesired(desired);
  if (shapeProblem) return validationError(shapeProblem.message, shapeProblem.field);

  const plan: MembershipPlan = { groupId: groupId.toLowerCase(), add: { members: [], owners: [] }, remove: { members: [], owners: [] }, unresolved: [], unchanged: 0 };
  const current = new Map<MembershipList, DirectoryObject[]>();
  for (const list of MEMBERSHIP_LISTS) {
    if (desired[list] === undefined) continue;
    const read = await readList(list, options);
    if (!read.success) return read;
    current.set(list, read.data);
  }
  // Keys not found in a current list are looked up once, whichever list names them.
  const known = new Map<string, DirectoryObject>();
  for (const objects of current.values()) for (const o of objects) rememberObject(known, o);
  const lookups = [...new Set(MEMBERSHIP_LISTS.flatMap((list) => desired[list] ?? []).map(keyOf))].filter((k) => isLookable(k) && !known.has(k));
  const found = await lookUp(ctx, lookups, options);
  if (!found.success) return found;
  for (const [key, matches] of found.data) if (matches.length === 1 && matches[0]) known.set(key, matches[0]);

  const unresolved = new Set<string>();
  for (const list of MEMBERSHIP_LISTS) {
    const wanted = desired[list];
    const now = current.get(list);
    if (wanted === undefined || now === undefined) continue;
    const wantedIds = new Map<string, DirectoryObject>();
    for (const entry of wanted) {
      const object = known.get(keyOf(entry));
      if (object) wantedIds.set(object.id.toLowerCase(), object);
      else unresolved.add(entry);
    }
    const nowIds = new Set(now.map((o) => o.id.toLowerCase()));
    for (const [id, object] of wantedIds) {
      if (nowIds.has(id)) plan.unchanged++;
      else plan.add[list].push(object);
    }
    plan.remove[list] = now.filter((o) => !wantedIds.has(o.id.toLowerCase()));
  }
  plan.unresolved = [...unresolved];
  return ok(plan);
}

/** Applies a plan: adds through the bulk path (20 per PATCH), removals `DELETE …/{id}/$ref` 20 per `$batch`. */
export async function applyPlan(ctx: GraphContext, plan: MembershipPlan, options: CallOptions = {}): Promise<Result<MembershipApplyReport>> {
  const problem = checkPlan(plan);
  if (problem) return validationError(problem.message, problem.field);
  if (plan.unresolved.length > 0) {
    return validationError(`The plan has ${plan.unresolved.length} unresolved ${plan.unresolved.length === 1 ? 'entry' : 'entries'} (${plan.unresolved.slice(0, 5).join(', ')}${plan.unresolved.length > 5 ? ', …' : ''}): correct or remove them and plan again.`, 'unresolved');
  }
  const groupId = plan.groupId;
  const outcomes: MembershipOutcome[] = [];

  const memberIds = plan.add.members.map((o) => o.id.toLowerCase());
  if (memberIds.length > 0) {
    const added = await addMembersInChunks(ctx, groupId, memberIds, options);
    const list: MemberOutcome[] = added.success ? added.data.outcomes : (added.error.outcomes ?? memberIds.map((memberId) => ({ memberId, status: 'failed' as const, error: added.error })));
    for (const o of list) outcomes.push({ id: o.memberId, list: 'members', change: 'add', ...addOutcome(o.status, o.error) });
  }
  // Owners are few; Graph binds them one `POST …/owners/$ref` at a time. New owners come before removals, so that
  // replacing every owner never meets the refusal to remove the last one.
  for (const owner of plan.add.owners) {
    const id = owner.id.toLowerCase();
    if (options.signal?.aborted) {
      outcomes.push({ id, list: 'owners', change: 'add', outcome: 'failed', error: cancelled() });
      continue;
    }
    const { result, resent } = await addLinkRef(ctx, groupId, 'owners', id, options);
    const status = result.success ? 'added' : isAlreadyMember(result.error) ? (resent ? 'added' : 'alreadyMember') : 'failed';
    outcomes.push({ id, list: 'owners', change: 'add', ...addOutcome(status, result.success ? undefined : result.error) });
  }

  const removals = MEMBERSHIP_LISTS.flatMap((list) => plan.remove[list].map((o) => ({ list, id: o.id.toLowerCase() })));
  if (removals.length > 0) {
    // `/$ref` removes the link; without it Graph would delete the object itself.
    const requests: BatchRequest[] = removals.map((r) => ({ method: 'DELETE', url: `/groups/${pathSegment(groupId)}/${r.list}/${pathSegment(r.id)}/$ref` }));
    const answers = await sendInBatches(ctx, requests, options);
    // Graph answers 404 both for "not linked" and for "no such group": a 404 counts as already gone only once the
    // group is known to exist.
    let groupMissing: GraphError | undefined;
    if (answers.some((a) => !a.ok && a.error.status === 404)) {
      const group = await ctx.call<unknown>('GET', `/groups/${pathSegment(groupId)}?$select=id`, options);
      if (!group.success && group.error.status === 404) groupMissing = group.error;
    }
    for (const [i, r] of removals.entries()) {
      const a = answers[i];
      if (!a || a.ok) outcomes.push({ ...r, change: 'remove', outcome: 'done' });
      else if (a.error.status === 404 && !groupMissing) outcomes.push({ ...r, change: 'remove', outcome: a.maybeApplied ? 'done' : 'alreadyDone' });
      else outcomes.push({ ...r, change: 'remove', outcome: 'failed', error: groupMissing ?? a.error });
    }
  }
  return ok({ outcomes });
}

function addOutcome(status: MemberOutcome['status'], error: GraphError | undefined): Pick<MembershipOutcome, 'outcome' | 'error'> {
  if (status === 'added') return { outcome: 'done' };
  if (status === 'alreadyMember') return { outcome: 'alreadyDone' };
  return { outcome: 'failed', error: error ?? { code: ErrorCodes.partialFailure, message: 'Not added.' } };
}

function cancelled(): GraphError {
  return { code: ErrorCodes.cancelled, message: 'Not attempted: the operation was cancelled.' };
}

/** How a desired entry is matched: ids and UPNs compare case-insensitively. */
function keyOf(entry: string): string {
  return entry.trim().toLowerCase();
}

/** Only ids and UPNs can match anything; other text is unresolved without asking Graph. */
function isLookable(key: string): boolean {
  return isGuid(key) || isUpn(key);
}

function rememberObject(known: Map<string, DirectoryObject>, o: DirectoryObject): void {
  known.set(o.id.toLowerCase(), o);
  if (typeof o.userPrincipalName === 'string') known.set(o.userPrincipalName.toLowerCase(), o);
}

/**
 * Every match for each key, 20 lookups per `$batch`: an id by `GET /directoryObjects/{id}` (any kind of object), a
 * UPN by `GET /users?$filter=userPrincipalName eq '…'`. A 404 is "no match"; any other failure fails the plan.
 */
async function lookUp(ctx: GraphContext, keys: readonly string[], options: CallOptions): Promise<Result<Map<string, DirectoryObject[]>>> {
  const requests: BatchRequest[] = keys.map((key) =>
    isGuid(key)
      ? { method: 'GET', url: `/directoryObjects/${pathSegment(key)}?$select=${selectOf(Select.memberObject)}` }
      : { method: 'GET', url: `/users${queryString({ $filter: `userPrincipalName eq ${odataString(key)}`, $select: selectOf(USER_LOOKUP) })}` },
  );
  const answers = await sendInBatches(ctx, requests, options);
  const found = new Map<string, DirectoryObject[]>();
  for (const [i, key] of keys.entries()) {
    const a = answers[i];
    if (!a) continue;
    if (!a.ok) {
      if (a.error.status === 404) {
        found.set(key, []);
        continue;
      }
      return fail({ ...a.error, message: `${key}: ${a.error.message}` });
    }
    const objects = isRecord(a.body) && Array.isArray(a.body.value) ? a.body.value : [a.body];
    found.set(key, objects.filter((o): o is DirectoryObject => isRecord(o) && typeof o.id === 'string'));
  }
  return ok(found);
}

function checkDesired(desired: unknown): { message: string; field?: string } | undefined {
  if (!isRecord(desired)) return { message: 'The desired membership must be an object with "members" and/or "owners" lists.' };
  for (const list of MEMBERSHIP_LISTS) {
    const value: unknown = desired[list];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return { field: list, message: `${list} must be a list of user principal names or object ids.` };
  }
  return undefined;
}

function checkPlan(plan: unknown): { message: string; field?: string } | undefined {
  if (!isRecord(plan)) return { message: 'A membership plan is required.' };
  const idProblem = checkObjectId(plan.groupId, 'groupId');
  if (idProblem) return { field: 'groupId', message: idProblem };
  if (!Array.isArray(plan.unresolved) || plan.unresolved.some((u) => typeof u !== 'string')) return { field: 'unresolved', message: 'unresolved must be a list of entries.' };
  for (const change of ['add', 'remove'] as const) {
    const part = plan[change];
    if (!isRecord(part)) return { field: change, message: `${change} must have "members" and "owners" lists.` };
    for (const list of MEMBERSHIP_LISTS) {
      const objects = part[list];
      if (!Array.isArray(objects)) return { field: `${change}.${list}`, message: `${change}.${list} must be a list of directory objects.` };
      if ((objects as unknown[]).some((o) => !isRecord(o) || typeof o.id !== 'string' || !isGuid(o.id))) return { field: `${change}.${list}`, message: `${change}.${list} must hold directory objects with an object id (GUID).` };
    }
  }
  return undefined;
}
