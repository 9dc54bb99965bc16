import type { HandlerContext } from './context.js';
import type { GroupRecord, DirectoryObject } from '../directory/records.js';
import { isUnified, isDynamic, isExchangeMastered } from '../directory/records.js';
import { GROUP_TYPE } from '../directory/schema.js';
import { compileRule, RuleSyntaxError } from '../directory/dynamicRule.js';
import { badRequest, forbidden, invalidPropertyValue, notFound } from './errors.js';
import { PERMS, requirePermission } from './permissions.js';
import { parseReference, lookupReference } from './binds.js';
import { unknownBodyProperty } from './userWrite.js';
import type { JsonValue } from '../util/json.js';
import { requireReplicated } from './replicaChecks.js';

/** Property and relationship rules for POST /groups and PATCH /groups/{id}. */

export const UPDATABLE = new Set(
  ['description', 'displayName', 'mailNickname', 'visibility', 'securityEnabled', 'mailEnabled', 'classification', 'preferredLanguage',
    'theme', 'preferredDataLocation', 'membershipRule', 'membershipRuleProcessingState', 'groupTypes'].map((s) => s.toLowerCase()),
);

/** Exchange-backed settings: never on POST, alone in their own PATCH, delegated only. */
export const EXCHANGE_PROPS = new Set(
  ['allowExternalSenders', 'autoSubscribeNewMembers', 'hideFromAddressLists', 'hideFromOutlookClients', 'isSubscribedByMail', 'unseenCount'].map(
    (s) => s.toLowerCase(),
  ),
);

const CREATABLE_EXTRA = new Set(['isassignabletorole']);
/**
 * Union of the excluded characters in the group create and update pages (`@ () \\ [] " ; : . <> , SPACE`; the
 * newest group resource page omits `.`, the create and update pages list it) and non-ASCII.
 */
const BAD_NICKNAME = /[@()\\/[\]"';:.<>,\s]|[^ -~]/;

export const MAX_BINDS = 20;

export function validateNickname(nick: unknown): string {
  if (typeof nick !== 'string' || nick.length === 0 || nick.length > 64 || BAD_NICKNAME.test(nick)) {
    throw invalidPropertyValue('mailNickname', 'Group');
  }
  return nick;
}

/**
 * A Microsoft 365 group's alias must be free among all mail objects — users' mailboxes, distribution lists,
 * mail-enabled security groups and other Microsoft 365 groups — not only among Microsoft 365 groups. Graph reports a
 * clash on proxyAddresses, whatever object holds the address ("Another object with the same value for property
 * proxyAddresses already exists.", observed answers; see ../shared/graph/graph-facts.md review item D8). The
 * nickname itself is unique for Microsoft 365 groups (group-post-groups, mailNickname).
 */
export function aliasTaken(ctx: HandlerContext, nick: string, exceptId?: string): boolean {
  const lower = nick.toLowerCase();
  const address = `smtp:${lower}@${ctx.domain.toLowerCase()}`;
  const holds = (addresses: readonly string[]): boolean => addresses.some((a) => a.toLowerCase() === address);
  if (ctx.state.findGroup((g) => g.id !== exceptId && ((isUnified(g) && g.mailNickname.toLowerCase() === lower) || holds(g.proxyAddresses)))) return true;
  return ctx.state.findUser((u) => holds(u.proxyAddresses)) !== undefined;
}

export const DUPLICATE_ALIAS = 'Another object with the same value for property proxyAddresses already exists.';

/** Checks one writable property value; returns it in stored form. */
export function checkGroupValue(name: string, value: unknown, creating: boolean): JsonValue {
  const bad = (): Error => invalidPropertyValue(name, 'Group');
  switch (name) {
    case 'displayName':
      if (typeof value !== 'string' || value.trim() === '' || value.length > 256) throw bad();
      return value;
    case 'mailNickname':
      return validateNickname(value);
    case 'mailEnabled':
    case 'securityEnabled':
    case 'isAssignableToRole':
      if (typeof value !== 'boolean') throw bad();
      return value;
    case 'groupTypes':
      if (!Array.isArray(value) || value.some((v) => v !== 'Unified' && v !== 'DynamicMembership')) throw bad();
      return [...new Set(value as string[])];
    case 'visibility':
      if (value === '' && !creating) return 'Public';
      if (value !== null && value !== 'Private' && value !== 'Public' && value !== 'HiddenMembership') throw bad();
      if (value === 'HiddenMembership' && !creating) {
        throw badRequest("The visibility 'HiddenMembership' can only be set when a Microsoft 365 group is created.");
      }
      return value;
    case 'membershipRule':
      if (value === null) return null;
      if (typeof value !== 'string') throw bad();
      try {
        compileRule(value);
      } catch (e) {
        if (e instanceof RuleSyntaxError) throw bad();
        throw e;
      }
      return value;
    case 'membershipRuleProcessingState':
      if (value !== 'On' && value !== 'Paused') throw bad();
      return value;
    default:
      if (value !== null && typeof value !== 'string') throw bad();
      return value;
  }
}

/** Splits a body into plain properties and `members@odata.bind` / `owners@odata.bind` lists. */
export function splitGroupBody(body: Record<string, unknown>, creating: boolean): {
  props: Map<string, JsonValue>;
  binds: { members: unknown[]; owners: unknown[] };
  exchange: Map<string, JsonValue>;
} {
  const props = new Map<string, JsonValue>();
  const exchange = new Map<string, JsonValue>();
  const binds = { members: [] as unknown[], owners: [] as unknown[] };
  for (const [key, value] of Object.entries(body)) {
    if (key === '@odata.type' && value === '#microsoft.graph.group') continue;
    const bind = /^(members|owners)@odata\.bind$/i.exec(key);
    if (bind) {
      if (!Array.isArray(value)) throw badRequest(`Invalid value for '${key}': an array of URLs is required.`);
      binds[(bind[1] ?? '').toLowerCase() === 'members' ? 'members' : 'owners'].push(...(value as unknown[]));
      continue;
    }
    const info = GROUP_TYPE.props.get(key.toLowerCase());
    if (!info) throw unknownBodyProperty(key, 'group');
    const lower = key.toLowerCase();
    if (EXCHANGE_PROPS.has(lower)) {
      if (creating) throw badRequest(`Property '${info.name}' cannot be set when the group is created; update it afterwards.`);
      if (typeof value !== 'boolean' && !(lower === 'unseencount' && typeof value === 'number')) throw invalidPropertyValue(info.name, 'Group');
      exchange.set(info.name, value);
      continue;
    }
    if (!UPDATABLE.has(lower) && !(creating && CREATABLE_EXTRA.has(lower))) {
      throw badRequest(`Property '${info.name}' is read-only and cannot be set.`);
    }
    props.set(info.name, checkGroupValue(info.name, value, creating));
  }
  return { props, binds, exchange };
}

export interface ResolvedBinds {
  members: DirectoryObject[];
  owners: DirectoryObject[];
}

/**
 * Resolves bind URLs for a group (existing or about to be created) and checks them
 * all before anything is applied: Graph adds all references or none.
 */
export function resolveBinds(
  ctx: HandlerContext,
  binds: { members: unknown[]; owners: unknown[] },
  group: { id?: string; unified: boolean; dynamic: boolean; exchange: boolean; assignable: boolean },
  missing: (id: string) => Error,
): ResolvedBinds {
  if (binds.members.length + binds.owners.length > MAX_BINDS) {
    throw badRequest(`A maximum of ${MAX_BINDS} members and owners can be added in a single request.`);
  }
  const out: ResolvedBinds = { members: [], owners: [] };
  for (const rel of ['members', 'owners'] as const) {
    const seen = new Set<string>();
    for (const url of binds[rel]) {
      const ref = parseReference(url);
      const obj = lookupReference(ctx.state, ref);
      if (!obj) throw missing(ref.id);
      requireReplicated(ctx, obj);
      if (seen.has(obj.rec.id)) throw badRequest('Request contains a property with duplicate values.');
      seen.add(obj.rec.id);
      checkMemberAllowed(group, rel, obj);
      requireLinkPermission(ctx, rel, obj);
      if (group.id !== undefined) {
        const existing = rel === 'members' ? ctx.state.isMember(group.id, obj.rec.id) : ctx.state.isOwner(group.id, obj.rec.id);
        if (existing) {
          throw badRequest(`One or more added object references already exist for the following modified properties: '${rel}'.`);
        }
      }
      out[rel].push(obj);
    }
  }
  return out;
}

/** Observed 400 for membership writes to Exchange-mastered groups (github.com/microsoftgraph/microsoft-graph-docs/issues/14827). */
export const EXCHANGE_MASTERED_MESSAGE = 'Cannot Update a mail-enabled security groups and or distribution list.';

/**
 * Membership rules shared by $ref adds and binds. Members: the table of group-post-members
 * (https://learn.microsoft.com/graph/api/group-post-members?view=graph-rest-1.0) has a security group take users,
 * security groups, devices, service principals and organizational contacts, a Microsoft 365 group only users, and no
 * group take a Microsoft 365 group. Owners: users or service principals only
 * (https://learn.microsoft.com/graph/api/group-post-owners?view=graph-rest-1.0).
 */
export function checkMemberAllowed(
  group: { id?: string; unified: boolean; dynamic: boolean; exchange: boolean; assignable: boolean },
  rel: 'members' | 'owners',
  obj: DirectoryObject,
): void {
  if (rel === 'members') {
    if (group.dynamic) throw dynamicMembershipRefused();
    if (group.exchange) throw badRequest(EXCHANGE_MASTERED_MESSAGE);
    if (group.unified && obj.kind !== 'user') throw badRequest('Only users can be members of a Microsoft 365 group.');
    if (obj.kind === 'group' && isUnified(obj.rec)) throw badRequest('A Microsoft 365 group cannot be a member of another group.');
    if (obj.kind === 'group' && obj.rec.id === group.id) throw badRequest('A group cannot be a member of itself.');
  } else if (obj.kind !== 'user' && obj.kind !== 'servicePrincipal') {
    throw badRequest('Only users and service principals can be owners of a group.');
  }
}

/** Linking a service principal or a device also needs a permission on it (PERMS.linkServicePrincipal, linkDevice). */
export function requireLinkPermission(ctx: HandlerContext, rel: 'members' | 'owners', target: DirectoryObject): void {
  if (rel !== 'members') return;
  if (target.kind === 'servicePrincipal') requirePermission(ctx.principal, PERMS.linkServicePrincipal);
  if (target.kind === 'device') requirePermission(ctx.principal, PERMS.linkDevice);
}

/**
 * Members of a dynamic group are the rule's: Graph can't add or remove them ("Members can't be removed from groups
 * with dynamic membership", group-delete-members). Microsoft's troubleshooting article for the 403
 * Authorization_RequestDenied "Insufficient privileges to complete the operation." on adding members lists dynamic
 * groups among its causes (learn.microsoft.com/troubleshoot/entra/entra-id/users-groups-entra-apis/
 * authorization-requestdenied-403-error-add-user-group), so the refusal is that 403, not a 400 with its own text.
 */
export function dynamicMembershipRefused(): Error {
  return forbidden();
}

export function groupTraits(g: GroupRecord): { id: string; unified: boolean; dynamic: boolean; exchange: boolean; assignable: boolean } {
  return { id: g.id, unified: isUnified(g), dynamic: isDynamic(g), exchange: isExchangeMastered(g), assignable: g.isAssignableToRole === true };
}

export { notFound };
