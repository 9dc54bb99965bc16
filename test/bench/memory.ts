/** Heap and RSS measurement: a forced GC, a sampler for peaks, and retained heap per held item. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = () => void;

/** `global.gc` when started with --expose-gc, else enabled at run time (same function). */
export function getGc(): Gc {
  const existing = (globalThis as { gc?: Gc }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as Gc;
}

const gcOnce = getGc();

/** Full collections until the heap stops shrinking (weak callbacks and finalizers need more than one). */
export function fullGc(): number {
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 6; i++) {
    gcOnce();
    const used = process.memoryUsage().heapUsed;
    if (used >= last - 1024) return used;
    last = used;
  }
  return process.memoryUsage().heapUsed;
}

/**
 * {@link fullGc}, counting the memory of ArrayBuffers too: typed arrays (the cache's compact records, id table and
 * listing order) live outside the JS heap, and `heapUsed` alone would say they cost nothing.
 */
export function fullGcWithBuffers(): number {
  fullGc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export interface MemoryPeaks {
  baseHeap: number;
  baseRss: number;
  peakHeap: number;
  peakRss: number;
}

/** Samples `process.memoryUsage()` every `everyMs` while `fn` runs. */
export async function withPeaks<T>(fn: () => Promise<T>, everyMs = 5): Promise<{ value: T; peaks: MemoryPeaks }> {
  const base = process.memoryUsage();
  const peaks: MemoryPeaks = { baseHeap: base.heapUsed, baseRss: base.rss, peakHeap: base.heapUsed, peakRss: base.rss };
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.heapUsed > peaks.peakHeap) peaks.peakHeap = m.heapUsed;
    if (m.rss > peaks.peakRss) peaks.peakRss = m.rss;
  };
  const timer = setInterval(sample, everyMs);
  try {
    const value = await fn();
    sample();
    return { value, peaks };
  } finally {
    clearInterval(timer);
  }
}
