import { isRecord, ok } from './errors';
import type { GraphClient } from './client';
import { CompactUsers, type CachedUsers } from './compactUsers';
import { Select } from './odata';
import { readAllUsers } from './segmentedUsers';
import type { DirectoryObject, Group, PageCursor, Result, User } from './types';

/**
 * A local copy of the tenant's users and groups (the fields the tree, search and pickers show), kept current with
 * Graph's delta query (https://learn.microsoft.com/graph/delta-query-overview). A cold start first asks for a deltaLink
 * "from now on" (`$deltatoken=latest`), then reads every object at 999 a page, then applies the delta since that link,
 * so nothing changed during the read is missed. A warm start applies the delta and is done: one request per kind when
 * nothing changed. A deltaLink Graph no longer honours is answered by a full resync. Our own writes are applied as
 * they are announced, before Graph's delta would show them.
 */

/**
 * Bumped whenever the saved file's shape changes: a file of another version is ignored and rebuilt. 2: the file starts
 * with a line holding the views' first pages (firstScreen.ts).
 */
export const CACHE_VERSION = 2;

export type CachedUser = Pick<User, 'id' | 'displayName' | 'userPrincipalName' | 'mail' | 'jobTitle' | 'department' | 'accountEnabled' | 'userType'>;
export type CachedGroup = Pick<Group, 'id' | 'displayName' | 'description' | 'groupTypes' | 'mail' | 'mailEnabled' | 'securityEnabled' | 'mailNickname' | 'visibility' | 'createdDateTime' | 'membershipRule'>;

/** What is written to disk. Never holds tokens: only directory fields and Graph's delta links (which carry none). */
export interface CacheSnapshot {
  version: number;
  savedAt: string;
  userDeltaLink: string;
  groupDeltaLink: string;
  /** One array per user, in {@link USER_FIELDS} order: far smaller on disk than objects. */
  users: unknown[][];
  groups: unknown[][];
}

const USER_FIELDS = Select.userList as readonly (keyof CachedUser)[];
const GROUP_FIELDS = Select.cachedGroup as readonly (keyof CachedGroup)[];

/** A cached user as one saved row (an array in a fixed field order), and back; undefined for a malformed row. */
export const userRows = {
  to: (user: CachedUser): unknown[] => toRow(user, USER_FIELDS),
  from: (row: unknown): CachedUser | undefined => fromRow<CachedUser>(row, USER_FIELDS),
};

/** A cached group as one saved row, and back. */
export const groupRows = {
  to: (group: CachedGroup): unknown[] => toRow(group, GROUP_FIELDS),
  from: (row: unknown): CachedGroup | undefined => fromRow<CachedGroup>(row, GROUP_FIELDS),
};

/** The changes our own writes announce (a DirectoryChange, src/changes.ts) that alter what the cache holds. */
export type CacheChange =
  | { kind: 'groupCreated'; group: Group }
  | { kind: 'groupRestored'; group: Group }
  | { kind: 'groupUpdated'; groupId: string; changes: Partial<Group> }
  | { kind: 'groupDeleted'; groupId: string }
  | { kind: 'userUpdated'; userId: string; changes: Partial<User> };

export interface SyncReport {
  mode: 'cold' | 'warm' | 'resync';
  /** Objects added or changed, and removed, by the delta applied. */
  changed: number;
  removed: number;
}

/** Graph's answers to a delta token it no longer knows: 400 syncStateNotFound for directory objects, 410 Gone elsewhere. */
export function isResyncAnswer(error: { code: string; status?: number }): boolean {
  return error.status === 410 || error.code.toLowerCase() === 'syncstatenotfound' || error.code.toLowerCase() === 'resyncrequired';
}

export class DirectoryCache {
  private readonly userMap = new CompactUsers();
  private readonly groupMap = new Map<string, CachedGroup>();
  private userDeltaLink: string | undefined;
  private groupDeltaLink: string | undefined;

  /** Bumped on every change, so that views and the store can tell whether there is anything new. */
  revision = 0;

  get users(): CachedUsers {
    return this.userMap;
  }

  get groups(): ReadonlyMap<string, CachedGroup> {
    return this.groupMap;
  }

  /** Whether the cache holds a complete copy (it has been synchronised, or loaded from one that was). */
  get isComplete(): boolean {
    return this.userDeltaLink !== undefined && this.groupDeltaLink !== undefined;
  }

  /**
   * The cache a saved snapshot describes, or a reason it cannot be used (another version, a broken file, a delta link
   * off `graphOrigin`): the caller logs it and starts cold.
   */
  static fromSnapshot(value: unknown, graphOrigin: string): { cache: DirectoryCache } | { problem: string } {
    if (!isRecord(value)) return { problem: 'the file does not hold a cache snapshot' };
    if (value.version !== CACHE_VERSION) return { problem: `it is of version ${String(value.version)}, not ${CACHE_VERSION}` };
    const { userDeltaLink, groupDeltaLink, users, groups } = value;
    if (typeof userDeltaLink !== 'string' || typeof groupDeltaLink !== 'string') return { problem: 'its delta links are missing' };
    if (!sameOrigin(userDeltaLink, graphOrigin) || !sameOrigin(groupDeltaLink, graphOrigin)) return { problem: `its delta links are not on ${graphOrigin}` };
    if (!Array.isArray(users) || !Array.isArray(groups)) return { problem: 'its users or groups are missing' };
    const cache = new DirectoryCache();
    for (const row of users) {
      const user = userRows.from(row);
      if (!user) return { problem: 'a user in it is malformed' };
      cache.userMap.set(user.id.toLowerCase(), user);
    }
    for (const row of groups) {
      const group = groupRows.from(row);
      if (!group) return { problem: 'a group in it is malformed' };
      cache.groupMap.set(group.id.toLowerCase(), group);
    }
    cache.userMap.trim();
    cache.userDeltaLink = userDeltaLink;
    cache.groupDeltaLink = groupDeltaLink;
    return { cache };
  }

  /** The snapshot to save; undefined until the cache is complete (a partial copy is never saved). */
  snapshot(now = new Date()): CacheSnapshot | undefined {
    if (this.userDeltaLink === undefined || this.groupDeltaLink === undefined) return undefined;
    return {
      version: CACHE_VERSION,
      savedAt: now.toISOString(),
      userDeltaLink: this.userDeltaLink,
      groupDeltaLink: this.groupDeltaLink,
      users: [...this.userMap.values()].map(userRows.to),
      groups: [...this.groupMap.values()].map(groupRows.to),
    };
  }

  /**
   * Brings the cache up to date: the delta since the saved links when there are any, a full read otherwise, and a
   * full read again when Graph answers that it no longer knows a link. Any other failure leaves the cache as it was.
   */
  async sync(graph: GraphClient, signal?: AbortSignal): Promise<Result<SyncReport>> {
    if (this.userDeltaLink !== undefined && this.groupDeltaLink !== undefined) {
      const warm = await this.applyDeltas(graph, this.userDeltaLink, this.groupDeltaLink, signal);
      if (warm.success) return ok({ mode: 'warm', ...warm.data });
      if (!isResyncAnswer(warm.error)) return warm;
      const again = await this.cold(graph, signal);
      return again.success ? ok({ ...again.data, mode: 'resync' }) : again;
    }
    return this.cold(graph, signal);
  }

  /** Applies one of our own writes at once; Graph's delta will later tell the same change again, harmlessly. */
  apply(change: { readonly kind: string }): void {
    const c = change as CacheChange;
    switch (c.kind) {
      case 'userUpdated': {
        const id = c.userId.toLowerCase();
        const user = this.userMap.get(id);
        if (!user) return;
        this.merge(user, c.changes, USER_FIELDS);
        this.userMap.set(id, user);
        return;
      }
      case 'groupCreated':
      case 'groupRestored':
        this.upsertGroup(c.group);
        return;
      case 'groupUpdated': {
        const group = this.groupMap.get(c.groupId.toLowerCase());
        if (group) this.merge(group, c.changes, GROUP_FIELDS);
        return;
      }
      case 'groupDeleted':
        if (this.groupMap.delete(c.groupId.toLowerCase())) this.revision++;
        return;
      default:
        // Memberships, owners and managers are not cached: nothing to do.
        return;
    }
  }

  private async cold(graph: GraphClient, signal: AbortSignal | undefined): Promise<Result<SyncReport>> {
    // The links first: whatever changes while the objects are read is in the delta after them.
    const userLink = await deltaLinkOf(graph, graph.deltaCursor('users', { latest: true }), signal);
    if (!userLink.success) return userLink;
    const groupLink = await deltaLinkOf(graph, graph.deltaCursor('groups', { latest: true }), signal);
    if (!groupLink.success) return groupLink;
    const read = await readAllUsers(graph, signal ? { signal } : {});
    if (!read.success) return read;
    const users = new Map<string, CachedUser>();
    for (const u of read.data.users) users.set(u.id.toLowerCase(), pick<CachedUser>(u, USER_FIELDS));
    const groups = new Map<string, CachedGroup>();
    for await (const page of graph.iterateGroups(signal ? { signal } : {})) {
      if (!page.success) return page;
      for (const g of page.data.items) groups.set(g.id.toLowerCase(), pick<CachedGroup>(g, GROUP_FIELDS));
    }
    this.userMap.clear();
    this.groupMap.clear();
    for (const [id, u] of users) this.userMap.set(id, u);
    this.userMap.trim();
    for (const [id, g] of groups) this.groupMap.set(id, g);
    this.userDeltaLink = undefined;
    this.groupDeltaLink = undefined;
    this.revision++;
    const caughtUp = await this.applyDeltas(graph, userLink.data, groupLink.data, signal);
    return caughtUp.success ? ok({ mode: 'cold', ...caughtUp.data }) : caughtUp;
  }

  /** Follows both delta links to their ends, applying each page; the links are replaced only once both are read. */
  private async applyDeltas(graph: GraphClient, userLink: string, groupLink: string, signal: AbortSignal | undefined): Promise<Result<{ changed: number; removed: number }>> {
    const users = await readDelta(graph, userLink, signal);
    if (!users.success) return users;
    const groups = await readDelta(graph, groupLink, signal);
    if (!groups.success) return groups;
    let changed = 0;
    let removed = 0;
    for (const item of users.data.items) {
      if (isRemoved(item)) removed += this.userMap.delete(item.id.toLowerCase()) ? 1 : 0;
      else {
        this.upsertUser(item);
        changed++;
      }
    }
    for (const item of groups.data.items) {
      if (isRemoved(item)) removed += this.groupMap.delete(item.id.toLowerCase()) ? 1 : 0;
      else {
        this.upsertGroup(item);
        changed++;
      }
    }
    this.userDeltaLink = users.data.deltaLink;
    this.groupDeltaLink = groups.data.deltaLink;
    if (changed + removed > 0) this.revision++;
    return ok({ changed, removed });
  }

  private upsertUser(user: User): void {
    const id = user.id.toLowerCase();
    const known = this.userMap.get(id);
    if (known) {
      this.merge(known, user, USER_FIELDS);
      this.userMap.set(id, known);
    } else {
      this.userMap.set(id, pick<CachedUser>(user, USER_FIELDS));
      this.revision++;
    }
  }

  private upsertGroup(group: Group): void {
    const id = group.id.toLowerCase();
    const known = this.groupMap.get(id);
    if (known) this.merge(known, group, GROUP_FIELDS);
    else {
      this.groupMap.set(id, pick<CachedGroup>(group, GROUP_FIELDS));
      this.revision++;
    }
  }

  /** Delta answers carry at least the changed properties: those present replace the cached ones, the rest stay. */
  private merge<T extends object>(target: T, source: object, fields: readonly (keyof T)[]): void {
    const from = source as Record<string, unknown>;
    const to = target as Record<string, unknown>;
    for (const field of fields) {
      const name = field as string;
      if (name !== 'id' && name in from) to[name] = from[name];
    }
    this.revision++;
  }
}

async function readDelta(graph: GraphClient, link: string, signal: AbortSignal | undefined): Promise<Result<{ items: DirectoryObject[]; deltaLink: string }>> {
  const first = graph.deltaResume(link);
  if (!first.success) return first;
  const items: DirectoryObject[] = [];
  for await (const page of graph.pages(first.data, signal ? { signal } : {})) {
    if (!page.success) return page;
    items.push(...page.data.items);
    if (page.data.deltaLink !== undefined) return ok({ items, deltaLink: page.data.deltaLink });
  }
  return { success: false, error: { code: 'InvalidResponse', message: 'Graph ended a delta query without a delta link to continue from.' } };
}

async function deltaLinkOf(graph: GraphClient, first: PageCursor<DirectoryObject>, signal: AbortSignal | undefined): Promise<Result<string>> {
  for await (const page of graph.pages(first, signal ? { signal } : {})) {
    if (!page.success) return page;
    if (page.data.deltaLink !== undefined) return ok(page.data.deltaLink);
  }
  return { success: false, error: { code: 'InvalidResponse', message: 'Graph ended a delta query without a delta link to continue from.' } };
}

function isRemoved(item: DirectoryObject): boolean {
  return isRecord(item['@removed']);
}

function pick<T>(source: object, fields: readonly (keyof T)[]): T {
  const from = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const name = field as string;
    if (name in from && from[name] !== undefined) out[name] = from[name];
  }
  return out as T;
}

/** An absent property is written as `null`, like a null one: every view shows the two alike. */
function toRow<T>(record: T, fields: readonly (keyof T)[]): unknown[] {
  return fields.map((f) => record[f] ?? null);
}

function fromRow<T extends { id: string }>(row: unknown, fields: readonly (keyof T)[]): T | undefined {
  if (!Array.isArray(row) || row.length !== fields.length || typeof row[0] !== 'string' || row[0] === '') return undefined;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const value: unknown = row[i];
    if (value !== null && !['string', 'boolean'].includes(typeof value) && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) return undefined;
    out[fields[i] as string] = value;
  }
  return out as T;
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
