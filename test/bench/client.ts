/**
 * The measuring process (started by bench.ts with --expose-gc and the emulator's CA trusted): runs
 * scenarios 1–4 with our GraphClient and the Graph SDK side by side, and sends the report back.
 */
import { remoteControl, type FailureMessage, type ResultMessage } from './control';
import type { BenchOptions } from './options';
import { peerClient } from './peer';
import { addMembers } from './scenarios/addMembers';
import { cacheScenario } from './scenarios/cache';
import { enumerateUsers, firstScreen } from './scenarios/enumerate';
import { throttledReads } from './scenarios/throttled';
import { fullGc } from './memory';
import type { ClientReport } from './types';
import { oursClient } from './util';

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as BenchOptions;
  const ctl = remoteControl();
  const fx = await ctl.fixture(o.members);
  const token = await ctl.token();
  const contenders = { ours: oursClient(fx.graphUrl, () => token), peer: peerClient(fx.graphUrl, () => token) };
  const progress = (m: string): void => {
    process.stderr.write(`[bench] ${m}\n`);
  };

  await ctl.setLatency(o.latencyMs);
  progress(`directory cache: ${o.cacheRuns} runs each, ${o.perItemMs} ms server time per object`);
  const cache = await cacheScenario(ctl, contenders, { runs: o.cacheRuns, perItemMs: o.perItemMs, progress });
  fullGc();
  if (o.cacheOnly) {
    const report: ClientReport = {
      latencyMs: o.latencyMs,
      cache,
      enumeration: { tenantUsers: fx.tenantUsers, enabledUsers: fx.enabledUsers, expectedRequests: 0, runs: [] },
      firstScreen: [],
      addMembers: [],
      throttled: { ruPer10s: o.ruPer10s, runs: [] },
    };
    const message: ResultMessage = { kind: 'result', report };
    process.send?.(message);
    return;
  }
  progress(`enumerating ${fx.enabledUsers} enabled users of ${fx.tenantUsers}`);
  const enumeration = await enumerateUsers(ctl, fx, contenders);
  fullGc();
  progress('first screen');
  const screen = await firstScreen(ctl, contenders);
  fullGc();
  progress(`adding ${o.members} members, ${o.scenarioRuns} rounds`);
  const add = await addMembers(ctl, fx, contenders, { faultRate: o.faultRate, peerConcurrency: o.peerWriteConcurrency, runs: o.scenarioRuns });
  fullGc();
  progress(`${o.reads} reads under ${o.ruPer10s} RU/10 s, ${o.scenarioRuns} rounds`);
  const throttled = await throttledReads(ctl, fx, contenders, { reads: o.reads, concurrency: o.concurrency, ruPer10s: o.ruPer10s, runs: o.scenarioRuns });

  const report: ClientReport = { latencyMs: o.latencyMs, cache, enumeration, firstScreen: screen, addMembers: add, throttled };
  const message: ResultMessage = { kind: 'result', report };
  process.send?.(message);
}

main().then(
  () => process.disconnect?.(),
  (e: unknown) => {
    const message: FailureMessage = { kind: 'failure', error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    process.send?.(message);
    process.disconnect?.();
  },
);
