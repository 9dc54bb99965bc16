/**
 * Loads the production bundle the way the extension host does (`import()` of the ES module entry, `vscode` resolved by
 * a loader hook, here to the in-memory fake), calls `activate()`, and prints one JSON line: time to import, time to
 * activate, network calls attempted and whether msal.js was loaded.
 * footprint.ts bundles this file and the fake with esbuild and runs it in a fresh process per sample.
 * Usage: node probe.cjs <dist/extension.mjs> <vscodeFake.cjs>
 */
import { EventEmitter } from 'node:events';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { watchNetwork } from './networkWatch';

interface Extension {
  activate(context: unknown): unknown;
}

/**
 * Resolves `vscode` to a module whose exports are the fake's, read from a global at evaluation (as the extension host
 * serves its API to ES modules). The hook runs off the main thread, so the module's text is built here and handed to it.
 */
function resolveVscodeTo(fake: Record<string, unknown>): void {
  (globalThis as Record<string, unknown>)['__entraVscodeFake'] = fake;
  const api = `const v = globalThis.__entraVscodeFake;\n${Object.keys(fake).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k)).map((k) => `export const ${k} = v[${JSON.stringify(k)}];`).join('\n')}`;
  const hooks = `let api; export function initialize(data) { api = data.api; }
export async function resolve(specifier, context, next) { return specifier === 'vscode' ? { url: api, shortCircuit: true } : next(specifier, context); }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { api: `data:text/javascript,${encodeURIComponent(api)}` } });
}

async function main(): Promise<void> {
  const [distFile, fakeFile] = process.argv.slice(2).map((p) => path.resolve(p));
  if (!distFile || !fakeFile) throw new Error('usage: probe <extension.mjs> <vscodeFake.cjs>');
  const load = createRequire(distFile);
  resolveVscodeTo(load(fakeFile) as Record<string, unknown>); // the fake is not part of what is measured

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
  const extension = (await import(pathToFileURL(distFile).href)) as Extension;
  const t1 = performance.now();
  extension.activate(context);
  const t2 = performance.now();
  // Let anything activation started asynchronously run.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const msalLoaded = Object.keys(load.cache).some((k) => path.basename(k) === 'msal.js');
  console.log(JSON.stringify({ importMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, network, msalLoaded, subscriptions: context.subscriptions.length }));
}

main().then(
  () => process.exit(0), // activation leaves listeners and timers behind by design; they are not ours to close
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
