/**
 * The extension-tests entry hostActivation.ts loads into a fresh code-server extension host (`extensionTestsPath`):
 * finds the extension, requires that nothing has activated it yet, times `await extension.activate()` (the host
 * loads the manifest's `main` with the chunks it imports, and calls `activate()`), and prints one line with the figure through the host suite's
 * channel (test/e2e/host/protocol.ts). Any connection or lookup from just before activation until 500 ms after it is
 * recorded: signed out, activation must not touch the network.
 */
import { readFileSync, realpathSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { watchNetwork } from './networkWatch';
import { HOST_ACTIVATION_PREFIX, HOST_ENV, HOST_LINE_PREFIX, type HostActivationSample } from '../e2e/host/protocol';

interface Manifest {
  publisher: string;
  main: string;
  name: string;
  contributes?: { commands?: Array<{ command: string }> };
}

const say = (line: string): void => console.log(HOST_LINE_PREFIX + line);

interface Loader {
  _load: (this: unknown, request: string, parent: unknown, isMain: boolean) => unknown;
  _resolveFilename: (request: string, parent: unknown, isMain: boolean) => string;
}

/**
 * Times the host's require of `file` (Node's CommonJS loader, which the extension host uses for `main`) and the
 * host's call of the module's `activate()` (through a proxy on what the require returned), until `stop()`.
 */
function watchLoad(file: string): { requireMs(): number | undefined; activateCallMs(): number | undefined; stop(): void } {
  const loader = Module as unknown as Loader;
  const load = loader._load;
  let requireMs: number | undefined;
  let activateCallMs: number | undefined;
  const timedActivate =
    (activate: (...args: unknown[]) => unknown) =>
    (...args: unknown[]): unknown => {
      const started = performance.now();
      try {
        return activate(...args);
      } finally {
        activateCallMs = performance.now() - started;
      }
    };
  loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
    let target: string | undefined;
    try {
      target = loader._resolveFilename(request, parent, isMain);
    } catch {
      // Not resolvable here: the original loader reports it.
    }
    if (target !== file || requireMs !== undefined) return load.call(this, request, parent, isMain);
    const started = performance.now();
    const exports = load.call(this, request, parent, isMain) as Record<string, unknown>;
    requireMs = performance.now() - started;
    return new Proxy(exports, {
      get: (target, key, receiver) => {
        const value: unknown = Reflect.get(target, key, receiver);
        return key === 'activate' && typeof value === 'function' ? timedActivate(value as (...args: unknown[]) => unknown) : value;
      },
    });
  };
  return { requireMs: () => requireMs, activateCallMs: () => activateCallMs, stop: () => void (loader._load = load) };
}

const SETTLE_LIMIT_MS = 20_000;

/**
 * Waits until the extension host is idle (timers fire on time for one second): at startup the workbench's built-in
 * extensions still activate, and a figure taken then would be theirs as much as ours.
 */
async function settle(): Promise<{ settleMs: number; settled: boolean }> {
  const started = performance.now();
  let quietTicks = 0;
  while (performance.now() - started < SETTLE_LIMIT_MS) {
    const before = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    quietTicks = performance.now() - before - 50 < 5 ? quietTicks + 1 : 0;
    if (quietTicks >= 20) return { settleMs: performance.now() - started, settled: true };
  }
  return { settleMs: performance.now() - started, settled: false };
}

async function measure(): Promise<HostActivationSample> {
  const root = process.env[HOST_ENV.extensionRoot];
  if (!root) throw new Error(`${HOST_ENV.extensionRoot} is not set`);
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
  const id = `${manifest.publisher}.${manifest.name}`;
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`${id} is not in this extension host`);
  // Timing an activation that already happened would measure nothing: the empty workspace and the closed views must
  // have left the extension inactive (its activation events: workspaceContains:**/*.entra-group.json, views, commands).
  if (extension.isActive) throw new Error(`${id} was already active before the measurement: something in the workbench activated it`);
  // Node keys its module cache by real path.
  const entry = realpathSync(path.join(extension.extensionPath, manifest.main));
  const dist = path.dirname(entry);
  const loaded = (file: string): boolean => Object.keys(require.cache).some((k) => path.resolve(k) === file);
  // An ES module entry (.mjs) is loaded with import(): Node's CommonJS cache never lists it, and its load and its
  // activate() call cannot be timed apart from outside; only the whole `await extension.activate()` is.
  const commonJs = !entry.endsWith('.mjs');
  if (commonJs && loaded(entry)) throw new Error(`${entry} was already loaded before the measurement`);

  const { settleMs, settled } = await settle();
  if (extension.isActive) throw new Error(`${id} became active while the extension host settled: something in the workbench activated it`);
  const network = watchNetwork();
  const requireWatch = commonJs ? watchLoad(entry) : undefined;
  let activateMs: number;
  try {
    const started = performance.now();
    await extension.activate();
    activateMs = performance.now() - started;
    // Let whatever activation started asynchronously run before the watch ends.
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    requireWatch?.stop();
    network.stop();
  }
  if (!extension.isActive) throw new Error(`${id} is not active after activate()`);
  if (commonJs && !loaded(entry)) throw new Error(`${entry} is not in the module cache after activation: the host loaded another file`);
  // The host does not reject activate() when the extension's activate() throws; the commands it registers show it ran.
  const declared = (manifest.contributes?.commands ?? []).map((c) => c.command);
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = declared.filter((c) => !registered.has(c));
  if (missing.length > 0) throw new Error(`activation did not complete: ${missing.length} declared commands not registered (${missing.slice(0, 5).join(', ')}…)`);
  const requireMs = requireWatch?.requireMs();
  const activateCallMs = requireWatch?.activateCallMs();
  return {
    activateMs,
    ...(requireMs !== undefined ? { requireMs } : {}),
    ...(activateCallMs !== undefined ? { activateCallMs } : {}),
    settleMs,
    settled,
    network: network.calls,
    msalLoaded: loaded(path.join(dist, 'msal.js')),
    commandsRegistered: declared.length - missing.length,
    commandsDeclared: declared.length,
  };
}

/** Called by the extension host; a rejection becomes its non-zero exit code. */
export async function run(): Promise<void> {
  try {
    say(HOST_ACTIVATION_PREFIX + JSON.stringify(await measure()));
  } catch (error) {
    say(`activation probe failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}
