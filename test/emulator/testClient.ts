import type { Emulator } from './types.js';

/**
 * A minimal fetch wrapper for the emulator's own tests: absolute or /v1.0-relative
 * URLs, a bearer token, and the answer as status + headers + parsed body.
 */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined for empty / non-JSON bodies. */
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Send `body` as-is (a string) instead of JSON. */
  rawBody?: string;
  token?: string | null;
  signal?: AbortSignal;
}

export class TestClient {
  constructor(
    private readonly em: Emulator,
    public token: string,
  ) {}

  url(path: string): string {
    return path.startsWith('http') ? path : `${this.em.graphUrl}${path}`;
  }

  async call(path: string, o: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const token = o.token === undefined ? this.token : o.token;
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    let body: string | undefined = o.rawBody;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.url(path), { method: o.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.call(path, { headers });
  }

  /** GET with advanced-query headers. */
  getAdvanced(path: string): Promise<Answer> {
    return this.call(path, { headers: { consistencylevel: 'eventual' } });
  }

  /** Follows @odata.nextLink until the end; returns every item and the pages seen. */
  async all(path: string, headers: Record<string, string> = {}): Promise<{ items: Record<string, unknown>[]; pages: number; first: Record<string, unknown> }> {
    const items: Record<string, unknown>[] = [];
    let next: string | undefined = this.url(path);
    let pages = 0;
    let first: Record<string, unknown> | undefined;
    while (next) {
      const a = await this.get(next, headers);
      if (a.status !== 200) throw new Error(`GET ${next} → ${a.status} ${a.text}`);
      const page = a.json as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
      first ??= page as unknown as Record<string, unknown>;
      items.push(...page.value);
      next = page['@odata.nextLink'];
      pages++;
    }
    return { items, pages, first: first ?? {} };
  }
}

/** `{"error": {"code": …}}` → code. */
export function errorCode(a: Answer): string | undefined {
  const e = (a.json as { error?: { code?: string } } | undefined)?.error;
  return e?.code;
}

export function errorMessage(a: Answer): string | undefined {
  return (a.json as { error?: { message?: string } } | undefined)?.error?.message;
}

/** A reference URL as Graph clients send it in `@odata.id` / `@odata.bind`. */
export function bindUrl(id: string, set = 'directoryObjects'): string {
  return `https://graph.microsoft.com/v1.0/${set}/${id}`;
}
