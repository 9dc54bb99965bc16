/**
 * Child processes that cannot outlive the harness.
 *
 * Every child starts in its own process group (`detached: true`), so stopping it signals the whole group —
 * code-server's extension hosts and file watchers included. Groups are stopped with SIGTERM, then SIGKILL
 * after a grace period; on SIGINT/SIGTERM all groups are stopped and the registered cleanups run before exiting,
 * and a last synchronous SIGKILL sweep runs at process exit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { log, sleep } from './log';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnManagedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Print the child's output as it arrives, each line prefixed with the process name. */
  echo?: boolean;
}

export interface ManagedProcess {
  readonly name: string;
  /** PID of the leader, which is also the process-group id. */
  readonly pid: number;
  /** Settles when the leader exits (its group may still have members; `stop()` takes care of those). */
  readonly exited: Promise<ExitInfo>;
  /** Whether the leader has exited. */
  hasExited(): boolean;
  /** Combined stdout and stderr so far (the last 2 MB). */
  output(): string;
  /** SIGTERM the group, SIGKILL it after the grace period; resolves when no member is left. */
  stop(): Promise<void>;
}

export interface PsRow {
  pid: number;
  ppid: number;
  pgid: number;
  stat: string;
  args: string;
}

const KILL_GRACE_MS = 3000;
const OUTPUT_CAP = 2 * 1024 * 1024;

const running = new Map<number, ManagedProcess>();
/** Every group ever started, so a final check can prove none survived. */
const startedGroups = new Set<number>();
const cleanups: Array<{ name: string; fn: () => Promise<void> | void }> = [];
let handlersInstalled = false;
let shuttingDown = false;

/** Starts `command` in its own process group and records it until it is stopped. */
export function spawnManaged(name: string, command: string, args: readonly string[], options: SpawnManagedOptions = {}): ManagedProcess {
  installSignalHandlers();
  // Code still running while a signal is handled must not start what the shutdown has already stopped.
  if (shuttingDown) throw new Error(`${name}: not started, the harness is shutting down`);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    throw new Error(`${name}: could not start ${command}`);
  }
  const pid = child.pid;
  startedGroups.add(pid);

  let buffer = '';
  let exitedFlag = false;
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    buffer = (buffer + text).slice(-OUTPUT_CAP);
    if (options.echo) {
      for (const line of text.split('\n')) if (line.trim()) console.log(`  [${name}] ${line}`);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      buffer += `\n${error.message}`;
      exitedFlag = true;
      resolve({ code: null, signal: null });
    });
  });

  const managed: ManagedProcess = {
    name,
    pid,
    exited,
    hasExited: () => exitedFlag,
    output: () => buffer,
    stop: async () => {
      await killGroup(pid);
      if (!exitedFlag) await Promise.race([exited, sleep(1000)]);
      running.delete(pid);
    },
  };
  running.set(pid, managed);
  void exited.then(() => {
    // The leader is gone; keep the record only while other members of its group remain.
    if (groupMembers(pid).length === 0) running.delete(pid);
  });
  return managed;
}

/** Runs a command to completion (its whole group is stopped afterwards) and fails with its output when it exits non-zero. */
export async function runToCompletion(name: string, command: string, args: readonly string[], options: SpawnManagedOptions & { timeoutMs?: number } = {}): Promise<string> {
  const child = spawnManaged(name, command, args, options);
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const result = await Promise.race([child.exited, timeout]);
    if (result === 'timeout') {
      throw new Error(`${name} did not finish within ${timeoutMs / 1000} s\n${tail(child.output())}`);
    }
    if (result.code !== 0) {
      throw new Error(`${name} failed (exit ${result.code ?? result.signal ?? 'unknown'}): ${command} ${args.join(' ')}\n${tail(child.output())}`);
    }
    return child.output();
  } finally {
    clearTimeout(timer);
    await child.stop();
  }
}

/** Registers work to do when the harness is interrupted (closing the emulator, the browser…); runs last-in first-out. */
export function onShutdown(name: string, fn: () => Promise<void> | void): () => void {
  installSignalHandlers();
  const entry = { name, fn };
  cleanups.push(entry);
  return () => {
    const index = cleanups.indexOf(entry);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

/** Stops every process group still recorded. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running.values()].map((p) => p.stop()));
}

/** PIDs of the groups still recorded as running. */
export function runningGroups(): number[] {
  return [...running.keys()];
}

/**
 * Processes that should not exist any more: members of any group this harness started, and any process whose
 * command line contains one of `markers` (e.g. the run's temporary folder, which code-server and Chromium carry in their arguments).
 */
export function findSurvivors(markers: readonly string[] = []): PsRow[] {
  return listProcesses().filter(
    (row) => row.pid !== process.pid && !row.stat.startsWith('Z') && (startedGroups.has(row.pgid) || markers.some((m) => m && row.args.includes(m))),
  );
}

export function listProcesses(): PsRow[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' });
  if (ps.status !== 0) throw new Error(`ps failed: ${ps.stderr}`);
  const rows: PsRow[] = [];
  for (const line of ps.stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid, ppid, pgid, stat, args] = match;
    if (pid === undefined || ppid === undefined || pgid === undefined || stat === undefined || args === undefined) continue;
    if (Number(pid) === ps.pid) continue;
    rows.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), stat, args });
  }
  return rows;
}

/** Live (non-zombie) members of a process group. */
export function groupMembers(pgid: number): PsRow[] {
  return listProcesses().filter((row) => row.pgid === pgid && !row.stat.startsWith('Z'));
}

async function killGroup(pgid: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + KILL_GRACE_MS;
  while (Date.now() < deadline) {
    if (groupMembers(pgid).length === 0) return;
    await sleep(100);
  }
  signalGroup(pgid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (Date.now() < killDeadline && groupMembers(pgid).length > 0) await sleep(50);
}

/** Signals a whole group; false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals, exitCode: number): void => {
    if (shuttingDown) {
      // A second Ctrl-C: stop waiting for graceful shutdown.
      for (const pgid of running.keys()) signalGroup(pgid, 'SIGKILL');
      process.exit(exitCode);
    }
    shuttingDown = true;
    log('processes', `${signal} received: stopping ${running.size} process group(s) and cleaning up`);
    void shutdown().finally(() => process.exit(exitCode));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('SIGHUP', () => onSignal('SIGHUP', 129));
  // Last resort when the harness exits without stopping its children (an uncaught error, process.exit()).
  process.on('exit', () => {
    for (const pgid of running.keys()) signalGroup(pgid, 'SIGKILL');
  });
}

/** Stops every recorded process group, then runs the registered cleanups (last registered first), each once. */
export async function shutdown(): Promise<void> {
  // Processes first: a cleanup that removes their folders must not race with them writing there.
  await stopAll();
  for (const { name, fn } of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (error) {
      log('processes', `cleanup "${name}" failed: ${String(error)}`);
    }
  }
  await stopAll();
}

/** Whether a signal has started the shutdown (the process exits when it is done). */
export function isShuttingDown(): boolean {
  return shuttingDown;
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
