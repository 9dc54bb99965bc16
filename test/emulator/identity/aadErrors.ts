import { randomUUID } from 'node:crypto';
import type { HttpAnswer } from '../runtime/http.js';
import { jsonAnswer } from '../runtime/http.js';

/**
 * Errors in the Microsoft identity platform's token-endpoint shape:
 * {error, error_description "AADSTSnnnn: … Trace ID … Correlation ID … Timestamp …", error_codes, timestamp, trace_id, correlation_id, error_uri}
 */
export class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
    /** Further fields of the body, e.g. `suberror`. */
    readonly extra: Readonly<Record<string, string>> = {},
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }
}

/** `2026-11-27 19:03:10Z`, the timestamp format of these bodies. */
function aadTimestamp(d = new Date()): string {
  return d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

export function aadErrorAnswer(e: AadError, origin: string, correlationId: string | undefined): HttpAnswer {
  const traceId = randomUUID();
  const corr = correlationId ?? randomUUID();
  const ts = aadTimestamp();
  return jsonAnswer(e.status, {
    error: e.error,
    error_description: `AADSTS${e.aadsts}: ${e.description} Trace ID: ${traceId} Correlation ID: ${corr} Timestamp: ${ts}`,
    error_codes: [e.aadsts],
    timestamp: ts,
    trace_id: traceId,
    correlation_id: corr,
    error_uri: `${origin}/error?code=${e.aadsts}`,
    ...e.extra,
  });
}
