import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { GraphService } from './graph/graphService.js';
import type { GraphRequest, GraphResponse } from './graph/context.js';
import { statusFault } from './graph/batch.js';
import type { IdentityService } from './identity/identityService.js';
import { isIdentityPath } from './identity/identityService.js';
import { decodeJwtClaims } from './identity/jwt.js';
import type { ControlTarget } from './runtime/control.js';
import { handleControl } from './runtime/control.js';
import type { RequestLog } from './runtime/requestLog.js';
import { logBody, logHeaders } from './runtime/requestLog.js';
import type { FaultInjector } from './runtime/faults.js';
import { HUGE_BODY_BYTES, PAGE_FAULTS, STATUS_FAULTS, loopingPage } from './runtime/faults.js';
import type { HttpAnswer } from './runtime/http.js';
import { jsonAnswer } from './runtime/http.js';

/**
 * The socket side: reads a request, logs it, applies injected faults and latency,
 * dispatches to the control, Graph or identity handlers, and writes the answer
 * with Graph's request-id / client-request-id headers.
 */
export interface ServerDeps {
  /** The home tenant's services: they answer whatever names no other tenant. */
  graph: GraphService;
  identity: IdentityService;
  /** The other tenants behind the same origin (EmulatorOptions.otherTenants); absent: one tenant. */
  otherTenants?: TenantRoutes;
  control: ControlTarget;
  log: RequestLog;
  faults: FaultInjector;
  latencyMs: () => number;
  tls?: { key: string; cert: string };
}

/** Finds another tenant's services; undefined leaves the request to the home tenant. */
export interface TenantRoutes {
  /** By the first path segment of an identity endpoint (a tenant id or domain, any case). */
  identity(segment: string): IdentityService | undefined;
  /** By the `tid` of a Graph request's token (read unverified: the chosen tenant verifies the token). */
  graph(tenantId: string): GraphService | undefined;
}

const BODY_LIMIT = 8 * 1024 * 1024;

export class EmulatorServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: ServerDeps) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.onRequest(req, res).catch((e: unknown) => {
        console.error('[emulator] request failed', e);
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
      });
    };
    this.server = deps.tls ? https.createServer({ key: deps.tls.key, cert: deps.tls.cert }, handler) : http.createServer(handler);
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Stops listening and destroys every open socket, including hung requests. */
  close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.server.closeAllConnections();
    });
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const rawPath = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const rawQuery = qi < 0 ? '' : rawUrl.slice(qi + 1);
    let path = rawPath;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      // undecodable: routing reports it
    }
    const headers = flattenHeaders(req.headers);
    const bodyText = await readBody(req);
    if (bodyText === null) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('Request body too large');
      return;
    }
    const origin = `${this.deps.tls ? 'https' : 'http'}://${headers['host'] ?? 'localhost'}`;

    if (path === '/_emulator' || path.startsWith('/_emulator/')) {
      this.write(res, handleControl(this.deps.control, method, path.slice('/_emulator'.length), rawQuery, bodyText || undefined), undefined);
      return;
    }

    const isGraph = /^\/(v1\.0|beta|v\d[\d.]*)(\/|$)/i.test(path);
    const requestId = randomUUID();
    const clientRequestId = headers['client-request-id'] ?? requestId;
    const log = this.deps.log;
    const entry = log.add({
      seq: log.nextSeq(),
      method,
      path,
      rawUrl,
      query: decodeQuery(rawQuery),
      headers: logHeaders(headers),
      body: logBody(bodyText || undefined, headers['content-type']),
      status: 0,
      requestId,
      durationMs: 0,
    });

    const fault = this.deps.faults.pick({ method, path, rawUrl, isGraph });
    if (fault) {
      entry.fault = fault.kind;
      log.counters.faults++;
      if (fault.kind === 'reset') {
        entry.durationMs = performance.now() - started;
        req.socket.destroy();
        return;
      }
      // A hung request is never answered; close() or the client's timeout ends it.
      if (fault.kind === 'hang') return;
    }

    const latency = this.deps.latencyMs();
    if (latency > 0) await this.sleep(latency);
    if (this.closed || res.destroyed) return;

    if (fault?.kind === 'hugeBody' || fault?.kind === 'hugeBodyDeclared') {
      entry.status = 200;
      await this.streamHugeBody(res, fault.kind === 'hugeBodyDeclared', { 'request-id': requestId, 'client-request-id': clientRequestId }, log);
      entry.durationMs = performance.now() - started;
      return;
    }

    const graphReq: GraphRequest = {
      method,
      path,
      rawPath,
      rawQuery,
      headers,
      ...(bodyText ? { bodyText } : {}),
      origin,
      requestId,
      clientRequestId,
    };
    let answer: HttpAnswer;
    if (fault && STATUS_FAULTS.has(fault.kind)) {
      answer = serializeGraph(statusFault(fault.kind, fault.retryAfter, graphReq));
    } else if (fault && PAGE_FAULTS.has(fault.kind)) {
      answer = jsonAnswer(200, loopingPage(fault.kind, origin, rawPath, rawQuery));
    } else if (isGraph) {
      const graph = this.graphFor(headers['authorization']);
      if (this.deps.otherTenants) entry.tenantId = graph.deps.tenantId;
      const resp = graph.handle(graphReq, entry.seq);
      if (resp.throttled) {
        entry.throttled = true;
        log.counters.throttled++;
      }
      const isBatch = /^\/v1\.0\/\$batch\/?$/i.test(path);
      if (method !== 'GET' && !isBatch && resp.status >= 200 && resp.status < 300) log.counters.writes++;
      answer = serializeGraph(resp);
      // The change is applied; the answer takes the time its objects cost (EmulatorOptions.serverTime).
      if (resp.serverMs) {
        await this.sleep(resp.serverMs);
        if (this.closed || res.destroyed) return;
      }
    } else if (isIdentityPath(path)) {
      const identity = this.identityFor(path);
      if (this.deps.otherTenants) entry.tenantId = identity.tenantId;
      answer = identity.handle({ method, path, rawQuery, headers, ...(bodyText ? { bodyText } : {}), origin });
    } else {
      answer = jsonAnswer(404, { error: { code: 'NotFound', message: `Nothing is served at '${path}'.` } });
    }

    entry.status = answer.status;
    entry.durationMs = performance.now() - started;
    if (fault?.kind === 'resetAfterApply') {
      // The change has been applied; the client never learns the outcome.
      req.socket.destroy();
      return;
    }
    answer.headers['request-id'] = requestId;
    answer.headers['client-request-id'] = clientRequestId;
    this.write(res, answer, log);
  }

  /** The tenant whose directory a Graph request reads: the one that issued its token. */
  private graphFor(authorization: string | undefined): GraphService {
    const routes = this.deps.otherTenants;
    if (!routes) return this.deps.graph;
    const token = /^Bearer\s+(.*)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '';
    const tid = decodeJwtClaims(token)?.['tid'];
    return (typeof tid === 'string' ? routes.graph(tid) : undefined) ?? this.deps.graph;
  }

  /** The tenant an identity endpoint's path names. */
  private identityFor(path: string): IdentityService {
    const segment = path.split('/').filter(Boolean)[0] ?? '';
    return this.deps.otherTenants?.identity(segment) ?? this.deps.identity;
  }

  private write(res: http.ServerResponse, a: HttpAnswer, log: RequestLog | undefined): void {
    if (res.destroyed) return;
    const body = a.body === undefined ? undefined : Buffer.from(a.body, 'utf8');
    const headers: Record<string, string | number> = { ...a.headers };
    if (body) headers['content-length'] = body.length;
    res.writeHead(a.status, headers);
    res.end(body);
    if (log) log.counters.bytesSent += body?.length ?? 0;
  }

  /**
   * A 200 JSON list of HUGE_BODY_BYTES, written chunk by chunk only as fast as the client reads (the same chunk
   * each time, so nothing of that size is allocated). Stops as soon as the client goes away; `bytesSent` says how far it got.
   */
  private async streamHugeBody(res: http.ServerResponse, declareLength: boolean, ids: Record<string, string>, log: RequestLog): Promise<void> {
    const head = Buffer.from('{"value":[');
    const tail = Buffer.from('{}]}');
    const item = '{"id":"00000000-0000-0000-0000-000000000000","displayName":"padding"},';
    const chunk = Buffer.from(item.repeat(Math.floor(65_536 / item.length)));
    res.writeHead(200, { 'content-type': 'application/json', ...ids, ...(declareLength ? { 'content-length': HUGE_BODY_BYTES } : {}) });
    let left = HUGE_BODY_BYTES;
    const send = async (piece: Buffer): Promise<boolean> => {
      if (res.destroyed || this.closed) return false;
      left -= piece.length;
      log.counters.bytesSent += piece.length;
      if (!res.write(piece)) await drained(res);
      return !res.destroyed && !this.closed;
    };
    if (!(await send(head))) return;
    while (left - tail.length >= chunk.length) if (!(await send(chunk))) return;
    // Whitespace between array elements keeps the body valid JSON to its last byte.
    if (!(await send(Buffer.alloc(left - tail.length, ' ')))) return;
    if (await send(tail)) res.end();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }
}

/** Resolves when `res` can take more, or has closed. */
function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function serializeGraph(r: GraphResponse): HttpAnswer {
  const headers = { ...r.headers };
  if (r.body !== undefined) {
    headers['odata-version'] = '4.0';
    return { status: r.status, headers, body: JSON.stringify(r.body) };
  }
  if (r.text !== undefined) return { status: r.status, headers, body: r.text };
  return { status: r.status, headers };
}

function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function decodeQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
  return out;
}

/** Resolves to the body text ('' when empty) or null when it exceeds the limit. */
function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
