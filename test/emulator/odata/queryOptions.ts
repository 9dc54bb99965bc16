import { GraphError, badRequest } from '../graph/errors.js';

/**
 * OData system query options as Graph reads them: names are case-insensitive and the
 * `$` is optional on v1.0; each may appear once; `$skip` is refused on directory
 * collections. Raw pairs are kept so @odata.nextLink can repeat them verbatim.
 */
export interface ExpandItem {
  name: string;
  select?: string[];
}

export interface QueryOptions {
  select?: string[];
  filter?: string;
  search?: string;
  orderBy?: { prop: string; desc: boolean }[];
  top?: number;
  count?: boolean;
  expand?: ExpandItem[];
  skipToken?: string;
  /** `$deltatoken` of a delta query (`latest`, or a token from a deltaLink). */
  deltaToken?: string;
  /** `name=value` pairs exactly as received, minus $skiptoken, for building next links. */
  rawPairsWithoutSkipToken: string[];
  /** Decoded key → value of every pair (for the request log). */
  decoded: Record<string, string>;
}

const SYSTEM = new Set(['select', 'filter', 'search', 'orderby', 'top', 'count', 'expand', 'skiptoken', 'skip', 'format', 'deltatoken', 'id']);

export function decodeQueryComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new GraphError(400, 'BadRequest', `Malformed query string component '${s}'.`);
  }
}

export function parseQuery(rawQuery: string): QueryOptions {
  const out: QueryOptions = { rawPairsWithoutSkipToken: [], decoded: {} };
  const seen = new Set<string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decodeQueryComponent(rawKey);
    const value = decodeQueryComponent(rawValue);
    out.decoded[key] = value;
    const bare = key.startsWith('$') ? key.slice(1).toLowerCase() : key.toLowerCase();
    if (!SYSTEM.has(bare)) {
      if (key.startsWith('$')) throw new GraphError(400, 'BadRequest', `The query parameter '${key}' is not supported.`);
      out.rawPairsWithoutSkipToken.push(pair);
      continue;
    }
    if (seen.has(bare)) {
      throw new GraphError(400, 'BadRequest', `Query option '$${bare}' was specified more than once, but it must be specified at most once.`);
    }
    seen.add(bare);
    if (bare !== 'skiptoken') out.rawPairsWithoutSkipToken.push(pair);
    applyOption(out, bare, value);
  }
  return out;
}

function applyOption(out: QueryOptions, name: string, value: string): void {
  switch (name) {
    case 'select':
      out.select = splitList(value, '$select');
      return;
    case 'filter':
      out.filter = value;
      return;
    case 'search':
      out.search = value;
      return;
    case 'orderby':
      out.orderBy = splitList(value, '$orderby').map((item) => {
        const [prop = '', dir, extra] = item.split(/\s+/);
        const d = dir?.toLowerCase();
        if (extra !== undefined || (d !== undefined && d !== 'asc' && d !== 'desc')) {
          throw badRequest(`Invalid $orderby clause '${item}'.`);
        }
        return { prop, desc: d === 'desc' };
      });
      return;
    case 'top':
      if (!/^\d+$/.test(value.trim())) throw badRequest(`Invalid value '${value}' for $top query option found.`);
      out.top = Number(value.trim());
      return;
    case 'count': {
      const v = value.trim().toLowerCase();
      if (v !== 'true' && v !== 'false') throw badRequest(`Invalid value '${value}' for $count query option found. Valid values are 'true' and 'false'.`);
      out.count = v === 'true';
      return;
    }
    case 'expand':
      out.expand = splitTopLevel(value).map(parseExpandItem);
      return;
    case 'skiptoken':
      out.skipToken = value;
      return;
    case 'deltatoken':
      out.deltaToken = value;
      return;
    case 'skip':
      throw badRequest("'$skip' is not supported by the service.");
    case 'id':
      // $id addresses a reference to delete; the router reads it from `decoded`.
      return;
    default:
      throw new GraphError(400, 'BadRequest', `The query parameter '$${name}' is not supported.`);
  }
}

function splitList(value: string, option: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw badRequest(`Syntax error: empty item in ${option} '${value}'.`);
  return items;
}

/** Splits on commas that are not inside parentheses: `members($select=id,displayName),owners`. */
function splitTopLevel(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  if (depth !== 0 || parts.some((p) => p === '')) throw badRequest(`Syntax error in $expand '${value}'.`);
  return parts;
}

function parseExpandItem(item: string): ExpandItem {
  const m = /^([A-Za-z][\w.]*)(?:\((.*)\))?$/.exec(item);
  if (!m) throw badRequest(`Syntax error in $expand item '${item}'.`);
  const name = m[1] ?? '';
  const inner = m[2];
  if (inner === undefined || inner.trim() === '') return { name };
  const sel = /^\$?select=(.+)$/i.exec(inner.trim());
  if (!sel) throw badRequest(`Only $select is supported inside $expand: '${item}'.`);
  return { name, select: splitList(sel[1] ?? '', '$select') };
}
