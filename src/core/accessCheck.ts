/**
 * "Can this work now?" for each action, from what the token says (permissions, directory roles) and read-only mode.
 * It asks the refusal classification (`refusalByFacts`) rather than keeping a table of its own: a missing permission
 * or role is the refusal a 403 would be classified as, and what depends on the target is found by asking the same
 * rules about typical targets (a distribution list, a dynamic group, a role-assignable group, an administrator).
 */
import { isWriteOperation, refusalByFacts, type Refusal, type RefusalContext, type RefusalOperation } from './accessErrors';

/** The twelve actions (the chat tools' names without `entra_`), then the manager and owner writes. */
export const ACCESS_ACTIONS = [
  'get_organization_users', 'get_organization_groups', 'get_profile', 'get_manager', 'get_ms365_groups', 'search_groups',
  'create_group', 'update_group', 'delete_group', 'add_member_to_group', 'remove_member_from_group', 'update_user',
  'set_manager', 'add_owner', 'remove_owner',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

type Operation = Exclude<RefusalOperation, 'signIn'>;

/** The request each action makes, as the classification names it; `properties`: what an update changes. */
const REQUEST_OF: Readonly<Record<AccessAction, { operation: Operation; properties?: readonly string[] }>> = {
  get_organization_users: { operation: 'readUsers' },
  get_organization_groups: { operation: 'readGroups' },
  get_profile: { operation: 'readProfile' },
  get_manager: { operation: 'readManager' },
  get_ms365_groups: { operation: 'readGroups' },
  search_groups: { operation: 'readGroups' },
  create_group: { operation: 'createGroup' },
  update_group: { operation: 'updateGroup' },
  delete_group: { operation: 'deleteGroup' },
  add_member_to_group: { operation: 'addMember' },
  remove_member_from_group: { operation: 'removeMember' },
  update_user: { operation: 'updateUser' },
  set_manager: { operation: 'setManager' },
  add_owner: { operation: 'addOwner' },
  remove_owner: { operation: 'removeOwner' },
};

/**
 * Targets whose facts change the answer, one per fact the classification knows. Asked with each action; the rules
 * decide which apply (a dynamic group matters to membership changes only, an administrator to user changes only).
 */
const TYPICAL_TARGETS: ReadonlyArray<Pick<RefusalContext, 'group' | 'user'>> = [
  { group: { kind: 'distribution' } },
  { group: { kind: 'security', dynamic: true } },
  { group: { kind: 'security', synced: true } },
  { group: { kind: 'security', roleAssignable: true } },
  { user: { privileged: true } },
];

export interface AccessCaller {
  access: 'delegated' | 'appOnly';
  /** The token's permissions (delegated `scp`, app-only `roles`); undefined when the token does not list them. */
  grantedScopes?: readonly string[];
  /** The signed-in user's directory roles by name; undefined when the token does not say. */
  roles?: readonly string[];
  readOnly: boolean;
}

/** What stops an action whatever its target: read-only mode, or a permission or role the caller lacks. */
export type AccessGap = { cause: 'readOnlyMode' } | Extract<Refusal, { cause: 'missingScope' | 'missingRole' }>;

export interface ActionAccess {
  action: AccessAction;
  operation: Operation;
  writes: boolean;
  /** Empty: the action can work now (for some targets at least, see `dependsOn`). */
  missing: AccessGap[];
  /** Refusals that only some targets meet: "depends on the group: …". */
  dependsOn: Refusal[];
  /** The token does not list its permissions, so whether one is missing is not known. */
  scopesUnknown: boolean;
  /** A user's write whose directory roles the token does not list: whether a role is missing is not known. */
  rolesUnknown: boolean;
}

export function evaluateAccess(caller: AccessCaller, action: AccessAction): ActionAccess {
  const { operation, properties } = REQUEST_OF[action];
  const writes = isWriteOperation(operation);
  const base: RefusalContext = {
    operation,
    access: caller.access,
    ...(caller.grantedScopes ? { grantedScopes: caller.grantedScopes } : {}),
    ...(caller.roles ? { callerRoles: caller.roles } : {}),
    ...(properties ? { properties } : {}),
  };
  const missing: AccessGap[] = writes && caller.readOnly ? [{ cause: 'readOnlyMode' }] : [];
  const dependsOn: Refusal[] = [];
  const general = refusalByFacts(base);
  if (general.cause === 'missingScope') missing.push(general);
  else if (general.cause === 'missingRole') {
    // Owning the group is enough for group changes; creating a group needs a role only where the tenant lets
    // administrators alone create groups (the classification's own note): both depend on more than the token.
    if (general.groupOwnerSuffices || operation === 'createGroup') dependsOn.push(general);
    else missing.push(general);
  }
  if (general.cause !== 'missingScope') {
    for (const target of TYPICAL_TARGETS) {
      const refusal = refusalByFacts({ ...base, ...target });
      if (refusal.cause === 'other' || refusal.cause === general.cause || dependsOn.some((r) => r.cause === refusal.cause)) continue;
      dependsOn.push(refusal);
    }
  }
  return {
    action,
    operation,
    writes,
    missing,
    dependsOn,
    scopesUnknown: caller.grantedScopes === undefined,
    rolesUnknown: writes && caller.access === 'delegated' && caller.roles === undefined,
  };
}
