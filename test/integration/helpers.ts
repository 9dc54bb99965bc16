import { setTimeout as delay } from 'node:timers/promises';
import { GraphClient, type GraphClientOptions } from '../../src/core';
import { startEmulator, type ConsistencyConfig, type Emulator, type EmulatorOptions, type RequestLogEntry } from '../emulator';
import { ALL_DELEGATED } from '../support/services';

/** Changes reach reads 0.1–1 s after they are made: Graph's replication, shortened to keep the suite quick. */
export const REPLICATION_DELAY_MS: ConsistencyConfig['replicationDelayMs'] = [100, 1000];

/**
 * The emulator as the integration suite runs it: eventually consistent (its replication model on, seeded by the
 * tenant seed) and with server time per object. Elsewhere the model stays off unless asked for.
 */
export function startIntegrationEmulator(o: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ consistency: { replicationDelayMs: REPLICATION_DELAY_MS, seed: o.seed ?? 1 }, serverTime: { perItemMs: 0.02 }, ...o });
}

export function delegatedClient(emu: Emulator, options: Partial<GraphClientOptions> = {}): GraphClient {
  return new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED })), ...options });
}

export function appClient(emu: Emulator, options: Partial<GraphClientOptions> = {}): GraphClient {
  return new GraphClient({
    baseUrl: emu.graphUrl,
    getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'app', roles: ['Directory.ReadWrite.All', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All'] })),
    ...options,
  });
}

/** Graph requests only (the identity endpoints and control routes are not Graph). */
export function graphRequests(emu: Emulator): RequestLogEntry[] {
  return emu.log.filter((e) => e.path.startsWith('/v1.0/') && e.batchParent === undefined);
}

export function assertOk<T>(r: { success: true; data: T } | { success: false; error: { code: string; message: string } }): T {
  if (!r.success) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.data;
}

export function assertFail(r: { success: boolean; error?: { code: string } }, code: string): void {
  if (r.success) throw new Error(`expected failure ${code}, got success`);
  if (r.error?.code !== code) throw new Error(`expected ${code}, got ${r.error?.code}`);
}

/**
 * A group created a moment ago reaches reads, and writes that address it, only once it has replicated (Graph's
 * eventual consistency, modelled in test/emulator/directory/replication.ts): reads it until it is there.
 */
export async function untilReadable(emu: Emulator, groupId: string, timeoutMs = 5000): Promise<void> {
  const client = delegatedClient(emu);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.getGroup(groupId);
    if (r.success) return;
    if (Date.now() > deadline) throw new Error(`group ${groupId} was still not readable after ${timeoutMs} ms: ${r.error.code}`);
    await delay(50);
  }
}
