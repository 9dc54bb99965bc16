/**
 * The extension-tests entry hostActivation.ts loads into a fresh code-server extension host (`extensionTestsPath`):
 * finds the extension, requires that nothing has activated it yet, times `await extension.activate()` (the host
 * loads the manifest's `main` with the chunks it imports, and calls `activate()`), and prints one line with the figure through the host suite's
 * channel (test/e2e/host/protocol.ts). Any connection or lookup from just before activation until 500 ms after it is
 * recorded: signed out, activation must not touch the network.
 */
import { readFileSync, realpathSync } from 'node:fs';
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
  // The entry is an ES module the host loads with import(): Node's CommonJS cache never lists it, and its load and its
  // activate() call cannot be timed apart from outside; only the whole `await extension.activate()` is.
  if (!entry.endsWith('.mjs')) throw new Error(`${manifest.main} is not an ES module entry (.mjs)`);

  const { settleMs, settled } = await settle();
  if (extension.isActive) throw new Error(`${id} became active while the extension host settled: something in the workbench activated it`);
  const network = watchNetwork();
  let activateMs: number;
  try {
    const started = performance.now();
    await extension.activate();
    activateMs = performance.now() - started;
    // Let whatever activation started asynchronously run before the watch ends.
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    network.stop();
  }
  if (!extension.isActive) throw new Error(`${id} is not active after activate()`);
  // The host does not reject activate() when the extension's activate() throws; the commands it registers show it ran.
  const declared = (manifest.contributes?.commands ?? []).map((c) => c.command);
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = declared.filter((c) => !registered.has(c));
  if (missing.length > 0) throw new Error(`activation did not complete: ${missing.length} declared commands not registered (${missing.slice(0, 5).join(', ')}…)`);
  return {
    activateMs,
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
