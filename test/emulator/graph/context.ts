import type { TenantState } from '../directory/tenant.js';
import type { DirectoryView } from '../directory/replication.js';
import type { QueryOptions } from '../odata/queryOptions.js';
import type { CursorStore } from './paging.js';
import type { OrganizationRecord } from '../directory/organization.js';

/** Who is calling, from the verified access token. Scopes and roles are lower-cased for comparison. */
export interface Principal {
  kind: 'delegated' | 'app';
  appId: string;
  tenantId: string;
  /** The token's `oid`: the signed-in user (delegated) or the app's service principal (app-only); directory roles hang off it. */
  objectId: string;
  userId?: string;
  scopes: ReadonlySet<string>;
  roles: ReadonlySet<string>;
}

/** One Graph request, from the socket or from inside a $batch. */
export interface GraphRequest {
  method: string;
  /** Decoded path below the origin, e.g. /v1.0/groups/{id}/members/$ref */
  path: string;
  /** Path as received (still percent-encoded), used to build next links. */
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string>;
  /** Raw body text, if any. */
  bodyText?: string;
  origin: string;
  requestId: string;
  clientRequestId: string;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body (serialised by the transport) … */
  body?: unknown;
  /** … or a plain-text body (for /$count). */
  text?: string;
  /** Set when the throttling model refused the request. */
  throttled?: boolean;
  /** Server time to spend before answering: a cost per object returned or written (EmulatorOptions.serverTime). */
  serverMs?: number;
}

export interface HandlerContext {
  req: GraphRequest;
  query: QueryOptions;
  principal: Principal;
  /** The primary copy: writes change it, and only writes read it (for their own checks). */
  state: TenantState;
  /** What reads see, and what writes resolve the objects they address or reference in: a replica (replication.ts). */
  view: DirectoryView;
  cursors: CursorStore;
  /** ConsistencyLevel: eventual was sent. */
  consistency: boolean;
  /** Advanced query: ConsistencyLevel: eventual and $count=true. */
  advanced: boolean;
  /** `${origin}/v1.0` of this request, used for @odata.context and next links. */
  graphBase: string;
  domain: string;
  /** The tenant's organization object (GET /organization). */
  organization: OrganizationRecord;
  /** The parsed JSON body; throws Graph's payload error if it is not JSON. */
  body(): unknown;
}

export const JSON_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function json(status: number, body: unknown): GraphResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE }, body };
}

export function noContent(): GraphResponse {
  return { status: 204, headers: {} };
}

export function textPlain(text: string): GraphResponse {
  return { status: 200, headers: { 'content-type': 'text/plain;charset=utf-8' }, text };
}
