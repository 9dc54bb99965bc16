import type { HandlerContext, GraphResponse } from './context.js';
import { json } from './context.js';
import { GROUP_TYPE, USER_TYPE } from '../directory/schema.js';
import { project, resolveSelect, contextUrl } from './projection.js';
import { encodeSkipToken } from './paging.js';
import { GraphError, badRequest } from './errors.js';
import { PERMS, canRead, requirePermission } from './permissions.js';

/**
 * `GET /users/delta` and `GET /groups/delta`, following
 * https://learn.microsoft.com/graph/delta-query-overview, https://learn.microsoft.com/graph/api/user-delta and
 * https://learn.microsoft.com/graph/api/group-delta:
 * - without a token, every object page by page (`@odata.nextLink`), the last page carrying `@odata.deltaLink`;
 * - `$deltatoken=latest`: no objects, only a deltaLink for "from now on" (directory resources support it);
 * - with a token: objects changed since, in full, and removed ones as `{ id, "@removed": { reason } }` (`changed`: a
 *   deleted user or group can be restored for 30 days, which is how DELETE leaves them);
 * - a token Graph no longer knows (older than 7 days, or from before a reset) answers 400 `syncStateNotFound`
 *   (https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources/):
 *   the client must synchronise again from the start.
 * Only `$select`, `$deltatoken` and `$skiptoken` are modelled; Graph's `id eq` filters and `$expand` are refused here.
 */

/** Graph does not fix the size of a delta page; it answers a few hundred at most. */
const DELTA_PAGE = 200;
const TOKEN_PREFIX = 'DT';
/** The journal sequence each delta snapshot was taken at: its last page's deltaLink continues from there. */
const snapshotSeq = new WeakMap<readonly string[], number>();

export function usersDelta(ctx: HandlerContext): GraphResponse {
  requirePermission(ctx.principal, PERMS.readUsers);
  return delta(ctx, 'user');
}

export function groupsDelta(ctx: HandlerContext): GraphResponse {
  requirePermission(ctx.principal, PERMS.readGroups);
  return delta(ctx, 'group');
}

function delta(ctx: HandlerContext, kind: 'user' | 'group'): GraphResponse {
  const q = ctx.query;
  if (q.filter !== undefined || q.search !== undefined || q.orderBy !== undefined || q.expand !== undefined || q.count !== undefined || q.top !== undefined) {
    throw badRequest('Only $select, $deltatoken and $skiptoken are supported with delta queries here.');
  }
  const type = kind === 'user' ? USER_TYPE : GROUP_TYPE;
  const entitySet = kind === 'user' ? 'users' : 'groups';
  const sel = resolveSelect(q.select, [type], kind, true);
  const journal = ctx.state.journal;
  // A change replicas do not show yet is not told, and the token stays before it: the next round tells it (Graph's
  // delta is eventually consistent too, but never loses a change).
  let settledUpTo = journal.current;
  for (const id of ctx.view.unsettledIds()) settledUpTo = Math.min(settledUpTo, journal.seqOf(id) - 1);
  const key = JSON.stringify([ctx.req.path.toLowerCase(), q.select, q.deltaToken, ctx.principal.appId]);
  let entries: readonly string[];
  let linkSeq = settledUpTo;
  let offset = 0;
  let cursorId: string | undefined;
  if (q.skipToken !== undefined) {
    const r = ctx.cursors.resolve(q.skipToken, key);
    entries = r.ids;
    offset = r.offset;
    cursorId = r.cursorId;
  } else if (q.deltaToken?.toLowerCase() === 'latest') {
    entries = [];
  } else {
    const since = q.deltaToken === undefined ? undefined : decodeToken(q.deltaToken, kind, journal.epoch);
    const list: string[] = [];
    if (since === undefined) {
      for (const id of kind === 'user' ? ctx.view.userIds() : ctx.view.groupIds()) list.push(id);
    } else {
      linkSeq = Math.max(since, settledUpTo);
      const { changed, removed } = journal.since(since, linkSeq);
      for (const id of changed) if (ctx.view.object(id)?.kind === kind) list.push(id);
      // A removed id is told once; the prefix marks it in the snapshot.
      for (const id of removed) list.push(`-${id}`);
    }
    entries = list;
  }
  if (!snapshotSeq.has(entries)) snapshotSeq.set(entries, linkSeq);
  const end = Math.min(entries.length, offset + DELTA_PAGE);
  const value: unknown[] = [];
  const readable = canRead(ctx.principal, kind);
  for (let i = offset; i < end; i++) {
    const entry = entries[i] as string;
    if (entry.startsWith('-')) {
      value.push({ id: entry.slice(1), '@removed': { reason: 'changed' } });
      continue;
    }
    const obj = ctx.view.object(entry);
    if (obj?.kind === kind) value.push(project(obj, sel, { annotate: false, limited: !readable }));
  }
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx.graphBase, entitySet, sel, false) };
  const base = `${ctx.req.origin}${ctx.req.rawPath}`;
  if (end < entries.length) {
    cursorId ??= ctx.cursors.create(entries, key);
    body['@odata.nextLink'] = `${base}?${[...q.rawPairsWithoutSkipToken, `$skiptoken=${encodeURIComponent(encodeSkipToken(cursorId, end))}`].join('&')}`;
  } else {
    const token = encodeToken(kind, journal.epoch, snapshotSeq.get(entries) ?? journal.current);
    const select = q.rawPairsWithoutSkipToken.filter((p) => /^\$?select=/i.test(p));
    body['@odata.deltaLink'] = `${base}?${[...select, `$deltatoken=${token}`].join('&')}`;
  }
  body['value'] = value;
  return json(200, body);
}

function encodeToken(kind: string, epoch: number, seq: number): string {
  return TOKEN_PREFIX + Buffer.from(`${kind}:${epoch}:${seq}`).toString('base64url');
}

function decodeToken(token: string, kind: string, epoch: number): number {
  const raw = token.startsWith(TOKEN_PREFIX) ? Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString() : '';
  const m = /^(user|group):(\d+):(\d+)$/.exec(raw);
  if (!m || m[1] !== kind) throw badRequest(`Invalid delta token '${token}'.`);
  if (Number(m[2]) !== epoch) {
    throw new GraphError(400, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');
  }
  return Number(m[3]);
}
