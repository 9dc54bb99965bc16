/** Counting what the emulator saw: requests, identity write units, throttling, resource units. */
import { Throttler } from '../emulator/runtime/throttle';
import type { CostKind } from '../emulator/graph/router';
import type { LogRecord } from './control';

const GRAPH = /^\/v1\.0(\/|$)/;
const BATCH = /^\/v1\.0\/\$batch\/?$/i;

/** Requests that went over the wire to Graph ($batch counts once; its items do not). */
export function wireRequests(log: readonly LogRecord[]): LogRecord[] {
  return log.filter((e) => GRAPH.test(e.path) && e.batchParent === undefined);
}

/** Identity write units: every PATCH/POST/PUT/DELETE Graph executed or was asked to, $batch items included, the $batch envelope not. */
export function writeUnits(log: readonly LogRecord[]): number {
  return log.filter((e) => GRAPH.test(e.path) && e.method !== 'GET' && !BATCH.test(e.path)).length;
}

export function throttledAnswers(log: readonly LogRecord[]): number {
  return log.filter((e) => e.throttled === true).length;
}

export function injectedFaults(log: readonly LogRecord[]): number {
  return log.filter((e) => e.fault !== undefined).length;
}

/** The resource-unit class Graph's identity throttling assigns to a request (as the emulator routes it). */
export function costKind(method: string, path: string): CostKind {
  if (method !== 'GET') return 'write';
  const parts = path.replace(GRAPH, '').split('/').filter(Boolean);
  if (parts.includes('$count')) return 'otherGet';
  const [head, , nav] = parts.map((p) => p.toLowerCase());
  if (head === 'users' && parts.length === 1) return 'usersList';
  if (head === 'groups' && nav === 'members') return parts[3] === undefined || parts[3] === '$ref' || parts[3].startsWith('microsoft.graph.') ? 'members' : 'otherGet';
  if (head === 'groups' && nav === 'transitivemembers') return 'transitiveMembers';
  const rel = head === 'me' ? parts[1]?.toLowerCase() : nav;
  if (rel === 'memberof' || rel === 'transitivememberof') return 'memberOf';
  return 'otherGet';
}

/** Resource units the limit charged: every Graph read or write that was neither throttled nor faulted. */
export function resourceUnits(log: readonly LogRecord[]): number {
  let total = 0;
  for (const e of log) {
    if (!GRAPH.test(e.path) || BATCH.test(e.path) || e.throttled || e.fault !== undefined) continue;
    const query = new URLSearchParams(e.rawUrl.includes('?') ? e.rawUrl.slice(e.rawUrl.indexOf('?') + 1) : '');
    const top = query.get('$top');
    total += Throttler.cost(costKind(e.method, e.path), {
      ...(query.has('$select') ? { select: query.get('$select') } : {}),
      ...(query.has('$expand') ? { expand: query.get('$expand') } : {}),
      ...(top !== null ? { top: Number(top) } : {}),
    });
  }
  return total;
}
