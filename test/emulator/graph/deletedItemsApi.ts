import type { GraphResponse, HandlerContext } from './context.js';
import { json, noContent } from './context.js';
import type { DeletedGroup } from '../directory/deletedItems.js';
import { GROUP_TYPE } from '../directory/schema.js';
import { contextUrl, project, resolveSelect } from './projection.js';
import { nextLink } from './collection.js';
import { encodeSkipToken } from './paging.js';
import { ADVANCED_HINT, badRequest, notFound, unsupportedQuery } from './errors.js';
import { PERMS, requireGroupWrite, requirePermission } from './permissions.js';

/**
 * /directory/deletedItems for groups:
 * - `GET /directory/deletedItems/microsoft.graph.group` lists them; the cast is required ("calling GET
 *   /directory/deletedItems without a type is not supported") and the items carry `deletedDateTime`
 *   (https://learn.microsoft.com/graph/api/directory-deleteditems-list?view=graph-rest-1.0). `$orderby` (the page's
 *   example sorts by deletedDateTime) and `$count` need ConsistencyLevel: eventual, as advanced queries do.
 * - `GET /directory/deletedItems/{id}` (https://learn.microsoft.com/graph/api/directory-deleteditems-get?view=graph-rest-1.0).
 * - `POST /directory/deletedItems/{id}/restore`: 200 with the restored object
 *   (https://learn.microsoft.com/graph/api/directory-deleteditems-restore?view=graph-rest-1.0).
 * - `DELETE /directory/deletedItems/{id}`: permanent, 204
 *   (https://learn.microsoft.com/graph/api/directory-deleteditems-delete?view=graph-rest-1.0).
 * Users are still deleted at once in this emulator (not modelled here): their ids answer 404 from these paths.
 */

const MAX_PAGE = 999;
const DEFAULT_PAGE = 100;
const ORDERABLE = new Set(['deleteddatetime', 'displayname']);

function itemBody(entry: DeletedGroup, names: string[] | undefined): Record<string, unknown> {
  const withDate = { ...entry.rec, extra: { ...(entry.rec.extra ?? {}), deletedDateTime: new Date(entry.deletedAt).toISOString() } };
  const sel = names ? { names } : undefined;
  return project({ kind: 'group', rec: withDate }, sel, { annotate: true });
}

export function listDeletedGroups(ctx: HandlerContext): GraphResponse {
  requirePermission(ctx.principal, PERMS.readDeletedGroups);
  const q = ctx.query;
  if (q.filter !== undefined || q.search !== undefined || q.expand) throw unsupportedQuery('Only $select, $top, $orderby and $count are supported on deleted items here.');
  if (q.top !== undefined && (q.top < 1 || q.top > MAX_PAGE)) throw badRequest(`Invalid page size specified: '${q.top}'. Must be between 1 and ${MAX_PAGE} inclusive.`);
  const sel = resolveSelect(q.select, [GROUP_TYPE], 'group', true);
  const key = JSON.stringify([ctx.req.path.toLowerCase(), q.orderBy, ctx.principal.appId]);
  let ids: readonly string[];
  let offset = 0;
  let cursorId: string | undefined;
  if (q.skipToken !== undefined) {
    ({ ids, offset, cursorId } = ctx.cursors.resolve(q.skipToken, key));
  } else {
    let entries = ctx.state.deletedItems.listGroups();
    const [order] = q.orderBy ?? [];
    if (order) {
      if (!ctx.advanced) throw unsupportedQuery(`Sorting deleted items is supported only with advanced queries. ${ADVANCED_HINT}`);
      const prop = order.prop.toLowerCase();
      if (!ORDERABLE.has(prop)) throw unsupportedQuery('Sorting not supported for current query.');
      const value = (e: DeletedGroup): string => (prop === 'displayname' ? e.rec.displayName.toLowerCase() : new Date(e.deletedAt).toISOString());
      entries = [...entries].sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0) * (order.desc ? -1 : 1));
    }
    ids = entries.map((e) => e.rec.id);
  }
  const top = q.top ?? DEFAULT_PAGE;
  const end = Math.min(ids.length, offset + top);
  const value = [];
  for (let i = offset; i < end; i++) {
    // Restored or purged since the first page: skipped, as a live directory would.
    const entry = ctx.state.deletedItems.group(ids[i] as string);
    if (entry) value.push(itemBody(entry, sel?.names));
  }
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx.graphBase, 'groups', sel, false) };
  if (offset === 0 && ctx.consistency && q.count === true) body['@odata.count'] = ids.length;
  if (end < ids.length) {
    cursorId ??= ctx.cursors.create(ids, key);
    body['@odata.nextLink'] = nextLink(ctx, encodeSkipToken(cursorId, end));
  }
  body['value'] = value;
  return json(200, body);
}

function deletedGroup(ctx: HandlerContext, id: string): DeletedGroup {
  const entry = ctx.state.deletedItems.group(id);
  if (!entry) throw notFound(id);
  return entry;
}

export function getDeletedItem(ctx: HandlerContext, id: string): GraphResponse {
  requirePermission(ctx.principal, PERMS.readDeletedGroups);
  const entry = deletedGroup(ctx, id);
  const sel = resolveSelect(ctx.query.select, [GROUP_TYPE], 'group', true);
  return json(200, { '@odata.context': contextUrl(ctx.graphBase, 'directoryObjects', sel, true), ...itemBody(entry, sel?.names) });
}

/**
 * Restoring needs Group.ReadWrite.All (restore page, permissions: group) and, delegated, what changing the group
 * needs: a group-writing role, or to have been its owner.
 */
function requireRestore(ctx: HandlerContext, entry: DeletedGroup): void {
  requirePermission(ctx.principal, PERMS.writeGroups);
  const p = ctx.principal;
  const wasOwner = p.kind === 'delegated' && p.userId !== undefined && entry.owners.includes(p.userId);
  if (!wasOwner || entry.rec.isAssignableToRole === true) requireGroupWrite(p, ctx.state, entry.rec);
}

export function restoreDeletedItem(ctx: HandlerContext, id: string): GraphResponse {
  const entry = deletedGroup(ctx, id);
  requireRestore(ctx, entry);
  const g = ctx.state.deletedItems.restoreGroup(entry.rec.id);
  if (!g) throw notFound(id);
  return json(200, { '@odata.context': contextUrl(ctx.graphBase, 'directoryObjects', undefined, true), ...project({ kind: 'group', rec: g }, undefined, { annotate: true }) });
}

export function purgeDeletedItem(ctx: HandlerContext, id: string): GraphResponse {
  const entry = deletedGroup(ctx, id);
  requireRestore(ctx, entry);
  ctx.state.deletedItems.purge(entry.rec.id);
  return noContent();
}
