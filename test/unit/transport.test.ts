import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphClient } from '../../src/core';

const BASE = 'https://graph.example.test/v1.0';
const GROUP = '0f8fad5b-d9cb-469f-a165-70867728950e';

interface Call { url: string; method: string; headers: Record<string, string>; body?: string }
type Reply = Response | Error | ((call: Call) => Response | Error | Promise<Response | Error>);

/** A scripted fetch plus a fake clock: `sleep` advances time instead of waiting. */
function harness(replies: Reply[], options: { maxRetries?: number; retryBudgetMs?: number; tokens?: string[] } = {}) {
  const calls: Call[] = [];
  const sleeps: number[] = [];
  let now = Date.parse('2026-11-27T12:00:00Z');
  const tokens = options.tokens ?? ['t1', 't2', 't3'];
  const tokenRequests: Array<{ forceRefresh?: boolean } | undefined> = [];
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const call: Call = { url: input instanceof Request ? input.url : String(input), method: init?.method ?? 'GET', headers: { ...(init?.headers as Record<string, string>) }, ...(typeof init?.body === 'string' ? { body: init.body } : {}) };
    calls.push(call);
    const next = replies.shift();
    if (!next) throw new Error('no scripted reply left');
    const value = typeof next === 'function' ? await next(call) : next;
    if (value instanceof Error) throw value;
    return value;
  };
  const client = new GraphClient({
    baseUrl: BASE,
    getAccessToken: (o?: { forceRefresh?: boolean }) => {
      tokenRequests.push(o);
      return Promise.resolve(tokens[Math.min(tokenRequests.length - 1, tokens.length - 1)] ?? 'x');
    },
    fetch: fakeFetch,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    now: () => now,
    random: () => 0,
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.retryBudgetMs !== undefined ? { retryBudgetMs: options.retryBudgetMs } : {}),
  });
  return { client, calls, sleeps, tokenRequests };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}
function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json(status, { error: { code, message, innerError: { date: '2026-11-27T12:00:00', 'request-id': 'req-1', 'client-request-id': 'c' } } }, headers);
}
function reset(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
}

describe('transport: retries, refresh, faults (fake clock)', () => {
  it('waits exactly Retry-After on 429 and then succeeds', async () => {
    const h = harness([graphError(429, 'TooManyRequests', 'Please retry again later.', { 'retry-after': '2.5' }), json(200, { id: 'u1', displayName: 'A' })]);
    const r = await h.client.getProfile();
    assert.deepEqual(r, { success: true, data: { id: 'u1', displayName: 'A' } });
    assert.deepEqual(h.sleeps, [2500]);
    assert.equal(h.calls.length, 2);
  });

  it('honours an HTTP-date Retry-After and falls back to backoff without one', async () => {
    const h = harness([
      graphError(503, 'ServiceUnavailable', 'x', { 'retry-after': 'Fri, 27 Nov 2026 12:00:04 GMT' }),
      graphError(504, 'GatewayTimeout', 'x'),
      json(200, { id: 'u1' }),
    ]);
    const r = await h.client.getProfile();
    assert.equal(r.success, true);
    assert.deepEqual(h.sleeps, [4000, 500]);
  });

  it('gives up after maxRetries with the Graph code and retryAfterMs', async () => {
    const h = harness(Array.from({ length: 4 }, () => graphError(429, 'TooManyRequests', 'Please retry again later.', { 'retry-after': '1' })), { maxRetries: 3 });
    const r = await h.client.getProfile();
    assert.equal(r.success, false);
    if (r.success) return;
    assert.equal(r.error.code, 'TooManyRequests');
    assert.equal(r.error.status, 429);
    assert.equal(r.error.retryAfterMs, 1000);
    assert.equal(r.error.requestId, 'req-1');
    assert.equal(h.calls.length, 4);
  });

  it('stops when the wait would exceed the total retry budget', async () => {
    const h = harness([graphError(429, 'TooManyRequests', 'slow down', { 'retry-after': '100' })], { retryBudgetMs: 10_000 });
    const r = await h.client.getProfile();
    assert.equal(r.success, false);
    assert.equal(h.sleeps.length, 0);
    assert.equal(h.calls.length, 1);
  });

  it('refreshes the token once on 401, then reports a second 401', async () => {
    const h = harness([graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'), json(200, { id: 'u1' })]);
    assert.equal((await h.client.getProfile()).success, true);
    assert.equal(h.calls[0]?.headers.Authorization, 'Bearer t1');
    assert.equal(h.calls[1]?.headers.Authorization, 'Bearer t2');
    assert.deepEqual(h.tokenRequests, [undefined, { forceRefresh: true }]);

    const h2 = harness([graphError(401, 'InvalidAuthenticationToken', 'no'), graphError(401, 'InvalidAuthenticationToken', 'no')]);
    const r = await h2.client.getProfile();
    assert.equal(r.success, false);
    if (!r.success) assert.equal(r.error.code, 'InvalidAuthenticationToken');
    assert.equal(h2.calls.length, 2);
  });

  it('retries a GET after a connection reset', async () => {
    const h = harness([reset(), json(200, { id: 'u1' })]);
    assert.equal((await h.client.getProfile()).success, true);
    assert.equal(h.calls.length, 2);
  });

  it('does not blindly re-send a POST whose answer was lost; it looks for the group first', async () => {
    const created = { id: GROUP, displayName: 'Ops', mailNickname: 'Ops', createdDateTime: '2026-11-27T12:00:00Z' };
    const h = harness([reset(), json(200, { value: [created] })]);
    const r = await h.client.createGroup({ displayName: 'Ops', kind: 'security' });
    assert.deepEqual(r, { success: true, data: created });
    assert.equal(h.calls.length, 2);
    assert.equal(h.calls[0]?.method, 'POST');
    assert.equal(h.calls[1]?.method, 'GET');
    assert.match(h.calls[1]?.url ?? '', /\/groups\?\$filter=mailNickname%20eq%20'Ops'&/);
  });

  it('re-sends a POST after a refused connection (it never arrived)', async () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const h = harness([refused, json(201, { id: GROUP, displayName: 'Ops' })]);
    const r = await h.client.createGroup({ displayName: 'Ops', kind: 'security' });
    assert.equal(r.success, true);
    assert.deepEqual(h.calls.map((c) => c.method), ['POST', 'POST']);
  });

  it('turns a token provider failure into an error value', async () => {
    const client = new GraphClient({ baseUrl: BASE, getAccessToken: () => Promise.reject(new Error('consent required')) });
    const r = await client.getProfile();
    assert.deepEqual(r, { success: false, error: { code: 'AuthenticationFailed', message: 'Could not get an access token: consent required' } });
  });

  it('reports invalid JSON as InvalidResponse', async () => {
    const bad = () => new Response('{not json', { status: 200, headers: { 'content-type': 'application/json' } });
    const h = harness([bad, bad, bad], { maxRetries: 2 });
    const r = await h.client.getProfile();
    assert.equal(r.success, false);
    if (!r.success) assert.equal(r.error.code, 'InvalidResponse');
  });

  it('never follows a nextLink to another origin and never sends it the token', async () => {
    const h = harness([json(200, { value: [{ id: 'a' }], '@odata.nextLink': 'https://evil.example/v1.0/users?$skiptoken=x' })]);
    const r = await h.client.getOrganizationUsers();
    assert.equal(r.success, false);
    if (!r.success) assert.equal(r.error.code, 'ForeignNextLink');
    assert.equal(h.calls.length, 1);
  });

  it('rejects a nextLink on the same host but outside the version path', async () => {
    const h = harness([json(200, { value: [], '@odata.nextLink': 'https://graph.example.test/beta/users?$skiptoken=x' })]);
    const r = await h.client.getOrganizationGroups();
    assert.equal(r.success, false);
    assert.equal(h.calls.length, 1);
  });

  it('does not take a 404 on a re-sent DELETE for proof: a group created a moment ago answers 404 until it has replicated', async () => {
    const h = harness([reset(), graphError(404, 'Request_ResourceNotFound', "Resource 'x' does not exist")]);
    const r = await h.client.deleteGroup(GROUP);
    assert.equal(r.success, false);
    if (!r.success) {
      assert.equal(r.error.outcomeUnknown, true);
      assert.equal(r.error.status, 404);
      assert.match(r.error.message, /may have been deleted/);
    }
    const h2 = harness([graphError(404, 'Request_ResourceNotFound', "Resource 'x' does not exist")]);
    const plain = await h2.client.deleteGroup(GROUP);
    assert.equal(plain.success, false);
    if (!plain.success) assert.equal(plain.error.outcomeUnknown, undefined);
    // Removing a member: once its attempt lost the answer, "not a member" is what was asked for.
    const h3 = harness([reset(), graphError(404, 'Request_ResourceNotFound', "Resource 'x' does not exist")]);
    assert.deepEqual(await h3.client.removeMemberFromGroup(GROUP, GROUP), { success: true, data: undefined });
  });

  it('reports a refused logging sink without breaking the call', async () => {
    const client = new GraphClient({
      baseUrl: BASE,
      getAccessToken: () => Promise.resolve('t'),
      fetch: (() => Promise.resolve(json(200, { id: 'u' }))),
      onRequest: () => {
        throw new Error('sink down');
      },
    });
    assert.equal((await client.getProfile()).success, true);
  });
});
