import type { HandlerContext, GraphResponse } from './context.js';
import { json, noContent } from './context.js';
import type { UserRecord } from '../directory/records.js';
import { USER_TYPE } from '../directory/schema.js';
import { listCollection, countCollection } from './collection.js';
import type { CollectionSpec } from './collection.js';
import { project, resolveSelect, contextUrl } from './projection.js';
import { applyExpand, validateExpand } from './expand.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { PERMS, canDeleteUser, canRead, requirePermission, requireUserCreator } from './permissions.js';
import { requireReplicated } from './replicaChecks.js';
import { parseReference, lookupReference } from './binds.js';
import { isRecord } from '../util/json.js';

/** /users, /users/{id | userPrincipalName}, /me and the manager / directReports relationships. */

export const USERS_SPEC = (ctx: HandlerContext): CollectionSpec => ({
  ids: () => ctx.view.userIds(),
  types: [USER_TYPE],
  typeName: 'user',
  entitySet: 'users',
  relationship: false,
  annotate: false,
});

export function resolveUser(ctx: HandlerContext, key: string): UserRecord {
  const u = ctx.view.user(key);
  if (!u) throw notFound(key);
  return u;
}

/** Reading your own profile only needs User.Read; anyone else's needs a directory read permission. */
function requireReadUser(ctx: HandlerContext, u: UserRecord): void {
  const self = ctx.principal.kind === 'delegated' && ctx.principal.userId === u.id;
  requirePermission(ctx.principal, self ? PERMS.me : PERMS.readUsers);
}

export function listUsers(ctx: HandlerContext): GraphResponse {
  requirePermission(ctx.principal, PERMS.readUsers);
  return listCollection(ctx, USERS_SPEC(ctx));
}

export function countUsers(ctx: HandlerContext): GraphResponse {
  requirePermission(ctx.principal, PERMS.readUsers);
  return countCollection(ctx, USERS_SPEC(ctx));
}

export function getUser(ctx: HandlerContext, u: UserRecord): GraphResponse {
  requireReadUser(ctx, u);
  const sel = resolveSelect(ctx.query.select, [USER_TYPE], 'user', false);
  if (ctx.query.expand) validateExpand(ctx.query.expand, [USER_TYPE], 'user');
  const body = { '@odata.context': contextUrl(ctx.graphBase, 'users', sel, true), ...project({ kind: 'user', rec: u }, sel, { annotate: false }) };
  if (ctx.query.expand) applyExpand(ctx, { kind: 'user', rec: u }, body, ctx.query.expand);
  return json(200, body);
}

export function deleteUser(ctx: HandlerContext, u: UserRecord): GraphResponse {
  requirePermission(ctx.principal, PERMS.writeUsers);
  // A user-writing role, and for a privileged target a higher one (deleting is a sensitive action).
  if (!canDeleteUser(ctx.principal, ctx.state, u)) throw forbidden();
  ctx.state.deleteObject(u.id);
  return noContent();
}

export function getManager(ctx: HandlerContext, u: UserRecord): GraphResponse {
  requirePermission(ctx.principal, PERMS.readRelations);
  const managerId = ctx.view.managerOf(u.id);
  const m = managerId === undefined ? undefined : ctx.view.user(managerId);
  if (!m) throw notFound('manager');
  const sel = resolveSelect(ctx.query.select, [USER_TYPE], 'directoryObject', false);
  return json(200, {
    '@odata.context': contextUrl(ctx.graphBase, 'directoryObjects', sel, true),
    ...project({ kind: 'user', rec: m }, sel, { annotate: true, limited: !canRead(ctx.principal, 'user') }),
  });
}

/** PUT /users/{id}/manager/$ref with {"@odata.id": ".../users/{managerId}"}. */
export function setManager(ctx: HandlerContext, u: UserRecord): GraphResponse {
  requirePermission(ctx.principal, PERMS.writeUsers);
  requireUserCreator(ctx.principal, ctx.state);
  const body = ctx.body();
  if (!isRecord(body)) throw badRequest('Invalid URL format specified in payload.');
  const ref = parseReference(body['@odata.id']);
  const target = lookupReference(ctx.state, ref);
  if (!target) throw notFound(ref.id);
  if (target.kind !== 'user') throw badRequest('The manager must be a user or an organizational contact.');
  if (target.rec.id === u.id) throw badRequest('A user cannot be their own manager.');
  requireReplicated(ctx, target);
  ctx.state.setManager(u.id, target.rec.id);
  return noContent();
}

export function removeManager(ctx: HandlerContext, u: UserRecord): GraphResponse {
  requirePermission(ctx.principal, PERMS.writeUsers);
  requireUserCreator(ctx.principal, ctx.state);
  // The link is looked for on the primary copy, as a write changes it (a member link's removal is too).
  if (!ctx.state.managers.has(u.id)) throw notFound('manager');
  ctx.state.setManager(u.id, undefined);
  return noContent();
}

export function directReportsSpec(ctx: HandlerContext, u: UserRecord, cast: 'user' | undefined): CollectionSpec {
  return {
    ids: () => ctx.view.directReportsOf(u.id),
    types: [USER_TYPE],
    typeName: cast ?? 'directoryObject',
    entitySet: cast ? 'users' : 'directoryObjects',
    relationship: true,
    cast,
    annotate: true,
  };
}

export function listDirectReports(ctx: HandlerContext, u: UserRecord, cast: 'user' | undefined): GraphResponse {
  requirePermission(ctx.principal, PERMS.readRelations);
  return listCollection(ctx, directReportsSpec(ctx, u, cast));
}

