/**
 * Deterministic pseudo-random numbers (mulberry32). Every generated tenant,
 * every random fault decision and every generated id flows through this so a
 * seed reproduces a run exactly.
 */
const HEX = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const DASH = '-'.charCodeAt(0);

export class Rng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that small consecutive seeds do not start with correlated output.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0) || 0x6d2b79f5;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Unsigned 32-bit integer. */
  uint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by relative weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from empty list');
    return last[0];
  }

  /** Version-4-shaped GUID, lower-case like the ids Graph returns. */
  guid(): string {
    const words = [this.uint32(), this.uint32(), this.uint32(), this.uint32()];
    const w1 = words[1] as number;
    const w2 = words[2] as number;
    words[1] = (w1 & 0xffff0fff) | 0x4000; // version 4
    words[2] = ((w2 & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
    const codes: number[] = [];
    for (const w of words) for (let shift = 28; shift >= 0; shift -= 4) codes.push(HEX[(w >>> shift) & 0xf] as number);
    codes.splice(20, 0, DASH);
    codes.splice(16, 0, DASH);
    codes.splice(12, 0, DASH);
    codes.splice(8, 0, DASH);
    // One flat string: concatenating pieces would leave a tree of cons strings behind every id.
    return String.fromCharCode(...codes);
  }

  /** `count` distinct integers from [0, n), in random order. */
  sample(n: number, count: number): number[] {
    const k = Math.min(count, n);
    if (k > n / 3) {
      // Dense sample: partial Fisher–Yates over the whole range.
      const all = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(this.next() * (n - i));
        const tmp = all[i] as number;
        all[i] = all[j] as number;
        all[j] = tmp;
      }
      return all.slice(0, k);
    }
    const seen = new Set<number>();
    while (seen.size < k) seen.add(Math.floor(this.next() * n));
    return [...seen];
  }
}
