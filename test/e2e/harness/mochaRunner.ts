/** Runs mocha test files in this process (so they share the emulator and the browser), screenshotting pages on failure. */
import Mocha from 'mocha';
import { screenshot, type E2EBrowser } from './browser';

export interface MochaResult {
  passed: number;
  failed: number;
  pending: number;
}

export interface RunMochaOptions {
  grep?: string;
  /** Pages of this browser are screenshotted into test-results/e2e/ when a test fails. */
  browser?: () => E2EBrowser | undefined;
  timeoutMs?: number;
}

export async function runMochaFiles(files: readonly string[], options: RunMochaOptions = {}): Promise<MochaResult> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: options.timeoutMs ?? 60_000, ...(options.grep ? { grep: options.grep } : {}) });
  mocha.rootHooks({
    afterEach: async function (this: Mocha.Context) {
      const test = this.currentTest;
      const browser = options.browser?.();
      if (test?.state !== 'failed' || !browser) return;
      let index = 0;
      for (const page of browser.pages()) await screenshot(page, `${test.fullTitle()}${index++ ? `-${index}` : ''}`);
    },
  });
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      const stats = runner.stats;
      resolve({ passed: stats?.passes ?? 0, failed: stats?.failures ?? 0, pending: stats?.pending ?? 0 });
    });
  });
}
