import { writeAccess, type WriteOperation } from './accessErrors';
import { addMembersInChunks, type BulkAddOptions, type BulkAddResult } from './bulkMembers';
import { GraphContext } from './context';
import { fail, ok, outcomeUnknown, validationError } from './errors';
import * as writes from './groupWrites';
import * as deletedGroups from './deletedGroups';
import type { DeletedGroup } from './deletedGroups';
import { applyPlan, planMembership, type DesiredMembership, type MembershipApplyReport, type MembershipPlan } from './membershipPlan';
import { GraphTransport, type TransportStats } from './http';
import { odataString, pathSegment, queryString, searchAny, Select, selectOf } from './odata';
import { ORGANIZATION_SELECT, organizationFrom } from './organization';
import { collect, cursor, iteratePages, readPage } from './paging';
import type {
  CallOptions, CreateGroupInput, DirectoryObject, GraphClientOptions, Group, ListOptions, Organization, Page, PageCursor, Result,
  UpdateGroupChanges, User,
} from './types';
import { checkMaxItems, checkObjectId, checkSearchTerm, checkUserChanges } from './validation';
import { UserList } from './userList';
import * as userWrites from './userWrites';

/**
 * A write's options with the permission it needs (from the one table, accessErrors' writeAccess): every request the
 * write makes, its lookups included, is sent with a token that carries it.
 */
function asWrite<O extends CallOptions>(operation: WriteOperation, options: O): O {
  return { ...options, access: writeAccess(operation) };
}

/** Full enumerations ask for Graph's largest page; the tree asks for a screenful. */
const FULL_PAGE = 999;
const SCREEN_PAGE = 100;
const MANAGER_MISSING = /'manager'/i;
const PROPERTY_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

export interface UserListOptions extends ListOptions {
  includeDisabled?: boolean;
}

export interface UsersPageOptions extends CallOptions {
  includeDisabled?: boolean;
  /** Server-side `$search` over displayName, UPN and mail. */
  search?: string;
  pageSize?: number;
}

export interface GroupsPageOptions extends CallOptions {
  /** Server-side `$search` over displayName and description. */
  search?: string;
  pageSize?: number;
}

export interface UserGroupsOptions extends CallOptions {
  /** Only Microsoft 365 ("Unified") groups. */
  microsoft365Only?: boolean;
  /** Include groups reached through nested groups. */
  transitive?: boolean;
  pageSize?: number;
}

/**
 * Microsoft Graph v1.0 for Entra ID users and groups. Every method resolves to a {@link Result};
 * none rejects, whatever Graph, the network or the input does.
 */
export class GraphClient {
  private readonly transport: GraphTransport;
  private readonly ctx: GraphContext;

  constructor(options: GraphClientOptions) {
    this.transport = new GraphTransport(options);
    this.ctx = new GraphContext(this.transport);
  }

  /** Requests made, retries and bytes received so far (for diagnostics and benchmarks). */
  get stats(): Readonly<TransportStats> {
    return this.transport.stats;
  }

  /** The configured Graph base URL, e.g. https://graph.microsoft.com/v1.0. */
  get baseUrl(): string {
    return this.transport.base.href;
  }

  // ── The twelve actions ──────────────────────────────────────────────────────

  /** `select` names the properties to read instead of the profile's (id, displayName and userPrincipalName always). */
  async getProfile(userId?: string, options: CallOptions & { select?: readonly string[] } = {}): Promise<Result<User>> {
    const base = this.ctx.userBase(userId);
    if (!base.success) return base;
    const { select, ...call } = options;
    if (select?.some((p) => !PROPERTY_NAME.test(p))) return validationError('select must list property names.', 'select');
    const properties = select ? [...new Set(['id', 'displayName', 'userPrincipalName', ...select])] : Select.userProfile;
    return this.ctx.call<User>('GET', `${base.data}?$select=${selectOf(properties)}`, call);
  }

  /** `person`: read the manager with title and department (an org chart's card) instead of the list's properties. */
  async getManager(userId?: string, options: CallOptions & { person?: boolean } = {}): Promise<Result<DirectoryObject | null>> {
    const base = this.ctx.userBase(userId);
    if (!base.success) return base;
    const { person, ...call } = options;
    const result = await this.ctx.call<DirectoryObject>('GET', `${base.data}/manager?$select=${selectOf(person ? Select.person : Select.directoryObject)}`, call);
    if (result.success) return result;
    if (result.error.status !== 404 || result.error.code !== 'Request_ResourceNotFound') return result;
    // Graph answers 404 both for "no manager" and for "no such user"; tell them apart.
    if (userId === undefined || MANAGER_MISSING.test(result.error.message)) return ok(null);
    const user = await this.ctx.call<User>('GET', `${base.data}?$select=id`, call);
    return user.success ? ok(null) : user;
  }

  async getMs365Groups(userId?: string, options: ListOptions = {}): Promise<Result<Group[]>> {
    const max = checkMaxItems(options.maxItems);
    if (max) return validationError(max, 'maxItems');
    const first = this.userGroupsCursor(userId, { microsoft365Only: true, pageSize: FULL_PAGE });
    if (!first.success) return first;
    return collect(this.transport, first.data, options.maxItems, options.signal);
  }

  async getOrganizationUsers(options: UserListOptions = {}): Promise<Result<User[]>> {
    const max = checkMaxItems(options.maxItems);
    if (max) return validationError(max, 'maxItems');
    const first = this.usersCursor({ includeDisabled: options.includeDisabled ?? false, pageSize: pageFor(options.maxItems) });
    if (!first.success) return first;
    return collect(this.transport, first.data, options.maxItems, options.signal);
  }

  /**
   * The same users as {@link getOrganizationUsers}, held compactly: a {@link UserList} keeps only the fields the
   * Users view shows, column-wise, and each page is folded in as it arrives, so a whole tenant costs far less heap.
   */
  async getOrganizationUserList(options: UserListOptions = {}): Promise<Result<UserList>> {
    const max = checkMaxItems(options.maxItems);
    if (max) return validationError(max, 'maxItems');
    const first = this.usersCursor({ includeDisabled: options.includeDisabled ?? false, pageSize: pageFor(options.maxItems) });
    if (!first.success) return first;
    const list = new UserList();
    for await (const page of iteratePages(this.transport, first.data, options.signal)) {
      if (!page.success) return page;
      const room = options.maxItems !== undefined ? options.maxItems - list.length : Infinity;
      list.push(room < page.data.items.length ? page.data.items.slice(0, room) : page.data.items);
      if (list.length >= (options.maxItems ?? Infinity)) break;
    }
    return ok(list.seal());
  }

  async getOrganizationGroups(options: ListOptions = {}): Promise<Result<Group[]>> {
    const max = checkMaxItems(options.maxItems);
    if (max) return validationError(max, 'maxItems');
    const first = this.groupsCursor({ pageSize: pageFor(options.maxItems) });
    if (!first.success) return first;
    return collect(this.transport, first.data, options.maxItems, options.signal);
  }

  async searchGroups(query: string, options: ListOptions = {}): Promise<Result<Group[]>> {
    const problem = checkSearchTerm(query) ?? checkMaxItems(options.maxItems);
    if (problem) return validationError(problem, checkSearchTerm(query) ? 'query' : 'maxItems');
    const first = this.groupsCursor({ search: query.trim(), pageSize: pageFor(options.maxItems) });
    if (!first.success) return first;
    return collect(this.transport, first.data, options.maxItems, options.signal);
  }

  /**
   * Service principals or devices whose display name matches, each typed by `@odata.type`: what a security group can
   * take as members besides users and groups (https://learn.microsoft.com/graph/api/group-post-members).
   */
  async searchMemberObjects(kind: MemberObjectKind, query: string, options: ListOptions = {}): Promise<Result<DirectoryObject[]>> {
    const problem = checkSearchTerm(query) ?? checkMaxItems(options.maxItems);
    if (problem) return validationError(problem, checkSearchTerm(query) ? 'query' : 'maxItems');
    const q = queryString({
      $search: searchAny(['displayName'], query.trim()),
      $count: 'true',
      $select: selectOf(MEMBER_OBJECT_SELECT[kind]),
      $top: pageFor(options.maxItems),
    });
    const first = cursor<DirectoryObject>(this.transport.url(`/${kind}s${q}`), true);
    const found = await collect(this.transport, first, options.maxItems, options.signal);
    if (!found.success) return found;
    return ok(found.data.map((o) => ({ ...o, '@odata.type': `#microsoft.graph.${kind}` })));
  }

  createGroup(input: CreateGroupInput, options: CallOptions = {}): Promise<Result<Group>> {
    return writes.createGroup(this.ctx, input, asWrite('createGroup', options));
  }

  updateGroup(groupId: string, changes: UpdateGroupChanges, options: CallOptions = {}): Promise<Result<void>> {
    return writes.updateGroup(this.ctx, groupId, changes, asWrite('updateGroup', options));
  }

  deleteGroup(groupId: string, options: CallOptions = {}): Promise<Result<void>> {
    return writes.deleteGroup(this.ctx, groupId, asWrite('deleteGroup', options));
  }

  /** Groups deleted in the last 30 days, most recently deleted first, each with its `deletedDateTime`. */
  listDeletedGroups(options: ListOptions = {}): Promise<Result<DeletedGroup[]>> {
    return deletedGroups.listDeletedGroups(this.ctx, options);
  }

  /** Brings a deleted group back from deleted items, with its members and owners; the answer is the group. */
  restoreGroup(groupId: string, options: CallOptions = {}): Promise<Result<Group>> {
    return deletedGroups.restoreGroup(this.ctx, groupId, asWrite('restoreGroup', options));
  }

  addMemberToGroup(groupId: string, memberId: string, options: CallOptions = {}): Promise<Result<void>> {
    return writes.addMemberToGroup(this.ctx, groupId, memberId, asWrite('addMember', options));
  }

  removeMemberFromGroup(groupId: string, memberId: string, options: CallOptions = {}): Promise<Result<void>> {
    return writes.removeMemberFromGroup(this.ctx, groupId, memberId, asWrite('removeMember', options));
  }

  /** Makes a user an owner of the group. Graph's "already exist" answer (see `isAlreadyMember`) means it already is one. */
  addOwner(groupId: string, ownerId: string, options: CallOptions = {}): Promise<Result<void>> {
    return writes.addOwner(this.ctx, groupId, ownerId, asWrite('addOwner', options));
  }

  /** Removes an owner (the link only). Graph refuses the last owner (see `isLastOwnerRefusal`). */
  removeOwner(groupId: string, ownerId: string, options: CallOptions = {}): Promise<Result<void>> {
    return writes.removeOwner(this.ctx, groupId, ownerId, asWrite('removeOwner', options));
  }

  async updateUser(userId: string, changes: Record<string, unknown>, options: CallOptions = {}): Promise<Result<void>> {
    if (userId === undefined) return validationError('userId is required.', 'userId');
    const base = this.ctx.userBase(userId);
    if (!base.success) return base;
    const problem = checkUserChanges(changes);
    if (problem) return validationError(problem.message, problem.field);
    const result = await this.ctx.call<unknown>('PATCH', base.data, { body: changes, ...asWrite('updateUser', options) });
    if (result.success) return ok(undefined);
    return result.ambiguous ? fail(outcomeUnknown(result.error)) : result;
  }

  // ── Beyond the twelve: what the UI needs ────────────────────────────────────

  /** Makes `managerKey` (id or UPN) the manager of `userId`. */
  setManager(userId: string, managerKey: string, options: CallOptions = {}): Promise<Result<void>> {
    return userWrites.setManager(this.ctx, userId, managerKey, asWrite('setManager', options));
  }

  /** Leaves `userId` without a manager. */
  removeManager(userId: string, options: CallOptions = {}): Promise<Result<void>> {
    return userWrites.removeManager(this.ctx, userId, asWrite('setManager', options));
  }

  async getGroup(groupId: string, options: CallOptions = {}): Promise<Result<Group>> {
    const problem = checkObjectId(groupId, 'groupId');
    if (problem) return validationError(problem, 'groupId');
    return this.ctx.call<Group>('GET', `/groups/${pathSegment(groupId)}?$select=${selectOf([...Select.group, 'membershipRule', 'isAssignableToRole'])}`, options);
  }

  /** The signed-in tenant: its id, display name and default and initial domains (`GET /organization`). */
  async getOrganization(options: CallOptions = {}): Promise<Result<Organization>> {
    const result = await this.ctx.call<unknown>('GET', `/organization?$select=${selectOf(ORGANIZATION_SELECT)}`, options);
    return result.success ? organizationFrom(result.data) : result;
  }

  /**
   * Any directory object by id (`GET /directoryObjects/{id}`): a user, group, service principal, device or
   * organizational contact, told apart by its `@odata.type`.
   */
  async getDirectoryObject(id: string, options: CallOptions = {}): Promise<Result<DirectoryObject>> {
    const problem = checkObjectId(id, 'id');
    if (problem) return validationError(problem, 'id');
    return this.ctx.call<DirectoryObject>('GET', `/directoryObjects/${pathSegment(id)}?$select=${selectOf(Select.namedObject)}`, options);
  }

  async searchUsers(query: string, options: UserListOptions = {}): Promise<Result<User[]>> {
    const problem = checkSearchTerm(query) ?? checkMaxItems(options.maxItems);
    if (problem) return validationError(problem, checkSearchTerm(query) ? 'query' : 'maxItems');
    const first = this.usersCursor({ includeDisabled: options.includeDisabled ?? false, search: query.trim(), pageSize: pageFor(options.maxItems) });
    if (!first.success) return first;
    return collect(this.transport, first.data, options.maxItems, options.signal);
  }

  /** How many users match (`/users/$count`, an advanced query): for saying how much a shortened list left out. */
  async countUsers(options: { includeDisabled?: boolean; search?: string } & CallOptions = {}): Promise<Result<number>> {
    if (options.search !== undefined) {
      const problem = checkSearchTerm(options.search);
      if (problem) return validationError(problem, 'search');
    }
    const q = queryString({
      $filter: options.includeDisabled ? undefined : 'accountEnabled eq true',
      $search: options.search !== undefined ? searchAny(['displayName', 'userPrincipalName', 'mail'], options.search.trim()) : undefined,
    });
    return this.count(`/users/$count${q}`, options.signal);
  }

  /** How many groups match (`/groups/$count`, an advanced query). */
  async countGroups(options: { search?: string } & CallOptions = {}): Promise<Result<number>> {
    if (options.search !== undefined) {
      const problem = checkSearchTerm(options.search);
      if (problem) return validationError(problem, 'search');
    }
    const q = queryString({ $search: options.search !== undefined ? searchAny(['displayName', 'description'], options.search.trim()) : undefined });
    return this.count(`/groups/$count${q}`, options.signal);
  }

  private async count(path: string, signal: AbortSignal | undefined): Promise<Result<number>> {
    const result = await this.ctx.call<unknown>('GET', path, { advanced: true, ...(signal ? { signal } : {}) });
    if (!result.success) return result;
    const value = typeof result.data === 'number' ? result.data : typeof result.data === 'string' ? Number(result.data.trim()) : NaN;
    if (!Number.isInteger(value) || value < 0) return { success: false, error: { code: 'InvalidResponse', message: 'Graph answered a $count request without a number.' } };
    return ok(value);
  }

  /** Adds many members in PATCHes of 20 (batched), with an exact outcome per member. */
  async addMembersToGroup(groupId: string, memberIds: readonly string[], options: BulkAddOptions = {}): Promise<Result<BulkAddResult>> {
    const problem = checkObjectId(groupId, 'groupId');
    if (problem) return validationError(problem, 'groupId');
    if (!Array.isArray(memberIds) || memberIds.length === 0) return validationError('At least one member is required.', 'memberIds');
    const write = asWrite('addMember', options);
    const ids = await this.ctx.resolveIds(memberIds, 'memberIds', write);
    if (!ids.success) return ids;
    return addMembersInChunks(this.ctx, groupId, ids.data, write);
  }

  /**
   * What it takes to make the group's members and owners what `desired` says (users by UPN or id, other objects by
   * id). An omitted list is not touched; an empty list means "no one". Entries matching no object, or more than one,
   * are listed in `unresolved`.
   */
  planGroupMembership(groupId: string, desired: DesiredMembership, options: CallOptions = {}): Promise<Result<MembershipPlan>> {
    const readList = (relation: 'members' | 'owners', call: CallOptions): Promise<Result<DirectoryObject[]>> => {
      const first = this.relationCursor(groupId, relation, FULL_PAGE);
      return first.success ? collect(this.transport, first.data, undefined, call.signal) : Promise.resolve(first);
    };
    return planMembership(this.ctx, readList, groupId, desired, options);
  }

  /**
   * Applies a plan with an outcome per member: adds 20 per PATCH, removals `DELETE …/$ref` 20 per `$batch`; a member
   * already added or already gone is `alreadyDone`. A plan with unresolved entries is refused before any request.
   */
  applyMembershipPlan(plan: MembershipPlan, options: CallOptions = {}): Promise<Result<MembershipApplyReport>> {
    return applyPlan(this.ctx, plan, options);
  }

  /** A screen's page of users: sorted by display name and counted (`total`), with one advanced query. */
  usersPage(options: UsersPageOptions = {}): Promise<Result<Page<User>>> {
    return this.firstPage(this.usersCursor({ ...options, forScreen: true }), options.signal);
  }

  /** A screen's page of groups: sorted by display name and counted (`total`). */
  groupsPage(options: GroupsPageOptions = {}): Promise<Result<Page<Group>>> {
    return this.firstPage(this.groupsCursor({ ...options, forScreen: true }), options.signal);
  }

  /**
   * A page of a group's members, counted (`total`): the folder shows how many there are, not how many are loaded.
   * `search`: Graph's `$search` on the members collection (an advanced query, like the rest of this request) over
   * display name, UPN and mail; `total` then counts the matches.
   */
  groupMembersPage(groupId: string, options: CallOptions & { pageSize?: number; search?: string } = {}): Promise<Result<Page<DirectoryObject>>> {
    return this.firstPage(this.relationCursor(groupId, 'members', options.pageSize, options.search), options.signal);
  }

  /** A page of a group's owners, counted (`total`); `search` as for {@link groupMembersPage}. */
  groupOwnersPage(groupId: string, options: CallOptions & { pageSize?: number; search?: string } = {}): Promise<Result<Page<DirectoryObject>>> {
    return this.firstPage(this.relationCursor(groupId, 'owners', options.pageSize, options.search), options.signal);
  }

  /** The groups a group is a direct member of (`memberOf`, cast to groups: an advanced query), counted. */
  groupMemberOfPage(groupId: string, options: CallOptions & { pageSize?: number } = {}): Promise<Result<Page<Group>>> {
    const problem = checkObjectId(groupId, 'groupId');
    if (problem) return Promise.resolve(validationError(problem, 'groupId'));
    const size = checkPageSize(options.pageSize);
    if (!size.success) return Promise.resolve(size);
    const q = queryString({ $count: 'true', $select: selectOf(Select.group), $top: size.data });
    return this.firstPage(ok(cursor<Group>(this.transport.url(`/groups/${pathSegment(groupId)}/memberOf/microsoft.graph.group${q}`), true)), options.signal);
  }

  userGroupsPage(userId: string | undefined, options: UserGroupsOptions = {}): Promise<Result<Page<Group>>> {
    return this.firstPage(this.userGroupsCursor(userId, options), options.signal);
  }

  directReportsPage(userId: string | undefined, options: CallOptions & { pageSize?: number } = {}): Promise<Result<Page<DirectoryObject>>> {
    const base = this.ctx.userBase(userId);
    if (!base.success) return Promise.resolve(base);
    // $count on a relationship is an advanced query: ConsistencyLevel rides along on every page.
    const q = queryString({ $count: 'true', $select: selectOf(Select.directoryObject), $top: options.pageSize ?? SCREEN_PAGE });
    return this.firstPage(ok(cursor<DirectoryObject>(this.transport.url(`${base.data}/directReports${q}`), true)), options.signal);
  }

  /**
   * A user's direct reports who are users (contacts are left out: they have no chart of their own), with the org
   * chart's properties, up to `maxItems`.
   */
  async getDirectReports(userId: string, options: ListOptions = {}): Promise<Result<User[]>> {
    const max = checkMaxItems(options.maxItems);
    if (max) return validationError(max, 'maxItems');
    const base = this.ctx.userBase(userId);
    if (!base.success) return base;
    // The cast is an advanced query: ConsistencyLevel + $count on every page.
    const q = queryString({ $count: 'true', $select: selectOf(Select.person), $top: pageFor(options.maxItems) });
    return collect(this.transport, cursor<User>(this.transport.url(`${base.data}/directReports/microsoft.graph.user${q}`), true), options.maxItems, options.signal);
  }

  /**
   * The groups related to a group, as groups only: its member groups (`members`, one level; `transitiveMembers`, every
   * level), or the groups it is a member of (`memberOf`, `transitiveMemberOf`), up to `maxItems`.
   */
  async getGroupRelatives(groupId: string, relation: GroupRelation, options: ListOptions = {}): Promise<Result<Group[]>> {
    const badId = checkObjectId(groupId, 'groupId');
    if (badId) return validationError(badId, 'groupId');
    const max = checkMaxItems(options.maxItems);
    if (max) return validationError(max, 'maxItems');
    const q = queryString({ $count: 'true', $select: selectOf(Select.group), $top: pageFor(options.maxItems) });
    return collect(this.transport, cursor<Group>(this.transport.url(`/groups/${pathSegment(groupId)}/${relation}/microsoft.graph.group${q}`), true), options.maxItems, options.signal);
  }

  /** The groups a user is a member of: directly, or `transitive`ly through nested groups; up to `maxItems`. */
  async getUserGroups(userId: string, options: ListOptions & { transitive?: boolean } = {}): Promise<Result<Group[]>> {
    const max = checkMaxItems(options.maxItems);
    if (max) return validationError(max, 'maxItems');
    const first = this.userGroupsCursor(userId, { transitive: options.transitive ?? false, pageSize: pageFor(options.maxItems) });
    if (!first.success) return first;
    return collect(this.transport, first.data, options.maxItems, options.signal);
  }

  /** The page after `at`. */
  nextPage<T>(at: PageCursor<T>, options: CallOptions = {}): Promise<Result<Page<T>>> {
    return readPage(this.transport, at, options.signal);
  }

  /** Every page from `first` on, as an async iterator of results. */
  pages<T>(first: PageCursor<T>, options: CallOptions = {}): AsyncGenerator<Result<Page<T>>, void, undefined> {
    return iteratePages(this.transport, first, options.signal);
  }

  /**
   * All users page by page (999 a page), for callers that stream rather than hold a whole tenant. `select`: the
   * properties to read (the Users view's by default).
   */
  async *iterateUsers(options: { includeDisabled?: boolean; select?: readonly string[] } & CallOptions = {}): AsyncGenerator<Result<Page<User>>, void, undefined> {
    const first = this.usersCursor({ includeDisabled: options.includeDisabled ?? false, pageSize: FULL_PAGE, ...(options.select ? { select: options.select } : {}) });
    if (!first.success) {
      yield first;
      return;
    }
    yield* iteratePages(this.transport, first.data, options.signal);
  }

  async *iterateGroups(options: { select?: readonly string[] } & CallOptions = {}): AsyncGenerator<Result<Page<Group>>, void, undefined> {
    const first = this.groupsCursor({ pageSize: FULL_PAGE, ...(options.select ? { select: options.select } : {}) });
    if (!first.success) {
      yield first;
      return;
    }
    yield* iteratePages(this.transport, first.data, options.signal);
  }

  /**
   * Every user whose user principal name begins with `prefix` (case-insensitive), 999 a page, with the list's fields:
   * one segment of a tenant read in parallel. `startswith` on userPrincipalName is a basic query
   * (https://learn.microsoft.com/graph/aad-advanced-queries, user properties).
   */
  usersWithUpnPrefix(prefix: string): PageCursor<User> {
    const q = queryString({ $filter: `startswith(userPrincipalName,${odataString(prefix)})`, $select: selectOf(Select.userList), $top: FULL_PAGE });
    return cursor<User>(this.transport.url(`/users${q}`), false);
  }

  /**
   * The first page of a delta query on users or groups (`/users/delta`, `/groups/delta`) with the properties the
   * directory cache keeps. `latest`: no objects, only a deltaLink from now on (`$deltatoken=latest`); otherwise every
   * object, page by page, up to a deltaLink. Follow with {@link pages}.
   */
  deltaCursor(kind: 'users' | 'groups', options: { latest?: boolean } = {}): PageCursor<DirectoryObject> {
    const q = queryString({ $select: selectOf(kind === 'users' ? Select.userList : Select.cachedGroup), $deltatoken: options.latest ? 'latest' : undefined });
    return cursor<DirectoryObject>(this.transport.url(`/${kind}/delta${q}`), false);
  }

  /** Resumes a delta query from a deltaLink Graph gave; refuses one that leaves the configured Graph origin. */
  deltaResume(deltaLink: string): Result<PageCursor<DirectoryObject>> {
    if (!this.transport.isOwnUrl(deltaLink)) return validationError(`The delta link is not on ${this.transport.base.origin}.`, 'deltaLink');
    return ok(cursor<DirectoryObject>(deltaLink, false));
  }

  // ── Query building ──────────────────────────────────────────────────────────

  private async firstPage<T>(first: Result<PageCursor<T>>, signal: AbortSignal | undefined): Promise<Result<Page<T>>> {
    if (!first.success) return first;
    return readPage(this.transport, first.data, signal);
  }

  /**
   * `forScreen`: sorted by display name and counted, which with the enabled-only filter or a search is an advanced
   * query (ConsistencyLevel: eventual, `$count=true`). Whole-tenant reads leave both out: the order does not matter
   * to them, and basic queries are read from the directory itself rather than its search index.
   */
  private usersCursor(o: { includeDisabled?: boolean; search?: string; pageSize?: number; forScreen?: boolean; select?: readonly string[] }): Result<PageCursor<User>> {
    const size = checkPageSize(o.pageSize);
    if (!size.success) return size;
    if (o.search !== undefined) {
      const problem = checkSearchTerm(o.search);
      if (problem) return validationError(problem, 'search');
    }
    const q = queryString({
      $filter: o.includeDisabled ? undefined : 'accountEnabled eq true',
      $search: o.search !== undefined ? searchAny(['displayName', 'userPrincipalName', 'mail'], o.search.trim()) : undefined,
      $orderby: o.forScreen ? 'displayName' : undefined,
      $count: o.forScreen ? 'true' : undefined,
      $select: selectOf(o.select ?? Select.userList),
      $top: size.data,
    });
    return ok(cursor<User>(this.transport.url(`/users${q}`), o.forScreen === true || o.search !== undefined));
  }

  private groupsCursor(o: { search?: string; pageSize?: number; forScreen?: boolean; select?: readonly string[] }): Result<PageCursor<Group>> {
    const size = checkPageSize(o.pageSize);
    if (!size.success) return size;
    if (o.search !== undefined) {
      const problem = checkSearchTerm(o.search);
      if (problem) return validationError(problem, 'search');
    }
    const search = o.search !== undefined;
    const advanced = search || o.forScreen === true;
    const q = queryString({
      $search: search ? searchAny(['displayName', 'description'], (o.search ?? '').trim()) : undefined,
      $orderby: advanced ? 'displayName' : undefined,
      $count: advanced ? 'true' : undefined,
      $select: selectOf(o.select ?? [...Select.group, 'membershipRule']),
      $top: size.data,
    });
    return ok(cursor<Group>(this.transport.url(`/groups${q}`), advanced));
  }

  private relationCursor(groupId: string, relation: 'members' | 'owners', pageSize: number | undefined, search?: string): Result<PageCursor<DirectoryObject>> {
    const problem = checkObjectId(groupId, 'groupId');
    if (problem) return validationError(problem, 'groupId');
    const size = checkPageSize(pageSize);
    if (!size.success) return size;
    if (search !== undefined) {
      const termProblem = checkSearchTerm(search);
      if (termProblem) return validationError(termProblem, 'search');
    }
    const q = queryString({
      $search: search !== undefined ? searchAny(['displayName', 'userPrincipalName', 'mail'], search.trim()) : undefined,
      $count: 'true',
      $select: selectOf(Select.memberObject),
      $top: size.data,
    });
    return ok(cursor<DirectoryObject>(this.transport.url(`/groups/${pathSegment(groupId)}/${relation}${q}`), true));
  }

  private userGroupsCursor(userId: string | undefined, o: UserGroupsOptions): Result<PageCursor<Group>> {
    const base = this.ctx.userBase(userId);
    if (!base.success) return base;
    const size = checkPageSize(o.pageSize);
    if (!size.success) return size;
    const relation = o.transitive ? 'transitiveMemberOf' : 'memberOf';
    // The cast and the lambda filter are advanced queries: ConsistencyLevel + $count on every page.
    const q = queryString({
      $filter: o.microsoft365Only ? `groupTypes/any(c:c eq ${odataString('Unified')})` : undefined,
      $count: 'true',
      $select: selectOf(Select.group),
      $top: size.data,
    });
    return ok(cursor<Group>(this.transport.url(`${base.data}/${relation}/microsoft.graph.group${q}`), true));
  }
}

function pageFor(maxItems: number | undefined): number {
  return maxItems !== undefined && maxItems < FULL_PAGE ? Math.max(1, maxItems) : FULL_PAGE;
}

function checkPageSize(size: number | undefined): Result<number> {
  if (size === undefined) return ok(SCREEN_PAGE);
  if (!Number.isInteger(size) || size < 1 || size > FULL_PAGE) return validationError(`pageSize must be a whole number from 1 to ${FULL_PAGE}.`, 'pageSize');
  return ok(size);
}

/** How a group relates to other groups: the groups in it, or the groups it is in; one level or all. */
export type GroupRelation = 'members' | 'transitiveMembers' | 'memberOf' | 'transitiveMemberOf';

/** Directory objects a security group takes as members besides users and groups. */
export type MemberObjectKind = 'servicePrincipal' | 'device';

const MEMBER_OBJECT_SELECT: Record<MemberObjectKind, readonly string[]> = {
  servicePrincipal: ['id', 'displayName', 'appId', 'accountEnabled'],
  device: ['id', 'displayName', 'deviceId', 'accountEnabled'],
};
