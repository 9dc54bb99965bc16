import type { Group, Listed, Page, PageCursor, Result, User } from '../core';
import { FRESH_FOR_MS, type LocalDirectoryAccess } from './localDirectory';

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

/** A view's first page from the cached directory. */
export interface LocalList<T> {
  result: Result<Page<T>>;
  /**
   * Set when the page is the one saved with the copy, shown while the copy is read: resolves true when the view must
   * list again (the copy, now up to date, changed its first page).
   */
  changed?: Promise<boolean>;
}

/**
 * The first page of the Users view served from the cached directory — in Graph's order, as many per page as from
 * Graph, with the same count — or undefined when there is no copy to serve from: the view then lists from Graph.
 * While a saved copy is still being read, its saved first page is served at once.
 */
export async function localUsersList(local: LocalDirectoryAccess | undefined, size: number, includeDisabled: boolean, maxAgeMs: number): Promise<LocalList<User> | undefined> {
  const saved = await local?.savedFirstPage(includeDisabled ? 'allUsers' : 'enabledUsers', size);
  if (saved) return { result: { success: true, data: localPage('users', saved.page as Listed<User>) }, changed: saved.changed };
  const search = await local?.listing(maxAgeMs);
  return search && { result: { success: true, data: localPage('users', search.listUsers(0, size, { includeDisabled })) } };
}

/** The page after `cursor` of a Users view listed from the cached directory ("Load more"), once the copy is read. */
export async function localUsersMore(local: LocalDirectoryAccess | undefined, size: number, includeDisabled: boolean, cursor: PageCursor<User>): Promise<Result<Page<User>>> {
  const search = local?.search() ?? (await local?.listing(FRESH_FOR_MS.keystroke));
  return search ? { success: true, data: localPage('users', search.listUsers(positionOf(cursor), size, { includeDisabled })) } : COPY_GONE;
}

/** The first page of the Groups view served from the cached directory, as {@link localUsersList}. */
export async function localGroupsList(local: LocalDirectoryAccess | undefined, size: number, maxAgeMs: number): Promise<LocalList<Group> | undefined> {
  const saved = await local?.savedFirstPage('groups', size);
  if (saved) return { result: { success: true, data: localPage('groups', saved.page as Listed<Group>) }, changed: saved.changed };
  const search = await local?.listing(maxAgeMs);
  return search && { result: { success: true, data: localPage('groups', search.listGroups(0, size)) } };
}

/** The page after `cursor` of a Groups view listed from the cached directory. */
export async function localGroupsMore(local: LocalDirectoryAccess | undefined, size: number, cursor: PageCursor<Group>): Promise<Result<Page<Group>>> {
  const search = local?.search() ?? (await local?.listing(FRESH_FOR_MS.keystroke));
  return search ? { success: true, data: localPage('groups', search.listGroups(positionOf(cursor), size)) } : COPY_GONE;
}
