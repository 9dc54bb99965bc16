import { GraphClient, type GraphClientOptions } from '../../src/core';
import type { Emulator, RequestLogEntry } from '../emulator';
import { ALL_DELEGATED } from '../support/services';

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
