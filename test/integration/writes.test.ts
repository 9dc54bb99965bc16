import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator } from '../emulator';
import { assertFail, assertOk, delegatedClient, graphRequests, startIntegrationEmulator, untilReadable } from './helpers';

describe('write actions against the emulator', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 120, groups: 30, seed: 5 });
  });
  after(() => emu.close());
  beforeEach(() => emu.clearLog());

  const enabledUsers = (n: number): string[] => [...emu.state.users()].filter((u) => u.accountEnabled && u.userType !== 'Guest').slice(0, n).map((u) => u.id);
  const securityGroup = (): string => {
    const g = emu.state.findGroup((x) => x.securityEnabled && !x.onPremisesSyncEnabled && !x.isAssignableToRole && !x.groupTypes.includes('DynamicMembership') && !x.groupTypes.includes('Unified'));
    assert.ok(g);
    return g.id;
  };

  describe('createGroup', () => {
    it('creates a Microsoft 365 group with owners and members in one request', async () => {
      const [owner, m1, m2] = enabledUsers(3);
      const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Sales EMEA', description: 'Sales team for EMEA', kind: 'microsoft365', visibility: 'Private', ownerIds: [owner ?? ''], memberIds: [m1 ?? '', m2 ?? ''] }));
      const stored = emu.state.group(group.id);
      assert.ok(stored);
      assert.deepEqual(stored.groupTypes, ['Unified']);
      assert.equal(stored.mailEnabled, true);
      assert.equal(stored.securityEnabled, false);
      assert.equal(stored.mailNickname, 'SalesEMEA');
      assert.equal(stored.visibility, 'Private');
      assert.deepEqual(emu.state.ownersOf(group.id), [owner]);
      assert.deepEqual(emu.state.membersOf(group.id).sort(), [m1, m2].sort());
      const reqs = graphRequests(emu);
      assert.equal(reqs.length, 1);
      assert.equal(reqs[0]?.method, 'POST');
      assert.equal(reqs[0]?.status, 201);
      const body = reqs[0]?.body as Record<string, unknown>;
      assert.deepEqual(body['owners@odata.bind'], [`${emu.graphUrl}/directoryObjects/${owner}`]);
    });

    it('creates a security group and adds members beyond the first 20 afterwards', async () => {
      const members = enabledUsers(27);
      const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Big security group', mailNickname: 'big-sec', kind: 'security', memberIds: members }));
      assert.deepEqual(emu.state.membersOf(group.id).sort(), [...members].sort());
      const reqs = graphRequests(emu);
      assert.equal(reqs[0]?.method, 'POST');
      assert.equal(((reqs[0]?.body as Record<string, unknown>)['members@odata.bind'] as unknown[]).length, 20);
      assert.equal(reqs[1]?.method, 'PATCH');
    });

    it('resolves UPNs of owners before binding', async () => {
      const owner = emu.state.user(enabledUsers(1)[0] ?? '');
      assert.ok(owner);
      const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'By UPN', kind: 'security', ownerIds: [owner.userPrincipalName] }));
      assert.deepEqual(emu.state.ownersOf(group.id), [owner.id]);
    });

    it('rejects an invalid mailNickname, a long name and HiddenMembership on security groups without a request', async () => {
      const c = delegatedClient(emu);
      assertFail(await c.createGroup({ displayName: 'X', mailNickname: 'has space', kind: 'security' }), 'ValidationError');
      assertFail(await c.createGroup({ displayName: 'x'.repeat(257), kind: 'security' }), 'ValidationError');
      assertFail(await c.createGroup({ displayName: 'X', kind: 'security', visibility: 'HiddenMembership' }), 'ValidationError');
      assertFail(await c.createGroup({ displayName: '日本', kind: 'microsoft365' }), 'ValidationError');
      assertFail(await c.createGroup({ displayName: 'X', kind: 'other' as 'security' }), 'ValidationError');
      assert.equal(graphRequests(emu).length, 0);
    });

    it('passes on Graph\'s error for a duplicate Microsoft 365 mailNickname', async () => {
      const existing = emu.state.findGroup((g) => g.groupTypes.includes('Unified'));
      assert.ok(existing);
      const r = await delegatedClient(emu).createGroup({ displayName: 'Dup', mailNickname: existing.mailNickname, kind: 'microsoft365' });
      assertFail(r, 'Request_BadRequest');
    });

    it('does not create the group twice when the answer to the POST is lost', async () => {
      emu.scriptFaults([{ kind: 'resetAfterApply', match: { method: 'POST', pathIncludes: '/groups' } }]);
      const before = emu.state.groupsById.size;
      const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Lost answer', mailNickname: 'lost-answer', kind: 'security' }));
      assert.equal(emu.state.groupsById.size, before + 1);
      assert.equal(emu.state.group(group.id)?.displayName, 'Lost answer');
    });
  });

  describe('updateGroup and deleteGroup', () => {
    it('PATCHes only the given fields', async () => {
      const id = securityGroup();
      assertOk(await delegatedClient(emu).updateGroup(id, { description: 'New description' }));
      assert.equal(emu.state.group(id)?.description, 'New description');
      const [req] = graphRequests(emu);
      assert.equal(req?.method, 'PATCH');
      assert.deepEqual(req?.body, { description: 'New description' });
    });

    it('rejects an empty change set and a bad id without a request', async () => {
      const c = delegatedClient(emu);
      assertFail(await c.updateGroup(securityGroup(), {}), 'ValidationError');
      assertFail(await c.updateGroup('not-a-guid', { displayName: 'x' }), 'ValidationError');
      assertFail(await c.updateGroup(securityGroup(), { visibility: 'HiddenMembership' }), 'ValidationError');
      assert.equal(graphRequests(emu).length, 0);
    });

    it('deletes a group, and a second delete reports 404', async () => {
      const c = delegatedClient(emu);
      const group = assertOk(await c.createGroup({ displayName: 'Short lived', kind: 'security' }));
      // Right after the create, Graph may not find the group yet (404); once reads show it, the delete does too.
      await untilReadable(emu, group.id);
      assertOk(await c.deleteGroup(group.id));
      assert.equal(emu.state.group(group.id), undefined);
      assertFail(await c.deleteGroup(group.id), 'Request_ResourceNotFound');
    });
  });

  describe('membership', () => {
    it('adds a member with POST members/$ref and keeps Graph\'s code for an existing member', async () => {
      const gid = securityGroup();
      const uid = enabledUsers(60).find((u) => !emu.state.isMember(gid, u));
      assert.ok(uid);
      const c = delegatedClient(emu);
      assertOk(await c.addMemberToGroup(gid, uid));
      assert.ok(emu.state.isMember(gid, uid));
      const [req] = graphRequests(emu);
      assert.equal(req?.path, `/v1.0/groups/${gid}/members/$ref`);
      assert.deepEqual(req?.body, { '@odata.id': `${emu.graphUrl}/directoryObjects/${uid}` });
      const again = await c.addMemberToGroup(gid, uid);
      assertFail(again, 'Request_BadRequest');
      if (!again.success) assert.equal(again.error.status, 400);
    });

    it('removes a member with DELETE …/members/{id}/$ref and the user stays in the directory', async () => {
      const gid = securityGroup();
      const uid = emu.state.membersOf(gid).find((m) => emu.state.user(m));
      assert.ok(uid);
      assertOk(await delegatedClient(emu).removeMemberFromGroup(gid, uid));
      assert.ok(!emu.state.isMember(gid, uid));
      assert.ok(emu.state.user(uid), 'the user was not deleted');
      assert.equal(graphRequests(emu)[0]?.path, `/v1.0/groups/${gid}/members/${uid}/$ref`);
      assert.equal(graphRequests(emu)[0]?.method, 'DELETE');
      assertFail(await delegatedClient(emu).removeMemberFromGroup(gid, uid), 'Request_ResourceNotFound');
    });

    it('adds many members in chunks of 20 inside one $batch, with an exact outcome each', async () => {
      const group = assertOk(await delegatedClient(emu).createGroup({ displayName: 'Bulk target', kind: 'security' }));
      const ids = enabledUsers(45);
      assertOk(await delegatedClient(emu).addMemberToGroup(group.id, ids[30] ?? ''));
      emu.clearLog();
      const r = assertOk(await delegatedClient(emu).addMembersToGroup(group.id, ids));
      assert.equal(r.added, 44);
      assert.equal(r.alreadyMembers, 1);
      assert.equal(r.outcomes.find((o) => o.memberId === ids[30])?.status, 'alreadyMember');
      assert.deepEqual(emu.state.membersOf(group.id).sort(), [...ids].sort());
      const top = graphRequests(emu);
      assert.equal(top[0]?.path, '/v1.0/$batch');
      // The chunk holding the existing member was rejected as a whole and retried member by member.
      assert.equal(top.filter((e) => e.path.endsWith('/members/$ref')).length, 20);
    });
  });

  describe('updateUser', () => {
    it('PATCHes exactly the given fields', async () => {
      const uid = enabledUsers(1)[0] ?? '';
      assertOk(await delegatedClient(emu).updateUser(uid, { jobTitle: 'Principal Engineer', department: 'Platform' }));
      assert.equal(emu.state.user(uid)?.jobTitle, 'Principal Engineer');
      assert.deepEqual(graphRequests(emu)[0]?.body, { jobTitle: 'Principal Engineer', department: 'Platform' });
    });

    it('rejects read-only fields and empty changes without a request, and passes on Graph\'s 404', async () => {
      const c = delegatedClient(emu);
      assertFail(await c.updateUser(enabledUsers(1)[0] ?? '', { id: 'x' }), 'ValidationError');
      assertFail(await c.updateUser(enabledUsers(1)[0] ?? '', {}), 'ValidationError');
      assert.equal(graphRequests(emu).length, 0);
      assertFail(await c.updateUser('nobody@contoso.onmicrosoft.com', { jobTitle: 'x' }), 'Request_ResourceNotFound');
    });
  });

  describe('manager', () => {
    it('sets a manager named by UPN with PUT manager/$ref, then clears it with DELETE', async () => {
      const [uid, mid] = enabledUsers(2);
      assert.ok(uid && mid);
      const managerUpn = emu.state.user(mid)?.userPrincipalName ?? '';
      const c = delegatedClient(emu);
      assertOk(await c.setManager(uid, managerUpn));
      assert.equal(emu.state.managerOf(uid)?.id, mid);
      const put = graphRequests(emu).find((r) => r.method === 'PUT');
      assert.equal(put?.path, `/v1.0/users/${uid}/manager/$ref`);
      assert.deepEqual(put?.body, { '@odata.id': `${emu.graphUrl}/directoryObjects/${mid}` });

      assertOk(await c.removeManager(uid));
      assert.equal(emu.state.managerOf(uid), undefined);
      // Clearing again: Graph says there is no manager, and the caller hears it (nothing was lost in between).
      assertFail(await c.removeManager(uid), 'Request_ResourceNotFound');
    });

    it('refuses to make a user their own manager without a request', async () => {
      const uid = enabledUsers(1)[0] ?? '';
      assertFail(await delegatedClient(emu).setManager(uid, uid.toUpperCase()), 'ValidationError');
      assert.equal(graphRequests(emu).length, 0);
    });
  });
});
