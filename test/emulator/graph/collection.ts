import type { HandlerContext, GraphResponse } from './context.js';
import { json, textPlain } from './context.js';
import type { EntityType } from '../directory/schema.js';
import type { DirectoryObject } from '../directory/records.js';
import { compileFilter } from '../odata/filterEval.js';
import { compileSearch } from '../odata/search.js';
import { resolveSelect, project, contextUrl } from './projection.js';
import type { Selection } from './projection.js';
import { encodeSkipToken } from './paging.js';
import { ADVANCED_HINT, badRequest, unsupportedQuery } from './errors.js';
import { canRead } from './permissions.js';
import { applyExpand, validateExpand } from './expand.js';

/** Describes one collection endpoint: where ids come from and how items are typed. */
export interface CollectionSpec {
  /** Snapshot of candidate ids, in Graph's natural order. Called for first pages only. */
  ids: () => Iterable<string>;
  /** Types an item can have after any cast. */
  types: readonly EntityType[];
  /** 'user' | 'group' | 'directoryObject', for error messages. */
  typeName: string;
  /** Entity set in @odata.context: users, groups or directoryObjects. */
  entitySet: string;
  /** Navigation collections (memberOf, members…) need advanced queries for $filter/$search/$orderby. */
  relationship: boolean;
  /** Cast segment present (/microsoft.graph.group): advanced-only, and narrows the item kind. */
  cast?: 'user' | 'group';
  /** Items carry @odata.type. */
  annotate: boolean;
}

export const SEARCH_NEEDS_HEADER =
  "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'";

const MAX_PAGE = 999;
const DEFAULT_PAGE = 100;

interface PreparedQuery {
  sel: Selection | undefined;
  top: number;
  key: string;
  matches: (obj: DirectoryObject) => boolean;
  sort?: (ids: string[]) => string[];
}

function prepare(ctx: HandlerContext, spec: CollectionSpec): PreparedQuery {
  const q = ctx.query;
  if (spec.cast && !ctx.advanced) {
    throw unsupportedQuery(`OData cast segment 'microsoft.graph.${spec.cast}' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`);
  }
  if (q.search !== undefined && !ctx.consistency) throw unsupportedQuery(SEARCH_NEEDS_HEADER);
  if (spec.relationship && (q.filter !== undefined || q.orderBy !== undefined) && !ctx.advanced) {
    throw unsupportedQuery(`$filter and $orderby on this relationship are only supported with advanced queries. ${ADVANCED_HINT}`);
  }
  if (q.top !== undefined && (q.top < 1 || q.top > MAX_PAGE)) {
    throw badRequest(`Invalid page size specified: '${q.top}'. Must be between 1 and ${MAX_PAGE} inclusive.`);
  }
  if (q.expand) {
    if (ctx.advanced) throw unsupportedQuery('$expand is not supported with advanced queries (ConsistencyLevel: eventual and $count=true).');
    validateExpand(q.expand, spec.types, spec.typeName);
  }
  const sel = resolveSelect(q.select, spec.types, spec.typeName, true);
  const filter = q.filter !== undefined ? compileFilter(q.filter, { types: spec.types, typeName: spec.typeName, advanced: ctx.advanced }) : undefined;
  const search = q.search !== undefined ? compileSearch(q.search, spec.types, spec.typeName) : undefined;
  let sort: PreparedQuery['sort'];
  if (q.orderBy) {
    if (q.filter !== undefined && !ctx.advanced) throw unsupportedQuery('Sorting not supported for current query.');
    if (q.orderBy.length > 1) throw unsupportedQuery('Sorting by more than one property is not supported.');
    const [ob] = q.orderBy;
    if (ob) {
      let canonical: string | undefined;
      for (const t of spec.types) {
        const tier = t.orderBy.get(ob.prop.toLowerCase());
        if (tier === 'A' && !ctx.advanced) throw unsupportedQuery('Sorting not supported for current query.');
        if (tier) canonical = t.props.get(ob.prop.toLowerCase())?.name;
      }
      if (!canonical) throw unsupportedQuery('Sorting not supported for current query.');
      const prop = canonical;
      sort = (ids) => sortIds(ctx, ids, prop, ob.desc);
    }
  }
  const kind = spec.cast;
  const matches = (obj: DirectoryObject): boolean =>
    (kind === undefined || obj.kind === kind) && (filter === undefined || filter(obj.rec)) && (search === undefined || search(obj.rec));
  const key = JSON.stringify([ctx.req.path.toLowerCase(), q.filter, q.search, q.orderBy, ctx.principal.appId]);
  return { sel, top: q.top ?? DEFAULT_PAGE, key, matches, sort };
}

function snapshot(ctx: HandlerContext, spec: CollectionSpec, p: PreparedQuery): string[] {
  let ids: string[] = [];
  for (const id of spec.ids()) {
    const obj = ctx.view.object(id);
    if (obj && p.matches(obj)) ids.push(id);
  }
  if (p.sort) ids = p.sort(ids);
  return ids;
}

export function listCollection(ctx: HandlerContext, spec: CollectionSpec): GraphResponse {
  const p = prepare(ctx, spec);
  let ids: readonly string[];
  let offset = 0;
  let cursorId: string | undefined;
  if (ctx.query.skipToken !== undefined) {
    const r = ctx.cursors.resolve(ctx.query.skipToken, p.key);
    ids = r.ids;
    offset = r.offset;
    cursorId = r.cursorId;
  } else {
    ids = snapshot(ctx, spec, p);
  }
  const end = Math.min(ids.length, offset + p.top);
  const value = [];
  const readable = { user: canRead(ctx.principal, 'user'), group: canRead(ctx.principal, 'group'), servicePrincipal: canRead(ctx.principal, 'servicePrincipal'), device: canRead(ctx.principal, 'device') };
  for (let i = offset; i < end; i++) {
    // Objects deleted since the snapshot are skipped, as a live directory would.
    const obj = ctx.view.object(ids[i] as string);
    if (!obj) continue;
    const item = project(obj, p.sel, { annotate: spec.annotate, limited: !readable[obj.kind] });
    if (ctx.query.expand) applyExpand(ctx, obj, item, ctx.query.expand);
    value.push(item);
  }
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx.graphBase, spec.entitySet, p.sel, false) };
  if (offset === 0 && ctx.consistency && ctx.query.count === true) body['@odata.count'] = ids.length;
  if (end < ids.length) {
    cursorId ??= ctx.cursors.create(ids, p.key);
    body['@odata.nextLink'] = nextLink(ctx, encodeSkipToken(cursorId, end));
  }
  body['value'] = value;
  return json(200, body);
}

/** `/users/$count` and friends: text/plain, and only with ConsistencyLevel: eventual. */
export function countCollection(ctx: HandlerContext, spec: CollectionSpec): GraphResponse {
  if (!ctx.consistency) throw badRequest('$count is not currently supported.');
  // The $count segment is itself an advanced query, so ne/not/endsWith are allowed here.
  const p = prepare({ ...ctx, advanced: true }, spec);
  return textPlain(String(snapshot(ctx, spec, p).length));
}

/** The next page's link: this request's query options with the new $skiptoken. */
export function nextLink(ctx: HandlerContext, token: string): string {
  const pairs = [...ctx.query.rawPairsWithoutSkipToken, `$skiptoken=${encodeURIComponent(token)}`];
  return `${ctx.req.origin}${ctx.req.rawPath}?${pairs.join('&')}`;
}

function sortIds(ctx: HandlerContext, ids: string[], prop: string, desc: boolean): string[] {
  const keyed = ids.map((id, i) => {
    const rec = ctx.view.object(id)?.rec;
    const v = rec ? (rec as unknown as Record<string, unknown>)[prop] : undefined;
    return { id, i, k: typeof v === 'string' ? v.toLowerCase() : undefined };
  });
  const dir = desc ? -1 : 1;
  keyed.sort((a, b) => {
    // Missing values sort last either way, as the directory index does.
    if (a.k === undefined || b.k === undefined) return a.k === b.k ? a.i - b.i : a.k === undefined ? 1 : -1;
    return a.k < b.k ? -dir : a.k > b.k ? dir : a.i - b.i;
  });
  return keyed.map((x) => x.id);
}

