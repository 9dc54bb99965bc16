/**
 * Smoke test of `npm run bench`: every scenario at tiny sizes (latency 0), checking the summary line's shape
 * and the invariants that do not depend on timing. Timings at this size mean nothing and are not asserted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UserList } from '../../src/core';
import { runBench } from '../bench/bench';
import { parseArgs } from '../bench/options';
import type { HostActivationResult } from '../bench/hostActivation';
import { markdown, summaryLine } from '../bench/report';
import type { BenchReport } from '../bench/types';
import { startEmulator, type Emulator } from '../emulator';
import { appClient, assertOk } from '../integration/helpers';

const SUMMARY =
  /^bench: enumerate100k fair ratio \d+\.\d\d, default ratio \d+\.\d\d, requests (\d+); warm start requests (\d+), first screen \d+ ms; search100k \d+\.\d\d ms; tree heap \d+ bytes\/user; add500 write units (\d+) vs 500; throttled failures (\d+) vs SDK\(10 retries\) (\d+), time\/floor (\d+\.\d\d|n\/a); bundle \d+ KB; activation host (\d+|n\/a) ms$/;

describe('bench (smoke, tiny sizes)', { timeout: 120_000 }, () => {
  let report: BenchReport;
  const options = { ...parseArgs(['--smoke']), outDir: undefined };

  before(async () => {
    report = await runBench(options, () => undefined);
  });

  it('ends with the summary line in the agreed shape', () => {
    const m = SUMMARY.exec(report.summary);
    assert.ok(m, report.summary);
    const k = report.client.cache;
    assert.equal(Number(m[1]), k.enumeration[0]?.requests.median);
    assert.equal(Number(m[2]), 2, 'a warm start with nothing changed: one delta request per kind');
    assert.equal(Number(m[3]), report.client.addMembers[0]?.writeUnits);
    assert.equal(Number(m[4]), 0);
  });

  it('the directory cache: every client reads every user; the figures come from the runs asked for', () => {
    const k = report.client.cache;
    assert.equal(k.users, report.client.enumeration.tenantUsers);
    assert.equal(k.enumeration.length, 3);
    for (const e of k.enumeration) assert.equal(e.wallMs.samples.length, options.cacheRuns, e.label);
    // The SDK at 999 a page needs ceil(N/999) requests; at its default page, one per 100.
    assert.equal(k.enumeration[1]?.requests.median, Math.ceil(k.users / 999));
    assert.equal(k.enumeration[2]?.requests.median, Math.ceil(k.users / 100));
    assert.deepEqual(k.warmRequests.samples, Array.from({ length: options.cacheRuns }, () => 2));
    assert.ok(k.heapPerUser.median > 0 && k.keystrokes > 0);
  });

  it('enumerates every enabled user in ceil(N/999) requests; the SDK needs one per 100', () => {
    const e = report.client.enumeration;
    assert.ok(e.enabledUsers > 0 && e.enabledUsers < e.tenantUsers);
    for (const run of e.runs) {
      assert.equal(run.users, e.enabledUsers, run.label);
      const page = run.pageSize === 'default' ? 100 : run.pageSize;
      assert.equal(run.requests, Math.ceil(run.users / page), run.label);
      assert.ok(run.bytes > 0 && run.heapPerUser > 0, run.label);
    }
    assert.ok(e.runs.some((r) => r.label.startsWith('ours tree fields')));
  });

  it('shows the first screen after one request', () => {
    for (const run of report.client.firstScreen) {
      assert.equal(run.requests, 1, run.label);
      assert.equal(run.users, 100, run.label);
    }
  });

  it('adds members in PATCHes of 20 with outcomes that match the final membership, faults or not', () => {
    const [ours, peer, oursFaulty, peerFaulty] = report.client.addMembers;
    assert.ok(ours && peer && oursFaulty && peerFaulty);
    assert.equal(ours.writeUnits, Math.ceil(options.members / 20));
    assert.equal(ours.requests, Math.ceil(options.members / 400));
    assert.equal(peer.writeUnits, options.members);
    for (const run of report.client.addMembers) {
      assert.equal(run.mismatches, 0, run.label);
      assert.equal(run.added + run.alreadyMembers + run.failed, options.members, run.label);
      assert.equal(run.finalMembers, run.added + run.alreadyMembers, run.label);
    }
    // Ours gets every member in despite one fault of each kind; its faults were really injected.
    assert.ok(oursFaulty.faultsInjected >= 4);
    assert.equal(oursFaulty.failed, 0);
    assert.equal(oursFaulty.finalMembers, options.members);
  });

  it('completes every throttled read without a failure, having really been throttled', () => {
    const [ours, peer, peer10] = report.client.throttled.runs;
    assert.ok(ours && peer && peer10);
    assert.equal(peer10.reads, options.reads);
    assert.equal(ours.reads, options.reads);
    assert.equal(ours.failures, 0, ours.firstFailure);
    assert.ok(ours.throttled > 0, 'the limit was reached');
    assert.ok(ours.resourceUnits > options.ruPer10s);
    // The SDK's run is the comparison. Its failures are reported, not judged (whether it gets throttled at all
    // depends on timing), but the count must agree with the log: every read it did not count as failed got at
    // least one answer other than 429, and it names a first failure exactly when it counts one.
    assert.equal(peer.reads, options.reads);
    assert.ok(peer.failures <= peer.reads, `${peer.failures} failures of ${peer.reads} reads`);
    assert.ok(peer.requests - peer.throttled >= peer.reads - peer.failures, `${peer.requests} requests, ${peer.throttled} throttled, ${peer.failures} failures`);
    assert.equal(peer.failures > 0, peer.firstFailure !== undefined, `${peer.failures} failures, first: ${peer.firstFailure ?? 'none'}`);
  });

  it('measures the bundle and an activation that does no network and leaves msal unloaded', () => {
    const f = report.footprint;
    assert.ok(f.extensionBytes > 0 && f.msalBytes > 0 && f.webviewBytes > 0);
    // Activation reads part of the bundle: the rest is in chunks read on first use.
    assert.ok(f.activationFiles >= 1 && f.lazyChunks > 0, `${f.activationFiles} files at activation, ${f.lazyChunks} later`);
    assert.ok(f.extensionBytes < f.allChunksBytes, `${f.extensionBytes} of ${f.allChunksBytes} bytes`);
    assert.equal(f.msalLazy, true);
    assert.equal(f.msalLoadedOnActivate, false);
    assert.equal(f.networkCalls, 0);
    assert.ok(f.activationMs > 0);
  });

  it('launches no code-server: activation in the real extension host is n/a, and the report says why', () => {
    assert.equal(options.hostActivation, false);
    assert.ok(!report.hostActivation.measured);
    assert.match(report.hostActivation.reason, /--smoke/);
    assert.match(report.summary, /; activation host n\/a ms$/);
    assert.ok(markdown(report).includes(report.hostActivation.reason), 'the footprint table names the reason');
  });

  it('when measured, the last line carries the median in the real extension host, and the table its range and runs', () => {
    const sample = (activateMs: number): HostActivationResult['runs'][number] => ({ activateMs, settleMs: 1500, settled: true, network: [], msalLoaded: false, commandsRegistered: 59, commandsDeclared: 59 });
    const host: HostActivationResult = {
      measured: true,
      codeServer: '4.139.1',
      activateMs: { median: 42.4, min: 30.2, max: 61.9, samples: [42.4, 30.2, 61.9] },
      runs: [sample(42.4), sample(30.2), sample(61.9)],
      networkCalls: 0,
      msalLoadedOnActivate: false,
      loadAverage: [1, 1, 1],
    };
    assert.match(summaryLine(report.client, report.footprint, host), /; activation host 42 ms$/);
    const md = markdown({ ...report, hostActivation: host });
    assert.ok(md.includes('| 42.4 ms (30.2–61.9) |'), 'median and range beside the stub figure');
    assert.ok(md.includes('| 3 | 61.9 ms | 1.5 s | 0 | 1.00 |'), 'each run with its idle wait, network calls and load');
    assert.match(md, /activation ≤ 50 ms, no network \(real extension host, median\) \| 42.4 ms, 0 network calls \| ✅/);
  });
});

describe('bench options: activation in the real extension host', () => {
  it('is measured 5 times by default, in a fresh code-server each, and can be narrowed or left out', () => {
    assert.deepEqual([parseArgs([]).hostActivation, parseArgs([]).hostActivationRuns], [true, 5]);
    assert.equal(parseArgs(['--activation-runs', '7']).hostActivationRuns, 7);
    assert.equal(parseArgs(['--no-host-activation']).hostActivation, false);
    const only = parseArgs(['--smoke', '--activation-only']);
    assert.deepEqual([only.activationOnly, only.hostActivation, only.table], [true, true, 'no']);
    assert.throws(() => parseArgs(['--activation-runs', '0']), /--activation-runs needs a number ≥ 1/);
  });
});

describe('UserList (what the compact enumeration holds)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ users: 120, groups: 5 });
  });
  after(() => emu.close());

  it('gives back the same users as getOrganizationUsers, field for field, hostile values included', async () => {
    const client = appClient(emu);
    const plain = assertOk(await client.getOrganizationUsers({ includeDisabled: true }));
    const compact = assertOk(await client.getOrganizationUserList({ includeDisabled: true }));
    assert.equal(compact.length, plain.length);
    assert.deepEqual(compact.toArray(), plain);
    assert.deepEqual(compact.at(-1), plain.at(-1));
    assert.equal(compact.idAt(3), plain[3]?.id);
    assert.equal(compact.at(plain.length), undefined);
    assert.deepEqual(UserList.from(plain).toArray(), plain);
    const some = assertOk(await client.getOrganizationUserList({ maxItems: 7 }));
    assert.equal(some.length, 7);
  });
});
