/**
 * The README demo: the packaged extension in a real VS Code (code-server) against the Graph emulator's demo tenant.
 * Prints the URL to open; Ctrl-C stops everything.
 *
 *   node --import tsx test/e2e/demo.ts [--port 8080] [--host 127.0.0.1] [--users 400] [--groups 80] [--seed 1]
 */
import { createServer } from 'node:net';
import { startEmulator } from '../emulator';
import { createProfile, freePort, removeProfile, startCodeServer } from './harness/codeServer';
import { extensionEnv, extensionSettings, writeCaBundle } from './harness/environment';
import { ensureCodeServer } from './harness/installCodeServer';
import { errorText, log } from './harness/log';
import { isShuttingDown, onShutdown, shutdown } from './harness/processes';
import { installVsix, packageVsix } from './harness/vsix';

interface DemoOptions {
  port: number | undefined;
  host: string;
  users: number;
  groups: number;
  seed: number;
}

function parseArgs(argv: readonly string[]): DemoOptions {
  const options: DemoOptions = { port: undefined, host: '127.0.0.1', users: 400, groups: 80, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${arg ?? ''} needs a value`);
    switch (arg) {
      case '--port': options.port = Number(value); break;
      case '--host': options.host = value; break;
      case '--users': options.users = Number(value); break;
      case '--groups': options.groups = Number(value); break;
      case '--seed': options.seed = Number(value); break;
      default: throw new Error(`unknown argument ${arg ?? ''}; use --port, --host, --users, --groups, --seed`);
    }
  }
  return options;
}

/** 8080 when it is free, else any free port. */
async function pickPort(host: string): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(8080, host, () => probe.close(() => resolve(true)));
  });
  return free ? 8080 : freePort(host);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const install = await ensureCodeServer();
  const vsix = await packageVsix();
  const profile = createProfile('entra-demo-');
  onShutdown('remove the demo profile', () => removeProfile(profile));
  await installVsix(install, vsix, profile);

  const emulator = await startEmulator({ https: true, users: options.users, groups: options.groups, seed: options.seed });
  onShutdown('close the emulator', () => emulator.close());
  const env = extensionEnv(emulator, writeCaBundle(emulator, profile.root));
  const server = await startCodeServer({ install, profile, env, settings: extensionSettings(emulator), host: options.host, port: options.port ?? (await pickPort(options.host)) });

  void server.process.exited.then(async () => {
    if (isShuttingDown()) return;
    log('demo', 'code-server exited unexpectedly; stopping');
    await shutdown();
    process.exit(1);
  });

  const ready = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`
Entra ID Directory demo — ready in ${ready} s

  Open VS Code:      ${server.workbenchUrl()}
  Graph emulator:    ${emulator.graphUrl}
  Sign-in authority: ${emulator.authorityHost} (tenant ${emulator.tenantId})
  Demo app:          client ID ${emulator.apps.demo.clientId} (app-only sign-in; the secret is passed to the extension)
  Tenant:            ${options.users} users, ${options.groups} groups (seed ${options.seed})
  Profile:           ${profile.root} (removed on exit)

Press Ctrl-C to stop everything.`);
}

main().catch((error: unknown) => {
  console.error(errorText(error));
  if (isShuttingDown()) return;
  void shutdown().finally(() => process.exit(1));
});
