import { describeCause, fail, graphErrorFromBody, ok } from './errors';
import { FlowControl } from './flowControl';
import { backoffDelay, defaultSleep, parseRetryAfter, throttleDelay } from './retry';
import type { WriteAccess } from './accessErrors';
import { ErrorCodes, type GraphClientOptions, type GraphError, type RequestInfo, type Result, type TokenProvider, type TokenRequest } from './types';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: Method;
  /** Absolute URL on the configured Graph origin. */
  url: string;
  /** Advanced query: adds `ConsistencyLevel: eventual`. */
  advanced?: boolean;
  body?: unknown;
  signal?: AbortSignal;
  /** A write's permission beyond browsing (see CallOptions.access): passed to the token provider. */
  access?: WriteAccess;
  /** The caller's own observer of this request's attempts (see CallOptions.onRequest). */
  onRequest?: (info: RequestInfo) => void;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  requestId?: string;
}

export interface HttpResponse extends HttpAnswer {
  /** The error without the bearer tokens this request sent: for errors read from the answer's body (a $batch item's). */
  scrub(error: GraphError): GraphError;
}

/**
 * A failure plus whether a write may nonetheless have been applied: an attempt's answer was lost after sending (for a
 * PATCH or DELETE, possibly an earlier attempt than the one whose answer this is).
 */
export type HttpResult = Result<HttpResponse> & { ambiguous?: boolean };
type ExchangeResult = Result<HttpAnswer> & { ambiguous?: boolean };

export interface TransportStats {
  requests: number;
  retries: number;
  bytesReceived: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 6;
const DEFAULT_RETRY_BUDGET_MS = 120_000;
/**
 * Largest answer the client reads, in bytes. A page of 999 users with every property the client selects is a few
 * MB, and the client's $batch answers are PATCH statuses of a few KB, so 50 MB leaves ten times the room real
 * answers need while bounding what one hostile or broken answer can make the extension hold in memory.
 */
export const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
/** Connection errors that prove the request never reached the server, so even a POST may be re-sent. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * The one place that talks HTTP: token, timeout, retries on throttling and transient faults,
 * one token refresh on 401, and an error value for everything else. Never rejects.
 */
export class GraphTransport {
  readonly base: URL;
  readonly stats: TransportStats = { requests: 0, retries: 0, bytesReceived: 0 };
  private readonly getToken: TokenProvider;
  private readonly timeoutMs: number;
  readonly maxRetries: number;
  private readonly budgetMs: number;
  private readonly fetchImpl: typeof fetch;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  private readonly onRequest: ((info: RequestInfo) => void) | undefined;
  /** Throttling seen by one request slows the others (see FlowControl). */
  private readonly flow: FlowControl;

  constructor(options: GraphClientOptions) {
    this.base = new URL(options.baseUrl.replace(/\/+$/, ''));
    this.getToken = options.getAccessToken;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.budgetMs = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.onRequest = options.onRequest;
    this.flow = new FlowControl(this.now, this.sleep);
  }

  /** Absolute URL for a path relative to the base (`/users?...`). */
  url(pathAndQuery: string): string {
    return `${this.base.href}${pathAndQuery}`;
  }

  /** True when `url` is on the configured Graph origin and under its version path. */
  isOwnUrl(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    const basePath = this.base.pathname.replace(/\/+$/, '');
    return parsed.origin === this.base.origin && (parsed.pathname === basePath || parsed.pathname.startsWith(`${basePath}/`));
  }

  async send(request: HttpRequest): Promise<HttpResult> {
    const tokens: string[] = [];
    const result = await this.exchange(request, tokens);
    const scrub = (error: GraphError): GraphError => withoutTokens(error, tokens);
    return result.success ? { ...result, data: { ...result.data, scrub } } : { ...result, error: scrub(result.error) };
  }

  /**
   * Whether work first sent at `started` may be retried once more, after `retries` retries and a wait of `delayMs`.
   * The one retry rule: the transport's own retries and those of $batch items both obey it.
   */
  mayRetry(retries: number, started: number, delayMs: number): boolean {
    return retries < this.maxRetries && this.now() - started + delayMs <= this.budgetMs;
  }

  /** `send` without the scrubbing; `tokens` collects every token sent. */
  private async exchange(request: HttpRequest, tokens: string[]): Promise<ExchangeResult> {
    if (!this.isOwnUrl(request.url)) {
      // The bearer token must never travel to another host.
      return fail({ code: ErrorCodes.foreignNextLink, message: `Refusing to send a request outside ${this.base.origin}${this.base.pathname}.` });
    }
    const idempotent = request.method !== 'POST';
    const write = request.method !== 'GET';
    const started = this.now();
    let retries = 0;
    let refreshed = false;
    let forceRefresh = false;
    let maybeApplied = false;

    for (let attempt = 1; ; attempt++) {
      if (request.signal?.aborted) {
        this.flow.forget(started);
        return this.cancelled(maybeApplied);
      }
      let token: string;
      try {
        token = await this.getToken(tokenRequest(forceRefresh, request.access));
      } catch (e) {
        this.flow.forget(started);
        return fail({ code: ErrorCodes.authentication, message: `Could not get an access token: ${describeCause(e).message}` });
      }
      forceRefresh = false;
      tokens.push(token);

      await this.flow.acquire(started, request.signal);
      const sentAt = this.now();
      let outcome: AttemptOutcome | undefined;
      try {
        outcome = await this.attempt(request, token, attempt);
      } finally {
        const throttled = outcome?.kind === 'answer' && outcome.status === 429;
        const succeeded = outcome?.kind === 'answer' && outcome.status >= 200 && outcome.status < 300;
        const retryAfterMs = outcome?.kind === 'answer' && throttled ? parseRetryAfter(outcome.retryAfter, this.now()) : undefined;
        this.flow.release(throttled ? 'throttled' : succeeded ? 'ok' : 'other', sentAt, retryAfterMs);
      }
      if (outcome.kind === 'cancelled') return this.cancelled(maybeApplied || (outcome.sent && write));
      // Sending again would bring the same answer; a write was answered, but what it did is unknown.
      if (outcome.kind === 'refused') return { ...fail<HttpAnswer>(outcome.error), ambiguous: write };
      if (outcome.kind === 'fault') {
        const retryable = idempotent || !outcome.sent;
        if (outcome.sent) maybeApplied = true;
        const delay = backoffDelay(retries, this.random);
        if (retryable && this.mayRetry(retries, started, delay)) {
          retries++;
          this.stats.retries++;
          await this.sleep(delay, request.signal);
          continue;
        }
        return { ...fail<HttpAnswer>(gaveUp(outcome.error, attempt, this.now() - started)), ambiguous: write && maybeApplied };
      }

      const { status, body, requestId, retryAfter } = outcome;
      if (status === 401 && !refreshed) {
        refreshed = true;
        forceRefresh = true;
        continue;
      }
      if (status === 429 || status === 503 || (status === 504 && idempotent)) {
        const retryAfterMs = parseRetryAfter(retryAfter, this.now());
        const delay = retryAfterMs !== undefined ? throttleDelay(retryAfterMs, this.random) : backoffDelay(retries, this.random);
        if (this.mayRetry(retries, started, delay)) {
          if (status === 504 && write) maybeApplied = true;
          retries++;
          this.stats.retries++;
          // Throttled: wait holding this request's place, so that newer requests do not take its turn.
          if (status === 429) await this.flow.waitToRetry(started, delay, request.signal);
          else await this.sleep(delay, request.signal);
          continue;
        }
        const error = graphErrorFromBody(status, body, requestId, outcome.statusText);
        return { ...fail<HttpAnswer>({ ...error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }), ambiguous: write && (maybeApplied || status === 504) };
      }
      if (status >= 200 && status < 300) return ok({ status, body, ...(requestId ? { requestId } : {}) });
      return { ...fail<HttpAnswer>(graphErrorFromBody(status, body, requestId, outcome.statusText)), ambiguous: write && (status === 504 || maybeApplied) };
    }
  }

  private cancelled(maybeApplied: boolean): ExchangeResult {
    return { ...fail<HttpAnswer>({ code: ErrorCodes.cancelled, message: 'The operation was cancelled.' }), ambiguous: maybeApplied };
  }

  private async attempt(request: HttpRequest, token: string, attempt: number): Promise<AttemptOutcome> {
    // Ends the attempt on timeout, or when the answer is too large (closing the connection instead of draining the body).
    const local = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      local.abort();
    }, this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, local.signal]) : local.signal;
    const clientRequestId = crypto.randomUUID();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'client-request-id': clientRequestId,
    };
    if (request.advanced) headers.ConsistencyLevel = 'eventual';
    let payload: string | undefined;
    if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(request.body);
    }
    const t0 = this.now();
    const info: RequestInfo = { method: request.method, path: this.relative(request.url), clientRequestId, durationMs: 0, attempt };
    const report = (done: RequestInfo): void => this.report(done, request.onRequest);
    this.stats.requests++;
    let sent = true;
    try {
      const response = await this.fetchImpl(request.url, { method: request.method, headers, body: payload, signal, redirect: 'manual' });
      const requestId = response.headers.get('request-id') ?? undefined;
      const declared = Number(response.headers.get('content-length') ?? 0);
      const text = declared > MAX_RESPONSE_BYTES ? undefined : await readAtMost(response, MAX_RESPONSE_BYTES, (n) => (this.stats.bytesReceived += n));
      if (text === undefined) {
        local.abort();
        const error = {
          code: ErrorCodes.responseTooLarge,
          message: `Microsoft Graph's answer to ${request.method} ${info.path} was larger than ${MAX_RESPONSE_BYTES / (1024 * 1024)} MB; it was not read.`,
          status: response.status,
          ...(requestId ? { requestId } : {}),
        };
        report({ ...info, status: response.status, durationMs: this.now() - t0, errorCode: error.code, ...(requestId ? { requestId } : {}) });
        return { kind: 'refused', error };
      }
      let body: unknown = undefined;
      if (text.length > 0) {
        const type = response.headers.get('content-type') ?? '';
        if (type.includes('json')) {
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            const error = { code: ErrorCodes.invalidResponse, message: `Graph sent a response that is not valid JSON (status ${response.status}).`, status: response.status, ...(requestId ? { requestId } : {}) };
            report({ ...info, status: response.status, durationMs: this.now() - t0, errorCode: error.code, ...(requestId ? { requestId } : {}) });
            if (response.status >= 200 && response.status < 300) return { kind: 'fault', sent: true, error };
            body = text;
          }
        } else {
          body = text;
        }
      }
      report({ ...info, status: response.status, durationMs: this.now() - t0, ...(requestId ? { requestId } : {}) });
      return { kind: 'answer', status: response.status, statusText: response.statusText, body, requestId, retryAfter: response.headers.get('retry-after') };
    } catch (e) {
      const cause = describeCause(e);
      sent = !(cause.code !== undefined && NOT_SENT.has(cause.code));
      if (request.signal?.aborted) {
        report({ ...info, durationMs: this.now() - t0, errorCode: ErrorCodes.cancelled });
        return { kind: 'cancelled', sent };
      }
      const error = timedOut
        ? { code: ErrorCodes.timeout, message: `Microsoft Graph did not answer ${request.method} ${info.path} within ${formatSeconds(this.timeoutMs)}.` }
        : { code: ErrorCodes.network, message: `Could not reach Microsoft Graph (${cause.code ?? cause.message}).` };
      report({ ...info, durationMs: this.now() - t0, errorCode: error.code });
      return { kind: 'fault', sent, error };
    } finally {
      clearTimeout(timer);
    }
  }

  private relative(url: string): string {
    return url.startsWith(this.base.href) ? url.slice(this.base.href.length) || '/' : url;
  }

  private report(info: RequestInfo, caller?: (info: RequestInfo) => void): void {
    for (const sink of [this.onRequest, caller]) {
      try {
        sink?.(info);
      } catch {
        // A logging sink must not break a request.
      }
    }
  }
}

/** What the token provider is asked for; undefined for a plain read (the common case). */
function tokenRequest(forceRefresh: boolean, access: WriteAccess | undefined): TokenRequest | undefined {
  if (!forceRefresh && !access) return undefined;
  return { ...(forceRefresh ? { forceRefresh: true } : {}), ...(access ? { access } : {}) };
}

/**
 * The body as text, or undefined as soon as it passes `limit` bytes: the rest is never read, so a body of any size
 * costs at most `limit` bytes of memory. `onBytes` counts what was read.
 */
async function readAtMost(response: Response, limit: number, onBytes: (n: number) => void): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    onBytes(value.byteLength);
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * An error without the bearer tokens of its request. Graph never repeats the Authorization header, but a gateway or
 * proxy on the way may; its message then reaches logs, notifications and language models.
 */
function withoutTokens(error: GraphError, tokens: readonly string[]): GraphError {
  let { code, message } = error;
  for (const token of new Set(tokens)) {
    if (token.length < 8) continue;
    code = code.split(token).join('[redacted]');
    message = message.split(token).join('[redacted]');
  }
  return code === error.code && message === error.message ? error : { ...error, code, message };
}

/** A fault that ended the request, with the whole wait: the per-attempt message alone would understate it after retries. */
function gaveUp(error: GraphError, attempts: number, waitedMs: number): GraphError {
  const total = attempts > 1 ? ` Gave up after ${attempts} attempts over ${formatSeconds(waitedMs)}.` : '';
  return { ...error, message: `${error.message}${total}`, waitedMs, attempts };
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

type AttemptOutcome =
  | { kind: 'answer'; status: number; statusText: string; body: unknown; requestId: string | undefined; retryAfter: string | null }
  | { kind: 'fault'; sent: boolean; error: { code: string; message: string; status?: number; requestId?: string } }
  /** Not to be retried: the same request would bring the same answer. */
  | { kind: 'refused'; error: GraphError }
  | { kind: 'cancelled'; sent: boolean };
