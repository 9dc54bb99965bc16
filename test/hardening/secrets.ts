/**
 * Secrets hardening helpers: canary credentials, a scan of every place the extension writes text to, an HTTP server
 * on a foreign origin that records what reaches it, and a stand-in Graph that points its links there.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../emulator';

/** A credential that must never show up outside the request that carries it (or SecretStorage). */
export interface Canary {
  label: string;
  value: string;
}

export function canary(kind: 'AT' | 'RT' | 'SECRET'): string {
  return `CANARY-${kind}-${randomUUID()}`;
}

/** Where a canary was found. */
export interface Finding {
  canary: string;
  where: string;
}

/**
 * Looks for every canary, and for the signature of any JWT among them (a token cut short still leaks it), in the
 * given texts.
 */
export function scan(canaries: readonly Canary[], texts: Iterable<readonly [string, string]>): Finding[] {
  const needles: Canary[] = [];
  for (const c of canaries) {
    if (c.value.length < 8) continue;
    needles.push(c);
    const parts = c.value.split('.');
    const signature = parts[2];
    if (parts.length === 3 && signature !== undefined && signature.length >= 16) needles.push({ label: `${c.label} (signature)`, value: signature });
  }
  const findings: Finding[] = [];
  for (const [where, text] of texts) {
    for (const n of needles) if (text.includes(n.value)) findings.push({ canary: n.label, where });
  }
  return findings;
}

/** Every string inside a value (results, messages, states), with a path for the report. */
export function* stringsIn(value: unknown, where: string, seen = new Set<unknown>()): Generator<[string, string]> {
  if (typeof value === 'string') {
    yield [where, value];
    return;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const [k, v] of value) yield* stringsIn(v, `${where}.${String(k)}`, seen);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    yield [`${where}.${k} (key)`, k];
    yield* stringsIn(v, `${where}.${k}`, seen);
  }
}

/** The access and refresh tokens msal keeps in its serialized cache (SecretStorage), as canaries. */
export function tokensInMsalCache(serialized: string | undefined): Canary[] {
  if (!serialized) return [];
  const cache = JSON.parse(serialized) as Record<string, Record<string, { secret?: string; credential_type?: string }> | undefined>;
  const out: Canary[] = [];
  for (const section of ['AccessToken', 'RefreshToken', 'IdToken']) {
    for (const entry of Object.values(cache[section] ?? {})) if (entry.secret) out.push({ label: `${section} from the sign-in`, value: entry.secret });
  }
  return out;
}

// ── Canary access tokens on the wire ────────────────────────────────────────

/**
 * A `fetch` for the Graph client whose token provider hands out a canary: on the way to the emulator the canary is
 * swapped for a real token (so Graph answers), and `echoPaths` get an answer that repeats the Authorization header
 * back, as a careless proxy might.
 */
export function canaryTokenFetch(emu: Emulator, token: string, options: { echoPaths?: RegExp } = {}): { fetch: typeof fetch; sentWithCanary: () => number } {
  const real = emu.issueToken({ kind: 'delegated', scopes: ['User.Read', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All'] });
  let withCanary = 0;
  const swap: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const auth = headers.get('authorization') ?? '';
    if (auth === `Bearer ${token}`) withCanary++;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (options.echoPaths?.test(new URL(url).pathname)) {
      const body = { error: { code: 'InvalidAuthenticationToken', message: `Token rejected by the gateway: ${auth}; request ${url}` } };
      return new Response(JSON.stringify(body), { status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': `Bearer error="invalid_token", token="${auth}"` } });
    }
    headers.set('authorization', `Bearer ${real}`);
    return fetch(input, { ...init, headers });
  };
  return { fetch: swap, sentWithCanary: () => withCanary };
}

/** `fetch` over node:https trusting `ca` (the HTTPS emulator's certificate), for a Graph client in plain Node. */
export function httpsFetch(ca: string): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const req = https.request(url, { method: init?.method ?? 'GET', ca, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 0;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: out }));
        });
      });
      req.on('error', reject);
      init?.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
      if (typeof init?.body === 'string') req.write(init.body);
      req.end();
    });
}

// ── Foreign origins ─────────────────────────────────────────────────────────

export interface Recorded {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

export interface TestServer {
  url: string;
  port: number;
  requests: Recorded[];
  close(): Promise<void>;
}

function listen(handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), body });
      handler(req, body, res);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Another origin: records everything that reaches it and answers like Graph would, so nothing fails early. */
export function startForeignServer(): Promise<TestServer> {
  return listen((_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: [] }));
  });
}

/**
 * A stand-in Graph whose answers point elsewhere: next-page links on other origins (in the forms an attacker would
 * try), redirects to the foreign server, and otherwise a plain answer.
 */
export function startImpostorGraph(foreign: TestServer): Promise<TestServer & { links: string[] }> {
  let self = '';
  const links: string[] = [];
  const hostPort = (): string => self.replace(/^http:\/\//, '');
  const linkFor = (n: number): string => {
    const f = foreign.url.replace(/^http:\/\//, '');
    const variants = [
      `${foreign.url}/v1.0/users?$skiptoken=1`,
      `http://${hostPort()}@${f}/v1.0/users?$skiptoken=2`,
      `//${f}/v1.0/users?$skiptoken=3`,
      `HTTP://${f.toUpperCase()}/v1.0/users?$skiptoken=4`,
      `http://localhost:${foreign.port}/v1.0/users?$skiptoken=5`,
      `${self}/beta/users?$skiptoken=6`,
      `${self}.${f}/v1.0/users`,
      `${self}/v1.0/../../redirect?$skiptoken=8`,
      `javascript:fetch('${foreign.url}')`,
    ];
    return variants[n % variants.length] as string;
  };
  let page = 0;
  return listen((req, _body, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/redirect') || /\/v1\.0\/(groups\/[^/?]+(\?|$)|users\/redirect)/.test(url)) {
      // A 3xx must not be followed with the bearer token.
      res.writeHead(url.includes('307') ? 307 : 302, { location: `${foreign.url}${url}` }).end();
      return;
    }
    if (/^\/v1\.0\/(users|groups)(\?|$)/.test(url)) {
      const link = linkFor(page++);
      links.push(link);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: [{ id: randomUUID(), displayName: 'Listed' }], '@odata.nextLink': link }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: randomUUID(), displayName: 'Answered' }));
  }).then((server) => {
    self = server.url;
    return Object.assign(server, { links });
  });
}
