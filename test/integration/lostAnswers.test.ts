/**
 * Writes whose answer is lost more than once (found by the fault soak, test/hardening/soak.ts): a re-sent POST can
 * lose its answer too, and the caller must then neither get a duplicate nor a plain failure for a change that landed.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../emulator';
import { assertFail, assertOk, delegatedClient, graphRequests } from './helpers';

describe('writes whose answers are lost again after re-sending', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ users: 40, groups: 8, seed: 11 });
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

  it('creates one group when the re-sent POST also loses its answer', async () => {
    const post = { method: 'POST', pathIncludes: '/v1.0/groups' };
    // Lost before Graph applied it, then lost after Graph applied the re-sent one.
    emu.scriptFaults([{ kind: 'reset', match: post }, { kind: 'resetAfterApply', match: post }]);
    const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Twice lost', mailNickname: 'twice-lost', kind: 'security' }));
    assert.deepEqual(groupsNamed('twice-lost').map((g) => g.id), [group.id]);
    assert.equal(createPosts().length, 2);
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

  it('names a sub-second timeout in milliseconds', async () => {
    emu.scriptFaults([{ kind: 'hang' }]);
    const r = await delegatedClient(emu, { timeoutMs: 150, maxRetries: 0 }).getProfile();
    assertFail(r, 'Timeout');
    if (!r.success) assert.match(r.error.message, /within 150 ms\.$/);
  });
});
