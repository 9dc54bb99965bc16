/**
 * The measured clients run in their own process, so that the emulator's tenant, request log and CPU
 * do not show up in their heap, RSS or event loop. This is the typed IPC between that process and the
 * one holding the emulator: the client asks, the emulator's process answers from the emulator's API.
 */
import type { ChildProcess } from 'node:child_process';
import type { Emulator, EmulatorStats, FaultConfig, RequestLogEntry, ScriptedFault, ThrottleConfig } from '../emulator';
import type { ClientReport } from './types';

/** One request as the emulator logged it, without headers and bodies. */
export interface LogRecord {
  seq: number;
  method: string;
  path: string;
  rawUrl: string;
  status: number;
  batchParent?: number;
  fault?: string;
  throttled?: boolean;
}

/** Directory objects the scenarios work on, chosen once from the tenant. */
export interface Fixture {
  graphUrl: string;
  tenantUsers: number;
  enabledUsers: number;
  /** Distinct enabled users to add to a group. */
  memberIds: string[];
  /** Users to read (profile, manager, groups). */
  readUserIds: string[];
  /** Assigned-membership groups that have members. */
  readGroupIds: string[];
  /** Terms that find a few groups each. */
  searchTerms: string[];
}

export interface ControlApi {
  fixture: (members: number) => Fixture;
  token: () => string;
  stats: () => EmulatorStats;
  clearLog: () => void;
  log: () => LogRecord[];
  setLatency: (ms: number) => void;
  /** The emulator's server time per object read or written (0 = none): its cost model, bench.md. */
  setServerTime: (perItemMs: number) => void;
  setFaults: (cfg: FaultConfig | null) => void;
  scriptFaults: (faults: ScriptedFault[]) => void;
  setThrottle: (cfg: ThrottleConfig | false) => void;
  members: (groupId: string) => string[];
}

export type Remote<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never };

type Method = keyof ControlApi;
interface CallMessage {
  kind: 'call';
  id: number;
  method: Method;
  args: unknown[];
}
interface ReplyMessage {
  kind: 'reply';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}
export interface ResultMessage {
  kind: 'result';
  report: ClientReport;
}
export interface FailureMessage {
  kind: 'failure';
  error: string;
}
export type ClientMessage = CallMessage | ResultMessage | FailureMessage;

const APP_ROLES = ['Directory.ReadWrite.All', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All'];

/** The emulator side: answers the client's calls from `emu`. */
export function controlApi(emu: Emulator): ControlApi {
  return {
    fixture: (members) => fixture(emu, members),
    token: () => emu.issueToken({ kind: 'app', roles: APP_ROLES, expiresInSec: 6 * 3600 }),
    stats: () => emu.stats(),
    clearLog: () => emu.clearLog(),
    log: () => emu.log.map(toRecord),
    setLatency: (ms) => emu.setLatency(ms),
    setServerTime: (perItemMs) => emu.setServerTime(perItemMs > 0 ? { perItemMs } : false),
    setFaults: (cfg) => emu.setFaults(cfg ?? undefined),
    scriptFaults: (faults) => emu.scriptFaults(faults),
    setThrottle: (cfg) => emu.setThrottle(cfg),
    members: (groupId) => emu.state.membersOf(groupId),
  };
}

export function serveControl(child: ChildProcess, api: ControlApi, onMessage: (m: ResultMessage | FailureMessage) => void): void {
  child.on('message', (raw: ClientMessage) => {
    if (raw.kind !== 'call') {
      onMessage(raw);
      return;
    }
    let reply: ReplyMessage;
    try {
      const fn = api[raw.method] as (...args: unknown[]) => unknown;
      const value = fn(...raw.args);
      reply = { kind: 'reply', id: raw.id, ok: true, ...(value !== undefined ? { value } : {}) };
    } catch (e) {
      reply = { kind: 'reply', id: raw.id, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    if (child.connected) child.send(reply);
  });
}

/** The client side: the same API, over the IPC channel to the parent process. */
export function remoteControl(): Remote<ControlApi> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('The bench client must be started with an IPC channel.');
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  process.on('message', (m: ReplyMessage) => {
    if (m.kind !== 'reply') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.error ?? 'control call failed'));
  });
  const call =
    <K extends Method>(method: K) =>
    (...args: Parameters<ControlApi[K]>): Promise<ReturnType<ControlApi[K]>> =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        const message: CallMessage = { kind: 'call', id, method, args };
        send(message);
      });
  return {
    fixture: call('fixture'),
    token: call('token'),
    stats: call('stats'),
    clearLog: call('clearLog'),
    log: call('log'),
    setLatency: call('setLatency'),
    setServerTime: call('setServerTime'),
    setFaults: call('setFaults'),
    scriptFaults: call('scriptFaults'),
    setThrottle: call('setThrottle'),
    members: call('members'),
  };
}

function toRecord(e: RequestLogEntry): LogRecord {
  return {
    seq: e.seq,
    method: e.method,
    path: e.path,
    rawUrl: e.rawUrl,
    status: e.status,
    ...(e.batchParent !== undefined ? { batchParent: e.batchParent } : {}),
    ...(e.fault !== undefined ? { fault: e.fault } : {}),
    ...(e.throttled ? { throttled: true } : {}),
  };
}

function fixture(emu: Emulator, members: number): Fixture {
  const state = emu.state;
  const enabled: string[] = [];
  let tenantUsers = 0;
  let enabledUsers = 0;
  const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  for (const u of state.users()) {
    tenantUsers++;
    if (!u.accountEnabled) continue;
    enabledUsers++;
    if (GUID.test(u.id) && u.id !== state.adminUserId) enabled.push(u.id);
  }
  if (enabled.length < members) throw new Error(`The tenant has ${enabled.length} enabled users; ${members} members were asked for.`);
  // Spread the picks over the whole tenant, deterministically.
  const pick = (n: number, offset: number): string[] => {
    const step = Math.max(1, Math.floor(enabled.length / n));
    return Array.from({ length: Math.min(n, enabled.length) }, (_, i) => enabled[(offset + i * step) % enabled.length] as string);
  };
  const groups = [...state.groups()].filter(
    (g) => !g.groupTypes.includes('DynamicMembership') && state.membersOf(g.id).length > 0 && state.membersOf(g.id).length <= 500,
  );
  const terms = new Set<string>();
  for (const g of groups) {
    const word = /^[A-Za-z]{4,}/.exec(g.displayName)?.[0];
    if (word) terms.add(word);
    if (terms.size >= 20) break;
  }
  return {
    graphUrl: emu.graphUrl,
    tenantUsers,
    enabledUsers,
    memberIds: pick(members, 3),
    readUserIds: pick(500, 5),
    readGroupIds: groups.slice(0, 50).map((g) => g.id),
    searchTerms: [...terms],
  };
}
