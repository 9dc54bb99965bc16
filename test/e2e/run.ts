/**
 * The end-to-end run in a real VS Code (code-server + Chromium) against the Graph emulator over HTTPS:
 * package and install the .vsix, run the in-process UI tests (test/e2e/harness/*.test.ts, test/e2e/ui/*.test.ts),
 * then the extension-host suite (test/e2e/host/*.test.ts); always clean up; exit non-zero on any failure.
 *
 *   node --import tsx test/e2e/run.ts [--grep <pattern>] [--ui-only | --host-only]
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startEmulator } from '../emulator';
import { selfSignedCert } from '../emulator/runtime/tls';
import { launchBrowser, type E2EBrowser } from './harness/browser';
import { createProfile, isolatedHome, removeProfile, startCodeServer, type RunningCodeServer } from './harness/codeServer';
import { createUiTestContext, setUiTestContext, type Emulator } from './harness/context';
import { extensionEnv, extensionSettings, writeCaBundle } from './harness/environment';
import { bundleHostSuite, runHostSuite } from './harness/extensionHost';
import { ensureCodeServer } from './harness/installCodeServer';
import { errorText, log, sleep, timed } from './harness/log';
import { readManifest } from './harness/manifest';
import { runMochaFiles } from './harness/mochaRunner';
import { repoRoot, resultsDir } from './harness/paths';
import { FABRIKAM, NORTHWIND } from './harness/otherTenant';
import { findSurvivors, isShuttingDown, onShutdown, stopAll } from './harness/processes';
import { HOST_ENV } from './host/protocol';
import { installVsix, packageVsix } from './harness/vsix';

/** The tenant of the attacker's emulator (the run's own emulator uses the emulator's default tenant). */
const ATTACKER_TENANT_ID = '0badc0de-5e77-4a11-9e5e-a77ac7e40000';

interface RunOptions {
  grep: string | undefined;
  ui: boolean;
  host: boolean;
}

function parseArgs(argv: readonly string[]): RunOptions {
  const options: RunOptions = { grep: undefined, ui: true, host: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--grep') options.grep = argv[++i];
    else if (arg === '--ui-only') options.host = false;
    else if (arg === '--host-only') options.ui = false;
    else throw new Error(`unknown argument ${arg ?? ''}; use --grep <pattern>, --ui-only or --host-only`);
  }
  return options;
}

function saveResult(name: string, text: string): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, name), text);
  log('run', `saved test-results/e2e/${name}`);
}

function testFiles(folder: string): string[] {
  const dir = path.join(repoRoot, 'test', 'e2e', folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const timings: Array<[string, number]> = [];
  const step = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    if (isShuttingDown()) throw new Error(`interrupted before: ${label}`);
    const { value, ms } = await timed('run', label, fn);
    timings.push([label, ms]);
    return value;
  };
  let passed = 0;
  let failed = 0;

  const profile = createProfile();
  onShutdown('remove the temporary profile', () => removeProfile(profile));
  let emulator: Emulator | undefined;
  let attacker: Emulator | undefined;
  let browser: E2EBrowser | undefined;
  let server: RunningCodeServer | undefined;
  try {
    const install = await step('ensure code-server', () => ensureCodeServer());
    const vsix = await step('npm run package', () => packageVsix());
    const hostSuite = await step('bundle the extension-host suite', () => bundleHostSuite());
    await step('install the vsix', () => installVsix(install, vsix, profile));

    // One certificate for every emulator of the run, so the extension host trusts the attacker's emulator too: a request
    // the extension wrongly sends there is then answered and logged, not lost to a TLS error.
    const tls = await step('make the emulators\' certificate', () => selfSignedCert());
    // As hard as Graph: changes reach other reads only after a replication delay (test/emulator/README.md, "Consistency").
    // Two more tenants behind the same origin: a small one for switching between profiles of different tenants, and a
    // large one (5,000 users) for the views that draw or list much of a directory.
    const emu = await step('start the Graph emulator (HTTPS, 250 users, 60 groups, replication delay; Fabrikam, and Northwind with 5,000 users)', () =>
      startEmulator({ tls, users: 250, groups: 60, seed: 1, consistency: { replicationDelayMs: [100, 1000], seed: 1 }, otherTenants: [{ ...FABRIKAM }, { ...NORTHWIND }] }),
    );
    emulator = emu;
    onShutdown('close the emulator', () => emu.close());
    log('run', `emulator at ${emu.url} (Graph ${emu.graphUrl}, authority ${emu.authorityHost})`);
    const env = extensionEnv(emu, writeCaBundle(emu, profile.root));
    const settings = extensionSettings(emu);

    const launched = await step('launch Chromium', () => launchBrowser(path.join(profile.root, 'chromium'), { env: isolatedHome(profile) }));
    browser = launched;
    onShutdown('close the browser', () => launched.close());

    if (options.ui) {
      const uiServer = await step('start code-server (UI)', () => startCodeServer({ install, profile, env, settings }));
      server = uiServer;
      setUiTestContext(createUiTestContext({ emulator: emu, server: uiServer, profile, browser: launched, manifest: readManifest() }));
      const files = [...testFiles('harness'), ...testFiles('ui')];
      const result = await step(`UI tests (${files.length} files)`, () => runMochaFiles(files, { grep: options.grep, browser: () => browser }));
      passed += result.passed;
      failed += result.failed;
      if (result.failed > 0) saveResult('code-server-ui.log', uiServer.process.output());
      setUiTestContext(undefined);
      await step('stop code-server (UI)', () => uiServer.stop());
      server = undefined;
    }

    if (options.host) {
      const evil = await step('start the attacker\'s emulator (HTTPS, its own tenant)', () =>
        startEmulator({ tls, users: 12, groups: 4, seed: 2, adversarial: false, tenantId: ATTACKER_TENANT_ID, domain: 'attacker.example' }),
      );
      attacker = evil;
      onShutdown('close the attacker\'s emulator', () => evil.close());
      log('run', `attacker's emulator at ${evil.url} (tenant ${evil.tenantId})`);
      // Only with the smoke-test driver does the workbench honour the test payload; it also hides toasts, so UI tests use their own server.
      const hostServer = await step('start code-server (extension host)', () => startCodeServer({ install, profile, env, settings, smokeTestDriver: true }));
      server = hostServer;
      const result = await step('extension-host suite', () =>
        runHostSuite({
          browser: launched,
          server: hostServer,
          extensionDevelopmentPath: repoRoot,
          extensionTestsPath: hostSuite,
          extensionEnvironment: {
            ...env,
            [HOST_ENV.extensionRoot]: repoRoot,
            [HOST_ENV.graphUrl]: emu.graphUrl,
            [HOST_ENV.attackerGraphUrl]: evil.graphUrl,
            ...(options.grep ? { [HOST_ENV.grep]: options.grep } : {}),
          },
        }),
      );
      passed += result.summary?.passed ?? 0;
      failed += result.summary?.failed ?? 0;
      if (result.exitCode !== 0 && !result.summary?.failed) {
        failed++;
        log('run', `extension-host suite ended with exit code ${result.exitCode} before reporting failures (see test-results/e2e/host-suite.log)`);
      }
      await step('stop code-server (extension host)', () => hostServer.stop());
      server = undefined;
    }
  } catch (error) {
    failed++;
    log('run', `aborted: ${errorText(error)}`);
  } finally {
    // Interrupted: the signal handler (harness/processes.ts) stops everything, runs the cleanups and exits.
    if (isShuttingDown()) await new Promise<never>(() => undefined);
    setUiTestContext(undefined);
    await browser?.close().catch((error: unknown) => log('run', `closing the browser: ${errorText(error)}`));
    await server?.stop();
    await stopAll();
    await emulator?.close().catch((error: unknown) => log('run', `closing the emulator: ${errorText(error)}`));
    await attacker?.close().catch((error: unknown) => log('run', `closing the attacker's emulator: ${errorText(error)}`));
    // Chromium's helpers may take a moment to go after the browser closes.
    let survivors = findSurvivors([profile.root]);
    for (let i = 0; i < 30 && survivors.length > 0; i++) {
      await sleep(100);
      survivors = findSurvivors([profile.root]);
    }
    if (survivors.length > 0) {
      failed++;
      log('run', `FAILED: processes left running (now killed):\n${survivors.map((s) => `  ${s.pid} ${s.args.slice(0, 160)}`).join('\n')}`);
      for (const survivor of survivors) {
        try {
          process.kill(survivor.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    } else {
      passed++;
      log('run', 'no processes left running (checked with ps)');
    }
    removeProfile(profile);
  }

  console.log('\nTimings:');
  for (const [label, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${label}`);
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    // When interrupted, the signal handler finishes the cleanup and exits with the signal's code.
    if (!isShuttingDown()) process.exit(code);
  },
  (error: unknown) => {
    console.error(errorText(error));
    if (isShuttingDown()) return;
    void stopAll().finally(() => {
      console.log('0 passed, 1 failed');
      process.exit(1);
    });
  },
);
