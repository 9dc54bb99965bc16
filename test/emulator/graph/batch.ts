import { randomUUID } from 'node:crypto';
import type { GraphRequest, GraphResponse, Principal } from './context.js';
import { json, JSON_CONTENT_TYPE } from './context.js';
import type { GraphService } from './graphService.js';
import { GraphError, errorBody, invalidJson } from './errors.js';
import { STATUS_FAULTS } from '../runtime/faults.js';
import { logBody, logHeaders } from '../runtime/requestLog.js';
import { isRecord } from '../util/json.js';

/**
 * POST /$batch: up to 20 requests with relative URLs. Each item has its own headers (ConsistencyLevel goes there), is
 * throttled on its own, and is logged with `batchParent`. `dependsOn` sequencing answers 424 when a dependency failed.
 *
 * With the consistency model on, items run as Graph may run them: the request `id` "allows the server to process
 * requests in the batch in the most efficient order", only `dependsOn` sequences them, and "Responses to the batched
 * requests might appear in a different order" (https://learn.microsoft.com/graph/json-batching; graph-facts.md
 * "JSON batching" [JB]). Both orders come from the model's seeded generator; the items running side by side, the
 * batch takes as long as its slowest item.
 */
const MAX_ITEMS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

export function handleBatch(svc: GraphService, outer: GraphRequest, principal: Principal, parentSeq: number): GraphResponse {
  const items = parseBatch(outer);
  const replication = svc.deps.replication;
  const statusById = new Map<string, number>();
  const answered = new Map<string, unknown>();
  let serverMs = 0;
  for (const item of runOrder(replication.shuffle(items))) {
    const failedDep = item.dependsOn.find((d) => {
      const st = statusById.get(d.toLowerCase());
      return st === undefined || st < 200 || st >= 300;
    });
    const resp =
      failedDep !== undefined
        ? json(424, errorBody('FailedDependency', `The request depends on request '${failedDep}', which failed.`, ids(outer)))
        : runItem(svc, outer, principal, parentSeq, item);
    statusById.set(item.id.toLowerCase(), resp.status);
    answered.set(item.id, renderItem(item.id, resp));
    serverMs = Math.max(serverMs, resp.serverMs ?? 0);
  }
  const responses = replication.shuffle(items).map((item) => answered.get(item.id));
  const resp = json(200, { responses });
  if (serverMs > 0) resp.serverMs = serverMs;
  return resp;
}

/** `items` in the given order, except that an item waits for the items it depends on. */
function runOrder(items: readonly BatchItem[]): BatchItem[] {
  const done = new Set<string>();
  const waiting = [...items];
  const out: BatchItem[] = [];
  while (waiting.length > 0) {
    // parseBatch guarantees every dependency names an earlier item, so one is always ready.
    const i = Math.max(0, waiting.findIndex((it) => it.dependsOn.every((d) => done.has(d.toLowerCase()))));
    const [next] = waiting.splice(i, 1);
    if (!next) break;
    done.add(next.id.toLowerCase());
    out.push(next);
  }
  return out;
}

function runItem(svc: GraphService, outer: GraphRequest, principal: Principal, parentSeq: number, item: BatchItem): GraphResponse {
  const started = performance.now();
  const rel = item.url.startsWith('/') ? item.url : `/${item.url}`;
  const q = rel.indexOf('?');
  const rawPath = `/v1.0${q < 0 ? rel : rel.slice(0, q)}`;
  const rawQuery = q < 0 ? '' : rel.slice(q + 1);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // keep the raw path; routing will reject it
  }
  const bodyText = item.body === undefined ? undefined : typeof item.body === 'string' ? item.body : JSON.stringify(item.body);
  const req: GraphRequest = {
    method: item.method,
    path,
    rawPath,
    rawQuery,
    headers: { ...item.headers, authorization: outer.headers['authorization'] ?? '' },
    ...(bodyText !== undefined ? { bodyText } : {}),
    origin: outer.origin,
    requestId: randomUUID(),
    clientRequestId: outer.clientRequestId,
  };
  const log = svc.deps.log;
  const entry = log.add({
    seq: log.nextSeq(),
    method: req.method,
    path,
    rawUrl: `${rawPath}${rawQuery ? `?${rawQuery}` : ''}`,
    query: decodeQuerySafe(rawQuery),
    headers: logHeaders(item.headers),
    body: logBody(bodyText, item.headers['content-type']),
    status: 0,
    requestId: req.requestId,
    durationMs: 0,
    batchParent: parentSeq,
  });
  let resp: GraphResponse;
  if (/^https?:/i.test(item.url)) {
    resp = svc.renderError(new GraphError(400, 'BadRequest', 'Batch request URLs must be relative to the service root, e.g. /users.'), req);
  } else {
    const fault = svc.deps.faults.pick({ method: req.method, path, rawUrl: entry.rawUrl, isGraph: true }, STATUS_FAULTS);
    if (fault) {
      entry.fault = fault.kind;
      log.counters.faults++;
      resp = statusFault(fault.kind, fault.retryAfter, req);
    } else {
      resp = svc.execute(req, principal);
    }
  }
  entry.status = resp.status;
  entry.durationMs = performance.now() - started;
  if (resp.throttled) {
    entry.throttled = true;
    log.counters.throttled++;
  }
  if (req.method !== 'GET' && resp.status >= 200 && resp.status < 300) log.counters.writes++;
  return resp;
}

export function statusFault(kind: string, retryAfter: string | undefined, req: GraphRequest): GraphResponse {
  const table: Record<string, [number, string, string]> = {
    '429': [429, 'TooManyRequests', 'Please retry again later.'],
    '503': [503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.'],
    '504': [504, 'GatewayTimeout', 'The request timed out before the service could answer.'],
    echoAuthorization: [502, 'BadGateway', `The gateway could not forward the request with Authorization: ${req.headers['authorization'] ?? ''}`],
  };
  const [status, code, message] = table[kind] ?? [503, 'ServiceUnavailable', 'Service unavailable.'];
  const headers: Record<string, string> = { 'content-type': JSON_CONTENT_TYPE };
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  return { status, headers, body: errorBody(code, message, ids(req)) };
}

function renderItem(id: string, r: GraphResponse): unknown {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k === 'content-type' ? 'Content-Type' : k === 'retry-after' ? 'Retry-After' : k] = v;
  const out: Record<string, unknown> = { id, status: r.status, headers };
  if (r.body !== undefined) out['body'] = r.body;
  else if (r.text !== undefined) out['body'] = r.text;
  return out;
}

function parseBatch(outer: GraphRequest): BatchItem[] {
  let payload: unknown;
  try {
    payload = JSON.parse(outer.bodyText ?? '') as unknown;
  } catch {
    throw invalidJson();
  }
  const bad = (message = 'Invalid batch payload format.'): GraphError => new GraphError(400, 'BadRequest', message);
  if (!isRecord(payload) || !Array.isArray(payload['requests'])) throw bad();
  const raw = payload['requests'] as unknown[];
  if (raw.length === 0) throw bad('A batch request must contain at least one request.');
  if (raw.length > MAX_ITEMS) throw bad(`The number of requests in a batch cannot exceed ${MAX_ITEMS}.`);
  const seen = new Set<string>();
  const items: BatchItem[] = [];
  for (const r of raw) {
    if (!isRecord(r) || typeof r['id'] !== 'string' || typeof r['method'] !== 'string' || typeof r['url'] !== 'string') throw bad();
    const id = r['id'];
    if (seen.has(id.toLowerCase())) throw bad(`Batch request contains duplicate id '${id}'.`);
    const headers: Record<string, string> = {};
    if (r['headers'] !== undefined) {
      if (!isRecord(r['headers'])) throw bad();
      for (const [k, v] of Object.entries(r['headers'])) headers[k.toLowerCase()] = String(v);
    }
    if (r['body'] !== undefined && headers['content-type'] === undefined) {
      throw bad(`Write request id : ${id} does not contain Content-Type header or body.`);
    }
    const deps = r['dependsOn'];
    if (deps !== undefined && (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string'))) throw bad();
    const dependsOn = (deps as string[] | undefined) ?? [];
    for (const d of dependsOn) if (!seen.has(d.toLowerCase())) throw bad(`Request '${id}' depends on unknown or later request '${d}'.`);
    seen.add(id.toLowerCase());
    items.push({ id, method: r['method'].toUpperCase(), url: r['url'], headers, body: r['body'], dependsOn });
  }
  return items;
}

function ids(req: GraphRequest): { requestId: string; clientRequestId: string } {
  return { requestId: req.requestId, clientRequestId: req.clientRequestId };
}

function decodeQuerySafe(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
  return out;
}
