/**
 * The client's answers to Graph's replication (fake fetch and clock): links to a new group wait for it under the
 * transport's retry rule, and a create whose answer was lost is looked for with reads, never sent again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphClient, isNotYetReplicated } from '../../src/core';

const BASE = 'https://graph.example.test/v1.0';
const GROUP = '0f8fad5b-d9cb-469f-a165-70867728950e';
const USER = '7d2c4a1e-3b5f-4c6d-8e9f-0a1b2c3d4e5f';
const NOT_REPLICATED = "The source resource object or one of the objects being referenced don't exist.";

interface Call {
  method: string;
  url: string;
}

function harness(replies: Array<Response | Error>, maxRetries?: number) {
  const calls: Call[] = [];
  const sleeps: number[] = [];
  let now = Date.parse('2026-11-27T12:00:00Z');
  const client = new GraphClient({
    baseUrl: BASE,
    getAccessToken: () => Promise.resolve('t'),
    fetch: (input, init) => {
      calls.push({ method: init?.method ?? 'GET', url: input instanceof Request ? input.url : input.toString() });
      const next = replies.shift();
      if (next === undefined) return Promise.reject(new Error('no scripted reply left'));
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    now: () => now,
    random: () => 0,
    ...(maxRetries !== undefined ? { maxRetries } : {}),
  });
  return { client, calls, sleeps };
}

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
const refused = (message = NOT_REPLICATED): Response => json(400, { error: { code: 'Request_BadRequest', message } });
const reset = (): Error => new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });

describe('replication: links to a group created a moment ago', () => {
  it('recognises the refusal in both of Microsoft\'s wordings, and nothing else', () => {
    assert.ok(isNotYetReplicated({ status: 400, code: 'Request_BadRequest', message: NOT_REPLICATED }));
    assert.ok(isNotYetReplicated({ status: 400, code: 'Request_BadRequest', message: 'The source resource object or one of the objects being referenced do not exist.' }));
    assert.ok(!isNotYetReplicated({ status: 400, code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'members'." }));
    assert.ok(!isNotYetReplicated({ status: 404, code: 'Request_ResourceNotFound', message: NOT_REPLICATED }));
  });

  it('adds a member once the group has replicated, waiting backoff steps', async () => {
    const h = harness([refused(), refused(), json(204, undefined)]);
    assert.deepEqual(await h.client.addMemberToGroup(GROUP, USER), { success: true, data: undefined });
    assert.equal(h.calls.filter((c) => c.method === 'POST').length, 3);
    assert.deepEqual(h.sleeps, [250, 500]);
  });

  it('passes the refusal on once the retry rule allows no more', async () => {
    const h = harness([refused(), refused(), refused()], 2);
    const r = await h.client.addMemberToGroup(GROUP, USER);
    assert.equal(r.success, false);
    if (!r.success) assert.equal(r.error.message, NOT_REPLICATED);
    assert.equal(h.calls.length, 3);
    assert.deepEqual(h.sleeps, [250, 500]);
  });

  it('does not wait on other refusals', async () => {
    const h = harness([refused("One or more added object references already exist for the following modified properties: 'members'.")]);
    const r = await h.client.addMemberToGroup(GROUP, USER);
    assert.equal(r.success, false);
    assert.deepEqual(h.sleeps, []);
  });
});

describe('replication: a create whose answer was lost', () => {
  const group = { id: GROUP, displayName: 'Lost', mailNickname: 'lost', createdDateTime: '2026-11-27T12:00:00Z' };

  it('is confirmed by a read once the new group reaches reads, with one POST', async () => {
    const h = harness([reset(), json(200, { value: [] }), json(200, { value: [] }), json(200, { value: [group] })]);
    const r = await h.client.createGroup({ displayName: 'Lost', mailNickname: 'lost', kind: 'security' });
    assert.deepEqual(r, { success: true, data: group });
    assert.deepEqual(h.calls.map((c) => c.method), ['POST', 'GET', 'GET', 'GET']);
    assert.deepEqual(h.sleeps, [250, 500]);
  });

  it('says what to look for when no read confirms it, still with one POST', async () => {
    const h = harness([reset(), json(200, { value: [] }), json(200, { value: [] }), json(200, { value: [] })], 2);
    const r = await h.client.createGroup({ displayName: 'Lost', mailNickname: 'lost', kind: 'security' });
    assert.equal(r.success, false);
    if (r.success) return;
    assert.equal(r.error.outcomeUnknown, true);
    assert.deepEqual(r.error.maybeCreated, { displayName: 'Lost', mailNickname: 'lost', createdAfter: '2026-11-27T11:58:00.000Z' });
    assert.match(r.error.message, /look for a group named "Lost" with mail nickname "lost" created after 2026-11-27T11:58:00.000Z/);
    assert.deepEqual(h.calls.map((c) => c.method), ['POST', 'GET', 'GET', 'GET']);
  });

  it('does not pick one of two groups that match', async () => {
    const h = harness([reset(), json(200, { value: [group, { ...group, id: USER }] })]);
    const r = await h.client.createGroup({ displayName: 'Lost', mailNickname: 'lost', kind: 'security' });
    assert.equal(r.success, false);
    if (!r.success) assert.equal(r.error.outcomeUnknown, true);
    assert.deepEqual(h.calls.map((c) => c.method), ['POST', 'GET']);
  });
});
