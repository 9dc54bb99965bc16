import type { Principal } from './context.js';
import type { TenantState } from '../directory/tenant.js';
import { forbidden } from './errors.js';

/**
 * Permission sets per endpoint, least to most privileged, for delegated (scp) and
 * application (roles) tokens. A request passes when the token holds any one of them.
 */
export interface PermSet {
  delegated: readonly string[];
  app: readonly string[];
}

const READ_USERS = ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_USERS_FULL = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_GROUPS = [
  'Group.ReadBasic.All',
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
];
const WRITE_GROUPS = ['Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const WRITE_MEMBERS = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const WRITE_USERS = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
const SELF = ['User.Read', 'User.ReadWrite'];

export const PERMS = {
  readUsers: { delegated: READ_USERS, app: READ_USERS },
  me: { delegated: [...SELF, ...READ_USERS], app: [] },
  /** Manager and direct reports need more than the basic profile. */
  readRelations: { delegated: READ_USERS_FULL, app: READ_USERS_FULL },
  memberOf: {
    delegated: [...SELF, ...READ_USERS_FULL, ...READ_GROUPS],
    app: ['Directory.Read.All', 'Directory.ReadWrite.All', ...READ_GROUPS],
  },
  readGroups: { delegated: READ_GROUPS, app: READ_GROUPS },
  writeGroups: { delegated: WRITE_GROUPS, app: WRITE_GROUPS },
  createGroups: { delegated: WRITE_GROUPS, app: ['Group.Create', ...WRITE_GROUPS] },
  writeMembers: { delegated: WRITE_MEMBERS, app: WRITE_MEMBERS },
  writeUsers: { delegated: WRITE_USERS, app: WRITE_USERS },
  writeSelf: { delegated: ['User.ReadWrite', ...WRITE_USERS], app: [] },
  readDirectoryObjects: { delegated: [...READ_USERS, ...READ_GROUPS], app: [...READ_USERS, ...READ_GROUPS] },
  /** Creating role-assignable groups or changing their membership. */
  roleManagement: { delegated: ['RoleManagement.ReadWrite.Directory'], app: ['RoleManagement.ReadWrite.Directory'] },
} satisfies Record<string, PermSet>;

export function hasPermission(p: Principal, set: PermSet): boolean {
  const granted = p.kind === 'delegated' ? p.scopes : p.roles;
  const wanted = p.kind === 'delegated' ? set.delegated : set.app;
  return wanted.some((w) => granted.has(w.toLowerCase()));
}

export function requirePermission(p: Principal, set: PermSet): void {
  if (!hasPermission(p, set)) throw forbidden();
}

/**
 * Whether an app token may read objects of this kind inside a directoryObject
 * collection; if not, Graph returns limited-information stubs (id and type only).
 * Group-member permissions include the basic profile of user members.
 */
export function canRead(p: Principal, kind: 'user' | 'group'): boolean {
  if (p.kind === 'delegated') return true;
  return hasPermission(p, kind === 'user' ? { delegated: [], app: [...READ_USERS, ...READ_GROUPS] } : PERMS.readGroups);
}

/** Tenant-wide write actions for delegated callers need an admin role. */
export function requireAdmin(p: Principal, state: TenantState): void {
  if (p.kind === 'app' || (p.userId !== undefined && state.adminUserIds.has(p.userId))) return;
  throw forbidden();
}

/**
 * Delegated calls act with the signed-in user's directory role: admins may change
 * anything; other users only groups they own (and their own profile).
 */
export function requireGroupManager(p: Principal, state: TenantState, groupId: string): void {
  if (p.kind === 'app' || p.userId === undefined) return;
  if (state.adminUserIds.has(p.userId) || state.isOwner(groupId, p.userId)) return;
  throw forbidden();
}

export function requireUserAdmin(p: Principal, state: TenantState, targetUserId: string): void {
  if (p.kind === 'app' || p.userId === undefined) return;
  if (state.adminUserIds.has(p.userId) || p.userId === targetUserId) return;
  throw forbidden();
}
