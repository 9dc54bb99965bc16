import type { HandlerContext, GraphResponse } from './context.js';
import { json, noContent } from './context.js';
import type { GroupRecord, DirectoryObject } from '../directory/records.js';
import { USER_TYPE, GROUP_TYPE, DIRECTORY_OBJECT_TYPES } from '../directory/schema.js';
import type { EntityType } from '../directory/schema.js';
import { listCollection, countCollection } from './collection.js';
import type { CollectionSpec } from './collection.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { PERMS, canDeleteUser, canRead, hasPermission, requireGroupWrite, requirePermission } from './permissions.js';
import { project, resolveSelect } from './projection.js';
import { parseReference, lookupReference } from './binds.js';
import { checkMemberAllowed, requireLinkPermission, dynamicMembershipRefused, groupTraits, EXCHANGE_MASTERED_MESSAGE } from './groupValidation.js';
import { ON_PREM_MASTERED } from './userWrite.js';
import { isDynamic, isExchangeMastered } from '../directory/records.js';
import { isRecord } from '../util/json.js';
import { requireReplicated } from './replicaChecks.js';

/**
 * Group members/owners/transitiveMembers, the memberOf family for users and groups,
 * adding and removing references, and the DELETE-without-$ref pitfall.
 */
export type Relation = 'members' | 'owners' | 'transitiveMembers' | 'memberOf' | 'transitiveMemberOf';

function typesFor(cast: 'user' | 'group' | undefined, onlyGroups: boolean): EntityType[] {
  if (onlyGroups || cast === 'group') return [GROUP_TYPE];
  if (cast === 'user') return [USER_TYPE];
  return [...DIRECTORY_OBJECT_TYPES];
}

export function relationSpec(ctx: HandlerContext, obj: DirectoryObject, rel: Relation, cast: 'user' | 'group' | undefined): CollectionSpec {
  const id = obj.rec.id;
  const v = ctx.view;
  const sources: Record<Relation, () => Iterable<string>> = {
    members: () => v.related(id, 'members'),
    owners: () => v.related(id, 'owners'),
    transitiveMembers: () => v.transitiveMembersOf(id),
    memberOf: () => v.memberOfGroups(id),
    transitiveMemberOf: () => v.transitiveMemberOf(id),
  };
  const onlyGroups = rel === 'memberOf' || rel === 'transitiveMemberOf';
  return {
    ids: sources[rel],
    types: typesFor(cast, onlyGroups),
    typeName: cast ?? 'directoryObject',
    entitySet: cast === 'user' ? 'users' : cast === 'group' ? 'groups' : 'directoryObjects',
    relationship: true,
    cast,
    annotate: true,
  };
}

function requireRead(ctx: HandlerContext, rel: Relation): void {
  requirePermission(ctx.principal, rel === 'memberOf' || rel === 'transitiveMemberOf' ? PERMS.memberOf : PERMS.readGroups);
}

export function listRelation(ctx: HandlerContext, obj: DirectoryObject, rel: Relation, cast: 'user' | 'group' | undefined): GraphResponse {
  requireRead(ctx, rel);
  return listCollection(ctx, relationSpec(ctx, obj, rel, cast));
}

export function countRelation(ctx: HandlerContext, obj: DirectoryObject, rel: Relation, cast: 'user' | 'group' | undefined): GraphResponse {
  requireRead(ctx, rel);
  return countCollection(ctx, relationSpec(ctx, obj, rel, cast));
}

/** GET /groups/{id}/members/$ref: references only. */
export function listRefs(ctx: HandlerContext, g: GroupRecord, rel: 'members' | 'owners'): GraphResponse {
  requirePermission(ctx.principal, PERMS.readGroups);
  const ids = ctx.view.related(g.id, rel);
  const top = ctx.query.top ?? 100;
  return json(200, {
    '@odata.context': `${ctx.graphBase}/$metadata#Collection($ref)`,
    value: ids.slice(0, top).map((id) => ({ '@odata.id': `${ctx.graphBase}/directoryObjects/${id}` })),
  });
}

function writePerms(rel: 'members' | 'owners'): typeof PERMS.writeMembers {
  return rel === 'members' ? PERMS.writeMembers : PERMS.writeGroups;
}

/** Permission, then the refusals that hold for every caller (read-only kinds), then the caller's role. */
function guardMembershipChange(ctx: HandlerContext, g: GroupRecord, rel: 'members' | 'owners'): void {
  requirePermission(ctx.principal, writePerms(rel));
  if (g.onPremisesSyncEnabled === true) throw badRequest(ON_PREM_MASTERED);
  if (rel === 'members' && isExchangeMastered(g)) throw badRequest(EXCHANGE_MASTERED_MESSAGE);
  requireGroupWrite(ctx.principal, ctx.state, g);
  if (rel === 'members' && isDynamic(g)) throw dynamicMembershipRefused();
}

/** POST /groups/{id}/members/$ref with {"@odata.id": "https://…/directoryObjects/{id}"}. */
export function addRef(ctx: HandlerContext, g: GroupRecord, rel: 'members' | 'owners'): GraphResponse {
  guardMembershipChange(ctx, g, rel);
  const body = ctx.body();
  if (!isRecord(body) || body['@odata.id'] === undefined) throw badRequest('Invalid URL format specified in payload.');
  const ref = parseReference(body['@odata.id']);
  const target = lookupReference(ctx.state, ref);
  if (!target) throw notFound(ref.id);
  requireReplicated(ctx, target);
  checkMemberAllowed(groupTraits(g), rel, target);
  requireLinkPermission(ctx, rel, target);
  const exists = rel === 'members' ? ctx.state.isMember(g.id, target.rec.id) : ctx.state.isOwner(g.id, target.rec.id);
  if (exists) throw badRequest(`One or more added object references already exist for the following modified properties: '${rel}'.`);
  if (rel === 'members') ctx.state.addMember(g.id, target.rec.id);
  else ctx.state.addOwner(g.id, target.rec.id);
  return noContent();
}

/** DELETE /groups/{id}/members/{memberId}/$ref — removes the link only. */
export function removeRef(ctx: HandlerContext, g: GroupRecord, rel: 'members' | 'owners', memberKey: string): GraphResponse {
  guardMembershipChange(ctx, g, rel);
  const target = ctx.state.object(memberKey);
  const linked = target && (rel === 'members' ? ctx.state.isMember(g.id, target.rec.id) : ctx.state.isOwner(g.id, target.rec.id));
  if (!target || !linked) throw notFound(memberKey);
  if (rel === 'owners' && isLastUserOwner(ctx, g, target)) throw badRequest(LAST_OWNER_MESSAGE);
  if (rel === 'members') ctx.state.removeMember(g.id, target.rec.id);
  else ctx.state.removeOwner(g.id, target.rec.id);
  return noContent();
}

/**
 * "Once owners are assigned to a group, the last owner (a user object) of the group cannot be removed."
 * (https://learn.microsoft.com/graph/api/group-delete-owners?view=graph-rest-1.0). Graph answers 400 Request_BadRequest
 * with this message (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/3741). Decided on the
 * primary copy, where the link is written.
 */
export const LAST_OWNER_MESSAGE = 'The group must have at least one owner, hence this owner cannot be removed.';

function isLastUserOwner(ctx: HandlerContext, g: GroupRecord, target: DirectoryObject): boolean {
  if (target.kind !== 'user') return false;
  return !ctx.state.ownersOf(g.id).some((id) => id !== target.rec.id && ctx.state.object(id)?.kind === 'user');
}

/**
 * DELETE /groups/{id}/members/{memberId} without /$ref addresses the member object
 * itself: Graph deletes that user or group from the directory when the token may
 * write objects of its type, and answers 403 otherwise.
 */
export function deleteMemberObject(ctx: HandlerContext, g: GroupRecord, rel: 'members' | 'owners', memberKey: string): GraphResponse {
  const target = ctx.state.object(memberKey);
  const linked = target && (rel === 'members' ? ctx.state.isMember(g.id, target.rec.id) : ctx.state.isOwner(g.id, target.rec.id));
  if (!target || !linked) throw notFound(memberKey);
  const allowed = target.kind === 'user' ? canDeleteUser(ctx.principal, ctx.state, target.rec) : target.kind === 'group' && hasPermission(ctx.principal, PERMS.writeGroups);
  if (!allowed) throw forbidden();
  if (target.kind === 'group') requireGroupWrite(ctx.principal, ctx.state, target.rec);
  ctx.state.deleteObject(target.rec.id);
  return noContent();
}

/** GET /groups/{id}/members/{memberId}: the member as a directoryObject. */
export function getRelated(ctx: HandlerContext, g: GroupRecord, rel: 'members' | 'owners', memberKey: string): GraphResponse {
  requirePermission(ctx.principal, PERMS.readGroups);
  const target = ctx.view.object(memberKey);
  if (!target || !ctx.view.isLinked(g.id, rel, target.rec.id)) throw notFound(memberKey);
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#directoryObjects/$entity`, ...projectOne(ctx, target) });
}

function projectOne(ctx: HandlerContext, obj: DirectoryObject): Record<string, unknown> {
  const sel = resolveSelect(ctx.query.select, DIRECTORY_OBJECT_TYPES, 'directoryObject', false);
  return project(obj, sel, { annotate: true, limited: !canRead(ctx.principal, obj.kind) });
}
