/** Timing of retries: Retry-After parsing and jittered exponential backoff. Pure functions, tested with a fake clock. */

const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 32_000;

/**
 * `Retry-After` is either delay-seconds (Graph sends fractional values such as `2.128`) or an HTTP date.
 * Returns milliseconds to wait, or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff with jitter (50–100 % of the step) so that many clients do not retry in lockstep. */
export function backoffDelay(retry: number, random: () => number): number {
  const step = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** retry);
  return Math.round(step * (0.5 + random() * 0.5));
}

/** Honour the server's wait, plus a little jitter (up to 10 %, at most 250 ms) to spread the retries. */
export function throttleDelay(retryAfterMs: number, random: () => number): number {
  return retryAfterMs + Math.round(random() * Math.min(250, retryAfterMs * 0.1));
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
