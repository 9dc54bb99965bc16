/** Starts and stops code-server (VS Code's web workbench + a Node extension host) against a throwaway profile. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeServerInstall } from './installCodeServer';
import { log, sleep } from './log';
import { spawnManaged, type ManagedProcess } from './processes';

/** Everything code-server writes goes under `root`, so removing it leaves nothing behind. */
export interface CodeServerProfile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  /** The folder the workbench opens. */
  workspaceFolder: string;
  /** code-server's own config file (otherwise it writes ~/.config/code-server/config.yaml). */
  configFile: string;
  /** HOME (and XDG folders) for code-server and Chromium, which otherwise write device ids, caches and crash reports to ~. */
  home: string;
}

export function createProfile(prefix = 'entra-e2e-'): CodeServerProfile {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const profile: CodeServerProfile = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    workspaceFolder: path.join(root, 'workspace'),
    configFile: path.join(root, 'code-server.yaml'),
    home: path.join(root, 'home'),
  };
  for (const dir of [profile.userDataDir, profile.extensionsDir, profile.workspaceFolder, profile.home]) mkdirSync(dir, { recursive: true });
  writeFileSync(profile.configFile, 'auth: none\n');
  return profile;
}

export function removeProfile(profile: CodeServerProfile): void {
  rmSync(profile.root, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * The environment for code-server and its CLI: Node 24 first on PATH, a home inside the profile, and none of the
 * variables that would make it talk to an enclosing VS Code (VSCODE_IPC_HOOK_CLI…) or load our TypeScript loader (NODE_OPTIONS).
 * code-server passes its environment on to the extension host, so `extra` reaches the extension.
 */
export function codeServerEnv(install: CodeServerInstall, profile: CodeServerProfile, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'NODE_OPTIONS' || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  env.PATH = `${install.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`;
  return { ...env, ...isolatedHome(profile), ...extra };
}

/** HOME, XDG folders and TMPDIR inside the profile, so nothing is written to the real home or left in /tmp. */
export function isolatedHome(profile: CodeServerProfile): Record<string, string> {
  const dirs = {
    HOME: profile.home,
    XDG_CONFIG_HOME: path.join(profile.home, '.config'),
    XDG_CACHE_HOME: path.join(profile.home, '.cache'),
    XDG_DATA_HOME: path.join(profile.home, '.local', 'share'),
    TMPDIR: path.join(profile.home, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

export interface StartCodeServerOptions {
  install: CodeServerInstall;
  profile: CodeServerProfile;
  /** Extra environment for the server and hence the extension host (e.g. NODE_EXTRA_CA_CERTS). */
  env?: Record<string, string>;
  /** Written to `<user-data-dir>/User/settings.json` before start. */
  settings?: Record<string, unknown>;
  /** Adds `--vscode-option enable-smoke-test-driver`, needed to run extension-host test suites. */
  smokeTestDriver?: boolean;
  /** Defaults to a free port. */
  port?: number;
  host?: string;
  /** Print the server's output as it arrives. */
  echo?: boolean;
  startTimeoutMs?: number;
}

export interface RunningCodeServer {
  /** `http://host:port` */
  origin: string;
  /** `host:port`, the authority `vscode-remote://` URIs must use. */
  authority: string;
  port: number;
  folder: string;
  process: ManagedProcess;
  /** The workbench URL for the workspace folder, with extra query parameters. */
  workbenchUrl(query?: Record<string, string>): string;
  stop(): Promise<void>;
}

export async function startCodeServer(options: StartCodeServerOptions): Promise<RunningCodeServer> {
  const { install, profile } = options;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  if (options.settings) {
    const userDir = path.join(profile.userDataDir, 'User');
    mkdirSync(userDir, { recursive: true });
    writeFileSync(path.join(userDir, 'settings.json'), `${JSON.stringify(options.settings, null, 2)}\n`);
  }
  const args = [
    install.entry,
    '--config', profile.configFile,
    '--auth', 'none',
    '--bind-addr', `${host}:${port}`,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without this, every closed page keeps a ~130 MB extension host alive for hours.
    '--reconnection-grace-time', '10',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    profile.workspaceFolder,
  ];
  const child = spawnManaged('code-server', install.nodeBin, args, { env: codeServerEnv(install, profile, options.env), echo: options.echo ?? false });
  const origin = `http://${host}:${port}`;
  try {
    await waitForHttp(`${origin}/healthz`, child, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  log('code-server', `listening on ${origin} (pid ${child.pid})`);
  return {
    origin,
    authority: `${host}:${port}`,
    port,
    folder: profile.workspaceFolder,
    process: child,
    workbenchUrl: (query = {}) => {
      const params = new URLSearchParams({ folder: profile.workspaceFolder, ...query });
      return `${origin}/?${params.toString()}`;
    },
    stop: () => child.stop(),
  };
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

async function waitForHttp(url: string, child: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.hasExited()) throw new Error(`code-server exited before answering:\n${child.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(150);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000} s:\n${child.output()}`);
}
