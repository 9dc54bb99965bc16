/**
 * `npm run bench` — Entra ID Directory against the Graph SDK on the Graph emulator.
 * First the org chart's render time at 5,000 people and the directory table at 100,000 rows (first render, scroll
 * frames) in Chromium, beside their targets; then the Graph figures: the Markdown table, bench-results/bench.md and
 * bench.json, and last the summary line.
 * Activation in the real extension host (a fresh code-server per run) comes with the footprint; --activation-only
 * measures just that.
 * Options: --users N, --latency MS, --smoke (tiny sizes), --chart-only, --table-only, --no-table, --activation-only,
 * --activation-runs N, --no-host-activation; see options.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostActivation, runBench, writeReport } from './bench';
import { chartReport, runChartBench } from './chartRender';
import { parseArgs, type BenchOptions } from './options';
import { hostActivationMarkdown } from './report';
import { runTableBench, tableReport } from './tableBench';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // --chart-only: just the org chart's render time in Chromium.
  const chartOnly = args.includes('--chart-only');
  const options = parseArgs(args.filter((a) => a !== '--chart-only'));
  if (options.activationOnly) return activationOnly(options);
  // The pages in Chromium first: the Graph figures end with the summary line, which stays the last line printed.
  if (options.table !== 'only') console.log(chartReport(await runChartBench()));
  if (!chartOnly && options.table !== 'no') {
    if (options.build && options.table === 'only') execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
    console.log(tableReport(await runTableBench(options.smoke ? 2_000 : 100_000)));
  }
  if (!chartOnly && options.table !== 'only') {
    const report = await runBench(options);
    console.log(writeReport(report, options.outDir));
    console.log(report.summary);
  }
}

/** `--activation-only`: the production bundle, then its activation in the real extension host, and its line. */
async function activationOnly(options: BenchOptions): Promise<void> {
  if (options.build) execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
  const work = mkdtempSync(path.join(tmpdir(), 'entra-bench-'));
  try {
    const host = await hostActivation(options, work, (m) => process.stderr.write(`[bench] ${m}\n`));
    if (!host.measured) throw new Error(host.reason);
    console.log(hostActivationMarkdown(host));
    console.log(`bench: activation host ${Math.round(host.activateMs.median)} ms (${host.activateMs.min}–${host.activateMs.max} ms over ${host.runs.length} runs)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
