import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator, GroupRecord } from '../emulator/index';
import { TestClient, bindUrl, errorCode, errorMessage } from '../emulator/testClient';

describe('emulator: changing the directory', () => {
  let em: Emulator;
  let c: TestClient;
  /** A plain security group the app may manage. */
  let sg: GroupRecord;
  let m365: GroupRecord;

  const plainUser = (skip: readonly string[] = []): string => {
    const u = em.state.findUser((x) => x.userType === 'Member' && x.onPremisesSyncEnabled !== true && x.id !== em.state.adminUserId && !skip.includes(x.id));
    assert.ok(u);
    return u.id;
  };
  const nonMember = (g: GroupRecord, skip: readonly string[] = []): string => {
    const u = em.state.findUser(
      (x) => !em.state.isMember(g.id, x.id) && x.userType === 'Member' && x.id !== em.state.adminUserId && !skip.includes(x.id),
    );
    assert.ok(u);
    return u.id;
  };

  before(async () => {
    em = await startEmulator({ users: 400, groups: 60, seed: 5 });
    c = new TestClient(em, em.issueToken({ kind: 'app' }));
    const g = em.state.groupsOfKind('security').find((x) => x.isAssignableToRole !== true && x.onPremisesSyncEnabled !== true);
    const u = em.state.groupsOfKind('microsoft365').find((x) => x.displayName !== 'All Staff');
    assert.ok(g && u);
    sg = g;
    m365 = u;
  });
  after(() => em.close());

  it('adds and removes a member through $ref, with Graph errors for repeats and unknown ids', async () => {
    const userId = nonMember(sg);
    const add = await c.call(`/groups/${sg.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(userId) } });
    assert.equal(add.status, 204);
    assert.equal(add.text, '');
    assert.ok(em.state.isMember(sg.id, userId));
    const again = await c.call(`/groups/${sg.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(userId) } });
    assert.equal(again.status, 400);
    assert.equal(errorCode(again), 'Request_BadRequest');
    assert.equal(errorMessage(again), "One or more added object references already exist for the following modified properties: 'members'.");
    const ghost = await c.call(`/groups/${sg.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl('11111111-2222-4333-8444-555555555555') } });
    assert.equal(ghost.status, 404);
    assert.equal(errorCode(ghost), 'Request_ResourceNotFound');
    const noCt = await c.call(`/groups/${sg.id}/members/$ref`, { method: 'POST', rawBody: JSON.stringify({ '@odata.id': bindUrl(userId) }) });
    assert.equal(noCt.status, 400);

    const remove = await c.call(`/groups/${sg.id}/members/${userId}/$ref`, { method: 'DELETE' });
    assert.equal(remove.status, 204);
    assert.ok(!em.state.isMember(sg.id, userId));
    const removeAgain = await c.call(`/groups/${sg.id}/members/${userId}/$ref`, { method: 'DELETE' });
    assert.equal(removeAgain.status, 404);
  });

  it('refuses non-user members of Microsoft 365 groups and any change to dynamic groups', async () => {
    const groupRef = await c.call(`/groups/${m365.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(sg.id, 'groups') } });
    assert.equal(groupRef.status, 400);
    assert.equal(errorCode(groupRef), 'Request_BadRequest');
    // A dynamic group with members, so that both the add and the remove are refused for real.
    const dyn = em.state.groupsOfKind('dynamic').find((g) => em.state.membersOf(g.id).length > 0);
    assert.ok(dyn, 'the tenant has a dynamic group with members');
    const outsider = nonMember(dyn);
    const dynAdd = await c.call(`/groups/${dyn.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(outsider) } });
    // Microsoft's troubleshooting article lists dynamic groups among the causes of this 403.
    assert.equal(dynAdd.status, 403);
    assert.equal(errorCode(dynAdd), 'Authorization_RequestDenied');
    assert.ok(!em.state.isMember(dyn.id, outsider), 'the refused add changed nothing');
    const someMember = em.state.membersOf(dyn.id)[0];
    assert.ok(someMember);
    assert.equal((await c.call(`/groups/${dyn.id}/members/${someMember}/$ref`, { method: 'DELETE' })).status, 403);
    assert.ok(em.state.isMember(dyn.id, someMember), 'the refused remove changed nothing');
  });

  it('adds and removes owners through $ref, refuses groups as owners and the last user owner', async () => {
    const ownersRef = `/groups/${sg.id}/owners/$ref`;
    // Start from a known state: the group's owners are exactly two users.
    for (const id of em.state.ownersOf(sg.id)) em.state.removeOwner(sg.id, id);
    const first = plainUser();
    const second = plainUser([first]);
    assert.equal((await c.call(ownersRef, { method: 'POST', body: { '@odata.id': bindUrl(first) } })).status, 204);
    assert.equal((await c.call(ownersRef, { method: 'POST', body: { '@odata.id': bindUrl(second) } })).status, 204);
    const again = await c.call(ownersRef, { method: 'POST', body: { '@odata.id': bindUrl(second) } });
    assert.equal(again.status, 400);
    assert.equal(errorMessage(again), "One or more added object references already exist for the following modified properties: 'owners'.");
    // group-post-owners: owners are users or service principals, never groups.
    const groupOwner = await c.call(ownersRef, { method: 'POST', body: { '@odata.id': bindUrl(m365.id, 'groups') } });
    assert.equal(groupOwner.status, 400);
    assert.ok(!em.state.isOwner(sg.id, m365.id));

    assert.equal((await c.call(`/groups/${sg.id}/owners/${second}/$ref`, { method: 'DELETE' })).status, 204);
    assert.deepEqual(em.state.ownersOf(sg.id), [first]);
    // group-delete-owners: the last owner (a user) cannot be removed.
    const last = await c.call(`/groups/${sg.id}/owners/${first}/$ref`, { method: 'DELETE' });
    assert.equal(last.status, 400);
    assert.equal(errorCode(last), 'Request_BadRequest');
    assert.equal(errorMessage(last), 'The group must have at least one owner, hence this owner cannot be removed.');
    assert.deepEqual(em.state.ownersOf(sg.id), [first], 'the refused removal changed nothing');
    assert.equal((await c.call(`/groups/${sg.id}/owners/${second}/$ref`, { method: 'DELETE' })).status, 404, 'no longer an owner');
  });

  it('models the DELETE-without-$ref pitfall: the member object itself is deleted', async () => {
    const victim = nonMember(sg);
    await c.call(`/groups/${sg.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(victim) } });
    const groupsBefore = em.state.memberOfGroups(victim).length;
    assert.ok(groupsBefore >= 1);
    // A token that may only manage memberships cannot delete users: 403, nothing happens.
    const limited = em.issueToken({ kind: 'app', roles: ['GroupMember.ReadWrite.All'] });
    const denied = await c.call(`/groups/${sg.id}/members/${victim}`, { method: 'DELETE', token: limited });
    assert.equal(denied.status, 403);
    assert.equal(errorCode(denied), 'Authorization_RequestDenied');
    assert.ok(em.state.usersById.has(victim));
    // The default app can write users: the user is gone from the whole directory.
    const gone = await c.call(`/groups/${sg.id}/members/${victim}`, { method: 'DELETE' });
    assert.equal(gone.status, 204);
    assert.ok(!em.state.usersById.has(victim));
    assert.equal((await c.get(`/users/${victim}`)).status, 404);
    assert.ok(em.log.some((e) => e.method === 'DELETE' && e.path === `/v1.0/groups/${sg.id}/members/${victim}` && e.status === 204));
  });

  it('applies members@odata.bind atomically and caps binds at 20', async () => {
    const a = nonMember(sg);
    const b = nonMember(sg, [a]);
    const existing = em.state.membersOf(sg.id).find((id) => em.state.usersById.has(id));
    assert.ok(existing);
    const mixed = await c.call(`/groups/${sg.id}`, {
      method: 'PATCH',
      body: { 'members@odata.bind': [bindUrl(a), `https://graph.microsoft.com/v1.0/users/${b}`, bindUrl(existing)] },
    });
    assert.equal(mixed.status, 400);
    assert.ok(!em.state.isMember(sg.id, a) && !em.state.isMember(sg.id, b), 'nothing was added');
    const missing = await c.call(`/groups/${sg.id}`, { method: 'PATCH', body: { 'members@odata.bind': [bindUrl(a), bindUrl('99999999-2222-4333-8444-555555555555')] } });
    assert.equal(missing.status, 404);
    assert.ok(!em.state.isMember(sg.id, a));
    const ok = await c.call(`/groups/${sg.id}`, { method: 'PATCH', body: { description: 'Bound', 'members@odata.bind': [bindUrl(a), `https://any.host/v1.0/users/${b}`] } });
    assert.equal(ok.status, 204);
    assert.ok(em.state.isMember(sg.id, a) && em.state.isMember(sg.id, b));
    assert.equal(sg.description, 'Bound');
    const many = Array.from({ length: 21 }, (_, i) => bindUrl([...em.state.usersById.keys()][i + 5] ?? ''));
    assert.equal((await c.call(`/groups/${sg.id}`, { method: 'PATCH', body: { 'members@odata.bind': many } })).status, 400);
  });

  it('creates, updates and deletes groups with property validation', async () => {
    const owner = plainUser();
    const created = await c.call('/groups', {
      method: 'POST',
      body: { displayName: 'Emulator Team', mailNickname: 'emulator-team', mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'], 'owners@odata.bind': [bindUrl(owner, 'users')] },
    });
    assert.equal(created.status, 201);
    const g = created.json as Record<string, unknown>;
    // Exchange picks the address (the docs' example: nickname "library", mail "library7423@contoso.com").
    assert.match(String(g['mail']), new RegExp(`^emulator-team\\d{4}@${em.domain.replace(/\./g, '\\.')}$`));
    assert.deepEqual(g['proxyAddresses'], [`SMTP:${String(g['mail'])}`]);
    assert.equal(g['visibility'], 'Public');
    assert.deepEqual(em.state.ownersOf(String(g['id'])), [owner]);
    const dup = await c.call('/groups', { method: 'POST', body: { displayName: 'Other', mailNickname: 'Emulator-Team', mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'] } });
    assert.equal(errorMessage(dup), 'Another object with the same value for property proxyAddresses already exists.');
    for (const body of [
      { displayName: 'x', mailEnabled: false, securityEnabled: true },
      { displayName: 'x', mailNickname: 'has space', mailEnabled: false, securityEnabled: true },
      { displayName: 'y'.repeat(257), mailNickname: 'ok', mailEnabled: false, securityEnabled: true },
      { displayName: 'x', mailNickname: 'ok2', mailEnabled: false, securityEnabled: true, color: 'red' },
    ]) {
      const r = await c.call('/groups', { method: 'POST', body });
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(errorCode(r), 'Request_BadRequest');
    }
    const id = String(g['id']);
    assert.equal((await c.call(`/groups/${id}`, { method: 'PATCH', body: { displayName: '' } })).status, 400);
    assert.equal((await c.call(`/groups/${id}`, { method: 'PATCH', body: { visibility: 'HiddenMembership' } })).status, 400);
    assert.equal((await c.call(`/groups/${id}`, { method: 'PATCH', body: { createdDateTime: '2020-01-01T00:00:00Z' } })).status, 400);
    assert.equal((await c.call(`/groups/${id}`, { method: 'PATCH', rawBody: '{"displayName":', headers: { 'content-type': 'application/json' } })).status, 400);
    assert.equal((await c.call(`/groups/${id}`, { method: 'PATCH', body: { displayName: 'Renamed', visibility: 'Private' } })).status, 204);
    assert.equal(em.state.group(id)?.displayName, 'Renamed');
    assert.equal((await c.call(`/groups/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await c.get(`/groups/${id}`)).status, 404);
  });

  it('updates users with Graph rules, including /me and on-premises synced users', async () => {
    const id = plainUser();
    assert.equal((await c.call(`/users/${id}`, { method: 'PATCH', body: { jobTitle: 'Chief Emulator', businessPhones: ['+1 555 0100'] } })).status, 204);
    assert.equal(em.state.usersById.get(id)?.jobTitle, 'Chief Emulator');
    for (const body of [{ displayName: '' }, { id: 'x' }, { proxyAddresses: [] }, { favouriteColour: 'x' }, { usageLocation: 'usa' }, { businessPhones: ['1', '2'] }]) {
      const r = await c.call(`/users/${id}`, { method: 'PATCH', body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(errorCode(r), 'Request_BadRequest');
    }
    const synced = em.state.findUser((u) => u.onPremisesSyncEnabled === true);
    if (synced) {
      const r = await c.call(`/users/${synced.id}`, { method: 'PATCH', body: { mobilePhone: '+1 555 0199' } });
      assert.match(errorMessage(r) ?? '', /on-premises mastered Directory Sync objects/);
    }
    const self = new TestClient(em, em.issueToken({ kind: 'delegated', scopes: ['User.ReadWrite'] }));
    assert.equal((await self.call('/me', { method: 'PATCH', body: { officeLocation: 'Desk 42' } })).status, 204);
    assert.equal(em.state.usersById.get(em.state.adminUserId)?.officeLocation, 'Desk 42');
    assert.equal((await self.call(`/users/${id}`, { method: 'PATCH', body: { officeLocation: 'x' } })).status, 403);
  });

  it('runs $batch items with their own headers, statuses and dependsOn', async () => {
    const target = nonMember(sg);
    const batch = await c.call('/$batch', {
      method: 'POST',
      body: {
        requests: [
          { id: '1', method: 'GET', url: '/users?$top=2&$select=id' },
          { id: '2', method: 'GET', url: '/users/$count', headers: { ConsistencyLevel: 'eventual' } },
          { id: '3', method: 'POST', url: `/groups/${sg.id}/members/$ref`, headers: { 'Content-Type': 'application/json' }, body: { '@odata.id': bindUrl(target) } },
          { id: '4', method: 'GET', url: '/users/00000000-0000-0000-0000-000000000000', dependsOn: ['3'] },
          { id: '5', method: 'GET', url: '/users?$top=1', dependsOn: ['4'] },
        ],
      },
    });
    assert.equal(batch.status, 200);
    const byId = new Map((batch.json as { responses: { id: string; status: number; body?: unknown }[] }).responses.map((r) => [r.id, r]));
    assert.equal(byId.get('1')?.status, 200);
    assert.equal(byId.get('2')?.body, String(em.state.usersById.size));
    assert.equal(byId.get('3')?.status, 204);
    assert.ok(em.state.isMember(sg.id, target));
    assert.equal(byId.get('4')?.status, 404);
    assert.equal(byId.get('5')?.status, 424);
    const parent = em.log.find((e) => e.path === '/v1.0/$batch');
    assert.ok(parent);
    assert.equal(em.log.filter((e) => e.batchParent === parent.seq).length, 4, 'items are logged under their batch (the 424 never ran)');

    const tooMany = await c.call('/$batch', { method: 'POST', body: { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })) } });
    assert.equal(tooMany.status, 400);
    const dupIds = await c.call('/$batch', { method: 'POST', body: { requests: [{ id: 'a', method: 'GET', url: '/users' }, { id: 'A', method: 'GET', url: '/groups' }] } });
    assert.equal(dupIds.status, 400);
    const noCt = await c.call('/$batch', { method: 'POST', body: { requests: [{ id: '1', method: 'PATCH', url: `/groups/${sg.id}`, body: { description: 'x' } }] } });
    assert.equal(noCt.status, 400);
  });
});
