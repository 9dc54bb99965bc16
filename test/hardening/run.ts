/**
 * The full-size hardening suites, outside the default test run: `npm run soak`, `npm run fuzz`.
 *   node --import tsx test/hardening/run.ts soak [--ops N] [--seed N]
 *   node --import tsx test/hardening/run.ts fuzz [--runs N] [--seed N]
 * Prints the figures and exits non-zero when a suite found a problem.
 */
import { formatSoak, runSoak } from './soak';

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : undefined;
  if (value !== undefined && !Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

async function main(): Promise<number> {
  const suite = process.argv[2];
  const seed = flag('seed');
  if (suite === 'soak') {
    const ops = flag('ops');
    const report = await runSoak({ ...(ops !== undefined ? { ops } : {}), ...(seed !== undefined ? { seed } : {}) });
    for (const line of formatSoak(report)) console.log(line);
    return report.unreported + report.lost + report.duplicated === 0 ? 0 : 1;
  }
  if (suite === 'fuzz') {
    const { formatFuzz, runFuzz } = await import('./fuzz');
    const runs = flag('runs');
    const report = await runFuzz({ ...(runs !== undefined ? { runsPerAction: runs } : {}), ...(seed !== undefined ? { seed } : {}) });
    for (const line of formatFuzz(report)) console.log(line);
    return report.violations.length === 0 ? 0 : 1;
  }
  throw new Error('usage: run.ts soak|fuzz [--ops N | --runs N] [--seed N]');
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(2);
  },
);
