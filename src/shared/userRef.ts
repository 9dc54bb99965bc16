import { isGuid, type User } from '../core';

/**
 * A user as the extension's own pages hand it to a command: the id, and the names to show while the command runs
 * (so its pickers and notifications name the user instead of showing a GUID).
 */
export interface UserRef {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
}

export function userRef(user: Pick<User, 'id' | 'displayName' | 'userPrincipalName'>): UserRef {
  return { id: user.id, displayName: user.displayName ?? null, userPrincipalName: user.userPrincipalName ?? null };
}

export function isUserRef(x: unknown): x is UserRef {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<Record<keyof UserRef, unknown>>;
  const nameOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
  return typeof r.id === 'string' && isGuid(r.id) && nameOrNull(r.displayName) && nameOrNull(r.userPrincipalName);
}
