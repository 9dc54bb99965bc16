import type { Group, Listed, Page, PageCursor, Result, User } from '../core';
import type { LocalDirectoryAccess } from './localDirectory';

/**
 * A search answered from the cached directory (brought up to date by delta query when older than `maxAgeMs`), shaped
 * like Graph's page (all matches counted in `total`, no next page), or undefined when the cache is off or not built
 * yet: the caller then asks Graph (`$search`).
 */
export async function localUsersPage(local: LocalDirectoryAccess | undefined, term: string, max: number, includeDisabled: boolean, maxAgeMs: number): Promise<Result<Page<User>> | undefined> {
  void local?.ensure();
  const search = await local?.fresh(maxAgeMs);
  if (!search) return undefined;
  const found = search.matchingUsers(term, max, { includeDisabled });
  return { success: true, data: { items: found.items, total: found.total } };
}

export async function localGroupsPage(local: LocalDirectoryAccess | undefined, term: string, max: number, maxAgeMs: number): Promise<Result<Page<Group>> | undefined> {
  void local?.ensure();
  const search = await local?.fresh(maxAgeMs);
  if (!search) return undefined;
  const found = search.matchingGroups(term, max);
  return { success: true, data: { items: found.items, total: found.total } };
}

/** A "Load more" cursor of a list served from the cached directory: the position in the list to go on from. */
const LOCAL_CURSOR = 'cache:';

export function isLocalCursor(cursor: PageCursor<unknown>): boolean {
  return cursor.url.startsWith(LOCAL_CURSOR);
}

function localPage<T>(kind: 'users' | 'groups', listed: Listed<T>): Page<T> {
  return { items: listed.items, total: listed.total, ...(listed.next !== undefined ? { next: { url: `${LOCAL_CURSOR}${kind}/${listed.next}`, advanced: false } } : {}) };
}

function positionOf(cursor: PageCursor<unknown> | undefined): number {
  const position = cursor ? Number(cursor.url.slice(cursor.url.lastIndexOf('/') + 1)) : 0;
  return Number.isSafeInteger(position) && position >= 0 ? position : 0;
}

/** A "Load more" of a list that came from the cache, when the cache has gone meanwhile (turned off, signed out). */
const COPY_GONE: Result<never> = {
  success: false,
  error: { code: 'DirectoryCacheGone', message: 'The directory cache this list was read from is no longer available (turned off or signed out). Refresh the view to list from Microsoft Graph.' },
};

/**
 * The first page of the Users view served from the cached directory — in Graph's order, as many per page as from
 * Graph, with the same count — or undefined when there is no copy to serve from: the view then lists from Graph.
 */
export async function localUsersList(local: LocalDirectoryAccess | undefined, size: number, includeDisabled: boolean, maxAgeMs: number): Promise<Result<Page<User>> | undefined> {
  const search = await local?.listing(maxAgeMs);
  return search && { success: true, data: localPage('users', search.listUsers(0, size, { includeDisabled })) };
}

/** The page after `cursor` of a Users view listed from the cached directory ("Load more"). */
export function localUsersMore(local: LocalDirectoryAccess | undefined, size: number, includeDisabled: boolean, cursor: PageCursor<User>): Result<Page<User>> {
  const search = local?.search();
  return search ? { success: true, data: localPage('users', search.listUsers(positionOf(cursor), size, { includeDisabled })) } : COPY_GONE;
}

/** The first page of the Groups view served from the cached directory, as {@link localUsersList}. */
export async function localGroupsList(local: LocalDirectoryAccess | undefined, size: number, maxAgeMs: number): Promise<Result<Page<Group>> | undefined> {
  const search = await local?.listing(maxAgeMs);
  return search && { success: true, data: localPage('groups', search.listGroups(0, size)) };
}

/** The page after `cursor` of a Groups view listed from the cached directory. */
export function localGroupsMore(local: LocalDirectoryAccess | undefined, size: number, cursor: PageCursor<Group>): Result<Page<Group>> {
  const search = local?.search();
  return search ? { success: true, data: localPage('groups', search.listGroups(positionOf(cursor), size)) } : COPY_GONE;
}
