/** Benchmark sizes and their command-line form. */

export interface BenchOptions {
  /** Users in the tenant (the enumeration reads the enabled ones). */
  users: number;
  /** Fixed per-request latency the emulator adds, in ms. */
  latencyMs: number;
  /** Members added to one group in the write scenario. */
  members: number;
  /** Injected fault rate for the second write run. */
  faultRate: number;
  /** Mixed reads in the throttled scenario. */
  reads: number;
  /** Workers issuing the throttled reads. */
  concurrency: number;
  /** Identity read limit the emulator enforces in the throttled scenario (resource units per 10 s). */
  ruPer10s: number;
  /** Parallel POSTs the Graph SDK run uses for one-by-one member adds. */
  peerWriteConcurrency: number;
  /** Activation samples (each in a fresh process). */
  activationRuns: number;
  /** Run `node esbuild.mjs --production` before measuring the bundle (otherwise measure dist/ as it is). */
  build: boolean;
  /** Where bench.md and bench.json go; undefined = do not write files. */
  outDir: string | undefined;
  smoke: boolean;
  /** The directory table in Chromium at 100,000 rows (after the Graph figures, or alone with --table-only). */
  table: 'also' | 'only' | 'no';
  /** The emulator's server time per object read or written in the directory cache's enumeration (bench.md, "Cost model"). */
  perItemMs: number;
  /** Runs of each directory cache scenario (alternating order where two clients compete). */
  cacheRuns: number;
  /** Runs of the write and throttled scenarios, each client once a round, in alternating order. */
  scenarioRuns: number;
  /** Only the directory cache's scenarios (`--cache-only`): no other Graph scenario, no pages. */
  cacheOnly: boolean;
  /** Activation in the real extension host (a fresh code-server per run); off in `--smoke` and with `--no-host-activation`. */
  hostActivation: boolean;
  /** Runs of it (`--activation-runs`), each in a fresh code-server. */
  hostActivationRuns: number;
  /** Only that figure (`--activation-only`): no Graph scenario, no pages. */
  activationOnly: boolean;
}

export const DEFAULTS: BenchOptions = {
  users: 100_000,
  latencyMs: 20,
  members: 500,
  faultRate: 0.05,
  reads: 5_000,
  concurrency: 16,
  ruPer10s: 2_000,
  peerWriteConcurrency: 4,
  activationRuns: 5,
  build: true,
  outDir: 'bench-results',
  smoke: false,
  table: 'also',
  perItemMs: 0.2,
  cacheRuns: 5,
  scenarioRuns: 5,
  cacheOnly: false,
  hostActivation: true,
  hostActivationRuns: 5,
  activationOnly: false,
};

/** Tiny sizes for the smoke test: seconds, not minutes. Timings are meaningless at this size. */
export const SMOKE: Partial<BenchOptions> = {
  users: 300,
  latencyMs: 0,
  members: 60,
  reads: 100,
  concurrency: 4,
  ruPer10s: 100,
  activationRuns: 1,
  build: false,
  smoke: true,
  table: 'no',
  cacheRuns: 1,
  scenarioRuns: 1,
  // Seconds, not minutes: no code-server (the report says why the figure is missing).
  hostActivation: false,
};

const USAGE = `Usage: npm run bench -- [--users N] [--latency MS] [--members N] [--reads N] [--concurrency N]
  [--ru RU_PER_10S] [--fault-rate R] [--per-item-ms MS] [--cache-runs N] [--runs N] [--cache-only] [--no-build] [--out DIR | --no-out]
  [--smoke] [--table-only | --no-table] [--activation-runs N] [--activation-only | --no-host-activation]`;

export function parseArgs(argv: readonly string[]): BenchOptions {
  const smoke = argv.includes('--smoke');
  const o: BenchOptions = { ...DEFAULTS, ...(smoke ? SMOKE : {}) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const num = (min: number): number => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n < min) throw new Error(`${arg} needs a number ≥ ${min}\n${USAGE}`);
      return n;
    };
    switch (arg) {
      case '--smoke':
        break;
      case '--users':
        o.users = Math.trunc(num(10));
        break;
      case '--latency':
        o.latencyMs = num(0);
        break;
      case '--members':
        o.members = Math.trunc(num(1));
        break;
      case '--reads':
        o.reads = Math.trunc(num(1));
        break;
      case '--concurrency':
        o.concurrency = Math.trunc(num(1));
        break;
      case '--ru':
        o.ruPer10s = num(10);
        break;
      case '--fault-rate':
        o.faultRate = num(0);
        break;
      case '--per-item-ms':
        o.perItemMs = num(0);
        break;
      case '--cache-runs':
        o.cacheRuns = Math.trunc(num(1));
        break;
      case '--runs':
        o.scenarioRuns = Math.trunc(num(1));
        break;
      case '--cache-only':
        o.cacheOnly = true;
        o.table = 'no';
        break;
      case '--activation-runs':
        o.hostActivationRuns = Math.trunc(num(1));
        break;
      case '--activation-only':
        o.activationOnly = true;
        o.hostActivation = true;
        o.table = 'no';
        break;
      case '--no-host-activation':
        o.hostActivation = false;
        break;
      case '--table-only':
        o.table = 'only';
        break;
      case '--no-table':
        o.table = 'no';
        break;
      case '--no-build':
        o.build = false;
        break;
      case '--out':
        o.outDir = argv[++i];
        break;
      case '--no-out':
        o.outDir = undefined;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown argument ${arg}\n${USAGE}`);
    }
  }
  return o;
}
