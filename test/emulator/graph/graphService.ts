import type { GraphRequest, GraphResponse, HandlerContext, Principal } from './context.js';
import { json, JSON_CONTENT_TYPE } from './context.js';
import type { TenantState } from '../directory/tenant.js';
import type { OrganizationRecord } from '../directory/organization.js';
import type { CursorStore } from './paging.js';
import type { Throttler } from '../runtime/throttle.js';
import { Throttler as ThrottlerClass } from '../runtime/throttle.js';
import type { RequestLog } from '../runtime/requestLog.js';
import type { FaultInjector } from '../runtime/faults.js';
import type { Replication } from '../directory/replication.js';
import { parseQuery } from '../odata/queryOptions.js';
import { authenticate } from './auth.js';
import { resolveRoute, splitSegments } from './router.js';
import type { Segments } from './router.js';
import { GraphError, errorBody, invalidJson, methodNotAllowed } from './errors.js';
import { handleBatch } from './batch.js';
import { ReplicationRefusal } from './replicaChecks.js';

/**
 * Graph v1.0 request pipeline shared by the socket and $batch items:
 * version → authentication → query options → route → throttling → handler, with
 * every failure rendered in Graph's error shape.
 */
export interface GraphDeps {
  state: TenantState;
  cursors: CursorStore;
  throttler: Throttler;
  secret: Buffer;
  tenantId: string;
  domain: string;
  organization: OrganizationRecord;
  /** Origin of the identity endpoints, for the WWW-Authenticate challenge. */
  authority: () => string;
  log: RequestLog;
  faults: FaultInjector;
  /** The consistency model: reads see its replica; it learns what each request wrote. */
  replication: Replication;
  /** Server time per object returned or written, in ms (0: none). */
  perItemMs: () => number;
}

export class GraphService {
  constructor(readonly deps: GraphDeps) {}

  /** A request that arrived on the socket (`seq` is its log sequence number). */
  handle(req: GraphRequest, seq: number): GraphResponse {
    try {
      const segs = this.segments(req.path);
      const principal = authenticate(req.headers['authorization'], this.deps.secret, this.deps.tenantId, this.deps.authority());
      if (segs.parts.length === 1 && segs.parts[0] === '$batch') {
        if (req.method !== 'POST') throw methodNotAllowed();
        return withResourceUnit(handleBatch(this, req, principal, seq), 1);
      }
      return this.execute(req, principal, segs);
    } catch (e) {
      return withResourceUnit(this.renderError(e, req), 1);
    }
  }

  /** Runs one authenticated request (top-level or a $batch item). */
  execute(req: GraphRequest, principal: Principal, segs?: Segments): GraphResponse {
    const replication = this.deps.replication;
    replication.beginRequest();
    const resp = this.run(req, principal, segs);
    const written = replication.commit();
    // Graph's time grows with the objects a request reads or writes, not only per request; no figure is documented
    // (its throttling costs requests by kind: graph-facts.md "Throttling" [TIA]), so the cost per object is an option.
    const perItem = this.deps.perItemMs();
    if (perItem > 0) resp.serverMs = perItem * (returnedItems(resp) + written);
    return resp;
  }

  private run(req: GraphRequest, principal: Principal, segs: Segments | undefined): GraphResponse {
    let cost = 1;
    try {
      const s = segs ?? this.segments(req.path);
      const query = parseQuery(req.rawQuery);
      const consistency = (req.headers['consistencylevel'] ?? '').trim().toLowerCase() === 'eventual';
      let parsed: { value: unknown } | undefined;
      const ctx: HandlerContext = {
        req,
        query,
        principal,
        state: this.deps.state,
        view: this.deps.replication,
        cursors: this.deps.cursors,
        consistency,
        advanced: consistency && query.count === true,
        graphBase: `${req.origin}/v1.0`,
        domain: this.deps.domain,
        organization: this.deps.organization,
        body: () => {
          parsed ??= { value: parseJsonBody(req) };
          return parsed.value;
        },
      };
      const route = resolveRoute(ctx, req.method, s);
      cost = ThrottlerClass.cost(route.cost, query);
      const write = route.cost === 'write';
      const decision = this.deps.throttler.check(`${principal.appId}|${principal.tenantId}`, cost, write);
      if (!decision.ok) return this.throttled(req, principal, decision.retryAfterSec ?? 1, decision.reason ?? 'ResourceUnitLimitExceeded', cost);
      const resp = withResourceUnit(route.run(), cost);
      if (decision.usage > 0.8) resp.headers['x-ms-throttle-limit-percentage'] = decision.usage.toFixed(1);
      return resp;
    } catch (e) {
      if (e instanceof ReplicationRefusal) this.deps.log.counters.notReplicated++;
      return withResourceUnit(this.renderError(e, req), cost);
    }
  }

  segments(path: string): Segments {
    const m = /^\/(v1\.0|beta|v[\d.]+)(\/.*)?$/i.exec(path);
    if (!m) throw new GraphError(400, 'BadRequest', `Invalid version: ${path.split('/')[1] ?? ''}`);
    if (m[1] !== 'v1.0') throw new GraphError(400, 'BadRequest', `Invalid version: ${m[1] ?? ''}. This emulator serves v1.0 only.`);
    return splitSegments(m[2] ?? '');
  }

  renderError(e: unknown, req: GraphRequest): GraphResponse {
    const ids = { requestId: req.requestId, clientRequestId: req.clientRequestId };
    if (e instanceof GraphError) {
      return { status: e.status, headers: { 'content-type': JSON_CONTENT_TYPE, ...e.headers }, body: errorBody(e.code, e.message, ids) };
    }
    console.error('[emulator] internal error on', req.method, req.path, e);
    const message = e instanceof Error ? e.message : String(e);
    return json(500, errorBody('InternalServerError', `The emulator failed to process the request: ${message}`, ids));
  }

  private throttled(req: GraphRequest, p: Principal, retryAfter: number, reason: string, cost: number): GraphResponse {
    const limit = reason === 'WriteLimitExceeded' ? 'WriteLimit' : 'ResourceUnitLimit';
    return {
      status: 429,
      throttled: true,
      headers: {
        'content-type': JSON_CONTENT_TYPE,
        'retry-after': String(retryAfter),
        'x-ms-throttle-scope': `Tenant_Application/${limit}/${p.appId}/${p.tenantId}`,
        'x-ms-throttle-information': reason,
        'x-ms-resource-unit': String(cost),
      },
      body: errorBody('TooManyRequests', 'Please retry again later.', { requestId: req.requestId, clientRequestId: req.clientRequestId }),
    };
  }
}

/** Objects in the answer: a list's items, or the one object read or created. */
function returnedItems(r: GraphResponse): number {
  if (r.status < 200 || r.status >= 300 || r.body === undefined) return 0;
  const value = (r.body as { value?: unknown }).value;
  return Array.isArray(value) ? value.length : 1;
}

function withResourceUnit(r: GraphResponse, cost: number): GraphResponse {
  r.headers['x-ms-resource-unit'] ??= String(cost);
  return r;
}

/** Bodies must be JSON and say so; Graph answers 400 otherwise. */
function parseJsonBody(req: GraphRequest): unknown {
  const ct = req.headers['content-type'] ?? '';
  if (req.bodyText === undefined || req.bodyText.trim() === '' || !/json/i.test(ct)) throw invalidJson();
  try {
    return JSON.parse(req.bodyText) as unknown;
  } catch {
    throw invalidJson();
  }
}
