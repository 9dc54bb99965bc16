/**
 * Graph's answers cannot hang or trick the client: lists whose nextLinks loop or never end, answers too large to hold,
 * a Retry-After in a $batch item beyond the retry budget, and a $batch item error that repeats the bearer token.
 * Over real HTTP against the emulator's fault modes, except the page cap (100,000 requests take too long over HTTP).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { GraphClient, type Result } from '../../src/core';
import { MAX_RESPONSE_BYTES } from '../../src/core/http';
import { MAX_EMPTY_PAGES_IN_A_ROW, MAX_PAGES } from '../../src/core/paging';
import type { Emulator } from '../emulator';
import { ALL_DELEGATED } from '../support/services';
import { assertFail, assertOk, delegatedClient, graphRequests, startIntegrationEmulator, untilReadable } from './helpers';

const MiB = 1024 * 1024;

describe('answers that cannot hang or trick the client', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 80, groups: 12, seed: 11 });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clearLog();
    emu.setFaults(undefined);
    emu.scriptFaults([]);
    emu.setThrottle(false);
  });

  const skiptokens = (): Array<string | undefined> => graphRequests(emu).map((e) => e.query['$skiptoken']);

  describe('nextLinks that loop', () => {
    it('ends a list whose nextLink is its own URL after one request, although its empty pages never reach maxItems', async () => {
      emu.scriptFaults([{ kind: 'nextLinkToSelf', count: 10_000, match: { method: 'GET', pathIncludes: '/groups' } }]);
      const r = await delegatedClient(emu).getOrganizationGroups({ maxItems: 5 });
      assertFail(r, 'PagingLoop');
      if (!r.success) assert.match(r.error.message, /led back to page 1 of the list/);
      assert.equal(graphRequests(emu).length, 1);
    });

    it('ends a list cycling between two nextLinks when it comes back, whether collected or iterated', async () => {
      emu.scriptFaults([{ kind: 'nextLinkCycle', count: 10_000, match: { method: 'GET', pathIncludes: '/users' } }]);
      assertFail(await delegatedClient(emu).getOrganizationUsers(), 'PagingLoop');
      assert.deepEqual(skiptokens(), [undefined, 'cycleA', 'cycleB']);

      emu.clearLog();
      const pages: Array<Result<unknown>> = [];
      for await (const page of delegatedClient(emu).iterateUsers()) pages.push(page);
      assert.deepEqual(pages.map((p) => (p.success ? 'page' : p.error.code)), ['page', 'page', 'PagingLoop']);
      assert.equal(graphRequests(emu).length, 3);
    });

    it('ends a list read page by page (the tree) when a nextLink comes back, and may read the same page twice', async () => {
      emu.scriptFaults([{ kind: 'nextLinkCycle', count: 10_000, match: { method: 'GET', pathIncludes: '/groups' } }]);
      const client = delegatedClient(emu);
      const first = assertOk(await client.groupsPage({ pageSize: 5 }));
      assert.ok(first.next);
      const a = assertOk(await client.nextPage(first.next));
      assert.ok(a.next);
      // Reading the page at cycleA again meets cycleB again: further on in the list, so no loop.
      const again = assertOk(await client.nextPage(first.next));
      assert.equal(again.next?.url, a.next.url);
      assertFail(await client.nextPage(a.next), 'PagingLoop');
      assert.deepEqual(skiptokens(), [undefined, 'cycleA', 'cycleA', 'cycleB']);
    });

    it(`ends a list of endless empty pages after ${MAX_EMPTY_PAGES_IN_A_ROW} of them`, async () => {
      emu.scriptFaults([{ kind: 'nextLinkEndless', count: MAX_EMPTY_PAGES_IN_A_ROW * 2, match: { method: 'GET', pathIncludes: '/groups' } }]);
      const r = await delegatedClient(emu).getOrganizationGroups({ maxItems: 5 });
      assertFail(r, 'PagingLoop');
      if (!r.success) assert.match(r.error.message, new RegExp(`${MAX_EMPTY_PAGES_IN_A_ROW} empty pages in a row`));
      assert.equal(graphRequests(emu).length, MAX_EMPTY_PAGES_IN_A_ROW);
    });

    it('still reads an ordinary list to its end, page by page', async () => {
      const client = delegatedClient(emu);
      const ids: string[] = [];
      let page = assertOk(await client.usersPage({ pageSize: 7 }));
      ids.push(...page.items.map((u) => u.id));
      while (page.next) {
        page = assertOk(await client.nextPage(page.next));
        ids.push(...page.items.map((u) => u.id));
      }
      const enabled = [...emu.state.users()].filter((u) => u.accountEnabled).length;
      assert.ok(graphRequests(emu).length > 5, 'several pages');
      assert.equal(ids.length, enabled);
      assert.equal(new Set(ids).size, enabled);
    });
  });

  describe('a list without end', () => {
    it(`fails with TooManyPages after ${MAX_PAGES.toLocaleString('en-US')} pages instead of returning part of it`, async () => {
      const base = 'https://graph.example.test/v1.0';
      let requests = 0;
      const endless: typeof fetch = () => {
        const n = ++requests;
        return Promise.resolve(new Response(JSON.stringify({ value: [{ id: `u${n}` }], '@odata.nextLink': `${base}/users?$skiptoken=${n}` }), { headers: { 'content-type': 'application/json' } }));
      };
      const client = new GraphClient({ baseUrl: base, getAccessToken: () => Promise.resolve('token'), fetch: endless });
      const r = await client.getOrganizationUsers();
      assertFail(r, 'TooManyPages');
      assert.equal(requests, MAX_PAGES);
    });
  });

  describe('answers too large to hold', () => {
    /** Waits until the emulator stops writing (its counter holds still), and returns what it sent. */
    async function bytesSentOnceSettled(): Promise<number> {
      let last = -1;
      for (let i = 0; i < 50 && emu.stats().bytesSent !== last; i++) {
        last = emu.stats().bytesSent;
        await delay(100);
      }
      return last;
    }

    it('stops reading a streamed 1 GiB answer at the cap, fails with ResponseTooLarge and closes the connection', async () => {
      emu.scriptFaults([{ kind: 'hugeBody', match: { method: 'GET', pathIncludes: '/users' } }]);
      const sentBefore = emu.stats().bytesSent;
      const client = delegatedClient(emu);
      const started = Date.now();
      const r = await client.getOrganizationUsers();
      assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
      assertFail(r, 'ResponseTooLarge');
      if (!r.success) assert.equal(r.error.status, 200);
      assert.ok(client.stats.bytesReceived > MAX_RESPONSE_BYTES, 'read up to the cap');
      assert.ok(client.stats.bytesReceived <= MAX_RESPONSE_BYTES + MiB, `read ${client.stats.bytesReceived} bytes`);
      const sent = (await bytesSentOnceSettled()) - sentBefore;
      assert.ok(sent < MAX_RESPONSE_BYTES + 64 * MiB, `the emulator sent ${sent} bytes of 1 GiB`);
      await delay(300);
      assert.equal(emu.stats().bytesSent - sentBefore, sent, 'the emulator stopped writing: the connection is gone');
      assert.equal(graphRequests(emu).length, 1, 'not retried');
    });

    it('reads nothing of an answer whose Content-Length is over the cap', async () => {
      emu.scriptFaults([{ kind: 'hugeBodyDeclared', match: { method: 'GET', pathIncludes: '/groups' } }]);
      const sentBefore = emu.stats().bytesSent;
      const client = delegatedClient(emu);
      const r = await client.getOrganizationGroups();
      assertFail(r, 'ResponseTooLarge');
      assert.equal(client.stats.bytesReceived, 0);
      const sent = (await bytesSentOnceSettled()) - sentBefore;
      assert.ok(sent < MAX_RESPONSE_BYTES, `the emulator sent ${sent} bytes of 1 GiB`);
      assert.equal(graphRequests(emu).length, 1, 'not retried');
    });
  });

  describe('$batch items', () => {
    const enabledUsers = (n: number): string[] => [...emu.state.users()].filter((u) => u.accountEnabled && u.userType !== 'Guest').slice(0, n).map((u) => u.id);
    const patchItems = { method: 'PATCH', pathIncludes: '/groups/' };
    async function emptyGroup(name: string): Promise<string> {
      const group = assertOk(await delegatedClient(emu).createGroup({ displayName: name, kind: 'security' }));
      // These tests are about Retry-After; a group not yet replicated would add its own retries.
      await untilReadable(emu, group.id);
      emu.clearLog();
      return group.id;
    }
    /** A fake clock: sleeping advances it, and every sleep is recorded. */
    function fakeClock(): { sleeps: number[]; options: { sleep: (ms: number) => Promise<void>; now: () => number; random: () => number } } {
      const sleeps: number[] = [];
      let now = Date.now();
      return { sleeps, options: { sleep: (ms) => ((now += ms), sleeps.push(ms), Promise.resolve()), now: () => now, random: () => 0 } };
    }

    it('fails members at once, without sleeping, when an item asks for Retry-After: 1000000', async () => {
      const groupId = await emptyGroup('Throttled for ages');
      const ids = enabledUsers(45);
      emu.scriptFaults([{ kind: '429', retryAfter: '1000000', count: 100, match: patchItems }]);
      const clock = fakeClock();
      const started = Date.now();
      const r = await delegatedClient(emu, clock.options).addMembersToGroup(groupId, ids);
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
      assertFail(r, 'PartialFailure');
      if (r.success) return;
      assert.equal(r.error.outcomes?.length, 45);
      for (const o of r.error.outcomes ?? []) {
        assert.equal(o.status, 'failed');
        assert.equal(o.error?.code, 'TooManyRequests');
        assert.equal(o.error?.status, 429);
        assert.equal(o.error?.retryAfterMs, 1_000_000_000);
      }
      assert.deepEqual(clock.sleeps, []);
      assert.deepEqual(graphRequests(emu).map((e) => `${e.method} ${e.path}`), ['POST /v1.0/$batch'], 'no retry, no member-by-member requests');
      assert.deepEqual(emu.state.membersOf(groupId), []);
    });

    it('waits a Retry-After the budget covers, once per retry, and fails the members when the next wait would pass the budget', async () => {
      const groupId = await emptyGroup('Throttled within budget');
      const ids = enabledUsers(45);
      emu.scriptFaults([{ kind: '429', retryAfter: '0.6', count: 100, match: patchItems }]);
      const clock = fakeClock();
      const r = await delegatedClient(emu, { ...clock.options, retryBudgetMs: 1_000 }).addMembersToGroup(groupId, ids);
      assertFail(r, 'PartialFailure');
      if (r.success) return;
      assert.ok(r.error.outcomes?.every((o) => o.status === 'failed' && o.error?.code === 'TooManyRequests' && o.error.retryAfterMs === 600));
      // 600 ms fits the 1 s budget once; a second 600 ms would end 1.2 s after the first send.
      assert.deepEqual(clock.sleeps, [600]);
      assert.equal(graphRequests(emu).length, 2);
    });

    it('fails the members after maxRetries retries, with the throttling error instead of one request per member', async () => {
      const groupId = await emptyGroup('Throttled too often');
      const ids = enabledUsers(45);
      emu.scriptFaults([{ kind: '429', retryAfter: '0.01', count: 100, match: patchItems }]);
      const clock = fakeClock();
      const r = await delegatedClient(emu, { ...clock.options, maxRetries: 2 }).addMembersToGroup(groupId, ids);
      assertFail(r, 'PartialFailure');
      if (r.success) return;
      assert.ok(r.error.outcomes?.every((o) => o.status === 'failed' && o.error?.code === 'TooManyRequests'));
      assert.deepEqual(clock.sleeps, [10, 10]);
      assert.deepEqual(graphRequests(emu).map((e) => e.path), ['/v1.0/$batch', '/v1.0/$batch', '/v1.0/$batch']);
    });

    it('adds every member once a short Retry-After has passed', async () => {
      const groupId = await emptyGroup('Throttled briefly');
      const ids = enabledUsers(45);
      emu.scriptFaults([{ kind: '429', retryAfter: '0.05', count: 3, match: patchItems }]);
      const r = assertOk(await delegatedClient(emu).addMembersToGroup(groupId, ids));
      assert.equal(r.added, 45);
      assert.equal(graphRequests(emu).length, 2);
      assert.deepEqual(emu.state.membersOf(groupId).sort(), [...ids].sort());
    });

    it('passes on a $batch item error that repeats the Authorization header without the token', async () => {
      const groupId = await emptyGroup('Echoing gateway');
      const ids = enabledUsers(45);
      emu.scriptFaults([{ kind: 'echoAuthorization', count: 3, match: patchItems }]);
      const token = emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED });
      const client = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(token) });
      const r = await client.addMembersToGroup(groupId, ids);
      assertFail(r, 'PartialFailure');
      if (r.success) return;
      assert.ok(!JSON.stringify(r).includes(token), 'the token is nowhere in the result');
      assert.equal(r.error.outcomes?.length, 45);
      for (const o of r.error.outcomes ?? []) {
        assert.equal(o.status, 'failed');
        assert.equal(o.error?.status, 502);
        assert.match(o.error?.message ?? '', /with Authorization: Bearer \[redacted\]$/);
      }
    });

    it('passes on the same error of a single request without the token', async () => {
      emu.scriptFaults([{ kind: 'echoAuthorization', match: { method: 'GET', pathIncludes: '/me' } }]);
      const token = emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED });
      const r = await new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(token), maxRetries: 0 }).getProfile();
      assertFail(r, 'BadGateway');
      if (!r.success) assert.match(r.error.message, /with Authorization: Bearer \[redacted\]$/);
      assert.ok(!JSON.stringify(r).includes(token));
    });
  });
});
