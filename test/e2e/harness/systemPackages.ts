/**
 * The Debian packages the demo and the tests need from the machine, checked before anything slow starts: installed
 * when this process may (root, apt-get present, as `.ci/run` does), otherwise a stop at once with the one command to
 * run — not a failure minutes later inside an npm install.
 * `test/e2e/checkSystem.ts` runs it before `npm start` and `npm test` (npm's prestart and pretest).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM_PATH } from './browser';
import { CODE_SERVER_VERSION } from './installCodeServer';
import { cacheDir } from './paths';

export interface Need {
  /** The Debian package that provides it. */
  debian: string;
  present(): boolean;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function debianInstalled(name: string): boolean {
  return spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status === 0;
}

/** Whether code-server is already in the cache: then nothing needs compiling. */
function codeServerCached(): boolean {
  return existsSync(path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js'));
}

/** What `npm start` (the demo) or `npm test` (also Chromium) needs on this machine now. */
export function needsFor(purpose: 'start' | 'test'): Need[] {
  const needs: Need[] = [];
  if (purpose === 'test') needs.push({ debian: 'chromium', present: () => existsSync(CHROMIUM_PATH) });
  // code-server's postinstall compiles native modules: kerberos needs its headers, node-gyp a compiler and Python.
  if (!codeServerCached()) {
    needs.push(
      { debian: 'libkrb5-dev', present: () => debianInstalled('libkrb5-dev') },
      { debian: 'g++', present: () => onPath('g++') },
      { debian: 'make', present: () => onPath('make') },
      { debian: 'python3', present: () => onPath('python3') },
    );
  }
  return needs;
}

/** What the check touches on the machine (the real one by default; tests pass their own). */
export interface MachineAccess {
  needs(purpose: 'start' | 'test'): Need[];
  mayInstall(): boolean;
  /** Runs apt-get with these arguments; the exit status. */
  aptGet(args: string[]): number | null;
  report(line: string): void;
}

const realMachine: MachineAccess = {
  needs: needsFor,
  mayInstall: () => process.getuid?.() === 0 && onPath('apt-get'),
  aptGet: (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status,
  report: (line) => console.log(line),
};

/** Installs what is missing when allowed; otherwise throws with the command that would. */
export function ensureSystemPackages(purpose: 'start' | 'test', machine: MachineAccess = realMachine): void {
  const missing = machine.needs(purpose).filter((n) => !n.present()).map((n) => n.debian);
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!machine.mayInstall()) {
    throw new Error(`This machine lacks the Debian packages ${missing.join(', ')}. Install them, then run the command again:\n\n  sudo apt-get update && sudo ${command}\n`);
  }
  machine.report(`installing the Debian packages ${missing.join(', ')}`);
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const status = machine.aptGet(args);
    if (status !== 0) throw new Error(`apt-get ${args[0] ?? ''} failed (exit ${String(status)}); run it yourself:\n\n  ${command}\n`);
  }
  const still = machine.needs(purpose).filter((n) => !n.present()).map((n) => n.debian);
  if (still.length) throw new Error(`apt-get did not provide ${still.join(', ')}.`);
}
