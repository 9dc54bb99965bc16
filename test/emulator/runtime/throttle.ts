import type { ThrottleConfig } from '../types.js';
import type { CostKind } from '../graph/router.js';

/**
 * Graph's identity-and-access throttling: a resource-unit token bucket per
 * (app, tenant) over 10 s and a write bucket over 150 s, refilled continuously.
 * Costs follow the documented base table with the $select/$expand/$top adjustments.
 */
export interface ThrottleDecision {
  ok: boolean;
  cost: number;
  retryAfterSec?: number;
  reason?: 'ResourceUnitLimitExceeded' | 'WriteLimitExceeded';
  /** Fraction of the budget in use, reported above 0.8. */
  usage: number;
}

const BASE_COST: Record<CostKind, number> = {
  usersList: 2,
  members: 3,
  transitiveMembers: 5,
  memberOf: 2,
  otherGet: 1,
  write: 1,
};

interface Bucket {
  ru: number;
  writes: number;
  at: number;
}

export class Throttler {
  private cfg: Required<ThrottleConfig> | undefined;
  private readonly buckets = new Map<string, Bucket>();

  constructor(cfg: ThrottleConfig | false | undefined) {
    this.configure(cfg);
  }

  configure(cfg: ThrottleConfig | false | undefined): void {
    this.buckets.clear();
    this.cfg = cfg ? { ruPer10s: cfg.ruPer10s ?? 8000, writesPer150s: cfg.writesPer150s ?? 3000 } : undefined;
  }

  get enabled(): boolean {
    return this.cfg !== undefined;
  }

  static cost(kind: CostKind, q: { select?: unknown; expand?: unknown; top?: number }): number {
    let c = BASE_COST[kind];
    if (kind !== 'write') {
      if (q.select !== undefined) c -= 1;
      if (q.expand !== undefined) c += 1;
      if (q.top !== undefined && q.top < 20) c -= 1;
    }
    return Math.max(1, c);
  }

  check(key: string, cost: number, write: boolean): ThrottleDecision {
    const cfg = this.cfg;
    if (!cfg) return { ok: true, cost, usage: 0 };
    const now = performance.now();
    const ruRate = cfg.ruPer10s / 10_000;
    const wRate = cfg.writesPer150s / 150_000;
    let b = this.buckets.get(key);
    if (!b) {
      b = { ru: cfg.ruPer10s, writes: cfg.writesPer150s, at: now };
      this.buckets.set(key, b);
    }
    const elapsed = now - b.at;
    b.ru = Math.min(cfg.ruPer10s, b.ru + elapsed * ruRate);
    b.writes = Math.min(cfg.writesPer150s, b.writes + elapsed * wRate);
    b.at = now;
    const need = Math.min(cost, cfg.ruPer10s);
    if (b.ru < need) {
      return { ok: false, cost, retryAfterSec: seconds((need - b.ru) / ruRate), reason: 'ResourceUnitLimitExceeded', usage: 1 };
    }
    if (write && b.writes < 1) {
      return { ok: false, cost, retryAfterSec: seconds((1 - b.writes) / wRate), reason: 'WriteLimitExceeded', usage: 1 };
    }
    b.ru -= need;
    if (write) b.writes -= 1;
    return { ok: true, cost, usage: 1 - b.ru / cfg.ruPer10s };
  }
}

/** Milliseconds → seconds rounded up to the millisecond, as the fractional Retry-After Graph sends. */
function seconds(ms: number): number {
  return Math.max(0.001, Math.ceil(ms) / 1000);
}
