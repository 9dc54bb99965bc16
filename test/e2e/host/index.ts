/**
 * Entry point the extension host loads through `extensionTestsPath` (bundled to out/e2e-host/index.js).
 * Runs every bundled `*.test.js` next to it with mocha and resolves or rejects; the workbench turns that into the
 * extension host's exit code.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { HOST_ENV, HOST_LINE_PREFIX, HOST_SUMMARY_PREFIX, type HostSummary } from './protocol';

export function run(): Promise<void> {
  const grep = process.env[HOST_ENV.grep];
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: HostReporter, ...(grep ? { grep } : {}) });
  for (const file of suiteFiles(readdirSync(__dirname))) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/**
 * The bundled test files in the order they run: by name, except that `*.last.test.js` files run after all others
 * (for tests that leave the extension in a state no later test could undo from inside the extension host).
 */
export function suiteFiles(names: readonly string[]): string[] {
  const tests = names.filter((f) => f.endsWith('.test.js')).sort();
  const isLast = (f: string): boolean => f.endsWith('.last.test.js');
  return [...tests.filter((f) => !isLast(f)), ...tests.filter(isLast)];
}

/** A spec-like reporter whose every line carries the prefix the harness filters on. */
class HostReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
    const summary: HostSummary = { passed: 0, failed: 0, pending: 0 };
    const say = (line: string): void => console.log(HOST_LINE_PREFIX + line);
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title) say(`${'  '.repeat(depth(suite))}${suite.title}`);
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      summary.passed++;
      say(`${'  '.repeat(depth(test))}✔ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      summary.pending++;
      say(`${'  '.repeat(depth(test))}- ${test.title}`);
    });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, error: unknown) => {
      summary.failed++;
      say(`${'  '.repeat(depth(test))}✘ ${test.fullTitle()}`);
      for (const line of (error instanceof Error ? (error.stack ?? error.message) : String(error)).split('\n')) say(`      ${line}`);
    });
    runner.once(EVENT_RUN_END, () => {
      console.log(HOST_SUMMARY_PREFIX + JSON.stringify(summary));
    });
  }
}

function depth(node: Mocha.Suite | Mocha.Runnable): number {
  let level = 0;
  for (let parent = node.parent; parent && !parent.root; parent = parent.parent) level++;
  return level;
}
