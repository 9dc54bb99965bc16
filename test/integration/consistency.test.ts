/**
 * The client against an eventually consistent Graph (test/emulator/directory/replication.ts): a new group refuses
 * links until it has replicated, lost creates are never sent again, and bulk adds stay exact throughout.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator, FaultKind } from '../emulator';
import { assertFail, assertOk, delegatedClient, graphRequests, startIntegrationEmulator } from './helpers';

describe('writes against an eventually consistent Graph', () => {
  let emu: Emulator;
  before(async () => {
    // A longer window than the suite's: every write right after a create surely meets the replication refusal.
    emu = await startIntegrationEmulator({ users: 300, groups: 10, seed: 21, consistency: { replicationDelayMs: [500, 1500], seed: 21 } });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clearLog();
    emu.scriptFaults([]);
    emu.setFaults(undefined);
  });

  const plainUsers = (n: number, skip = 0): string[] =>
    [...emu.state.users()]
      .filter((u) => u.accountEnabled && u.onPremisesSyncEnabled !== true && u.userType !== 'Guest' && u.id !== emu.signedInUserId)
      .slice(skip, skip + n)
      .map((u) => u.id);
  const groupsNamed = (nickname: string) => [...emu.state.groups()].filter((g) => g.mailNickname === nickname);
  const createPosts = (): number => graphRequests(emu).filter((e) => e.method === 'POST' && e.path === '/v1.0/groups').length;
  /** Reads a list until it has `count` items: what readers see once the writes have replicated. */
  async function untilListed(read: () => Promise<{ success: boolean; data?: { items: unknown[] } }>, count: number): Promise<number> {
    let seen = -1;
    for (let i = 0; i < 60 && seen !== count; i++) {
      if (i > 0) await delay(100);
      const r = await read();
      seen = r.success ? (r.data?.items.length ?? 0) : -1;
    }
    return seen;
  }

  it('creates a group with 20 owners and 100 members and ends with all 120, each added', async () => {
    const owners = plainUsers(20);
    const members = plainUsers(100, 20);
    const client = delegatedClient(emu);
    const group = assertOk(await client.createGroup({ displayName: 'Owners and hundred', mailNickname: 'owners-hundred', kind: 'security', ownerIds: owners, memberIds: members }));
    assert.deepEqual(new Set(emu.state.ownersOf(group.id)), new Set(owners));
    assert.deepEqual(new Set(emu.state.membersOf(group.id)), new Set(members));
    assert.equal(createPosts(), 1);
    // The 20 binds went with the create; the 100 members followed in PATCHes that met the new group unreplicated,
    // waited and were sent again: never judged rejected, so no member-by-member fallback.
    const patches = emu.log.filter((e) => e.method === 'PATCH' && e.path === `/v1.0/groups/${group.id}`);
    assert.ok(patches.some((e) => e.status === 400), 'a PATCH met the replication refusal');
    assert.equal(patches.filter((e) => e.status === 204).length, 5, 'five chunks of 20, each applied once');
    assert.equal(graphRequests(emu).filter((e) => e.path.endsWith('/members/$ref')).length, 0);
    assert.equal(await untilListed(() => client.groupMembersPage(group.id, { pageSize: 999 }), 100), 100);
    assert.equal(await untilListed(() => client.groupOwnersPage(group.id, { pageSize: 999 }), 20), 20);
  });

  it('reports each of 120 owners and members exactly when one member cannot be added', async () => {
    const owners = plainUsers(20, 120);
    const members = [...plainUsers(60, 140), '00000000-0000-4000-8000-0000000000c1', ...plainUsers(39, 200)];
    const r = await delegatedClient(emu).createGroup({ displayName: 'One missing', mailNickname: 'one-missing', kind: 'security', ownerIds: owners, memberIds: members });
    assertFail(r, 'PartialFailure');
    if (r.success) return;
    const created = r.error.created;
    assert.ok(created, 'the group exists and the failure says which one');
    assert.deepEqual(new Set(emu.state.ownersOf(created.id)), new Set(owners));
    const outcomes = r.error.outcomes ?? [];
    assert.deepEqual(outcomes.map((o) => o.memberId), members, 'one outcome per member, in order');
    const inGroup = new Set(emu.state.membersOf(created.id));
    for (const o of outcomes) {
      if (o.memberId === '00000000-0000-4000-8000-0000000000c1') {
        assert.equal(o.status, 'failed');
        assert.equal(o.error?.status, 404);
      } else {
        assert.equal(o.status, 'added', o.memberId);
      }
      assert.equal(inGroup.has(o.memberId), o.status === 'added', `${o.memberId} ${o.status}`);
    }
    assert.equal(inGroup.size, 99);
  });

  it('adds a member to a group created a moment ago, waiting out the replication refusal', async () => {
    const client = delegatedClient(emu);
    const [member = ''] = plainUsers(1, 260);
    const group = assertOk(await client.createGroup({ displayName: 'Fresh', mailNickname: 'fresh-add', kind: 'security' }));
    assertOk(await client.addMemberToGroup(group.id, member));
    assert.deepEqual(emu.state.membersOf(group.id), [member]);
    const adds = graphRequests(emu).filter((e) => e.path === `/v1.0/groups/${group.id}/members/$ref`).map((e) => e.status);
    assert.equal(adds[0], 400);
    assert.equal(adds.at(-1), 204);
    assert.ok(adds.slice(0, -1).every((s) => s === 400), adds.join(','));
  });

  it('gives up on a link that never replicates within the retry rule, reporting Graph\'s refusal', async () => {
    // A window far beyond the client's retry rule (2 retries): the refusal is passed on, not turned into success.
    emu.setConsistency({ replicationDelayMs: [60_000, 60_000], seed: 3 });
    try {
      const client = delegatedClient(emu, { maxRetries: 2 });
      const [member = ''] = plainUsers(1, 261);
      const group = assertOk(await client.createGroup({ displayName: 'Slow', mailNickname: 'slow-add', kind: 'security' }));
      const r = await client.addMemberToGroup(group.id, member);
      assertFail(r, 'Request_BadRequest');
      if (!r.success) assert.match(r.error.message, /objects being referenced don't exist/);
      assert.equal(graphRequests(emu).filter((e) => e.path.endsWith('/members/$ref')).length, 3);
      assert.deepEqual(emu.state.membersOf(group.id), []);
    } finally {
      emu.setConsistency({ replicationDelayMs: [500, 1500], seed: 21 });
    }
  });

  describe('a create whose answer is lost is sent once', () => {
    const post = { method: 'POST', pathIncludes: '/v1.0/groups' };
    const cases: Array<{ name: string; faults: Array<{ kind: FaultKind; count?: number; match: { method: string; pathIncludes: string } }>; applied: boolean }> = [
      { name: 'connection reset before Graph applied it', faults: [{ kind: 'reset', match: post }], applied: false },
      { name: 'connection reset after Graph applied it', faults: [{ kind: 'resetAfterApply', match: post }], applied: true },
      { name: 'gateway timeout', faults: [{ kind: '504', match: post }], applied: false },
      { name: 'no answer at all', faults: [{ kind: 'hang', match: post }], applied: false },
      {
        name: 'applied, and every look-up fails',
        faults: [{ kind: 'resetAfterApply', match: post }, { kind: '503', count: 10, match: { method: 'GET', pathIncludes: '/v1.0/groups' } }],
        applied: true,
      },
    ];
    for (const [i, c] of cases.entries()) {
      it(`${c.name}: one POST, and a group exactly when one was made`, async () => {
        emu.scriptFaults(c.faults);
        const nickname = `lost-create-${i}`;
        const r = await delegatedClient(emu, { maxRetries: 2, timeoutMs: 500 }).createGroup({ displayName: `Lost create ${i}`, mailNickname: nickname, kind: 'security' });
        assert.equal(createPosts(), 1);
        const groups = groupsNamed(nickname);
        assert.equal(groups.length, c.applied ? 1 : 0);
        if (r.success) {
          assert.deepEqual(groups.map((g) => g.id), [r.data.id]);
        } else {
          assert.equal(r.error.outcomeUnknown, true, r.error.message);
          assert.equal(r.error.maybeCreated?.mailNickname, nickname);
        }
      });
    }

    it('across twelve creates under random lost answers and failing look-ups', async () => {
      emu.setFaults({ rate: 0.4, kinds: ['reset', 'resetAfterApply', '504', 'hang', '503'], seed: 5 });
      const client = delegatedClient(emu, { maxRetries: 2, timeoutMs: 500 });
      const results = [];
      for (let i = 0; i < 12; i++) {
        results.push({ nickname: `random-lost-${i}`, r: await client.createGroup({ displayName: `Random lost ${i}`, mailNickname: `random-lost-${i}`, kind: 'security' }) });
      }
      emu.setFaults(undefined);
      const posts = graphRequests(emu).filter((e) => e.method === 'POST' && e.path === '/v1.0/groups');
      assert.ok(posts.some((e) => e.fault !== undefined), 'some creates lost their answer');
      for (const { nickname, r } of results) {
        // A POST answered 503 applied nothing and is retried by the transport; a POST that may have been applied never is.
        const sent = posts.filter((e) => (e.body as { mailNickname?: string } | undefined)?.mailNickname === nickname);
        assert.ok(sent.filter((e) => e.fault !== '503').length <= 1, `${nickname}: ${sent.map((e) => e.fault ?? e.status).join(',')}`);
        const groups = groupsNamed(nickname);
        if (r.success) assert.deepEqual(groups.map((g) => g.id), [r.data.id], nickname);
        else assert.ok(groups.length <= 1 && (groups.length === 0 || r.error.outcomeUnknown === true), `${nickname}: ${r.error.code} ${groups.length}`);
      }
    });
  });
});
