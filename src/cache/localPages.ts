import type { Group, Page, Result, User } from '../core';
import type { LocalDirectoryAccess } from './localDirectory';

/** The cached directory is built (or brought up to date) in the background from the first time a view lists anything. */
export function startLocalDirectory(local: LocalDirectoryAccess | undefined): undefined {
  void local?.ensure();
  return undefined;
}

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
