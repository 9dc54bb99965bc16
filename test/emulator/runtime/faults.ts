import type { FaultConfig, FaultKind, ScriptedFault } from '../types.js';
import { Rng } from '../util/prng.js';

/**
 * Decides which requests get an injected fault. Scripted faults come first: the
 * first queued entry that matches is used and its count decremented. Random faults
 * (seeded) apply only to Graph calls. Entries without `match` never touch identity
 * endpoints; control routes are never faulted.
 */
export interface FaultDecision {
  kind: FaultKind;
  /** Raw Retry-After header value to send with 429/503/504. */
  retryAfter?: string;
}

export interface FaultTarget {
  method: string;
  path: string;
  rawUrl: string;
  isGraph: boolean;
}

interface Queued extends ScriptedFault {
  remaining: number;
}

/** Faults answered with an error status (see `statusFault`); $batch items can get these. */
export const STATUS_FAULTS: ReadonlySet<FaultKind> = new Set(['429', '503', '504', 'echoAuthorization']);

/** Faults answered with a list page whose nextLink never lets the list end. */
export const PAGE_FAULTS: ReadonlySet<FaultKind> = new Set(['nextLinkToSelf', 'nextLinkCycle', 'nextLinkEndless']);

/** Size of the `hugeBody` answers: far more than any client should read. */
export const HUGE_BODY_BYTES = 1024 ** 3;

/** The empty page a PAGE_FAULTS fault answers with; `origin` + `rawPath` + `rawQuery` is the request's URL. */
export function loopingPage(kind: FaultKind, origin: string, rawPath: string, rawQuery: string): Record<string, unknown> {
  const query = new URLSearchParams(rawQuery);
  const token = query.get('$skiptoken') ?? '';
  if (kind === 'nextLinkCycle') query.set('$skiptoken', token === 'cycleA' ? 'cycleB' : 'cycleA');
  if (kind === 'nextLinkEndless') query.set('$skiptoken', `endless-${Number(/^endless-(\d+)$/.exec(token)?.[1] ?? 0) + 1}`);
  const nextLink = kind === 'nextLinkToSelf' ? `${origin}${rawPath}${rawQuery ? `?${rawQuery}` : ''}` : `${origin}${rawPath}?${query.toString()}`;
  return { '@odata.context': `${origin}/v1.0/$metadata#directoryObjects`, value: [], '@odata.nextLink': nextLink };
}

export class FaultInjector {
  private random: { cfg: FaultConfig; rng: Rng } | undefined;
  private queue: Queued[] = [];

  constructor(cfg?: FaultConfig) {
    this.setRandom(cfg);
  }

  setRandom(cfg: FaultConfig | undefined): void {
    this.random = cfg && cfg.rate > 0 ? { cfg, rng: new Rng(cfg.seed ?? 1) } : undefined;
  }

  /** Replaces the scripted queue. */
  script(faults: readonly ScriptedFault[]): void {
    this.queue = faults.map((f) => ({ ...f, remaining: f.count ?? 1 }));
  }

  get pendingScripted(): number {
    return this.queue.reduce((n, q) => n + q.remaining, 0);
  }

  pick(t: FaultTarget, only?: ReadonlySet<FaultKind>): FaultDecision | undefined {
    const idx = this.queue.findIndex((q) => (only === undefined || only.has(q.kind)) && matches(q, t, only !== undefined));
    if (idx >= 0) {
      const q = this.queue[idx] as Queued;
      q.remaining--;
      if (q.remaining <= 0) this.queue.splice(idx, 1);
      return q.retryAfter !== undefined ? { kind: q.kind, retryAfter: q.retryAfter } : { kind: q.kind };
    }
    const r = this.random;
    if (!r || !t.isGraph || only !== undefined) return undefined;
    if (r.rng.next() >= r.cfg.rate) return undefined;
    const kind = r.rng.pick(r.cfg.kinds && r.cfg.kinds.length > 0 ? r.cfg.kinds : (['429', '503', '504'] as FaultKind[]));
    return r.cfg.retryAfterSec !== undefined ? { kind, retryAfter: String(r.cfg.retryAfterSec) } : { kind };
  }
}

/** `requireMatch` is set for $batch items: only entries that explicitly target them apply. */
function matches(q: ScriptedFault, t: FaultTarget, requireMatch: boolean): boolean {
  const m = q.match;
  if (!m) return t.isGraph && !requireMatch;
  if (m.method !== undefined && m.method.toUpperCase() !== t.method.toUpperCase()) return false;
  if (m.pathIncludes !== undefined && !t.path.includes(m.pathIncludes) && !t.rawUrl.includes(m.pathIncludes)) return false;
  return true;
}
