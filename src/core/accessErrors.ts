/**
 * Why Graph or the identity platform refused a request, as one classification every surface uses. Graph's 403 says
 * only "Insufficient privileges to complete the operation." (Authorization_RequestDenied) whatever the reason, so
 * the cause is read from the answer (status, code, message, AADSTS number) together with what the caller knows about
 * the request: the operation, the token's permissions and roles, and the target it read beforehand (a group's kind,
 * a user's roles). Each cause carries the fix as data (permissions, role names, where the object is managed); the
 * words are the surfaces' business. Without context that decides, a 403 is `other` — never "missing consent".
 */
import type { GraphError } from './types';

export { BROWSE_SCOPES } from './browseScopes';

export type RefusalOperation =
  | 'signIn'
  | 'readUsers'
  | 'readProfile'
  | 'readManager'
  | 'readGroups'
  | 'updateUser'
  | 'deleteUser'
  | 'createGroup'
  | 'updateGroup'
  | 'deleteGroup'
  | 'restoreGroup'
  | 'addMember'
  | 'removeMember'
  | 'addOwner'
  | 'removeOwner'
  | 'setManager';

/** Directory role names as Microsoft Entra spells them (built-in roles). */
export type DirectoryRoleName =
  | 'Global Administrator'
  | 'Privileged Role Administrator'
  | 'Privileged Authentication Administrator'
  | 'User Administrator'
  | 'Groups Administrator'
  | 'Authentication Administrator'
  | 'Helpdesk Administrator'
  | 'Password Administrator'
  | 'Directory Writers'
  | 'Directory Readers'
  | 'Exchange Administrator';

/**
 * How missing permissions are granted: `adminConsent` (an administrator consents to the listed permissions for the
 * app; every directory write permission needs admin consent), `userConsent` (the user can consent when asked),
 * `appRegistration` (the permission must first be added to the app registration's API permissions), `ownApp` (the
 * sign-in app is Microsoft's and can't be granted these permissions: use an app registration the tenant controls).
 */
export type ScopeGrant = 'adminConsent' | 'userConsent' | 'appRegistration' | 'ownApp';

export type Refusal =
  /** The token lacks a permission. `scopes`: any one of them fixes it, least privileged first ([] when unknown). */
  | { cause: 'missingScope'; origin: 'graph' | 'identity'; scopes: readonly string[]; grant: ScopeGrant; aadsts?: number }
  /** The signed-in user lacks a directory role for the operation; `roles`: any one of them, least privileged first. */
  | { cause: 'missingRole'; roles: readonly DirectoryRoleName[]; groupOwnerSuffices: boolean }
  /** The target user is an administrator (or protected by a role-assignable group): only these roles may change its `properties`. */
  | { cause: 'privilegedTarget'; roles: readonly DirectoryRoleName[]; properties: readonly string[]; appNeedsRole: boolean }
  /** The group is role-assignable: the token needs `scopes` and a signed-in user one of `roles` (or to own the group). */
  | { cause: 'roleAssignableGroup'; scopes: readonly string[]; roles: readonly DirectoryRoleName[]; groupOwnerSuffices: boolean }
  /** A distribution list or mail-enabled security group: read-only through Graph, managed in Exchange. */
  | { cause: 'readOnlyGroupKind'; groupKind: 'distribution' | 'mailEnabledSecurity' | undefined; manageIn: 'exchange' }
  /** Members of a dynamic group come from its membership rule. */
  | { cause: 'dynamicMembership'; manageIn: 'membershipRule' }
  /** The object is synced from on-premises Active Directory: change `properties` there. */
  | { cause: 'syncedObject'; manageIn: 'onPremisesDirectory'; properties: readonly string[] }
  | { cause: 'other' };

export type RefusalCause = Refusal['cause'];

export interface RefusalContext {
  operation: RefusalOperation;
  access?: 'delegated' | 'appOnly';
  /** The access token's permissions (`scp` split on spaces, or app-only `roles`), when known. */
  grantedScopes?: readonly string[];
  /** The caller's directory roles by name, when known (e.g. from the token's `wids` through {@link rolesFromWids}). */
  callerRoles?: readonly string[];
  /** The signed-in user owns the target group. */
  callerOwnsGroup?: boolean;
  /** The target group as read (kinds as src/shared/groupKinds classifies them). */
  group?: { kind?: 'security' | 'microsoft365' | 'mailEnabledSecurity' | 'distribution'; dynamic?: boolean; roleAssignable?: boolean; synced?: boolean };
  /** The target user: `privileged` when it holds an admin role or belongs to a role-assignable group; its `roles` if read. */
  user?: { privileged?: boolean; roles?: readonly string[]; synced?: boolean };
  /** The properties the request changes (update operations). */
  properties?: readonly string[];
}

const ROLE_MANAGEMENT = 'RoleManagement.ReadWrite.Directory';

/**
 * Permissions that allow each operation, least privileged first (graph-facts.md per-action permission tables:
 * user-update, group-post-groups, group-update, group-delete, group-post-members, group-delete-members, user-list,
 * group-list; app-only creation also takes Group.Create).
 */
const ACCEPTED: Record<Exclude<RefusalOperation, 'signIn'>, { delegated: readonly string[]; appOnly: readonly string[] }> = {
  readUsers: both(['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']),
  // One user's profile (https://learn.microsoft.com/graph/api/user-get, permissions): User.Read reads the signed-in
  // user's own, the profile asked for by default; an app has no "me" and reads a user with User.Read.All at least.
  readProfile: {
    delegated: ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    appOnly: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  },
  // A user's manager (https://learn.microsoft.com/graph/api/user-list-manager, permissions): more than the basic profile.
  readManager: both(['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']),
  readGroups: both(['Group.ReadBasic.All', 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All']),
  updateUser: both(['User.ReadWrite.All', 'Directory.ReadWrite.All']),
  deleteUser: both(['User.ReadWrite.All', 'Directory.ReadWrite.All']),
  createGroup: { delegated: ['Group.ReadWrite.All', 'Directory.ReadWrite.All'], appOnly: ['Group.Create', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'] },
  updateGroup: both(['Group.ReadWrite.All', 'Directory.ReadWrite.All']),
  deleteGroup: both(['Group.ReadWrite.All', 'Directory.ReadWrite.All']),
  // Restoring a deleted group (https://learn.microsoft.com/graph/api/directory-deleteditems-restore, permissions: group).
  restoreGroup: both(['Group.ReadWrite.All', 'Directory.ReadWrite.All']),
  addMember: both(['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All']),
  removeMember: both(['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All']),
  addOwner: both(['Group.ReadWrite.All', 'Directory.ReadWrite.All']),
  removeOwner: both(['Group.ReadWrite.All', 'Directory.ReadWrite.All']),
  // Setting or clearing a manager (https://learn.microsoft.com/graph/api/user-post-manager, user-delete-manager).
  setManager: both(['User.ReadWrite.All', 'Directory.ReadWrite.All']),
};


/** The operations that change the directory (everything in ACCEPTED but the reads). */
export type WriteOperation = Exclude<RefusalOperation, 'signIn' | 'readUsers' | 'readProfile' | 'readManager' | 'readGroups'>;

/** What a write needs beyond browsing: any one of `scopes` (least privileged first, the one asked for when none is held). */
export interface WriteAccess {
  operation: WriteOperation;
  scopes: readonly string[];
}

/** The delegated permissions a write needs: the one table above, read by the write path and by sign-in alike. */
export function writeAccess(operation: WriteOperation): WriteAccess {
  return { operation, scopes: ACCEPTED[operation].delegated };
}

/** Every write operation, for the setup scripts' read-write permission set. */
export const WRITE_OPERATIONS: readonly WriteOperation[] = ['updateUser', 'deleteUser', 'createGroup', 'updateGroup', 'deleteGroup', 'restoreGroup', 'addMember', 'removeMember', 'addOwner', 'removeOwner', 'setManager'];

/** Whether the operation changes the directory: what asks for a write permission, and what read-only mode refuses. */
export function isWriteOperation(operation: RefusalOperation): operation is WriteOperation {
  return (WRITE_OPERATIONS as readonly RefusalOperation[]).includes(operation);
}

/**
 * Microsoft Graph's delegated permission ids (oauth2PermissionScopes of the Graph service principal, appId
 * 00000003-0000-0000-c000-000000000000), as https://learn.microsoft.com/graph/permissions-reference lists them; an
 * app registration's requiredResourceAccess names permissions by these ids.
 */
export const DELEGATED_PERMISSION_IDS: Readonly<Record<string, string>> = {
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'User.Read.All': 'a154be20-db9c-4678-8ab7-66f6cc099a59',
  'GroupMember.Read.All': 'bc024368-1153-4739-b217-4326f2e966d0',
  'User.ReadWrite.All': '204e0828-b5ca-4ad8-b9f3-f32a958e7cc4',
  'Group.ReadWrite.All': '4e46008b-f24c-477d-8fff-7bb4ec7aafe0',
  'GroupMember.ReadWrite.All': 'f81125ac-d3b7-4573-a3b2-7099cc39df9e',
  'Directory.ReadWrite.All': 'c5366453-9fb0-48a5-a156-24f0c49a4b84',
};

function both(list: readonly string[]): { delegated: readonly string[]; appOnly: readonly string[] } {
  return { delegated: list, appOnly: list };
}

const GROUP_OPERATIONS: ReadonlySet<RefusalOperation> = new Set(['updateGroup', 'deleteGroup', 'addMember', 'removeMember', 'addOwner', 'removeOwner']);
const MEMBER_OPERATIONS: ReadonlySet<RefusalOperation> = new Set(['addMember', 'removeMember']);

/**
 * Roles a signed-in user needs, least privileged first: for users, User Administrator (user-update, user-delete);
 * for groups that aren't role-assignable, Groups Administrator or User Administrator, or owning the group
 * (group-post-members role list); creating groups needs none unless the tenant restricts it to administrators.
 */
const USER_WRITER_ROLES: readonly DirectoryRoleName[] = ['User Administrator', 'Privileged Authentication Administrator', 'Global Administrator'];
const GROUP_WRITER_ROLES: readonly DirectoryRoleName[] = ['Groups Administrator', 'User Administrator', 'Directory Writers', 'Global Administrator'];
/** "Privileged Role Administrator (least privileged role for role-assignable groups)". */
const ROLE_ASSIGNABLE_ROLES: readonly DirectoryRoleName[] = ['Privileged Role Administrator', 'Global Administrator'];

/** Sensitive user properties ("Who can update sensitive attributes?", learn.microsoft.com/graph/api/resources/users). */
export const SENSITIVE_USER_PROPERTIES: readonly string[] = ['accountEnabled', 'businessPhones', 'mobilePhone', 'onPremisesImmutableId', 'otherMails', 'passwordProfile', 'userPrincipalName'];

/** The same page's table: for a target holding the key role, the roles that may change its sensitive properties. */
const SENSITIVE_UPDATERS: Partial<Record<string, readonly DirectoryRoleName[]>> = {
  'Authentication Administrator': ['Authentication Administrator', 'Privileged Authentication Administrator', 'Global Administrator'],
  'Directory Readers': ['Authentication Administrator', 'User Administrator', 'Privileged Authentication Administrator', 'Global Administrator'],
  'Groups Administrator': ['User Administrator', 'Privileged Authentication Administrator', 'Global Administrator'],
  'Helpdesk Administrator': ['User Administrator', 'Privileged Authentication Administrator', 'Global Administrator'],
  'Password Administrator': ['Authentication Administrator', 'User Administrator', 'Privileged Authentication Administrator', 'Global Administrator'],
  'User Administrator': ['User Administrator', 'Privileged Authentication Administrator', 'Global Administrator'],
};
const TOP_ROLES: readonly DirectoryRoleName[] = ['Privileged Authentication Administrator', 'Global Administrator'];

/** Role template ids (the token's `wids`) of the roles above (Microsoft Entra built-in roles reference). */
const ROLE_TEMPLATES: Readonly<Record<string, DirectoryRoleName>> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  'fdd7a751-b60b-444a-984c-02652fe8fa1c': 'Groups Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  '966707d0-3269-4727-9be2-8c3a10f19b9d': 'Password Administrator',
  '9360feb5-f418-4baa-8175-e2a00bac4301': 'Directory Writers',
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b': 'Directory Readers',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
};

/** Role names for the template ids of an access token's `wids` claim; ids of other roles are left out. */
export function rolesFromWids(wids: readonly string[]): DirectoryRoleName[] {
  const out: DirectoryRoleName[] = [];
  for (const id of wids) {
    const role = ROLE_TEMPLATES[id.toLowerCase()];
    if (role && !out.includes(role)) out.push(role);
  }
  return out;
}

/**
 * Identity-platform refusals that mean "this app has not been granted the permission" (Microsoft Entra
 * authentication and authorization error codes, learn.microsoft.com/entra/identity-platform/reference-error-codes):
 * 65001 no consent yet (the user or an admin can consent); 65002 Microsoft's own app must be preauthorized by the API
 * (nobody in the tenant can consent — use an app registration); 90094 and 90099 an administrator must grant or
 * authorize it; 650056 and 650057 the app registration doesn't list the permission.
 */
const AADSTS_GRANTS: Readonly<Record<number, ScopeGrant>> = {
  65001: 'userConsent',
  65002: 'ownApp',
  90094: 'adminConsent',
  90099: 'adminConsent',
  650056: 'appRegistration',
  650057: 'appRegistration',
};

/** Graph's 400 for Exchange-mastered groups (observed; older and other variants of the same refusal too). */
const EXCHANGE_MASTERED = /mail-enabled security groups and or distribution list|does not currently support writes of mail-enabled groups|originated within an external service/i;
/** Graph's 400 for objects synced from on-premises (observed). */
const SYNC_MASTERED = /on-premises mastered Directory Sync objects/i;

type ErrorLike = Pick<GraphError, 'code' | 'message'> & { status?: number };

export function classifyRefusal(error: ErrorLike, context?: RefusalContext): Refusal {
  const identity = identityRefusal(error);
  if (identity) return identity;
  if (error.status === 400 || error.status === undefined || error.status === 403) {
    if (EXCHANGE_MASTERED.test(error.message)) return readOnlyKind(context);
    if (SYNC_MASTERED.test(error.message)) return { cause: 'syncedObject', manageIn: 'onPremisesDirectory', properties: context?.properties ?? [] };
  }
  if (error.status !== 403 || !context) return { cause: 'other' };
  return forbiddenInContext(context);
}

/** Whether the identity platform refused for want of consent (what src/auth's sign-in paths need to know). */
export function isConsentRefusal(error: ErrorLike): boolean {
  return identityRefusal(error) !== undefined;
}

function identityRefusal(error: ErrorLike): Refusal | undefined {
  const text = `${error.code} ${error.message}`;
  const number = /AADSTS(\d{5,6})\b/.exec(text)?.[1];
  const aadsts = number === undefined ? undefined : Number(number);
  const grant = aadsts === undefined ? undefined : AADSTS_GRANTS[aadsts];
  if (grant !== undefined) return { cause: 'missingScope', origin: 'identity', scopes: [], grant, ...(aadsts !== undefined ? { aadsts } : {}) };
  // The OAuth error Entra's authorize redirect and MSAL carry when consent is needed, and the editor's sign-in text.
  if (/\bconsent_required\b/i.test(error.code)) return { cause: 'missingScope', origin: 'identity', scopes: [], grant: 'userConsent' };
  if (/\badmin (approval|consent)\b/i.test(text)) return { cause: 'missingScope', origin: 'identity', scopes: [], grant: 'adminConsent' };
  return undefined;
}

function readOnlyKind(context: RefusalContext | undefined): Refusal {
  const kind = context?.group?.kind;
  return { cause: 'readOnlyGroupKind', groupKind: kind === 'distribution' || kind === 'mailEnabledSecurity' ? kind : undefined, manageIn: 'exchange' };
}

/**
 * What a 403 for this request would mean, from the facts alone (no answer needed): the same rules the classification
 * applies, so "Check Access" and the checks before sending say what a refusal would say. `other` when the facts
 * don't decide.
 */
export function refusalByFacts(context: RefusalContext): Refusal {
  return forbiddenInContext(context);
}

/** A 403: the facts the caller knows decide; what they can't decide stays `other`. */
function forbiddenInContext(c: RefusalContext): Refusal {
  const op = c.operation;
  if (op === 'signIn') return { cause: 'other' };
  const group = c.group;
  const groupOp = GROUP_OPERATIONS.has(op);
  // Kinds nobody may change through Graph come first: no permission or role would help.
  if (groupOp && (group?.kind === 'distribution' || group?.kind === 'mailEnabledSecurity')) return readOnlyKind(c);
  if (MEMBER_OPERATIONS.has(op) && group?.dynamic === true) return { cause: 'dynamicMembership', manageIn: 'membershipRule' };
  if (groupOp && group?.synced === true) return { cause: 'syncedObject', manageIn: 'onPremisesDirectory', properties: c.properties ?? [] };

  const appOnly = c.access === 'appOnly';
  const granted = c.grantedScopes === undefined ? undefined : new Set(c.grantedScopes.map((s) => s.toLowerCase()));
  const accepted = appOnly ? ACCEPTED[op].appOnly : ACCEPTED[op].delegated;
  if (granted && !accepted.some((s) => granted.has(s.toLowerCase()))) {
    return { cause: 'missingScope', origin: 'graph', scopes: accepted, grant: 'adminConsent' };
  }

  const roles = c.callerRoles === undefined ? undefined : new Set(c.callerRoles);
  const holdsAny = (wanted: readonly DirectoryRoleName[]): boolean | undefined => (roles === undefined ? undefined : wanted.some((r) => roles.has(r)));

  if (groupOp && group?.roleAssignable === true) {
    const scopeOk = granted?.has(ROLE_MANAGEMENT.toLowerCase());
    const roleOk = appOnly || c.callerOwnsGroup === true || holdsAny(ROLE_ASSIGNABLE_ROLES) === true;
    if (scopeOk !== true || !roleOk) {
      return { cause: 'roleAssignableGroup', scopes: [ROLE_MANAGEMENT], roles: appOnly ? [] : ROLE_ASSIGNABLE_ROLES, groupOwnerSuffices: !appOnly };
    }
  }

  if ((op === 'updateUser' || op === 'deleteUser') && c.user?.privileged === true) {
    const sensitive = op === 'deleteUser' ? [] : (c.properties ?? SENSITIVE_USER_PROPERTIES).filter((p) => SENSITIVE_USER_PROPERTIES.includes(p));
    const allowed = sensitiveUpdaters(c.user.roles);
    if ((op === 'deleteUser' || sensitive.length > 0) && holdsAny(allowed) !== true) {
      return { cause: 'privilegedTarget', roles: allowed, properties: sensitive, appNeedsRole: appOnly };
    }
  }

  if (!appOnly && roles !== undefined) {
    if (op === 'updateUser' || op === 'deleteUser' || op === 'setManager') {
      if (holdsAny(USER_WRITER_ROLES) !== true) return { cause: 'missingRole', roles: USER_WRITER_ROLES, groupOwnerSuffices: false };
    } else if (op === 'createGroup') {
      // Creation needs no role unless the tenant lets only administrators create groups.
      if (holdsAny(GROUP_WRITER_ROLES) !== true) return { cause: 'missingRole', roles: GROUP_WRITER_ROLES, groupOwnerSuffices: false };
    } else if (groupOp && group?.roleAssignable !== true && c.callerOwnsGroup !== true && holdsAny(GROUP_WRITER_ROLES) !== true) {
      return { cause: 'missingRole', roles: GROUP_WRITER_ROLES, groupOwnerSuffices: true };
    }
  }
  return { cause: 'other' };
}

/** Roles that may change sensitive properties of a target with these roles (unknown roles: the two top roles). */
function sensitiveUpdaters(targetRoles: readonly string[] | undefined): readonly DirectoryRoleName[] {
  if (targetRoles === undefined || targetRoles.length === 0) return TOP_ROLES;
  let allowed: readonly DirectoryRoleName[] = ['Authentication Administrator', 'User Administrator', ...TOP_ROLES];
  for (const role of targetRoles) {
    const ok = SENSITIVE_UPDATERS[role] ?? TOP_ROLES;
    allowed = allowed.filter((r) => ok.includes(r));
  }
  return allowed;
}
