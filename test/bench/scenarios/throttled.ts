/**
 * 4. A mixed read workload under Graph's identity read limit (resource units per 10 s, enforced by the
 *    emulator): ours against the Graph SDK with its RetryHandler, the same requests, the same concurrency.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { GraphClient, Result } from '../../../src/core';
import { searchAny, Select } from '../../../src/core/odata';
import type { ControlApi, Fixture, Remote } from '../control';
import { resourceUnits, throttledAnswers, wireRequests } from '../logStats';
import { RetryHandlerOptions, type GraphRequest, type MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { collectAll, peerStatus, type PageCollection } from '../peer';
import type { ThrottledResult, ThrottledRun } from '../types';
import { elapsed, pool, seeded } from '../util';

type Read =
  | { kind: 'profile'; userId: string }
  | { kind: 'manager'; userId: string }
  | { kind: 'members'; groupId: string }
  | { kind: 'userGroups'; userId: string }
  | { kind: 'group'; groupId: string }
  | { kind: 'search'; term: string };

const MIX: Array<[Read['kind'], number]> = [
  ['profile', 30],
  ['manager', 20],
  ['members', 15],
  ['userGroups', 15],
  ['group', 10],
  ['search', 10],
];
const PAGE = 100;

export function workload(fx: Fixture, count: number, seed = 42): Read[] {
  const rnd = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const total = MIX.reduce((n, [, w]) => n + w, 0);
  const reads: Read[] = [];
  for (let i = 0; i < count; i++) {
    let r = rnd() * total;
    const kind = (MIX.find(([, w]) => (r -= w) < 0) ?? MIX[0])?.[0] ?? 'profile';
    switch (kind) {
      case 'profile':
      case 'manager':
      case 'userGroups':
        reads.push({ kind, userId: pick(fx.readUserIds) });
        break;
      case 'members':
      case 'group':
        reads.push({ kind, groupId: pick(fx.readGroupIds) });
        break;
      case 'search':
        reads.push({ kind, term: pick(fx.searchTerms) });
        break;
    }
  }
  return reads;
}

function oursRead(c: GraphClient, r: Read): Promise<Result<unknown>> {
  switch (r.kind) {
    case 'profile':
      return c.getProfile(r.userId);
    case 'manager':
      return c.getManager(r.userId);
    case 'members':
      return c.groupMembersPage(r.groupId, { pageSize: PAGE });
    case 'userGroups':
      return c.userGroupsPage(r.userId, { pageSize: PAGE });
    case 'group':
      return c.getGroup(r.groupId);
    case 'search':
      return c.searchGroups(r.term);
  }
}

/**
 * The same Graph requests through the SDK; `retries`: its RetryHandler's maximum for each request (the SDK's own
 * default of 3 when undefined; 10 is the most RetryHandlerOptions accepts).
 */
async function peerRead(c: Client, r: Read, retries?: number): Promise<void> {
  const options: MiddlewareOptions[] = retries !== undefined ? [new RetryHandlerOptions(undefined, retries)] : [];
  const api = (path: string): GraphRequest => c.api(path).middlewareOptions(options);
  switch (r.kind) {
    case 'profile':
      await api(`/users/${r.userId}`).select([...Select.userProfile]).get();
      return;
    case 'manager':
      try {
        await api(`/users/${r.userId}/manager`).select([...Select.directoryObject]).get();
      } catch (e) {
        if (peerStatus(e) !== 404) throw e; // no manager is an answer, not a failure
      }
      return;
    case 'members':
      await api(`/groups/${r.groupId}/members`).select([...Select.memberObject]).top(PAGE).get();
      return;
    case 'userGroups':
      await api(`/users/${r.userId}/memberOf/microsoft.graph.group`).header('ConsistencyLevel', 'eventual').count(true).select([...Select.group]).top(PAGE).get();
      return;
    case 'group':
      await api(`/groups/${r.groupId}`).select([...Select.group, 'membershipRule']).get();
      return;
    case 'search': {
      const first = (await api('/groups')
        .header('ConsistencyLevel', 'eventual')
        .search(searchAny(['displayName', 'description'], r.term))
        .orderby('displayName')
        .count(true)
        .select([...Select.group, 'membershipRule'])
        .top(999)
        .get()) as PageCollection;
      await collectAll(c, first, [], { headers: { ConsistencyLevel: 'eventual' }, middlewareOptions: options });
      return;
    }
  }
}

export interface ThrottledOptions {
  reads: number;
  concurrency: number;
  ruPer10s: number;
  /** Rounds: each client once a round, forward on even rounds and backward on odd ones. */
  runs: number;
}

export async function throttledReads(ctl: Remote<ControlApi>, fx: Fixture, c: { ours: GraphClient; peer: Client }, o: ThrottledOptions): Promise<ThrottledResult> {
  const reads = workload(fx, o.reads);
  const run = async (round: number, label: string, read: (r: Read) => Promise<string | undefined>): Promise<ThrottledRun> => {
    await ctl.clearLog();
    await ctl.setThrottle({ ruPer10s: o.ruPer10s });
    let failures = 0;
    let firstFailure: string | undefined;
    const started = performance.now();
    try {
      await pool(reads, o.concurrency, async (r) => {
        const problem = await read(r);
        if (problem !== undefined) {
          failures++;
          firstFailure ??= `${r.kind}: ${problem}`;
        }
      });
    } finally {
      await ctl.setThrottle(false);
    }
    const wallMs = elapsed(started);
    const log = await ctl.log();
    const ru = resourceUnits(log);
    const perMs = o.ruPer10s / 10_000;
    const limitMs = ru / perMs;
    const strictLimitMs = Math.max(0, ru - o.ruPer10s) / perMs;
    return {
      label,
      round,
      reads: reads.length,
      concurrency: o.concurrency,
      wallMs,
      requests: wireRequests(log).length,
      throttled: throttledAnswers(log),
      failures,
      ...(firstFailure !== undefined ? { firstFailure } : {}),
      resourceUnits: ru,
      limitMs: Math.round(limitMs),
      strictLimitMs: Math.round(strictLimitMs),
      ratio: round2(wallMs / limitMs),
      strictRatio: strictLimitMs > 0 ? round2(wallMs / strictLimitMs) : Number.NaN,
    };
  };
  const sdk = (retries?: number) => async (r: Read): Promise<string | undefined> => {
    try {
      await peerRead(c.peer, r, retries);
      return undefined;
    } catch (e) {
      return `${peerStatus(e)} ${e instanceof Error ? e.message.slice(0, 80) : String(e)}`;
    }
  };
  const contenders: Array<[string, (r: Read) => Promise<string | undefined>]> = [
    ['ours GraphClient', async (r) => {
      const result = await oursRead(c.ours, r);
      return result.success ? undefined : `${result.error.code} (${result.error.status ?? '-'})`;
    }],
    ['Graph SDK + RetryHandler', sdk()],
    ['Graph SDK + RetryHandler, 10 retries', sdk(10)],
  ];
  const runs: ThrottledRun[] = [];
  for (let round = 0; round < o.runs; round++) {
    for (const [label, read] of round % 2 === 0 ? contenders : [...contenders].reverse()) runs.push(await run(round, label, read));
  }
  return { ruPer10s: o.ruPer10s, runs };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
