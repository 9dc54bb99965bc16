import type { RequestLogEntry, EmulatorStats } from '../types.js';

/**
 * Every request the emulator answered (control routes excepted), in arrival order,
 * so tests can assert on exactly what a client sent. Entries are pushed when a
 * request arrives and completed when it is answered.
 */
export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  private seq = 0;
  readonly counters: EmulatorStats = { requests: 0, bytesSent: 0, throttled: 0, faults: 0, writes: 0, notReplicated: 0 };

  constructor(private readonly max = 200_000) {}

  nextSeq(): number {
    return ++this.seq;
  }

  add(entry: RequestLogEntry): RequestLogEntry {
    this.entries.push(entry);
    this.counters.requests++;
    // Trim in place: callers may hold the array reference (Emulator.log).
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    return entry;
  }

  since(seq: number): RequestLogEntry[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  clear(): void {
    this.entries.length = 0;
  }
}

const SECRET_FIELDS = new Set(['client_secret', 'code', 'code_verifier', 'refresh_token', 'client_assertion', 'password', 'assertion']);

/** Headers for the log: lower-case names, bearer tokens redacted. */
export function logHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = k === 'authorization' ? (/^bearer\s/i.test(v) ? 'Bearer <redacted>' : '<redacted>') : v;
  }
  return out;
}

/** Body for the log: parsed JSON, form fields with secrets masked, else the text. */
export function logBody(text: string | undefined, contentType: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  const ct = contentType?.toLowerCase() ?? '';
  if (ct.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (ct.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(text)) out[k] = SECRET_FIELDS.has(k) ? '<redacted>' : v;
    return out;
  }
  return text;
}
