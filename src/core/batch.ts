import type { GraphContext } from './context';
import { graphErrorFromBody, isNotYetReplicated, isRecord } from './errors';
import type { Method } from './http';
import { backoffDelay, parseRetryAfter, throttleDelay } from './retry';
import type { CallOptions, GraphError } from './types';

/** Graph carries at most 20 requests in one `$batch` (learn.microsoft.com/graph/json-batching). */
export const BATCH_SIZE = 20;

export interface BatchRequest {
  method: Method;
  /** Relative to the service root, e.g. `/groups/{id}/members/{id}/$ref`. */
  url: string;
  body?: unknown;
  /** Extra headers for this item, e.g. ConsistencyLevel. */
  headers?: Record<string, string>;
}

/** One item's final answer: its status and body, or the error it ended with (after retries). */
export type BatchAnswer = { ok: true; status: number; body: unknown } | { ok: false; error: GraphError; maybeApplied: boolean };

/**
 * Sends `requests` 20 per `$batch` and answers each one. Throttled, unavailable or not-yet-replicated items (and
 * whole batches that failed) are sent again under the transport's one retry rule; an item whose answer was lost is
 * marked `maybeApplied`, so the caller can read a later "not found" or "already exist" as its own doing.
 */
export async function sendInBatches(ctx: GraphContext, requests: readonly BatchRequest[], options: CallOptions & { onAnswer?: (index: number) => void } = {}): Promise<BatchAnswer[]> {
  const answers: Array<BatchAnswer | undefined> = requests.map(() => undefined);
  const state = requests.map(() => ({ tries: 0, since: undefined as number | undefined, maybeApplied: false }));
  let queue = requests.map((_, i) => i);
  const settle = (i: number, answer: BatchAnswer): void => {
    answers[i] = answer;
    options.onAnswer?.(i);
  };
  while (queue.length > 0 && !options.signal?.aborted) {
    const round = queue.splice(0, BATCH_SIZE);
    const sentAt = ctx.transport.now();
    const items = round.map((index, n) => {
      const r = requests[index] as BatchRequest;
      const headers: Record<string, string> = { ...(r.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(r.headers ?? {}) };
      return { id: String(n + 1), method: r.method, url: r.url, ...(Object.keys(headers).length ? { headers } : {}), ...(r.body !== undefined ? { body: r.body } : {}) };
    });
    const result = await ctx.send('POST', '/$batch', { body: { requests: items }, ...options });
    const byId = new Map<string, Record<string, unknown>>();
    let wholeError: GraphError | undefined;
    let scrub = (e: GraphError): GraphError => e;
    if (result.success) {
      const response = result.data;
      scrub = (e) => response.scrub(e);
      const body = result.data.body;
      const responses = isRecord(body) && Array.isArray(body.responses) ? body.responses.filter(isRecord) : [];
      for (const r of responses) byId.set(String(r.id), r);
    } else {
      wholeError = result.error;
    }
    const now = ctx.transport.now();
    let waitMs = 0;
    const retry: number[] = [];
    for (const [n, index] of round.entries()) {
      const s = state[index] as (typeof state)[number];
      const since = (s.since ??= sentAt);
      let error: GraphError;
      let delay: number;
      if (wholeError) {
        // The transport has already retried the batch itself as far as its rule allows.
        if (!result.success && result.ambiguous) s.maybeApplied = true;
        error = wholeError;
        delay = -1;
      } else {
        const item = byId.get(String(n + 1));
        if (!item || typeof item.status !== 'number') {
          error = { code: 'InvalidResponse', message: 'Graph answered a $batch without this request.' };
          delay = backoffDelay(s.tries, ctx.transport.random);
        } else {
          if (item.status < 400) {
            settle(index, { ok: true, status: item.status, body: item.body });
            continue;
          }
          const headers = Object.fromEntries(Object.entries(isRecord(item.headers) ? item.headers : {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
          // Built from the item's body, which a gateway may have filled with our Authorization header.
          error = scrub(graphErrorFromBody(item.status, item.body, headers['request-id'], ''));
          const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
          if (retryAfterMs !== undefined) error = { ...error, retryAfterMs };
          if (item.status === 504) s.maybeApplied = true;
          delay = transientDelay(error, s.tries, ctx.transport.random) ?? -1;
        }
      }
      if (delay >= 0 && ctx.transport.mayRetry(s.tries, since, delay)) {
        s.tries++;
        waitMs = Math.max(waitMs, delay);
        retry.push(index);
      } else {
        settle(index, { ok: false, error, maybeApplied: s.maybeApplied });
      }
    }
    if (retry.length > 0) {
      queue = [...retry, ...queue];
      await ctx.transport.sleep(waitMs, options.signal);
    }
  }
  return answers.map((a) => a ?? { ok: false, error: { code: 'Cancelled', message: 'Not attempted: the operation was cancelled.' }, maybeApplied: false });
}

/** How long to wait before sending an item again, or undefined when its error is final. */
function transientDelay(error: GraphError, tries: number, random: () => number): number | undefined {
  if (isNotYetReplicated(error)) return backoffDelay(tries, random);
  if (error.status === 429 || error.status === 503 || error.status === 504) return throttleDelay(error.retryAfterMs ?? 1000, random);
  return undefined;
}
