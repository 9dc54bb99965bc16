/**
 * Loads the production bundle the way the extension host does (a plain CommonJS `require`, no loader
 * hooks) with `vscode` resolved to the in-memory fake, calls `activate()`, and prints one JSON line:
 * time to require, time to activate, network calls attempted and whether msal.js was loaded.
 * bench.ts bundles this file and the fake with esbuild and runs it in a fresh process per sample.
 * Usage: node probe.cjs <dist/extension.js> <vscodeFake.cjs>
 */
import { EventEmitter } from 'node:events';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { watchNetwork } from './networkWatch';

interface Resolver {
  _resolveFilename(request: string, ...rest: unknown[]): string;
}
interface Extension {
  activate(context: unknown): unknown;
}

async function main(): Promise<void> {
  const [distFile, fakeFile] = process.argv.slice(2).map((p) => path.resolve(p));
  if (!distFile || !fakeFile) throw new Error('usage: probe <extension.js> <vscodeFake.cjs>');
  const resolver = Module as unknown as Resolver;
  const original = resolver._resolveFilename.bind(Module);
  resolver._resolveFilename = (request: string, ...rest: unknown[]) => original(request === 'vscode' ? fakeFile : request, ...rest);
  const load = createRequire(distFile);
  load('vscode'); // the fake is not part of what is measured

  // Any connection or lookup during activation is a bug: count them.
  const network = watchNetwork().calls;

  const state = new Map<string, unknown>();
  const storage = path.join(path.dirname(distFile), 'global-storage');
  const secrets = new Map<string, string>();
  const secretsChanged = new EventEmitter();
  const context = {
    subscriptions: [] as Array<{ dispose(): unknown }>,
    extensionUri: { scheme: 'file', path: path.dirname(path.dirname(distFile)), fsPath: path.dirname(path.dirname(distFile)), toString: () => `file://${path.dirname(path.dirname(distFile))}` },
    extensionPath: path.dirname(path.dirname(distFile)),
    // VS Code gives every extension a global storage folder (the directory cache lives there); activation writes nothing to it.
    globalStorageUri: { scheme: 'file', path: storage, fsPath: storage, toString: () => `file://${storage}` },
    globalState: { get: (k: string) => state.get(k), update: (k: string, v: unknown) => Promise.resolve(void state.set(k, v)), keys: () => [...state.keys()] },
    secrets: {
      get: (k: string) => Promise.resolve(secrets.get(k)),
      store: (k: string, v: string) => Promise.resolve(void secrets.set(k, v)),
      delete: (k: string) => Promise.resolve(void secrets.delete(k)),
      onDidChange: (listener: (e: { key: string }) => void) => {
        secretsChanged.on('change', listener);
        return { dispose: () => secretsChanged.off('change', listener) };
      },
    },
  };

  const t0 = performance.now();
  const extension = load(distFile) as Extension;
  const t1 = performance.now();
  extension.activate(context);
  const t2 = performance.now();
  // Let anything activation started asynchronously run.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const msalLoaded = Object.keys(load.cache).some((k) => path.basename(k) === 'msal.js');
  console.log(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, network, msalLoaded, subscriptions: context.subscriptions.length }));
}

main().then(
  () => process.exit(0), // activation leaves listeners and timers behind by design; they are not ours to close
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
