/**
 * Ensures Node 24 and code-server are installed in the ignored `.vscode-test/` cache, reusing them when present.
 *
 * code-server ships the VS Code web workbench and server inside its npm package, so nothing else is downloaded.
 * Its postinstall checks that Node 24 runs it and compiles native modules (`kerberos` needs `libkrb5-dev`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { log } from './log';
import { cacheDir } from './paths';
import { runToCompletion } from './processes';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;

export interface CodeServerInstall {
  /** The Node 24 binary that runs code-server. */
  nodeBin: string;
  /** Its folder, to put first on PATH for code-server and its children. */
  nodeBinDir: string;
  /** `out/node/entry.js` of the code-server package. */
  entry: string;
  version: string;
  /** Whether anything had to be installed on this call. */
  installed: boolean;
}

export interface EnsureCodeServerOptions {
  cache?: string;
  version?: string;
}

export async function ensureCodeServer(options: EnsureCodeServerOptions = {}): Promise<CodeServerInstall> {
  const cache = options.cache ?? cacheDir;
  const version = options.version ?? CODE_SERVER_VERSION;
  const nodeDir = path.join(cache, `node${NODE_MAJOR}`);
  const nodeBinDir = path.join(nodeDir, 'node_modules', '.bin');
  const nodeBin = path.join(nodeBinDir, 'node');
  const serverDir = path.join(cache, `code-server-${version}`);
  const packageDir = path.join(serverDir, 'node_modules', 'code-server');
  const entry = path.join(packageDir, 'out', 'node', 'entry.js');
  let installed = false;

  const nodeVersion = binaryVersion(nodeBin);
  if (nodeVersion?.startsWith(`v${NODE_MAJOR}.`)) {
    log('install', `reusing Node ${nodeVersion} (${nodeBin})`);
  } else {
    log('install', `installing node@${NODE_MAJOR} into ${nodeDir}`);
    await npmProject(nodeDir, ['install', '--no-audit', '--no-fund', `node@${NODE_MAJOR}`], withoutNpmRunVariables(process.env));
    const after = binaryVersion(nodeBin);
    if (!after?.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`node@${NODE_MAJOR} install did not produce ${nodeBin}`);
    installed = true;
  }

  const serverVersion = packageVersion(path.join(packageDir, 'package.json'));
  if (existsSync(entry) && serverVersion === version) {
    log('install', `reusing code-server ${serverVersion} (${packageDir})`);
  } else {
    log('install', `installing code-server@${version} into ${serverDir} (≈3.5 min, ≈740 MB; needs the libkrb5-dev apt package)`);
    // Its postinstall refuses to run unless Node 24 is the `node` on PATH; npm 11 only runs dependency scripts when told to.
    const env = { ...withoutNpmRunVariables(process.env), PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
    try {
      await npmProject(serverDir, ['install', '--no-audit', '--no-fund', '--dangerously-allow-all-scripts', `code-server@${version}`], env);
    } catch (error) {
      throw new Error(`code-server install failed; if kerberos did not compile, run: apt-get install -y libkrb5-dev\n${String(error)}`);
    }
    if (!existsSync(entry) || packageVersion(path.join(packageDir, 'package.json')) !== version) {
      throw new Error(`code-server@${version} install did not produce ${entry}`);
    }
    installed = true;
  }
  return { nodeBin, nodeBinDir, entry, version, installed };
}

/**
 * The environment without what an enclosing `npm run` exported. Its `npm_config_*` variables act as settings for a
 * nested npm: `npm_config_user_agent` would name the outer Node, and code-server's postinstall reads its Node version
 * from that user agent.
 */
function withoutNpmRunVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

/** `npm init -y` when needed, then the given npm command, in `dir`. */
async function npmProject(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'package.json'))) {
    await runToCompletion('npm init', 'npm', ['init', '-y'], { cwd: dir, env });
  }
  await runToCompletion(`npm ${args[0] ?? ''}`, 'npm', args, { cwd: dir, env, echo: true, timeoutMs: 15 * 60_000 });
}

function binaryVersion(bin: string): string | undefined {
  if (!existsSync(bin)) return undefined;
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function packageVersion(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  return undefined;
}
