/**
 * The benchmark run: starts the emulator here, runs the measured clients in a child process (its own
 * heap and event loop, the emulator's certificate trusted through NODE_EXTRA_CA_CERTS) that steers the
 * emulator over IPC, then measures the extension bundle. Returns the full report.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../emulator';
import { selfSignedCert } from '../emulator/runtime/tls';
import { controlApi, serveControl } from './control';
import { measureHostActivation, type HostActivation } from './hostActivation';
import type { BenchOptions } from './options';
import { markdown, summaryLine } from './report';
import { footprint } from './scenarios/footprint';
import type { BenchReport, ClientReport } from './types';

export const ROOT = path.resolve(__dirname, '..', '..');

export async function runBench(o: BenchOptions, progress: (m: string) => void = (m) => process.stderr.write(`[bench] ${m}\n`)): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const work = mkdtempSync(path.join(tmpdir(), 'entra-bench-'));
  try {
    const tls = await selfSignedCert();
    const caFile = path.join(work, 'emulator-ca.pem');
    writeFileSync(caFile, tls.cert);
    progress(`starting the emulator with ${o.users} users`);
    const emu = await startEmulator({ users: o.users, groups: Math.max(20, Math.min(400, Math.round(o.users / 250))), seed: 1, tls });
    let client: ClientReport;
    try {
      client = await runClient(o, caFile, emu, progress);
    } finally {
      await emu.close();
    }
    progress('extension footprint');
    const fp = await footprint(ROOT, work, { build: o.build, samples: o.activationRuns });
    // After the footprint, which built the production bundle this measures.
    const host = await hostActivation(o, work, progress);
    const { outDir: _outDir, ...options } = o;
    return { startedAt, node: process.version, options, client, footprint: fp, hostActivation: host, summary: summaryLine(client, fp, host) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Activation in the real extension host when the options ask for it; otherwise why not, for the report. */
export async function hostActivation(o: BenchOptions, work: string, progress: (m: string) => void): Promise<HostActivation> {
  if (!o.hostActivation) return { measured: false, reason: o.smoke ? 'not measured by --smoke, which launches no code-server' : 'not measured: --no-host-activation' };
  return measureHostActivation(ROOT, work, { runs: o.hostActivationRuns, progress });
}

function runClient(o: BenchOptions, caFile: string, emu: Awaited<ReturnType<typeof startEmulator>>, progress: (m: string) => void): Promise<ClientReport> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'client.ts'), [JSON.stringify(o)], {
      cwd: ROOT,
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let settled = false;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      for (const line of text.split('\n')) {
        const m = /^\[bench\] (.*)$/.exec(line);
        if (m) progress(m[1] ?? '');
        else if (line.trim()) stderr += `${line}\n`;
      }
    });
    serveControl(child, controlApi(emu), (m) => {
      settled = true;
      if (m.kind === 'result') resolve(m.report);
      else reject(new Error(`bench client failed: ${m.error}`));
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`bench client exited with ${code} before reporting${stderr ? `:\n${stderr}` : ''}`));
    });
  });
}

/** Writes bench.md and bench.json under `dir`; returns the Markdown. */
export function writeReport(r: BenchReport, dir: string | undefined): string {
  const md = markdown(r);
  if (dir !== undefined) {
    const out = path.resolve(ROOT, dir);
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'bench.md'), `${md}\n${r.summary}\n`);
    writeFileSync(path.join(out, 'bench.json'), `${JSON.stringify(r, null, 2)}\n`);
  }
  return md;
}
