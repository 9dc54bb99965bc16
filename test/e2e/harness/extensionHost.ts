/**
 * Runs a mocha suite inside code-server's extension host, the way `@vscode/test-electron` does on the desktop:
 * the workbench URL carries a `payload` with `extensionDevelopmentPath` and `extensionTestsPath` (honoured only when
 * code-server runs with `--vscode-option enable-smoke-test-driver`); the page reports the host's console through
 * `codeAutomationLog` and its exit code through `codeAutomationExit`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { HOST_LINE_PREFIX, HOST_SUMMARY_PREFIX, isHostSummary, type HostSummary } from '../host/protocol';
import type { E2EBrowser } from './browser';
import { screenshot } from './browser';
import type { RunningCodeServer } from './codeServer';
import { log } from './log';
import { hostSuiteOutDir, repoRoot, resultsDir } from './paths';

/** Bundles test/e2e/host/index.ts and every host/*.test.ts (node, cjs; `vscode` and `mocha` external) into out/e2e-host/. */
export async function bundleHostSuite(outDir: string = hostSuiteOutDir): Promise<string> {
  const hostDir = path.join(repoRoot, 'test', 'e2e', 'host');
  await bundleForExtensionHost([path.join(hostDir, 'index.ts'), path.join(hostDir, '*.test.ts')], outDir);
  return path.join(outDir, 'index.js');
}

/** Bundles extension-tests code the way the extension host loads it: node, cjs, `vscode` and `mocha` external; `outDir` is emptied first. */
export async function bundleForExtensionHost(entryPoints: string[], outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // `mocha` must be the same instance the runner uses, and resolves from the repository's node_modules.
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

export interface RunHostSuiteOptions {
  browser: E2EBrowser;
  /** Must run with `smokeTestDriver: true`. */
  server: RunningCodeServer;
  /** Folder of the extension to load unpackaged (overrides an installed copy with the same id). */
  extensionDevelopmentPath: string;
  /** The bundled suite's index.js. */
  extensionTestsPath: string;
  /** Extra environment for the extension host. */
  extensionEnvironment?: Record<string, string>;
  timeoutMs?: number;
}

export interface HostSuiteResult {
  /** The extension host's exit code; -1 when it did not finish in time. */
  exitCode: number;
  /** The suite's own lines (prefix removed). */
  output: string;
  /** Everything the workbench logged, for diagnosing failures. */
  fullLog: string;
  /** Counts reported by the suite, when it got as far as reporting them. */
  summary: HostSummary | undefined;
}

export async function runHostSuite(options: RunHostSuiteOptions): Promise<HostSuiteResult> {
  const { server } = options;
  const remote = (absolutePath: string): string => `vscode-remote://${server.authority}${absolutePath}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(options.extensionTestsPath)],
    ['extensionEnvironment', JSON.stringify(options.extensionEnvironment ?? {})],
  ]);

  const page = await options.browser.newPage();
  const fullLog: string[] = [];
  const suiteLines: string[] = [];
  let summary: HostSummary | undefined;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });

  await page.exposeFunction('codeAutomationLog', (level: unknown, args: unknown) => {
    const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    fullLog.push(`[${String(level)}] ${text}`);
    for (const line of text.split('\n')) {
      if (line.startsWith(HOST_SUMMARY_PREFIX)) {
        const parsed: unknown = JSON.parse(line.slice(HOST_SUMMARY_PREFIX.length));
        if (isHostSummary(parsed)) summary = parsed;
      } else if (line.startsWith(HOST_LINE_PREFIX)) {
        const suiteLine = line.slice(HOST_LINE_PREFIX.length);
        suiteLines.push(suiteLine);
        console.log(`  [host] ${suiteLine}`);
      } else if (String(level) === 'error' && /extension|activat|Error/i.test(line) && !/^\s+at /.test(line)) {
        // Activation failures and uncaught errors are worth seeing live.
        console.log(`  [host:${String(level)}] ${line.slice(0, 500)}`);
      }
    }
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown) => {
    resolveExit(typeof code === 'number' ? code : 1);
  });

  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(-1), timeoutMs);
  });
  try {
    await page.goto(server.workbenchUrl({ payload }), { waitUntil: 'domcontentloaded' });
    const exitCode = await Promise.race([exited, timedOut]);
    if (exitCode === -1) log('host-suite', `no exit within ${timeoutMs / 1000} s`);
    const result: HostSuiteResult = { exitCode, output: suiteLines.join('\n'), fullLog: fullLog.join('\n'), summary };
    if (exitCode !== 0) {
      await screenshot(page, 'host-suite');
      saveLog('host-suite.log', result.fullLog);
    }
    return result;
  } finally {
    clearTimeout(timer);
    if (!page.isClosed()) await page.close();
  }
}

function saveLog(name: string, text: string): void {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, name);
  writeFileSync(file, text);
  log('host-suite', `log saved to ${path.relative(process.cwd(), file)}`);
}
