import type { HandlerContext, GraphResponse } from './context.js';
import type { DirectoryObject, UserRecord } from '../directory/records.js';
import { GraphError, methodNotAllowed, segmentNotFound } from './errors.js';
import { listUsers, countUsers, getUser, deleteUser, getManager, setManager, removeManager, listDirectReports, resolveUser, directReportsSpec } from './usersApi.js';
import { patchUser, createUser } from './userWrite.js';
import { listGroups, countGroups, getGroup, createGroup, patchGroup, deleteGroup, resolveGroup } from './groupsApi.js';
import { listRelation, countRelation, listRefs, addRef, removeRef, deleteMemberObject, getRelated } from './membersApi.js';
import type { Relation } from './membersApi.js';
import { countCollection } from './collection.js';
import { groupsDelta, usersDelta } from './deltaApi.js';
import { getDirectoryObject } from './directoryObjectsApi.js';
import { getDeletedItem, listDeletedGroups, purgeDeletedItem, restoreDeletedItem } from './deletedItemsApi.js';
import { countAppsOrDevices, listAppsOrDevices } from './appsAndDevicesApi.js';
import { getOrganization, listOrganization } from './organizationApi.js';
import { PERMS, requirePermission } from './permissions.js';
import { groupToWrite, userToWrite } from './replicaChecks.js';
import { isRecord } from '../util/json.js';

/** Resource-unit classes of Graph's identity throttling table. */
export type CostKind = 'usersList' | 'members' | 'transitiveMembers' | 'memberOf' | 'otherGet' | 'write';

export interface Route {
  cost: CostKind;
  run: () => GraphResponse;
}

/** Path segments below /v1.0, percent-decoded; `users('x')` is split into `users`, `x`. */
export interface Segments {
  parts: string[];
  /** The key at this index came from the parenthesised form (so a leading `$` is allowed). */
  quoted: Set<number>;
}

export function splitSegments(pathBelowVersion: string): Segments {
  const parts: string[] = [];
  const quoted = new Set<number>();
  for (const raw of pathBelowVersion.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw new GraphError(400, 'BadRequest', `Malformed path segment '${raw}'.`);
    }
    const m = /^([A-Za-z]+)\('(.*)'\)$/s.exec(seg);
    if (m) {
      parts.push(m[1] ?? '');
      quoted.add(parts.length);
      parts.push((m[2] ?? '').replace(/''/g, "'"));
    } else parts.push(seg);
  }
  return { parts, quoted };
}

const CASTS: Record<string, 'user' | 'group'> = { 'microsoft.graph.user': 'user', 'microsoft.graph.group': 'group' };

export function resolveRoute(ctx: HandlerContext, method: string, segs: Segments): Route {
  const [head, ...rest] = segs.parts;
  const h = head?.toLowerCase();
  const get = method === 'GET';
  if (h === 'me') {
    if (ctx.principal.kind !== 'delegated' || ctx.principal.userId === undefined) {
      throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    }
    const userId = ctx.principal.userId;
    if (method === 'DELETE' && rest.length === 0) throw methodNotAllowed();
    const me = (find: (key: string) => UserRecord) => (): UserRecord => {
      requirePermission(ctx.principal, PERMS.me);
      return find(userId);
    };
    return userRoutes(ctx, method, { read: me((k) => resolveUser(ctx, k)), write: me((k) => userToWrite(ctx, k)) }, rest);
  }
  if (h === 'users' || h === 'groups') {
    const isUsers = h === 'users';
    if (rest.length === 0) {
      if (get) return { cost: isUsers ? 'usersList' : 'otherGet', run: () => (isUsers ? listUsers(ctx) : listGroups(ctx)) };
      if (method === 'POST') return { cost: 'write', run: () => (isUsers ? createUser(ctx) : createGroup(ctx)) };
      throw methodNotAllowed();
    }
    const key = rest[0] as string;
    if (key === '$count' && rest.length === 1) {
      if (!get) throw methodNotAllowed();
      return { cost: 'otherGet', run: () => (isUsers ? countUsers(ctx) : countGroups(ctx)) };
    }
    if ((key === 'delta' || key === 'microsoft.graph.delta') && rest.length === 1 && !segs.quoted.has(1)) {
      if (!get) throw methodNotAllowed();
      return { cost: isUsers ? 'usersList' : 'otherGet', run: () => (isUsers ? usersDelta(ctx) : groupsDelta(ctx)) };
    }
    if (key.startsWith('$') && !segs.quoted.has(1)) throw segmentNotFound(key);
    const user = { read: () => resolveUser(ctx, key), write: () => userToWrite(ctx, key) };
    return isUsers ? userRoutes(ctx, method, user, rest.slice(1)) : groupRoutes(ctx, method, key, rest.slice(1));
  }
  if ((h === 'serviceprincipals' || h === 'devices') && rest.length <= 1) {
    if (!get) throw methodNotAllowed();
    const set = h === 'devices' ? 'devices' : 'servicePrincipals';
    if (rest.length === 0) return { cost: 'otherGet', run: () => listAppsOrDevices(ctx, set) };
    if (rest[0] === '$count') return { cost: 'otherGet', run: () => countAppsOrDevices(ctx, set) };
    throw segmentNotFound(rest[0] ?? '');
  }
  if (h === 'organization' && rest.length <= 1) {
    if (!get) throw methodNotAllowed();
    const id = rest[0];
    return { cost: 'otherGet', run: () => (id === undefined ? listOrganization(ctx) : getOrganization(ctx, id)) };
  }
  if (h === 'directoryobjects' && rest.length === 1) {
    if (!get) throw methodNotAllowed();
    return { cost: 'otherGet', run: () => getDirectoryObject(ctx, rest[0] as string) };
  }
  if (h === 'directory') return directoryRoute(method, rest, ctx);
  throw segmentNotFound(head ?? '');
}

/** `/directory/deletedItems/…` (deletedItemsApi.ts): the group cast lists, an id reads, restores or purges. */
function directoryRoute(method: string, rest: string[], ctx: HandlerContext): Route {
  const [container, item, action, ...more] = rest;
  if (container?.toLowerCase() !== 'deleteditems') throw segmentNotFound(container ?? 'directory');
  if (item === undefined) throw badRequestCastRequired();
  if (more.length > 0) throw segmentNotFound(more[0] ?? '');
  if (item.toLowerCase() === 'microsoft.graph.group') {
    if (action !== undefined) throw segmentNotFound(action);
    if (method !== 'GET') throw methodNotAllowed();
    return { cost: 'otherGet', run: () => listDeletedGroups(ctx) };
  }
  if (action === undefined) {
    if (method === 'GET') return { cost: 'otherGet', run: () => getDeletedItem(ctx, item) };
    if (method === 'DELETE') return { cost: 'write', run: () => purgeDeletedItem(ctx, item) };
    throw methodNotAllowed();
  }
  if (action.toLowerCase() !== 'restore' && action.toLowerCase() !== 'microsoft.graph.restore') throw segmentNotFound(action);
  if (method !== 'POST') throw methodNotAllowed();
  return { cost: 'write', run: () => restoreDeletedItem(ctx, item) };
}

/** "The OData cast type is a required part of the URI" (directory-deleteditems-list). */
function badRequestCastRequired(): GraphError {
  return new GraphError(400, 'Request_BadRequest', 'Calling /directory/deletedItems without a type cast is not supported; add /microsoft.graph.group (or another type).');
}

/** Reads find the user on a replica; writes change the primary copy of the user a replica finds (replicaChecks.ts). */
interface UserGetters {
  read: () => UserRecord;
  write: () => UserRecord;
}

/** A record a PATCH changes in place: replicas keep showing the old one for a while. */
function changing<T extends { id: string }>(ctx: HandlerContext, rec: T): T {
  ctx.state.willChange(rec.id);
  return rec;
}

function userRoutes(ctx: HandlerContext, method: string, getters: UserGetters, rest: string[]): Route {
  const get = method === 'GET';
  const user = getters.read;
  const [nav, ...tail] = rest;
  if (nav === undefined) {
    if (get) return { cost: 'otherGet', run: () => getUser(ctx, user()) };
    if (method === 'PATCH') return { cost: 'write', run: () => patchUser(ctx, changing(ctx, getters.write())) };
    if (method === 'DELETE') return { cost: 'write', run: () => deleteUser(ctx, getters.write()) };
    throw methodNotAllowed();
  }
  const n = nav.toLowerCase();
  if (n === 'manager') {
    if (tail.length === 0) {
      if (!get) throw methodNotAllowed();
      return { cost: 'otherGet', run: () => getManager(ctx, user()) };
    }
    if (tail.length === 1 && tail[0] === '$ref') {
      if (method === 'PUT') return { cost: 'write', run: () => setManager(ctx, getters.write()) };
      if (method === 'DELETE') return { cost: 'write', run: () => removeManager(ctx, getters.write()) };
      throw methodNotAllowed();
    }
    throw segmentNotFound(tail[0] ?? '');
  }
  if (n === 'directreports') {
    const { cast, count } = castAndCount(tail, ['user']);
    if (!get) throw methodNotAllowed();
    return {
      cost: 'otherGet',
      run: () => {
        const u = user();
        if (!count) return listDirectReports(ctx, u, cast === 'user' ? 'user' : undefined);
        requirePermission(ctx.principal, PERMS.readRelations);
        return countCollection(ctx, directReportsSpec(ctx, u, cast === 'user' ? 'user' : undefined));
      },
    };
  }
  if (n === 'memberof' || n === 'transitivememberof') {
    const rel: Relation = n === 'memberof' ? 'memberOf' : 'transitiveMemberOf';
    return relationRoute(ctx, method, () => ({ kind: 'user', rec: user() }), rel, tail, ['group'], 'memberOf');
  }
  throw segmentNotFound(nav);
}

function groupRoutes(ctx: HandlerContext, method: string, id: string, rest: string[]): Route {
  const get = method === 'GET';
  const group = (): ReturnType<typeof resolveGroup> => resolveGroup(ctx, id);
  // Membership and ownership writes meet an unreplicated group with 400, other writes with 404 (replicaChecks.ts).
  const linkTarget = (): ReturnType<typeof resolveGroup> => groupToWrite(ctx, id, true);
  const [nav, ...tail] = rest;
  if (nav === undefined) {
    if (get) return { cost: 'otherGet', run: () => getGroup(ctx, group()) };
    if (method === 'PATCH') return { cost: 'write', run: () => patchGroup(ctx, changing(ctx, groupToWrite(ctx, id, bindsIn(ctx)))) };
    if (method === 'DELETE') return { cost: 'write', run: () => deleteGroup(ctx, groupToWrite(ctx, id, false)) };
    throw methodNotAllowed();
  }
  const n = nav.toLowerCase();
  if (n === 'members' || n === 'owners') {
    const rel = n;
    const [first, second, ...more] = tail;
    if (first === '$ref' && tail.length === 1) {
      if (method === 'POST') return { cost: 'write', run: () => addRef(ctx, linkTarget(), rel) };
      if (get) return { cost: rel === 'members' ? 'members' : 'otherGet', run: () => listRefs(ctx, group(), rel) };
      if (method === 'DELETE') return { cost: 'write', run: () => removeRef(ctx, linkTarget(), rel, refIdFromQuery(ctx)) };
      throw methodNotAllowed();
    }
    if (first !== undefined && first !== '$count' && !(first.toLowerCase() in CASTS)) {
      if (more.length > 0 || (second !== undefined && second !== '$ref')) throw segmentNotFound(more[0] ?? second ?? '');
      if (second === '$ref') {
        if (method !== 'DELETE') throw methodNotAllowed();
        return { cost: 'write', run: () => removeRef(ctx, linkTarget(), rel, first) };
      }
      if (method === 'DELETE') return { cost: 'write', run: () => deleteMemberObject(ctx, groupToWrite(ctx, id, false), rel, first) };
      if (get) return { cost: 'otherGet', run: () => getRelated(ctx, group(), rel, first) };
      throw methodNotAllowed();
    }
    return relationRoute(ctx, method, () => ({ kind: 'group', rec: group() }), rel, tail, ['user', 'group'], rel === 'members' ? 'members' : 'otherGet');
  }
  if (n === 'transitivemembers') {
    return relationRoute(ctx, method, () => ({ kind: 'group', rec: group() }), 'transitiveMembers', tail, ['user', 'group'], 'transitiveMembers');
  }
  if (n === 'memberof' || n === 'transitivememberof') {
    const rel: Relation = n === 'memberof' ? 'memberOf' : 'transitiveMemberOf';
    return relationRoute(ctx, method, () => ({ kind: 'group', rec: group() }), rel, tail, ['group'], 'memberOf');
  }
  throw segmentNotFound(nav);
}

function relationRoute(
  ctx: HandlerContext,
  method: string,
  owner: () => DirectoryObject,
  rel: Relation,
  tail: string[],
  allowedCasts: readonly ('user' | 'group')[],
  cost: CostKind,
): Route {
  const { cast, count } = castAndCount(tail, allowedCasts);
  if (method !== 'GET') throw methodNotAllowed();
  return { cost: count ? 'otherGet' : cost, run: () => (count ? countRelation(ctx, owner(), rel, cast) : listRelation(ctx, owner(), rel, cast)) };
}

/** Parses `[cast][/$count]` after a navigation property. */
function castAndCount(tail: string[], allowed: readonly ('user' | 'group')[]): { cast?: 'user' | 'group'; count: boolean } {
  let i = 0;
  let cast: 'user' | 'group' | undefined;
  const c = tail[0] !== undefined ? CASTS[tail[0].toLowerCase()] : undefined;
  if (c !== undefined) {
    if (!allowed.includes(c)) throw segmentNotFound(tail[0] ?? '');
    cast = c;
    i++;
  }
  let count = false;
  if (tail[i] === '$count') {
    count = true;
    i++;
  }
  if (i < tail.length) throw segmentNotFound(tail[i] ?? '');
  return { cast, count };
}

/** Whether a PATCH body binds members or owners (a link write). An unreadable body is left for the handler to refuse. */
function bindsIn(ctx: HandlerContext): boolean {
  let body: unknown;
  try {
    body = ctx.body();
  } catch {
    return false;
  }
  return isRecord(body) && Object.keys(body).some((k) => /@odata\.bind$/i.test(k));
}

/** DELETE /groups/{id}/members/$ref?$id=https://…/directoryObjects/{id} */
function refIdFromQuery(ctx: HandlerContext): string {
  const raw = ctx.query.decoded['$id'] ?? ctx.query.decoded['@id'];
  if (raw === undefined) throw new GraphError(400, 'Request_BadRequest', "The '$id' query parameter is required to delete a reference.");
  const m = /\/([^/]+?)\/?$/.exec(raw);
  return m?.[1] ?? raw;
}
