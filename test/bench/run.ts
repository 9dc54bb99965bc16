/**
 * `npm run bench` — Entra ID Directory against the Graph SDK on the Graph emulator.
 * Prints the Markdown table, writes bench-results/bench.md and bench.json, and ends with the summary line.
 * Then the org chart's render time at 5,000 people in Chromium (chartRender.ts).
 * Options: --users N, --latency MS, --smoke (tiny sizes), --chart-only, see options.ts for the rest.
 */
import { runBench, writeReport } from './bench';
import { chartReport, runChartBench } from './chartRender';
import { parseArgs } from './options';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // --chart-only: just the org chart's render time in Chromium.
  const chartOnly = args.includes('--chart-only');
  if (!chartOnly) {
    const options = parseArgs(args);
    const report = await runBench(options);
    console.log(writeReport(report, options.outDir));
    console.log(report.summary);
  }
  console.log(chartReport(await runChartBench()));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
