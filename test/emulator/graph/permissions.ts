import type { Principal } from './context.js';
import type { TenantState } from '../directory/tenant.js';
import type { GroupRecord, UserRecord } from '../directory/records.js';
import { isUnified } from '../directory/records.js';
import type { DirectoryRole } from '../directory/roles.js';
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
const READ_APPS = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_DEVICES = ['Device.Read.All', 'Device.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const ORG_READ = ['Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All', 'Directory.ReadWrite.All'];

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
  /**
   * The tenant's organization object (https://learn.microsoft.com/graph/api/organization-list, permissions): a
   * signed-in user's User.Read is enough to read it, an app needs Organization.Read.All or a directory permission.
   */
  readOrganization: { delegated: ['User.Read', ...ORG_READ], app: ORG_READ },
  /** Everything beyond id, displayName and verifiedDomains ("To read all properties, use at least Organization.Read.All"). */
  readOrganizationFull: { delegated: ORG_READ, app: ORG_READ },
  /** https://learn.microsoft.com/graph/api/serviceprincipal-list?view=graph-rest-1.0 (permissions). */
  readServicePrincipals: { delegated: READ_APPS, app: READ_APPS },
  /** https://learn.microsoft.com/graph/api/device-list?view=graph-rest-1.0 (permissions). */
  readDevices: { delegated: READ_DEVICES, app: READ_DEVICES },
  /**
   * Adding a service principal or a device as a member needs a permission on that object too
   * (https://learn.microsoft.com/graph/api/group-post-members?view=graph-rest-1.0, permissions table: servicePrincipal
   * "GroupMember.ReadWrite.All and Application.ReadWrite.All"; device "… and Device.Read.All", app "Device.ReadWrite.All").
   */
  linkServicePrincipal: { delegated: ['Application.ReadWrite.All', 'Directory.ReadWrite.All'], app: ['Application.ReadWrite.All', 'Directory.ReadWrite.All'] },
  linkDevice: { delegated: ['Device.Read.All', ...READ_DEVICES], app: ['Device.ReadWrite.All', 'Directory.ReadWrite.All'] },
  /**
   * Listing and reading deleted groups: Group.Read.All is the least privileged
   * (https://learn.microsoft.com/graph/api/directory-deleteditems-list?view=graph-rest-1.0, permissions: group) —
   * unlike the live groups list, GroupMember.Read.All does not reach them.
   */
  readDeletedGroups: { delegated: ['Group.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'], app: ['Group.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'] },
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
export function canRead(p: Principal, kind: 'user' | 'group' | 'servicePrincipal' | 'device'): boolean {
  if (p.kind === 'delegated') return true;
  const sets = {
    user: { delegated: [], app: [...READ_USERS, ...READ_GROUPS] },
    group: PERMS.readGroups,
    servicePrincipal: PERMS.readServicePrincipals,
    device: PERMS.readDevices,
  };
  return hasPermission(p, sets[kind]);
}

// ---- who may do what: directory roles of the caller --------------------------------------------------------------
//
// Graph answers every refusal below with the same 403 Authorization_RequestDenied "Insufficient privileges to complete
// the operation." (errors.forbidden); nothing in the body says which rule refused.

/** Directory roles of the caller: the signed-in user's (delegated) or the app's service principal's (app-only). */
export function callerRoles(p: Principal, state: TenantState): ReadonlySet<DirectoryRole> {
  return state.rolesOf(p.kind === 'delegated' ? (p.userId ?? '') : p.objectId);
}

function hasAnyRole(p: Principal, state: TenantState, roles: readonly DirectoryRole[]): boolean {
  const held = callerRoles(p, state);
  return roles.some((r) => held.has(r));
}

/**
 * Roles that let a signed-in user change users other than themselves: User Administrator is the least privileged
 * (https://learn.microsoft.com/graph/api/user-update, permissions; rbac include "Users: … User Administrator";
 * https://learn.microsoft.com/graph/api/user-delete: "User Administrator, Privileged Authentication Administrator").
 */
const USER_WRITERS: readonly DirectoryRole[] = ['Global Administrator', 'User Administrator', 'Privileged Authentication Administrator'];
/** Creating users and setting managers: User Administrator is the least privileged (user-post-users, user-post-manager). */
const USER_CREATORS: readonly DirectoryRole[] = ['Global Administrator', 'User Administrator'];

/**
 * Sensitive user properties ("Who can update sensitive attributes?",
 * https://learn.microsoft.com/graph/api/resources/users#who-can-update-sensitive-attributes). Deleting a user is a
 * sensitive action too ("Sensitive actions for users": Delete or restore users).
 */
export const SENSITIVE_USER_PROPS = new Set(
  ['accountEnabled', 'businessPhones', 'mobilePhone', 'onPremisesImmutableId', 'otherMails', 'passwordProfile', 'userPrincipalName'].map((s) =>
    s.toLowerCase(),
  ),
);

const AUTH = 'Authentication Administrator';
const UA = 'User Administrator';
const PAA = 'Privileged Authentication Administrator';
const GA = 'Global Administrator';
/**
 * The same page's table: rows are the target's role, values the caller roles that may change its sensitive
 * properties. A target without an admin role but member or owner of a role-assignable group is protected like an
 * administrator (row "User (no admin role, but member or owner of a role-assignable group)"; also
 * https://learn.microsoft.com/entra/identity/role-based-access-control/groups-faq-troubleshooting). Roles the table
 * does not list are treated as privileged: only the two top roles may change them.
 */
const SENSITIVE_UPDATERS: Partial<Record<DirectoryRole | 'noRole' | 'protected', readonly DirectoryRole[]>> = {
  'Authentication Administrator': [AUTH, PAA, GA],
  'Directory Readers': [AUTH, UA, PAA, GA],
  'Global Administrator': [PAA, GA],
  'Groups Administrator': [UA, PAA, GA],
  'Helpdesk Administrator': [UA, PAA, GA],
  'Password Administrator': [AUTH, UA, PAA, GA],
  'Privileged Authentication Administrator': [PAA, GA],
  'Privileged Role Administrator': [PAA, GA],
  'User Administrator': [UA, PAA, GA],
  noRole: [AUTH, UA, PAA, GA],
  protected: [PAA, GA],
};
const TOP_ROLES: readonly DirectoryRole[] = [PAA, GA];

/** Whether the user holds an admin role or is protected through a role-assignable group. */
export function isPrivilegedTarget(state: TenantState, userId: string): boolean {
  return state.rolesOf(userId).size > 0 || inRoleAssignableGroup(state, userId);
}

function inRoleAssignableGroup(state: TenantState, userId: string): boolean {
  const assignable = (gid: string): boolean => state.group(gid)?.isAssignableToRole === true;
  return state.memberOfGroups(userId).some(assignable) || state.ownedGroups(userId).some(assignable);
}

/** Caller roles allowed to change the target's sensitive properties (every row of the target must allow them). */
function sensitiveUpdaters(state: TenantState, target: UserRecord): DirectoryRole[] {
  const rows: (DirectoryRole | 'noRole' | 'protected')[] = [...state.rolesOf(target.id)];
  if (inRoleAssignableGroup(state, target.id)) rows.push('protected');
  if (rows.length === 0) rows.push('noRole');
  let allowed: readonly DirectoryRole[] = [AUTH, UA, PAA, GA];
  for (const row of rows) {
    const ok = SENSITIVE_UPDATERS[row] ?? TOP_ROLES;
    allowed = allowed.filter((r) => ok.includes(r));
  }
  return [...allowed];
}

/**
 * PATCH or DELETE of a user. Delegated: yourself, or a user-writing role; changing sensitive properties (or
 * deleting) a privileged target needs a higher role from the table. App-only: the permission decides, except for
 * privileged targets — "the User.ReadWrite.All application permission isn't enough privilege … The app must be
 * assigned a higher privileged administrator role" (https://learn.microsoft.com/graph/api/user-delete), which the
 * app's service principal may hold in this tenant's role assignments.
 */
export function requireUserWrite(p: Principal, state: TenantState, target: UserRecord, sensitive: boolean): void {
  const self = p.kind === 'delegated' && p.userId === target.id;
  if (self) return;
  if (p.kind === 'delegated' && !hasAnyRole(p, state, USER_WRITERS)) throw forbidden();
  if (!sensitive || (p.kind === 'app' && !isPrivilegedTarget(state, target.id))) return;
  if (!hasAnyRole(p, state, sensitiveUpdaters(state, target))) throw forbidden();
}

/** Creating users and setting or removing managers. */
export function requireUserCreator(p: Principal, state: TenantState): void {
  if (p.kind === 'app') return;
  if (!hasAnyRole(p, state, USER_CREATORS)) throw forbidden();
}

/** Whether the caller may delete this user (also used by DELETE …/members/{id} without /$ref). */
export function canDeleteUser(p: Principal, state: TenantState, target: UserRecord): boolean {
  if (!hasPermission(p, PERMS.writeUsers)) return false;
  if (p.kind === 'delegated' && p.userId === target.id) return false;
  try {
    requireUserWrite(p, state, target, true);
    return true;
  } catch {
    return false;
  }
}

/**
 * Roles that may change any group that is not role-assignable, besides its owners: group-post-members
 * (https://learn.microsoft.com/graph/api/group-post-members, "Group owners, Directory Writers, Groups Administrator,
 * Identity Governance Administrator, User Administrator, Exchange … Administrator - only for Microsoft 365 groups")
 * and the rbac include of the groups APIs ("Groups Administrator (except for role-assignable groups), User
 * Administrator (except for role-assignable groups)").
 */
const GROUP_WRITERS: readonly DirectoryRole[] = ['Global Administrator', 'Groups Administrator', 'User Administrator', 'Directory Writers'];
const M365_GROUP_WRITERS: readonly DirectoryRole[] = [...GROUP_WRITERS, 'Exchange Administrator'];
/** "Privileged Role Administrator (least privileged role for role-assignable groups)" (same include). */
const ROLE_ASSIGNABLE_WRITERS: readonly DirectoryRole[] = ['Global Administrator', 'Privileged Role Administrator'];

/**
 * Changing a group's properties, owners or members, or deleting it. Delegated callers need a group-writing role
 * or to own the group; app-only callers need only their permission. Role-assignable groups add their own rule.
 */
export function requireGroupWrite(p: Principal, state: TenantState, g: GroupRecord): void {
  if (g.isAssignableToRole === true) {
    requireRoleAssignableWrite(p, state, g);
    return;
  }
  if (p.kind === 'app' || p.userId === undefined) return;
  if (state.isOwner(g.id, p.userId) || hasAnyRole(p, state, isUnified(g) ? M365_GROUP_WRITERS : GROUP_WRITERS)) return;
  throw forbidden();
}

/**
 * Role-assignable groups (isAssignableToRole): delegated calls need RoleManagement.ReadWrite.Directory and the
 * signed-in user must be a Privileged Role Administrator, a Global Administrator or an owner of the group
 * (group-post-members Important box; group-delete "the calling user must be the creator of the group or a global
 * administrator or a privileged role administrator", api-reference/v1.0/api/group-delete.md @7c633dae; owners:
 * groups-faq-troubleshooting "you can delegate the management of role-assignable groups by adding group owners").
 * App-only: RoleManagement.ReadWrite.Directory, or the Global / Privileged Role Administrator role (group-delete).
 */
export function requireRoleAssignableWrite(p: Principal, state: TenantState, g: GroupRecord): void {
  const permitted = hasPermission(p, PERMS.roleManagement);
  if (p.kind === 'app') {
    if (permitted || hasAnyRole(p, state, ROLE_ASSIGNABLE_WRITERS)) return;
    throw forbidden();
  }
  if (!permitted) throw forbidden();
  if (hasAnyRole(p, state, ROLE_ASSIGNABLE_WRITERS) || (p.userId !== undefined && state.isOwner(g.id, p.userId))) return;
  throw forbidden();
}

/**
 * Creating a role-assignable group: RoleManagement.ReadWrite.Directory (group-post-groups, "isAssignableToRole"),
 * and for a signed-in user the Privileged Role Administrator role ("Privileged Role Administrators can create a group
 * that's eligible for role assignment", groups-faq-troubleshooting) or Global Administrator.
 */
export function requireRoleAssignableCreate(p: Principal, state: TenantState): void {
  if (!hasPermission(p, PERMS.roleManagement)) throw forbidden();
  if (p.kind === 'delegated' && !hasAnyRole(p, state, ROLE_ASSIGNABLE_WRITERS)) throw forbidden();
}

/** Whether the delegated caller holds a role that Graph treats as an administrator for owner auto-assignment. */
export function isAdministrator(p: Principal, state: TenantState): boolean {
  return callerRoles(p, state).size > 0;
}
