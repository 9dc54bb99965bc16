import type { Group, Page, Result, User } from '../core';
import type { LocalDirectoryAccess } from './localDirectory';

/**
 * A search answered from the cached directory, shaped like Graph's page (all matches counted in `total`, no next page),
 * or undefined when there is no complete copy yet: the caller then asks Graph (`$search`).
 */
/** The cached directory is built (or brought up to date) in the background from the first time a view lists anything. */
export function startLocalDirectory(local: LocalDirectoryAccess | undefined): undefined {
  void local?.ensure();
  return undefined;
}

export function localUsersPage(local: LocalDirectoryAccess | undefined, term: string, max: number, includeDisabled: boolean): Result<Page<User>> | undefined {
  void local?.ensure();
  const search = local?.search();
  if (!search) return undefined;
  const found = search.matchingUsers(term, max, { includeDisabled });
  return { success: true, data: { items: found.items, total: found.total } };
}

export function localGroupsPage(local: LocalDirectoryAccess | undefined, term: string, max: number): Result<Page<Group>> | undefined {
  void local?.ensure();
  const search = local?.search();
  if (!search) return undefined;
  const found = search.matchingGroups(term, max);
  return { success: true, data: { items: found.items, total: found.total } };
}
