/**
 * `npm run bench` — Entra ID Directory against the Graph SDK on the Graph emulator.
 * Prints the Markdown table, writes bench-results/bench.md and bench.json, and ends with the summary line.
 * Options: --users N, --latency MS, --smoke (tiny sizes), see options.ts for the rest.
 */
import { runBench, writeReport } from './bench';
import { parseArgs } from './options';

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const report = await runBench(options);
  console.log(writeReport(report, options.outDir));
  console.log(report.summary);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
