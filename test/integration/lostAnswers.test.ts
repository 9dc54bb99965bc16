/**
 * Writes whose answer is lost (found by the fault soak, test/hardening/soak.ts), against an eventually consistent Graph:
 * a create is never sent twice, and the caller never gets a duplicate nor a plain failure for a change that landed.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator } from '../emulator';
import { assertFail, assertOk, delegatedClient, graphRequests, startIntegrationEmulator, untilReadable } from './helpers';

describe('writes whose answers are lost', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 40, groups: 8, seed: 11 });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clearLog();
    emu.scriptFaults([]);
  });

  const plainUsers = (n: number): string[] =>
    [...emu.state.users()].filter((u) => u.accountEnabled && u.onPremisesSyncEnabled !== true).slice(0, n).map((u) => u.id);
  const groupsNamed = (nickname: string) => [...emu.state.groups()].filter((g) => g.mailNickname === nickname);
  const createPosts = () => graphRequests(emu).filter((e) => e.method === 'POST' && e.path === '/v1.0/groups');

  it('never sends a create again when its answer is lost, and says what to look for', async () => {
    // Lost before Graph applied it: no read will ever show the group, and the client must not send it again to find out.
    emu.scriptFaults([{ kind: 'reset', match: { method: 'POST', pathIncludes: '/v1.0/groups' } }]);
    const r = await delegatedClient(emu, { maxRetries: 3 }).createGroup({ displayName: 'Twice lost', mailNickname: 'twice-lost', kind: 'security' });
    assertFail(r, 'NetworkError');
    if (r.success) return;
    assert.equal(r.error.outcomeUnknown, true);
    assert.equal(r.error.maybeCreated?.displayName, 'Twice lost');
    assert.equal(r.error.maybeCreated?.mailNickname, 'twice-lost');
    assert.ok(Date.parse(r.error.maybeCreated?.createdAfter ?? '') <= Date.now(), 'a creation time to look from');
    assert.match(r.error.message, /may have been created: before trying again, look for a group named "Twice lost" with mail nickname "twice-lost" created after \d{4}-/);
    assert.equal(createPosts().length, 1, 'the create was sent once');
    assert.equal(groupsNamed('twice-lost').length, 0);
    // A new group reaches reads only after replication: one empty read proves nothing, so it read again (3 waits allowed).
    assert.equal(graphRequests(emu).filter((e) => e.method === 'GET' && e.path === '/v1.0/groups').length, 4);
  });

  it('confirms with reads a create whose answer was lost after Graph applied it', async () => {
    emu.scriptFaults([{ kind: 'resetAfterApply', match: { method: 'POST', pathIncludes: '/v1.0/groups' } }]);
    const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Lost once', mailNickname: 'lost-once', kind: 'security' }));
    assert.deepEqual(groupsNamed('lost-once').map((g) => g.id), [group.id]);
    assert.equal(createPosts().length, 1, 'the create was sent once');
  });

  it('says the group may exist when it cannot tell whether a lost create landed', async () => {
    emu.scriptFaults([
      { kind: 'resetAfterApply', match: { method: 'POST', pathIncludes: '/v1.0/groups' } },
      { kind: '503', count: 5, match: { method: 'GET', pathIncludes: '/v1.0/groups' } },
    ]);
    const r = await delegatedClient(emu, { maxRetries: 1 }).createGroup({ displayName: 'Unknown fate', mailNickname: 'unknown-fate', kind: 'security' });
    assertFail(r, 'NetworkError');
    if (r.success) return;
    assert.equal(r.error.outcomeUnknown, true);
    assert.match(r.error.message, /may have been created/);
    assert.equal(groupsNamed('unknown-fate').length, 1, 'the group does exist');
    assert.equal(createPosts().length, 1, 'nothing was re-sent blindly');
  });

  it('adds a member when the re-sent POST members/$ref also loses its answer', async () => {
    const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Lossy adds', kind: 'security' }));
    const [userId = ''] = plainUsers(1);
    const ref = { method: 'POST', pathIncludes: '/members/$ref' };
    emu.scriptFaults([{ kind: 'reset', match: ref }, { kind: 'resetAfterApply', match: ref }]);
    assertOk(await delegatedClient(emu).addMemberToGroup(group.id, userId));
    assert.deepEqual(emu.state.membersOf(group.id), [userId]);
  });

  it('reports a bulk-added member as added when its one-by-one POST loses two answers', async () => {
    const [already = '', fresh = ''] = plainUsers(2);
    const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Lossy bulk', kind: 'security', memberIds: [already] }));
    const ref = { method: 'POST', pathIncludes: '/members/$ref' };
    // The PATCH of both is refused (one is a member already), so each is added on its own; the first POST loses twice.
    emu.scriptFaults([{ kind: 'reset', match: ref }, { kind: 'resetAfterApply', match: ref }]);
    const r = assertOk(await delegatedClient(emu).addMembersToGroup(group.id, [fresh, already]));
    assert.deepEqual(r.outcomes.map((o) => `${o.memberId === fresh ? 'fresh' : 'already'} ${o.status}`), ['fresh added', 'already alreadyMember']);
    assert.deepEqual(emu.state.membersOf(group.id).sort(), [already, fresh].sort());
  });

  it('reports members as added when the PATCH that added them lost its answer and was sent again', async () => {
    const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Lossy patch', kind: 'security' }));
    await untilReadable(emu, group.id);
    const ids = plainUsers(6);
    // Applied, answer lost; the transport sends the PATCH again, and Graph answers that the members already exist.
    emu.scriptFaults([{ kind: 'resetAfterApply', match: { method: 'PATCH', pathIncludes: group.id } }]);
    const r = assertOk(await delegatedClient(emu).addMembersToGroup(group.id, ids));
    assert.deepEqual(r.outcomes.map((o) => o.status), ids.map(() => 'added'));
    assert.deepEqual(emu.state.membersOf(group.id).sort(), [...ids].sort());
  });

  it('still tells members that were already there when a lost PATCH cannot have landed', async () => {
    const [already = '', ...fresh] = plainUsers(4);
    const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Lossy patch, one there', kind: 'security', memberIds: [already] }));
    await untilReadable(emu, group.id);
    // Refused as a whole (one member exists), and that answer lost too.
    emu.scriptFaults([{ kind: 'resetAfterApply', match: { method: 'PATCH', pathIncludes: group.id } }]);
    const r = assertOk(await delegatedClient(emu).addMembersToGroup(group.id, [already, ...fresh]));
    assert.deepEqual(r.outcomes.map((o) => o.status), ['alreadyMember', 'added', 'added', 'added']);
  });

  it('names a sub-second timeout in milliseconds', async () => {
    emu.scriptFaults([{ kind: 'hang' }]);
    const r = await delegatedClient(emu, { timeoutMs: 150, maxRetries: 0 }).getProfile();
    assertFail(r, 'Timeout');
    if (!r.success) assert.match(r.error.message, /within 150 ms\.$/);
  });
});
