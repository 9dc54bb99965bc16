/**
 * 5. Extension footprint: the production bundles' sizes (what activation reads, and all of it), and the time to import
 *    dist/extension.mjs + `activate()` (in a fresh process per sample, `vscode` being the in-memory fake).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { activationSet } from '../activationSet';
import type { FootprintResult } from '../types';
import { median } from '../util';

const run = promisify(execFile);

interface ProbeOutput {
  importMs: number;
  activateMs: number;
  totalMs: number;
  network: string[];
  msalLoaded: boolean;
}

function size(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

export async function footprint(root: string, workDir: string, o: { build: boolean; samples: number }): Promise<FootprintResult> {
  const dist = path.join(root, 'dist');
  const extensionFile = path.join(dist, 'extension.mjs');
  let buildMs: number | undefined;
  if (o.build || !existsSync(extensionFile)) {
    const started = performance.now();
    await run(process.execPath, ['esbuild.mjs', '--production'], { cwd: root });
    buildMs = Math.round(performance.now() - started);
  }
  const chunks = readdirSync(dist).filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(path.join(dist, f), 'utf8'));
  const read = activationSet(dist);

  // The probe and the fake run as plain JavaScript: no TypeScript loader in the measured process.
  const probe = path.join(workDir, 'activationProbe.cjs');
  const fake = path.join(workDir, 'vscodeFake.cjs');
  await build({ entryPoints: [path.join(root, 'test/bench/activationProbe.ts')], outfile: probe, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  await build({ entryPoints: [path.join(root, 'test/support/vscodeFake.ts')], outfile: fake, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });

  const samples: ProbeOutput[] = [];
  for (let i = 0; i < Math.max(1, o.samples); i++) {
    const { stdout } = await run(process.execPath, [probe, extensionFile, fake], { cwd: root });
    const line = stdout.trim().split('\n').pop() ?? '{}';
    samples.push(JSON.parse(line) as ProbeOutput);
  }
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    built: buildMs !== undefined,
    ...(buildMs !== undefined ? { buildMs } : {}),
    extensionBytes: read.bytes,
    activationFiles: read.files.length,
    allChunksBytes: read.allBytes,
    lazyChunks: read.lazyChunks,
    msalBytes: size(path.join(dist, 'msal.js')),
    webviewBytes: size(path.join(dist, 'webview', 'main.js')),
    msalLazy: chunks.some((c) => /import\(["']\.\/msal\.js["']\)/.test(c)) && !chunks.some((c) => c.includes('msal.js.node')),
    activationMs: round(median(samples.map((s) => s.totalMs))),
    activationSamples: samples.map((s) => round(s.totalMs)),
    importMs: round(median(samples.map((s) => s.importMs))),
    networkCalls: Math.max(...samples.map((s) => s.network.length)),
    msalLoadedOnActivate: samples.some((s) => s.msalLoaded),
  };
}
