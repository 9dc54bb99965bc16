import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GraphClient } from '../../src/core';
import type { Emulator } from '../emulator';
import { ALL_DELEGATED } from '../support/services';
import { assertFail, assertOk, delegatedClient, graphRequests, startIntegrationEmulator } from './helpers';

describe('resilience against a misbehaving Graph', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 60, groups: 10, seed: 9 });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clearLog();
    emu.setFaults(undefined);
    emu.setThrottle(false);
  });

  it('rides out a storm of 429s honouring Retry-After', async () => {
    emu.scriptFaults([{ kind: '429', count: 4, retryAfter: '0.05' }]);
    const users = assertOk(await delegatedClient(emu).getOrganizationUsers());
    assert.ok(users.length > 0);
    const statuses = graphRequests(emu).map((e) => e.status);
    assert.deepEqual(statuses.slice(0, 5), [429, 429, 429, 429, 200]);
  });

  it('reports TooManyRequests with retryAfterMs once retries are exhausted', async () => {
    emu.scriptFaults([{ kind: '429', count: 3, retryAfter: '0.01' }]);
    const r = await delegatedClient(emu, { maxRetries: 2 }).getProfile();
    assertFail(r, 'TooManyRequests');
    if (!r.success) assert.equal(r.error.retryAfterMs, 10);
  });

  it('stays within the modelled identity read limit with zero failures', async () => {
    emu.setThrottle({ ruPer10s: 20 });
    const c = delegatedClient(emu);
    const results = await Promise.all(Array.from({ length: 24 }, () => c.getProfile()));
    assert.ok(results.every((r) => r.success));
    assert.ok(emu.stats().throttled > 0, 'the limit was reached at least once');
  });

  it('times out a hung request and retries a GET', async () => {
    emu.scriptFaults([{ kind: 'hang' }]);
    const me = await delegatedClient(emu, { timeoutMs: 300 }).getProfile();
    assert.equal(me.success, true);
    assert.equal(graphRequests(emu).length >= 2, true);
  });

  it('reports Timeout when every attempt hangs', async () => {
    emu.scriptFaults([{ kind: 'hang', count: 2 }]);
    assertFail(await delegatedClient(emu, { timeoutMs: 200, maxRetries: 1 }).getProfile(), 'Timeout');
  });

  it('retries a GET after a connection reset', async () => {
    emu.scriptFaults([{ kind: 'reset' }]);
    assertOk(await delegatedClient(emu).getProfile());
    // The first attempt was cut by the reset; the answer came from a second request.
    const sent = graphRequests(emu);
    assert.equal(sent.length, 2, sent.map((e) => `${e.method} ${e.path} ${e.status} ${e.fault ?? ''}`).join('\n'));
    assert.equal(sent[0]?.fault, 'reset');
    assert.deepEqual(sent.map((e) => `${e.method} ${e.path}`), ['GET /v1.0/me', 'GET /v1.0/me']);
    assert.equal(sent[1]?.status, 200);
  });

  it('cancels with an AbortSignal and reports Cancelled', async () => {
    emu.setLatency(500);
    const controller = new AbortController();
    const pending = delegatedClient(emu).getOrganizationUsers({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    assertFail(await pending, 'Cancelled');
    emu.setLatency(0);
  });

  it('refreshes an expired token once and succeeds', async () => {
    let calls = 0;
    const forced: boolean[] = [];
    const client = new GraphClient({
      baseUrl: emu.graphUrl,
      getAccessToken: (o) => {
        calls++;
        forced.push(o?.forceRefresh === true);
        return Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED, expiresInSec: calls === 1 ? -60 : 3600 }));
      },
    });
    assertOk(await client.getProfile());
    assert.deepEqual(forced, [false, true]);
    assert.deepEqual(graphRequests(emu).map((e) => e.status), [401, 200]);
  });

  it('turns a 403 for missing permissions into Authorization_RequestDenied', async () => {
    const client = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ['User.Read'] })) });
    const group = emu.state.findGroup(() => true);
    assert.ok(group);
    assertFail(await client.deleteGroup(group.id), 'Authorization_RequestDenied');
    assert.ok(emu.state.group(group.id), 'nothing was deleted');
  });

  it('reports an unreachable Graph as NetworkError', async () => {
    const client = new GraphClient({ baseUrl: 'http://127.0.0.1:9/v1.0', getAccessToken: () => Promise.resolve('t'), maxRetries: 1, retryBudgetMs: 2000 });
    assertFail(await client.getProfile(), 'NetworkError');
  });
});
