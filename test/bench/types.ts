import type { HostActivation } from './hostActivation';
import type { CacheReport } from './scenarios/cache';
/** What each scenario reports (all of it goes into bench.json). */

export interface EnumerationRun {
  label: string;
  pageSize: number | 'default';
  /** Users returned (and held). */
  users: number;
  /** Requests over the wire (from the emulator's log). */
  requests: number;
  wallMs: number;
  /** Response body bytes the emulator sent. */
  bytes: number;
  /** Peak heapUsed / RSS during the run, above the values just before it (after a full GC). */
  peakHeapDelta: number;
  peakRssDelta: number;
  peakHeap: number;
  peakRss: number;
  /** Heap still in use after a full GC with the list held, divided by the users held. */
  heapPerUser: number;
}

export interface EnumerationResult {
  tenantUsers: number;
  enabledUsers: number;
  /** ceil(enabled ÷ 999). */
  expectedRequests: number;
  runs: EnumerationRun[];
}

export interface FirstScreenRun {
  label: string;
  users: number;
  requests: number;
  wallMs: number;
}

export interface AddMembersRun {
  label: string;
  /** Which round of the scenario (each client runs once a round). */
  round: number;
  faultRate: number;
  members: number;
  requests: number;
  wallMs: number;
  writeUnits: number;
  faultsInjected: number;
  added: number;
  alreadyMembers: number;
  failed: number;
  /** Members in the group at the end. */
  finalMembers: number;
  /** Reported outcomes that disagree with the group's final membership. */
  mismatches: number;
}

export interface ThrottledRun {
  label: string;
  round: number;
  reads: number;
  concurrency: number;
  wallMs: number;
  requests: number;
  /** 429 answers from the limit. */
  throttled: number;
  /** Reads that did not succeed. */
  failures: number;
  firstFailure?: string;
  /** Resource units the limit charged. */
  resourceUnits: number;
  /** total RU ÷ rate. */
  limitMs: number;
  /** (total RU − the bucket's initial credit) ÷ rate: the floor once the burst allowance is spent. */
  strictLimitMs: number;
  /** wallMs ÷ limitMs. */
  ratio: number;
  strictRatio: number;
}

export interface ThrottledResult {
  ruPer10s: number;
  runs: ThrottledRun[];
}

export interface ClientReport {
  latencyMs: number;
  /** The directory cache's figures (scenarios/cache.ts). */
  cache: CacheReport;
  enumeration: EnumerationResult;
  firstScreen: FirstScreenRun[];
  addMembers: AddMembersRun[];
  throttled: ThrottledResult;
}

export interface FootprintResult {
  built: boolean;
  buildMs?: number;
  /** K: what activation reads, dist/extension.mjs and the chunks it imports statically (activationSet.ts). */
  extensionBytes: number;
  activationFiles: number;
  /** Every chunk of the extension bundle, the ones read on first use included. */
  allChunksBytes: number;
  lazyChunks: number;
  msalBytes: number;
  webviewBytes: number;
  /** The bundle loads msal only through `import("./msal.js")` (msal-node's own code, marked by its SKU "msal.js.node", is in no chunk). */
  msalLazy: boolean;
  activationMs: number;
  activationSamples: number[];
  /** The import of dist/extension.mjs alone (its chunks included), stub `vscode`. */
  importMs: number;
  /** Network calls attempted during import + activate. */
  networkCalls: number;
  /** Whether msal.js was loaded during activation. */
  msalLoadedOnActivate: boolean;
}

export interface BenchReport {
  startedAt: string;
  node: string;
  options: Record<string, unknown>;
  client: ClientReport;
  footprint: FootprintResult;
  /** Activation in the real extension host, or why this run did not measure it. */
  hostActivation: HostActivation;
  summary: string;
}
