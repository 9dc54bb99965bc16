/**
 * 1. Enumerate every enabled user (the tree's fields), ours against the Graph SDK at its default page size
 *    and at .top(999); requests, wall time, bytes, peak heap/RSS and heap held per user.
 * 2. First screen: time and requests until the first 100 users are there.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { GraphClient, User } from '../../../src/core';
import { Select } from '../../../src/core/odata';
import type { Remote, ControlApi, Fixture } from '../control';
import { wireRequests } from '../logStats';
import { fullGc, withPeaks, type MemoryPeaks } from '../memory';
import { collectAll, type PageCollection } from '../peer';
import type { EnumerationResult, EnumerationRun, FirstScreenRun } from '../types';
import { elapsed } from '../util';

const FULL_PAGE = 999;
const SCREEN = 100;

interface Contenders {
  ours: GraphClient;
  peer: Client;
}

/** A list the run produced and its length; `hold` keeps it reachable until it has been measured. */
interface Held {
  count: number;
  hold: unknown;
}

async function measure(ctl: Remote<ControlApi>, label: string, pageSize: EnumerationRun['pageSize'], run: () => Promise<Held>): Promise<EnumerationRun> {
  await ctl.clearLog();
  const before = await ctl.stats();
  fullGc();
  const started = performance.now();
  let measured: { value: Held | undefined; peaks: MemoryPeaks } | undefined = await withPeaks(run);
  const wallMs = elapsed(started);
  const after = await ctl.stats();
  const requests = wireRequests(await ctl.log()).length;
  const { peaks } = measured;
  const count = measured.value?.count ?? 0;
  // Retained by the list = heap with it held − heap once it is let go (one-time allocations cancel out).
  const withList = fullGc();
  measured.value = undefined;
  measured = undefined;
  const withoutList = fullGc();
  return {
    label,
    pageSize,
    users: count,
    requests,
    wallMs,
    bytes: after.bytesSent - before.bytesSent,
    peakHeapDelta: peaks.peakHeap - peaks.baseHeap,
    peakRssDelta: peaks.peakRss - peaks.baseRss,
    peakHeap: peaks.peakHeap,
    peakRss: peaks.peakRss,
    heapPerUser: count > 0 ? Math.round(((withList - withoutList) / count) * 10) / 10 : 0,
  };
}

export async function enumerateUsers(ctl: Remote<ControlApi>, fx: Fixture, c: Contenders): Promise<EnumerationResult> {
  const fields = [...Select.userList];
  const peerFirst = (top?: number): Promise<PageCollection> => {
    const request = c.peer.api('/users').filter('accountEnabled eq true').select(fields);
    return (top !== undefined ? request.top(top) : request).get() as Promise<PageCollection>;
  };
  // Warm-up, not measured: one full enumeration by each client at 999 a page, so that connections, JIT
  // and the heap's grown size are already there for every measured run, whichever goes first.
  const warmUp = async (): Promise<number> => {
    const ours = await c.ours.getOrganizationUsers();
    if (!ours.success) throw new Error(`getOrganizationUsers failed: ${ours.error.code}: ${ours.error.message}`);
    return ours.data.length + (await collectAll<User>(c.peer, await peerFirst(FULL_PAGE), [])).length;
  };
  await warmUp();

  const runs: EnumerationRun[] = [];
  runs.push(
    await measure(ctl, 'ours getOrganizationUsers()', FULL_PAGE, async () => {
      const r = await c.ours.getOrganizationUsers();
      if (!r.success) throw new Error(`getOrganizationUsers failed: ${r.error.code}: ${r.error.message}`);
      return { count: r.data.length, hold: r.data };
    }),
  );
  runs.push(
    await measure(ctl, 'ours tree fields, compact: getOrganizationUserList()', FULL_PAGE, async () => {
      const r = await c.ours.getOrganizationUserList();
      if (!r.success) throw new Error(`getOrganizationUserList failed: ${r.error.code}: ${r.error.message}`);
      return { count: r.data.length, hold: r.data };
    }),
  );
  runs.push(
    await measure(ctl, 'Graph SDK, default page + PageIterator', 'default', async () => {
      const users = await collectAll<User>(c.peer, await peerFirst(), []);
      return { count: users.length, hold: users };
    }),
  );
  runs.push(
    await measure(ctl, 'Graph SDK .top(999) + PageIterator', FULL_PAGE, async () => {
      const users = await collectAll<User>(c.peer, await peerFirst(FULL_PAGE), []);
      return { count: users.length, hold: users };
    }),
  );
  return { tenantUsers: fx.tenantUsers, enabledUsers: fx.enabledUsers, expectedRequests: Math.max(1, Math.ceil(fx.enabledUsers / FULL_PAGE)), runs };
}

export async function firstScreen(ctl: Remote<ControlApi>, c: Contenders): Promise<FirstScreenRun[]> {
  const fields = [...Select.userList];
  const run = async (label: string, fn: () => Promise<number>): Promise<FirstScreenRun> => {
    await ctl.clearLog();
    const started = performance.now();
    const users = await fn();
    const wallMs = elapsed(started);
    return { label, users, requests: wireRequests(await ctl.log()).length, wallMs };
  };
  return [
    await run('ours usersPage({ pageSize: 100 })', async () => {
      const r = await c.ours.usersPage({ pageSize: SCREEN });
      if (!r.success) throw new Error(`usersPage failed: ${r.error.code}`);
      return r.data.items.length;
    }),
    await run('Graph SDK first page', async () => {
      const page = (await c.peer.api('/users').filter('accountEnabled eq true').select(fields).get()) as PageCollection;
      return page.value.length;
    }),
  ];
}
