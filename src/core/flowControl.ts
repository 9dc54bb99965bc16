/**
 * Shares Graph's throttling signal between the requests of one client. Graph's identity limits apply per
 * app and tenant, so when one request is throttled the others would be too. After a 429:
 * - no request is sent before the Retry-After Graph gave has passed;
 * - the number of requests in flight is capped: halved once per throttling episode, grown by one per window
 *   of successes, lifted after a quiet period (additive increase, multiplicative decrease);
 * - requests wait here oldest first, and a throttled request keeps its place while it waits to be sent
 *   again, so newer requests cannot take the capacity it waited for.
 * Parallel callers then queue on the client at about the rate the limit allows, instead of each collecting
 * 429s until it runs out of retries. Without throttling nothing waits.
 */
interface Waiter {
  since: number;
  resolve: () => void;
}

/** Above this cap the limit is lifted again. */
const MAX_LIMIT = 64;
/** A throttling-free stretch this long lifts the limit. */
const QUIET_MS = 30_000;

export type FlowOutcome = 'ok' | 'throttled' | 'other';

export class FlowControl {
  /** Whole requests; fractional growth would let one more through after a single success. */
  private limit = Number.POSITIVE_INFINITY;
  /** Successes since the limit last changed: a window is `limit` of them. */
  private successes = 0;
  private inFlight = 0;
  private resumeAt = 0;
  private lastCut = Number.NEGATIVE_INFINITY;
  private lastThrottled = Number.NEGATIVE_INFINITY;
  /** Requests waiting for a slot, oldest first. */
  private readonly waiting: Waiter[] = [];
  /** First-send times of throttled requests waiting out their Retry-After before coming back. */
  private readonly returning: number[] = [];
  private timerSet = false;

  constructor(
    private readonly now: () => number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ) {}

  /**
   * Resolves when a request first sent at `since` may go (at once unless the client is being throttled).
   * Every acquire must be followed by one {@link release}.
   */
  acquire(since: number, signal?: AbortSignal): Promise<void> {
    this.unmark(since);
    if (this.waiting.length === 0 && this.mayGo(since)) {
      this.inFlight++;
      return Promise.resolve();
    }
    if (signal?.aborted) {
      // Cancelled before it queued: its abort event has already fired, so it would otherwise wait its turn.
      this.inFlight++; // the caller releases as usual
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        this.inFlight++; // the caller releases as usual
        waiter.resolve();
      };
      const waiter: Waiter = {
        since,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      let at = this.waiting.length;
      while (at > 0 && (this.waiting[at - 1] as Waiter).since > since) at--;
      this.waiting.splice(at, 0, waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pump();
    });
  }

  /** Reports how the attempt went; `sentAt` is when it was sent. */
  release(outcome: FlowOutcome, sentAt: number, retryAfterMs?: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const now = this.now();
    if (outcome === 'throttled') {
      this.lastThrottled = now;
      if (retryAfterMs !== undefined) this.resumeAt = Math.max(this.resumeAt, now + retryAfterMs);
      // One cut per episode: answers to requests sent before the last cut carry no news.
      if (sentAt >= this.lastCut) {
        const current = Number.isFinite(this.limit) ? this.limit : this.inFlight + 1;
        this.limit = Math.max(1, Math.floor(current / 2));
        this.successes = 0;
        this.lastCut = now;
      }
    } else if (outcome === 'ok' && Number.isFinite(this.limit)) {
      if (++this.successes >= this.limit) {
        this.limit++;
        this.successes = 0;
      }
      if (this.limit > MAX_LIMIT || now - this.lastThrottled > QUIET_MS) this.limit = Number.POSITIVE_INFINITY;
    }
    this.pump();
  }

  /**
   * Waits `ms` before a throttled request (first sent at `since`) is sent again, keeping its place: newer
   * requests do not go ahead of it meanwhile. It comes back through {@link acquire}, or calls {@link forget}.
   */
  async waitToRetry(since: number, ms: number, signal?: AbortSignal): Promise<void> {
    this.returning.push(since);
    await this.sleep(ms, signal);
  }

  /** A request that will not come back (cancelled, failed) gives up its place. */
  forget(since: number): void {
    if (this.unmark(since)) this.pump();
  }

  private unmark(since: number): boolean {
    const i = this.returning.indexOf(since);
    if (i < 0) return false;
    this.returning.splice(i, 1);
    return true;
  }

  private mayGo(since: number): boolean {
    return this.inFlight < this.limit && this.now() >= this.resumeAt && this.returning.every((s) => s >= since);
  }

  private pump(): void {
    const wait = this.resumeAt - this.now();
    if (wait > 0) {
      if (this.waiting.length > 0 && !this.timerSet) {
        // The transport's own clock and sleep, so that a test's fake clock drives this too.
        this.timerSet = true;
        void this.sleep(wait).then(() => {
          this.timerSet = false;
          this.pump();
        });
      }
      return;
    }
    while (this.waiting.length > 0 && this.mayGo((this.waiting[0] as Waiter).since)) {
      this.inFlight++;
      (this.waiting.shift() as Waiter).resolve();
    }
  }
}
