/**
 * The benchmark report over several rounds: the summary line's write units and time/floor are medians over the rounds,
 * failures are summed (one failing round shows), and each client's rows are grouped in the order the clients first ran.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byLabel, summaryLine } from '../bench/report';
import type { Spread } from '../bench/scenarios/cache';
import type { AddMembersRun, ClientReport, ThrottledRun } from '../bench/types';

const spread = (median: number): Spread => ({ median, min: median, max: median, samples: [median] });

function add(round: number, label: string, writeUnits: number): AddMembersRun {
  return { label, round, faultRate: 0, members: 500, requests: 2, wallMs: 100, writeUnits, faultsInjected: 0, added: 500, alreadyMembers: 0, failed: 0, finalMembers: 500, mismatches: 0 };
}

function read(round: number, label: string, failures: number, strictRatio: number): ThrottledRun {
  return { label, round, reads: 10, concurrency: 2, wallMs: 1000, requests: 10, throttled: 0, failures, resourceUnits: 10, limitMs: 1000, strictLimitMs: 900, ratio: 1, strictRatio };
}

function report(addMembers: AddMembersRun[], runs: ThrottledRun[]): ClientReport {
  return {
    latencyMs: 0,
    cache: {
      perItemMs: 0, users: 1, runs: 1, enumeration: [], fairRatio: 0.3, defaultRatio: 0.1,
      warmRequests: spread(2), firstScreenMs: spread(3), copyReadyMs: spread(50), searchMs: spread(1), keystrokes: 1, heapPerUser: spread(120),
    },
    enumeration: { tenantUsers: 1, enabledUsers: 1, expectedRequests: 1, runs: [] },
    firstScreen: [],
    addMembers,
    throttled: { ruPer10s: 100, runs },
  };
}

describe('benchmark report over rounds', () => {
  const SDK10 = 'Graph SDK + RetryHandler, 10 retries';
  const c = report(
    [add(0, 'ours addMembersToGroup', 25), add(0, 'Graph SDK POST $ref ×500', 500), add(1, 'Graph SDK POST $ref ×500', 500), add(1, 'ours addMembersToGroup', 27), add(2, 'ours addMembersToGroup', 26)],
    [read(0, 'ours GraphClient', 0, 1.1), read(0, SDK10, 3, 2), read(1, SDK10, 0, 2), read(1, 'ours GraphClient', 1, 1.3), read(2, 'ours GraphClient', 0, 1.2)],
  );

  it('the summary reads medians of write units and time/floor, and failures summed over every round', () => {
    const line = summaryLine(c, undefined, undefined);
    assert.match(line, /add500 write units 26 vs 500;/);
    assert.match(line, /throttled failures 1 vs SDK\(10 retries\) 3, time\/floor 1\.20;/);
  });

  it('groups each client\'s runs in the order the clients first ran', () => {
    assert.deepEqual(byLabel(c.throttled.runs).map((g) => [g.label, g.runs.map((r) => r.round)]), [['ours GraphClient', [0, 1, 2]], [SDK10, [0, 1]]]);
  });
});
