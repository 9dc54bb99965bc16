import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator, RequestLogEntry } from '../emulator/index';
import { TestClient, bindUrl, errorCode } from '../emulator/testClient';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('emulator: throttling, faults, latency and control routes', () => {
  let em: Emulator;
  let c: TestClient;

  before(async () => {
    em = await startEmulator({ users: 60, groups: 10, seed: 2 });
    c = new TestClient(em, em.issueToken({ kind: 'app' }));
  });
  afterEach(() => {
    em.setThrottle(false);
    em.setFaults(undefined);
    em.scriptFaults([]);
    em.setLatency(0);
  });
  after(() => em.close());

  it('throttles by resource units with Retry-After and recovers after waiting', async () => {
    em.setThrottle({ ruPer10s: 40 });
    let throttled;
    for (let i = 0; i < 40 && !throttled; i++) {
      const r = await c.get('/users?$top=50');
      assert.equal(r.headers.get('x-ms-resource-unit'), '2');
      if (r.status === 429) throttled = r;
    }
    assert.ok(throttled, 'a 429 arrived');
    assert.equal(errorCode(throttled), 'TooManyRequests');
    assert.equal(throttled.headers.get('x-ms-throttle-information'), 'ResourceUnitLimitExceeded');
    assert.match(throttled.headers.get('x-ms-throttle-scope') ?? '', /^Tenant_Application\/ResourceUnitLimit\//);
    const retryAfter = Number(throttled.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter < 2, `Retry-After ${retryAfter}`);
    await sleep(retryAfter * 1000 + 20);
    assert.equal((await c.get('/users?$top=50')).status, 200);
    assert.ok(em.stats().throttled >= 1);
    assert.ok(em.log.some((e) => e.throttled === true && e.status === 429));
  });

  it('limits writes separately and throttles $batch items one by one', async () => {
    em.setThrottle({ writesPer150s: 1 });
    const g = em.state.groupsOfKind('security').find((x) => x.onPremisesSyncEnabled !== true) ?? [...em.state.groups()][0];
    assert.ok(g);
    assert.equal((await c.call(`/groups/${g.id}`, { method: 'PATCH', body: { description: 'one' } })).status, 204);
    const second = await c.call(`/groups/${g.id}`, { method: 'PATCH', body: { description: 'two' } });
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('x-ms-throttle-information'), 'WriteLimitExceeded');

    em.setThrottle({ ruPer10s: 5 });
    const batch = await c.call('/$batch', { method: 'POST', body: { requests: Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/users' })) } });
    assert.equal(batch.status, 200);
    const statuses = (batch.json as { responses: { status: number; headers: Record<string, string> }[] }).responses;
    assert.deepEqual(statuses.map((r) => r.status), [200, 200, 429, 429, 429]);
    assert.ok(Number(statuses[2]?.headers['Retry-After']) > 0);
  });

  it('scripts 429/503/504 with raw Retry-After values and optional matching', async () => {
    em.scriptFaults([
      { kind: '503', retryAfter: '0.2', match: { pathIncludes: '/groups' } },
      { kind: '429', retryAfter: 'Wed, 21 Oct 2037 07:28:00 GMT' },
      { kind: '504', count: 2 },
    ]);
    const first = await c.get('/users');
    assert.equal(first.status, 429, 'the /groups entry does not match /users, the next one does');
    assert.equal(first.headers.get('retry-after'), 'Wed, 21 Oct 2037 07:28:00 GMT');
    const g = await c.get('/groups');
    assert.equal(g.status, 503);
    assert.equal(g.headers.get('retry-after'), '0.2');
    assert.equal(errorCode(g), 'ServiceUnavailable');
    const t1 = await c.get('/users');
    const t2 = await c.get('/users');
    assert.deepEqual([t1.status, t2.status], [504, 504]);
    assert.equal(t1.headers.get('retry-after'), null);
    assert.equal((await c.get('/users')).status, 200);
    const tokenEndpoint = await fetch(`${em.authorityHost}/${em.tenantId}/v2.0/.well-known/openid-configuration`);
    assert.equal(tokenEndpoint.status, 200, 'identity endpoints are not faulted without an explicit match');
  });

  it('resets connections before or after applying a request', async () => {
    em.scriptFaults([{ kind: 'reset' }]);
    await assert.rejects(c.get('/users'));
    assert.equal(em.log.at(-1)?.fault, 'reset');

    const g = [...em.state.groupsOfKind('security'), ...em.state.groupsOfKind('microsoft365')].find(
      (x) => x.onPremisesSyncEnabled !== true && x.isAssignableToRole !== true && em.state.membersOf(x.id).length < em.state.usersById.size,
    );
    const u = em.state.findUser((x) => g !== undefined && !em.state.isMember(g.id, x.id));
    assert.ok(g && u);
    em.scriptFaults([{ kind: 'resetAfterApply', match: { method: 'POST' } }]);
    await assert.rejects(c.call(`/groups/${g.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(u.id) } }));
    assert.ok(em.state.isMember(g.id, u.id), 'the change was applied although the client saw a reset');
    const retry = await c.call(`/groups/${g.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(u.id) } });
    assert.equal(retry.status, 400, 'a blind retry now reports the reference as existing');
  });

  it('hangs until the client gives up, and close() still completes', async () => {
    const other = await startEmulator({ users: 3, groups: 1 });
    const oc = new TestClient(other, other.issueToken({ kind: 'app' }));
    other.scriptFaults([{ kind: 'hang' }]);
    const started = Date.now();
    await assert.rejects(oc.call('/users', { signal: AbortSignal.timeout(200) }), /abort|timeout/i);
    assert.ok(Date.now() - started >= 190);
    other.scriptFaults([{ kind: 'hang' }]);
    const pending = oc.call('/users').catch((e: unknown) => e);
    await sleep(50);
    await other.close();
    assert.ok((await pending) instanceof Error, 'the hung request fails when the emulator closes');
  });

  it('injects seeded random faults on Graph calls only and adds latency', async () => {
    em.setFaults({ rate: 1, kinds: ['503'], retryAfterSec: 1, seed: 4 });
    const r = await c.get('/users');
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '1');
    assert.equal((await fetch(`${em.url}/_emulator/stats`)).status, 200, 'control routes are never faulted');
    em.setFaults({ rate: 0.5, seed: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await c.get('/users?$top=1')).status);
    const faulted = statuses.filter((s) => s !== 200).length;
    assert.ok(faulted > 8 && faulted < 32, `faulted ${faulted} of 40`);
    em.setFaults(undefined);

    em.setLatency(120);
    const t0 = performance.now();
    assert.equal((await c.get('/users?$top=1')).status, 200);
    assert.ok(performance.now() - t0 >= 115);
  });

  it('logs requests with redacted credentials and exposes control routes', async () => {
    em.clearLog();
    const started = performance.now();
    const answer = await c.get('/users?$top=3&$select=displayName', { 'client-request-id': 'log-test' });
    const wallMs = performance.now() - started;
    const entry = em.log[0] as RequestLogEntry;
    assert.equal(entry.path, '/v1.0/users');
    assert.deepEqual(entry.query, { $top: '3', $select: 'displayName' });
    assert.equal(entry.headers['authorization'], 'Bearer <redacted>');
    assert.equal(entry.status, 200);
    // The entry names the request-id the answer carried, and a duration within the call's own.
    assert.ok(entry.requestId);
    assert.equal(entry.requestId, answer.headers.get('request-id'));
    assert.ok(entry.durationMs >= 0 && entry.durationMs <= wallMs, `${entry.durationMs} ms logged for a ${wallMs} ms call`);

    const base = `${em.url}/_emulator`;
    const log = (await (await fetch(`${base}/log?since=0`)).json()) as { entries: RequestLogEntry[] };
    assert.equal(log.entries.length, 1);
    await fetch(`${base}/faults`, { method: 'POST', body: JSON.stringify({ scripted: [{ kind: '429', retryAfter: '1' }] }) });
    assert.equal((await c.get('/users')).status, 429);
    await fetch(`${base}/latency`, { method: 'POST', body: JSON.stringify({ ms: 0 }) });
    await fetch(`${base}/throttle`, { method: 'POST', body: 'false' });
    const user = (await (await fetch(`${base}/users/${em.state.adminUserId}`)).json()) as { memberOf: string[]; userPrincipalName: string };
    assert.equal(user.userPrincipalName, `admin@${em.domain}`);
    assert.ok(user.memberOf.length > 0);
    const group = [...em.state.groups()][0];
    const raw = (await (await fetch(`${base}/groups/${group?.id}`)).json()) as { members: string[] };
    assert.equal(raw.members.length, em.state.membersOf(group?.id ?? '').length);
    assert.equal((await fetch(`${base}/groups/00000000-0000-0000-0000-000000000000`)).status, 404);
    const minted = (await (await fetch(`${base}/token`, { method: 'POST', body: JSON.stringify({ kind: 'app' }) })).json()) as { access_token: string };
    assert.equal((await c.call('/users?$top=1', { token: minted.access_token })).status, 200);
    const stats = (await (await fetch(`${base}/stats`)).json()) as { requests: number; faults: number };
    assert.ok(stats.requests >= 3 && stats.faults >= 1);
    await fetch(`${base}/clear-log`, { method: 'POST' });
    assert.equal(em.log.length, 0);
  });
});
