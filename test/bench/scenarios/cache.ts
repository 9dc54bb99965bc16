/**
 * The directory cache's figures, each from at least five runs (median and range):
 * - the fair enumeration: every user of the tenant with the cached fields, ours (`readAllUsers`: parallel segments
 *   by the UPN's first character, proven against `$count`) against the Graph SDK at `.top(999)` and at its default
 *   page, in alternating order, under the emulator's per-object server time (bench.md, "Cost model");
 * - a warm start, through the extension's own store: the first 100 users of the Users view, from the first screen at
 *   the head of the saved file (F); the whole copy read from the file, brought up to date by its delta and put in the
 *   view's order (its requests W, and its time beside F);
 * - one keystroke of local search over every user;
 * - the memory the copy holds per user (JS heap and ArrayBuffers: compact records, id table, the listing order the
 *   tree pages through, the groups).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import { DirectoryCacheStore } from '../../../src/cache/cacheStore';
import { DirectoryCache, firstPageOf, LocalSearch, readAllUsers, type GraphClient, type User } from '../../../src/core';
import { Select } from '../../../src/core/odata';
import type { ControlApi, Remote } from '../control';
import { wireRequests } from '../logStats';
import { fullGc, fullGcWithBuffers } from '../memory';
import { collectAll, type PageCollection } from '../peer';
import { elapsed, median } from '../util';

export interface Spread {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export interface CacheReport {
  perItemMs: number;
  users: number;
  runs: number;
  enumeration: { label: string; wallMs: Spread; requests: Spread }[];
  fairRatio: number;
  defaultRatio: number;
  warmRequests: Spread;
  firstScreenMs: Spread;
  /** The whole saved copy read, brought up to date and in the view's order: what the first screen stands in for. */
  copyReadyMs: Spread;
  searchMs: Spread;
  keystrokes: number;
  heapPerUser: Spread;
}

const spread = (samples: number[]): Spread => ({ median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples });

interface Contenders {
  ours: GraphClient;
  peer: Client;
}

export async function cacheScenario(ctl: Remote<ControlApi>, c: Contenders, o: { runs: number; perItemMs: number; progress: (m: string) => void }): Promise<CacheReport> {
  const fields = [...Select.userList];
  const peerAll = async (top?: number): Promise<number> => {
    const request = c.peer.api('/users').select(fields);
    const first = (await (top !== undefined ? request.top(top) : request).get()) as PageCollection;
    return (await collectAll<User>(c.peer, first, [])).length;
  };
  const contenders: Array<{ label: string; run: () => Promise<number> }> = [
    {
      label: 'ours readAllUsers() (segments)',
      run: async () => {
        const r = await readAllUsers(c.ours);
        if (!r.success) throw new Error(`readAllUsers failed: ${r.error.code}: ${r.error.message}`);
        return r.data.users.length;
      },
    },
    { label: 'Graph SDK .top(999) + PageIterator', run: () => peerAll(999) },
    { label: 'Graph SDK default page + PageIterator', run: () => peerAll() },
  ];

  await ctl.setServerTime(o.perItemMs);
  const wall = contenders.map(() => [] as number[]);
  const requests = contenders.map(() => [] as number[]);
  let users = 0;
  try {
    for (let round = 0; round < o.runs; round++) {
      // Alternating order: forward on even rounds, backward on odd ones, so no client always runs first or last.
      const order = contenders.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) {
        const contender = contenders[i] as (typeof contenders)[number];
        o.progress(`cache: enumeration round ${round + 1}/${o.runs}: ${contender.label}`);
        await ctl.clearLog();
        fullGc();
        const started = performance.now();
        const count = await contender.run();
        (wall[i] as number[]).push(elapsed(started));
        (requests[i] as number[]).push(wireRequests(await ctl.log()).length);
        if (users === 0) users = count;
        if (count !== users) throw new Error(`${contender.label} read ${count} users, another client ${users}`);
      }
    }
  } finally {
    await ctl.setServerTime(0);
  }
  const enumeration = contenders.map((x, i) => ({ label: x.label, wallMs: spread(wall[i] as number[]), requests: spread(requests[i] as number[]) }));
  const [ours, fair, plain] = enumeration as [typeof enumeration[number], typeof enumeration[number], typeof enumeration[number]];

  // One cold build, saved by the extension's store; then warm starts from the file.
  o.progress('cache: cold build and saved copy');
  const cold = new DirectoryCache();
  const built = await cold.sync(c.ours);
  if (!built.success) throw new Error(`cold sync failed: ${built.error.code}: ${built.error.message}`);
  const saved = JSON.stringify(cold.snapshot());
  const origin = new URL(c.ours.baseUrl).origin;
  const folder = await mkdtemp(join(tmpdir(), 'entra-bench-cache-'));
  const store = new DirectoryCacheStore(URI.file(folder), { info: () => undefined, warn: (m) => o.progress(`cache store: ${m}`) });
  const key = { tenantId: 'bench', graphBaseUrl: c.ours.baseUrl };
  const expected = new LocalSearch(cold).listUsers(0, 100, { includeDisabled: false }).items.map((u) => u.id);
  const warmRequests: number[] = [];
  const firstScreen: number[] = [];
  const copyReady: number[] = [];
  try {
    if (!(await store.save(key, cold))) throw new Error('the copy could not be saved');
    for (let run = 0; run < o.runs; run++) {
      fullGc();
      let started = performance.now();
      const screen = await store.loadFirstScreen(key);
      const page = screen && firstPageOf(screen.enabledUsers, 100);
      firstScreen.push(elapsed(started));
      if (page?.items.map((u) => u.id).join() !== expected.join()) throw new Error('the saved first screen is not the copy\'s first 100 users');

      await ctl.clearLog();
      fullGc();
      started = performance.now();
      const loaded = await store.load(key);
      if (!loaded) throw new Error('saved copy refused');
      const synced = await loaded.sync(c.ours);
      if (!synced.success) throw new Error(`warm sync failed: ${synced.error.code}`);
      const listed = new LocalSearch(loaded).listUsers(0, 100, { includeDisabled: false });
      copyReady.push(elapsed(started));
      if (listed.items.map((u) => u.id).join() !== expected.join()) throw new Error('the copy brought up to date lists other first users');
      warmRequests.push(wireRequests(await ctl.log()).length);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }

  // Search: keystrokes as a person types names and words of the tenant (1 to 6 characters of each).
  o.progress('cache: local search');
  const search = new LocalSearch(cold);
  search.prepare();
  const samples = [...cold.users.values()].filter((_, i) => i % 997 === 0).slice(0, 40);
  const typed: string[] = [];
  for (const u of samples) {
    const word = (u.displayName ?? u.userPrincipalName ?? '').split(/\s+/).at(-1) ?? '';
    for (let n = 1; n <= Math.min(6, word.length); n++) typed.push(word.slice(0, n));
  }
  const searchRounds: number[] = [];
  for (let run = 0; run < o.runs; run++) {
    const times: number[] = [];
    for (const text of typed) {
      const started = performance.now();
      search.matchingUsers(text, 50, { includeDisabled: false });
      times.push(performance.now() - started);
    }
    searchRounds.push(Math.round(median(times) * 1000) / 1000);
  }

  // Heap held per user: a copy loaded from the saved text with its Users view order built, held against released.
  o.progress('cache: heap per user');
  const heap: number[] = [];
  const holder: { copy?: LocalSearch } = {};
  /** Loads a copy into `into` (nothing else keeps a reference to it) with the Users view's order built; its users. */
  const hold = (into: { copy?: LocalSearch }): number => {
    const loaded = DirectoryCache.fromSnapshot(JSON.parse(saved), origin);
    if ('problem' in loaded) throw new Error(loaded.problem);
    into.copy = new LocalSearch(loaded.cache);
    into.copy.listUsers(0, 100, { includeDisabled: false });
    return loaded.cache.users.size;
  };
  for (let run = 0; run < o.runs; run++) {
    const users = hold(holder);
    // Held, then released: the difference is what the copy holds. (Measured the other way round, memory that earlier
    // work frees late — the store's file buffers — would count against the copy, and a small copy could come out below 0.)
    const withCopy = fullGcWithBuffers();
    delete holder.copy;
    const released = fullGcWithBuffers();
    heap.push(Math.round(((withCopy - released) / users) * 10) / 10);
  }

  return {
    perItemMs: o.perItemMs,
    users,
    runs: o.runs,
    enumeration,
    fairRatio: Math.round((ours.wallMs.median / fair.wallMs.median) * 100) / 100,
    defaultRatio: Math.round((ours.wallMs.median / plain.wallMs.median) * 100) / 100,
    warmRequests: spread(warmRequests),
    firstScreenMs: spread(firstScreen),
    copyReadyMs: spread(copyReady),
    searchMs: spread(searchRounds),
    keystrokes: typed.length,
    heapPerUser: spread(heap),
  };
}
