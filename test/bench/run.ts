/**
 * `npm run bench` — Entra ID Directory against the Graph SDK on the Graph emulator.
 * Prints the Markdown table, writes bench-results/bench.md and bench.json, and ends with the summary line.
 * Then the directory table in Chromium at 100,000 rows (first render, scroll frames) beside its targets.
 * Options: --users N, --latency MS, --smoke (tiny sizes), --table-only, --no-table; see options.ts for the rest.
 */
import { execFileSync } from 'node:child_process';
import { runBench, writeReport } from './bench';
import { parseArgs } from './options';
import { runTableBench, tableReport } from './tableBench';

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.table !== 'only') {
    const report = await runBench(options);
    console.log(writeReport(report, options.outDir));
    console.log(report.summary);
  }
  if (options.table !== 'no') {
    if (options.build && options.table === 'only') execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
    console.log(tableReport(await runTableBench(options.smoke ? 2_000 : 100_000)));
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
