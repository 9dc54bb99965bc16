/**
 * Activation in the real extension host: for each run a fresh code-server (fresh user-data, extensions and workspace
 * folders, an empty workspace, no sign-in) loads the extension from this repository's production bundle
 * (`extensionDevelopmentPath`, as the e2e host suite does) and the activation probe (hostActivationProbe.ts) as its
 * extension tests; the probe times `await extension.activate()` — the host's load of dist/extension.mjs (with the
 * chunks it imports) plus `activate()` — and reports it through the host suite's channel. Median and range over the runs.
 * No emulator is started: the extension is signed out, and the probe records any connection or lookup instead.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../e2e/harness/browser';
import { createProfile, isolatedHome, removeProfile, startCodeServer } from '../e2e/harness/codeServer';
import { quietWorkbenchSettings } from '../e2e/harness/environment';
import { bundleForExtensionHost, runHostSuite } from '../e2e/harness/extensionHost';
import { ensureCodeServer } from '../e2e/harness/installCodeServer';
import { onShutdown, stopAll } from '../e2e/harness/processes';
import { HOST_ACTIVATION_PREFIX, HOST_ENV, isHostActivationSample, type HostActivationSample } from '../e2e/host/protocol';
import type { Spread } from './scenarios/cache';
import { median } from './util';

export interface HostActivationResult {
  measured: true;
  codeServer: string;
  /** `await extension.activate()` in ms, one sample per fresh extension host. */
  activateMs: Spread;
  runs: HostActivationSample[];
  /** Most connections/lookups any run saw during activation (and 500 ms after). */
  networkCalls: number;
  msalLoadedOnActivate: boolean;
  /** The machine's 1-minute load average right after each run: the figure is a wall time on shared cores. */
  loadAverage: number[];
}

/** Why the figure is absent from this run (printed where the figure would be). */
export interface HostActivationSkipped {
  measured: false;
  reason: string;
}

export type HostActivation = HostActivationResult | HostActivationSkipped;

const round = (n: number): number => Math.round(n * 10) / 10;

export async function measureHostActivation(root: string, workDir: string, o: { runs: number; progress: (m: string) => void }): Promise<HostActivationResult> {
  if (!existsSync(path.join(root, 'dist', 'extension.mjs'))) throw new Error('dist/extension.mjs is missing: build the production bundle first (node esbuild.mjs --production)');
  const install = await ensureCodeServer();
  const probeDir = path.join(workDir, 'host-activation');
  await bundleForExtensionHost([path.join(root, 'test', 'bench', 'hostActivationProbe.ts')], probeDir);
  const probe = path.join(probeDir, 'hostActivationProbe.js');

  const runs: HostActivationSample[] = [];
  const loadAverage: number[] = [];
  for (let i = 0; i < Math.max(1, o.runs); i++) {
    o.progress(`activation in the extension host: run ${i + 1} of ${o.runs} (a fresh code-server ${install.version})`);
    runs.push(await oneRun(root, probe, install));
    loadAverage.push(loadavg()[0] ?? Number.NaN);
  }
  const samples = runs.map((r) => round(r.activateMs));
  return {
    measured: true,
    codeServer: install.version,
    activateMs: { median: round(median(samples)), min: Math.min(...samples), max: Math.max(...samples), samples },
    runs,
    networkCalls: Math.max(...runs.map((r) => r.network.length)),
    msalLoadedOnActivate: runs.some((r) => r.msalLoaded),
    loadAverage,
  };
}

async function oneRun(root: string, probe: string, install: Awaited<ReturnType<typeof ensureCodeServer>>): Promise<HostActivationSample> {
  const profile = createProfile('entra-bench-host-');
  const forget = onShutdown('remove the activation run\'s profile', () => removeProfile(profile));
  try {
    const server = await startCodeServer({ install, profile, settings: quietWorkbenchSettings(), smokeTestDriver: true });
    try {
      const browser = await launchBrowser(path.join(profile.root, 'chromium'), { env: isolatedHome(profile) });
      try {
        const result = await runHostSuite({
          browser,
          server,
          extensionDevelopmentPath: root,
          extensionTestsPath: probe,
          extensionEnvironment: { [HOST_ENV.extensionRoot]: root },
          timeoutMs: 3 * 60_000,
        });
        const line = result.output.split('\n').find((l) => l.startsWith(HOST_ACTIVATION_PREFIX));
        const sample: unknown = line ? JSON.parse(line.slice(HOST_ACTIVATION_PREFIX.length)) : undefined;
        if (result.exitCode !== 0 || !isHostActivationSample(sample)) {
          throw new Error(`the activation probe did not report (exit code ${result.exitCode}):\n${result.output || result.fullLog.split('\n').slice(-30).join('\n')}`);
        }
        return sample;
      } finally {
        await browser.close();
      }
    } finally {
      await server.stop();
    }
  } finally {
    await stopAll();
    removeProfile(profile);
    forget();
  }
}
