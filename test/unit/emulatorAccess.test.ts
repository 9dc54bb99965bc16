import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, ACCESS_FIXTURES, DIRECTORY_ROLES } from '../emulator/index';
import type { Emulator, GroupRecord } from '../emulator/index';
import { TestClient, bindUrl, errorCode, errorMessage } from '../emulator/testClient';
import type { Answer } from '../emulator/testClient';
import { decodeJwtClaims } from '../emulator/identity/jwt';

/** Delegated permissions of a well-consented admin app (no RoleManagement.ReadWrite.Directory). */
const SCOPES = ['User.Read', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All'];
const WITH_ROLE_MANAGEMENT = [...SCOPES, 'RoleManagement.ReadWrite.Directory'];
const U = ACCESS_FIXTURES.users;
const G = ACCESS_FIXTURES.groups;
type FixtureUserKey = keyof typeof U;

function assertDenied(a: Answer, what: string): void {
  assert.equal(a.status, 403, `${what}: ${a.text}`);
  assert.equal(errorCode(a), 'Authorization_RequestDenied', what);
  assert.equal(errorMessage(a), 'Insufficient privileges to complete the operation.', what);
}

describe('emulator: who may do what', () => {
  let em: Emulator;
  let admin: TestClient;
  /** A plain, cloud-only, not role-assignable security group none of the fixture users owns. */
  let plainGroup: GroupRecord;
  /** A cloud-only member user without roles and outside every role-assignable group. */
  let plainUserId: string;

  const as = (key: FixtureUserKey, scopes: readonly string[] = SCOPES): TestClient =>
    new TestClient(em, em.issueToken({ kind: 'delegated', userId: U[key].id, scopes: [...scopes] }));
  const app = (roles?: string[]): TestClient => new TestClient(em, em.issueToken({ kind: 'app', ...(roles ? { roles } : {}) }));
  const patch = (c: TestClient, path: string, body: unknown): Promise<Answer> => c.call(path, { method: 'PATCH', body });
  const addMember = (c: TestClient, groupId: string, memberId: string): Promise<Answer> =>
    c.call(`/groups/${groupId}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(memberId) } });

  before(async () => {
    em = await startEmulator({ users: 120, groups: 40, seed: 11 });
    admin = new TestClient(em, em.issueToken({ kind: 'delegated', scopes: SCOPES }));
    const fixtureIds = new Set<string>(Object.values(U).map((u) => u.id));
    const g = em.state.findGroup(
      (x) => x.groupTypes.length === 0 && !x.mailEnabled && x.isAssignableToRole !== true && x.onPremisesSyncEnabled !== true && !em.state.ownersOf(x.id).some((o) => fixtureIds.has(o)),
    );
    const u = em.state.findUser(
      (x) => x.userType === 'Member' && x.onPremisesSyncEnabled !== true && em.state.rolesOf(x.id).size === 0 && !fixtureIds.has(x.id) && !em.state.memberOfGroups(x.id).some((gid) => em.state.group(gid)?.isAssignableToRole === true),
    );
    assert.ok(g && u);
    plainGroup = g;
    plainUserId = u.id;
  });
  after(() => em.close());

  it('seeds the signed-in admin as Global Administrator and puts role template ids in the token', () => {
    assert.deepEqual([...em.state.rolesOf(em.state.adminUserId)], ['Global Administrator']);
    assert.equal(em.signedInUserId, em.state.adminUserId);
    const wids = decodeJwtClaims(em.issueToken({ kind: 'delegated', userId: U.userAdmin.id }))?.['wids'];
    assert.deepEqual(wids, [DIRECTORY_ROLES['User Administrator'], 'b79fbf4d-3ef9-4689-8143-76b194e85509']);
    assert.deepEqual(decodeJwtClaims(em.issueToken({ kind: 'delegated', userId: U.noRole.id }))?.['wids'], ['b79fbf4d-3ef9-4689-8143-76b194e85509']);
    assert.equal(em.state.user(`${U.synced.local}@${em.domain}`)?.onPremisesSyncEnabled, true);
    assert.equal(em.state.group(G.roleAssignable.id)?.isAssignableToRole, true);
  });

  it('lets a signed-in user without a role change only groups they own', async () => {
    const mona = as('noRole');
    assertDenied(await patch(mona, `/groups/${plainGroup.id}`, { description: 'Mona was here' }), 'PATCH a group Mona does not own');
    assertDenied(await addMember(mona, plainGroup.id, plainUserId), 'add a member to it');
    assertDenied(await mona.call(`/groups/${plainGroup.id}`, { method: 'DELETE' }), 'delete it');
    assert.notEqual(plainGroup.description, 'Mona was here');
    assert.equal((await patch(mona, `/groups/${G.ownedGroup.id}`, { description: 'Owned by Mona' })).status, 204);
    assert.equal((await addMember(mona, G.ownedGroup.id, plainUserId)).status, 204);
    // Any member may create a security group (the tenant default) and becomes its owner.
    const created = await mona.call('/groups', { method: 'POST', body: { displayName: 'Mona Two', mailNickname: 'mona-two', mailEnabled: false, securityEnabled: true } });
    assert.equal(created.status, 201);
    assert.deepEqual(em.state.ownersOf(String((created.json as { id: string }).id)), [U.noRole.id]);
    // Other users need a user-writing role.
    assertDenied(await patch(mona, `/users/${plainUserId}`, { jobTitle: 'Promoted by Mona' }), 'PATCH another user');
  });

  it('lets Groups Administrators change groups but not users, and User Administrators both', async () => {
    const gus = as('groupsAdmin');
    assert.equal((await patch(gus, `/groups/${plainGroup.id}`, { description: 'By the groups admin' })).status, 204);
    assertDenied(await patch(gus, `/users/${plainUserId}`, { jobTitle: 'x' }), 'Groups Administrator changing a user');
    const uma = as('userAdmin');
    assert.equal((await patch(uma, `/groups/${plainGroup.id}`, { description: 'By the user admin' })).status, 204);
    assert.equal((await patch(uma, `/users/${plainUserId}`, { jobTitle: 'Analyst II', mobilePhone: '+1 425 555 0199', accountEnabled: true })).status, 204);
    assert.equal(em.state.usersById.get(plainUserId)?.mobilePhone, '+1 425 555 0199');
  });

  it('keeps sensitive properties of privileged users for higher roles', async () => {
    const uma = as('userAdmin');
    for (const body of [{ mobilePhone: '+1 425 555 0000' }, { businessPhones: ['+1 425 555 0001'] }, { otherMails: ['x@fabrikam.example'] }, { accountEnabled: false }]) {
      assertDenied(await patch(uma, `/users/${U.globalAdmin2.id}`, body), `User Administrator: ${JSON.stringify(body)} of a Global Administrator`);
    }
    assert.equal(em.state.usersById.get(U.globalAdmin2.id)?.accountEnabled, true);
    // Non-sensitive properties of the same user stay open to a User Administrator.
    assert.equal((await patch(uma, `/users/${U.globalAdmin2.id}`, { jobTitle: 'Tenant owner' })).status, 204);
    // A member of a role-assignable group is protected like an administrator.
    assertDenied(await patch(uma, `/users/${U.protectedMember.id}`, { mobilePhone: '+1 425 555 0002' }), 'protected member');
    // A Helpdesk Administrator is within a User Administrator's reach; a Privileged Role Administrator is not.
    assert.equal((await patch(uma, `/users/${U.helpdeskAdmin.id}`, { mobilePhone: '+1 425 555 0003' })).status, 204);
    assertDenied(await patch(uma, `/users/${U.privilegedRoleAdmin.id}`, { mobilePhone: '+1 425 555 0004' }), 'Privileged Role Administrator target');
    // Privileged Authentication Administrators and Global Administrators may.
    assert.equal((await patch(as('privilegedAuthAdmin'), `/users/${U.globalAdmin2.id}`, { mobilePhone: '+1 425 555 0005' })).status, 204);
    assert.equal((await patch(admin, `/users/${U.protectedMember.id}`, { accountEnabled: false })).status, 204);
    assert.equal(em.state.usersById.get(U.protectedMember.id)?.accountEnabled, false);
    // Deleting is a sensitive action too.
    assertDenied(await uma.call(`/users/${U.globalAdmin2.id}`, { method: 'DELETE' }), 'User Administrator deleting a Global Administrator');
    assert.ok(em.state.usersById.has(U.globalAdmin2.id));
  });

  it('lets an app change privileged users only when its service principal holds a higher role', async () => {
    const token = em.issueToken({ kind: 'app' });
    const c = new TestClient(em, token);
    assertDenied(await patch(c, `/users/${U.globalAdmin2.id}`, { accountEnabled: false }), 'app-only, privileged target');
    assert.equal((await patch(c, `/users/${plainUserId}`, { accountEnabled: true, mobilePhone: '+1 425 555 0006' })).status, 204);
    assert.equal((await patch(c, `/users/${U.globalAdmin2.id}`, { jobTitle: 'Set by the app' })).status, 204);
    const sp = String(decodeJwtClaims(token)?.['oid']);
    em.state.assignRole(sp, 'Privileged Authentication Administrator');
    try {
      assert.equal((await patch(c, `/users/${U.globalAdmin2.id}`, { mobilePhone: '+1 425 555 0007' })).status, 204);
    } finally {
      em.state.removeRole(sp, 'Privileged Authentication Administrator');
    }
  });

  it('guards role-assignable groups with RoleManagement.ReadWrite.Directory and the Privileged Role Administrator role', async () => {
    const gid = G.roleAssignable.id;
    assertDenied(await addMember(admin, gid, plainUserId), 'Global Administrator without RoleManagement.ReadWrite.Directory');
    assertDenied(await patch(admin, `/groups/${gid}`, { description: 'x' }), 'PATCH without the permission');
    assertDenied(await admin.call(`/groups/${gid}`, { method: 'DELETE' }), 'DELETE without the permission');
    assertDenied(await admin.call(`/groups/${gid}/members/${U.protectedMember.id}/$ref`, { method: 'DELETE' }), 'remove without the permission');
    assertDenied(await addMember(as('groupsAdmin', WITH_ROLE_MANAGEMENT), gid, plainUserId), 'Groups Administrator with the permission');
    assertDenied(await addMember(app(), gid, plainUserId), 'app without RoleManagement.ReadWrite.Directory');
    assert.ok(!em.state.isMember(gid, plainUserId), 'nothing was added');

    assert.equal((await addMember(as('privilegedRoleAdmin', WITH_ROLE_MANAGEMENT), gid, plainUserId)).status, 204);
    assert.equal((await admin.call(`/groups/${gid}/members/${plainUserId}/$ref`, { method: 'DELETE', token: em.issueToken({ kind: 'delegated', scopes: WITH_ROLE_MANAGEMENT }) })).status, 204);
    assert.equal((await addMember(app([...['Directory.ReadWrite.All', 'RoleManagement.ReadWrite.Directory']]), gid, plainUserId)).status, 204);
    assert.ok(em.state.isMember(gid, plainUserId));

    // Creating one needs the permission and, for a signed-in user, the role.
    const body = { displayName: 'Tier 1 Admins', mailNickname: 'tier1-admins', mailEnabled: false, securityEnabled: true, isAssignableToRole: true };
    assertDenied(await admin.call('/groups', { method: 'POST', body }), 'create without the permission');
    assertDenied(await as('groupsAdmin', WITH_ROLE_MANAGEMENT).call('/groups', { method: 'POST', body }), 'create as Groups Administrator');
    assert.equal((await as('privilegedRoleAdmin', WITH_ROLE_MANAGEMENT).call('/groups', { method: 'POST', body })).status, 201);
  });

  it('keeps distribution lists and mail-enabled security groups read-only', async () => {
    for (const fixture of [G.distribution, G.mailEnabledSecurity]) {
      const before = { ...em.state.group(fixture.id) };
      const members = em.state.membersOf(fixture.id);
      const update = await patch(admin, `/groups/${fixture.id}`, { description: 'changed' });
      assert.equal(update.status, 400, fixture.displayName);
      assert.equal(errorCode(update), 'Request_BadRequest');
      assert.equal(errorMessage(update), 'Cannot Update a mail-enabled security groups and or distribution list.');
      const add = await addMember(admin, fixture.id, plainUserId);
      assert.equal(errorMessage(add), 'Cannot Update a mail-enabled security groups and or distribution list.');
      const remove = await admin.call(`/groups/${fixture.id}/members/${members[0] ?? ''}/$ref`, { method: 'DELETE' });
      assert.equal(remove.status, 400);
      const del = await admin.call(`/groups/${fixture.id}`, { method: 'DELETE' });
      assert.equal(del.status, 400);
      assert.equal(errorMessage(del), 'Cannot Delete a mail-enabled security groups and or distribution list.');
      assert.deepEqual(em.state.group(fixture.id), before, 'nothing changed');
      assert.deepEqual(em.state.membersOf(fixture.id), members);
    }
    const create = await admin.call('/groups', { method: 'POST', body: { displayName: 'New DL', mailNickname: 'new-dl', mailEnabled: true, securityEnabled: false } });
    assert.equal(errorMessage(create), 'Cannot Create a mail-enabled security groups and or distribution list.');
  });

  it('refuses synced properties of synced users and every change to synced groups', async () => {
    const synced = `/users/${U.synced.id}`;
    for (const body of [{ jobTitle: 'x' }, { mobilePhone: '+1 425 555 0008' }, { accountEnabled: false }, { displayName: 'Renamed' }]) {
      const r = await patch(admin, synced, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(errorMessage(r), 'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.');
    }
    assert.equal((await patch(admin, synced, { usageLocation: 'NO' })).status, 204, 'cloud-only properties stay writable');
    for (const r of [await patch(admin, `/groups/${G.syncedGroup.id}`, { description: 'x' }), await admin.call(`/groups/${G.syncedGroup.id}`, { method: 'DELETE' }), await addMember(admin, G.syncedGroup.id, plainUserId)]) {
      assert.equal(r.status, 400);
      assert.match(errorMessage(r) ?? '', /on-premises mastered Directory Sync objects/);
    }
  });

  it('reports Microsoft 365 alias clashes with any mail object on proxyAddresses, and picks the address itself', async () => {
    const m365 = (nick: string): Promise<Answer> =>
      admin.call('/groups', { method: 'POST', body: { displayName: `Team ${nick}`, mailNickname: nick, mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'] } });
    // The admin's mailbox (admin@…), a distribution list's and a mail-enabled security group's addresses.
    for (const taken of ['admin', G.distribution.nickname, G.mailEnabledSecurity.nickname.toUpperCase()]) {
      const r = await m365(taken);
      assert.equal(r.status, 400, taken);
      assert.equal(errorCode(r), 'Request_BadRequest');
      assert.equal(errorMessage(r), 'Another object with the same value for property proxyAddresses already exists.');
    }
    // Security groups have no mailbox: their nickname need not be unique.
    assert.equal((await admin.call('/groups', { method: 'POST', body: { displayName: 'Sec', mailNickname: 'admin', mailEnabled: false, securityEnabled: true } })).status, 201);
    const fresh = await m365('fresh-team');
    assert.equal(fresh.status, 201);
    const g = fresh.json as { id: string; mail: string; proxyAddresses: string[] };
    assert.notEqual(g.mail, `fresh-team@${em.domain}`);
    assert.ok(g.mail.startsWith('fresh-team') && g.mail.endsWith(`@${em.domain}`));
    // Its nickname is now taken, and renaming another group onto it clashes the same way.
    assert.equal((await m365('fresh-team')).status, 400);
    const other = await m365('other-team');
    const rename = await patch(admin, `/groups/${(other.json as { id: string }).id}`, { mailNickname: 'Fresh-Team' });
    assert.equal(errorMessage(rename), 'Another object with the same value for property proxyAddresses already exists.');
    // A new nickname leaves the address Exchange chose.
    assert.equal((await patch(admin, `/groups/${g.id}`, { mailNickname: 'renamed-team' })).status, 204);
    assert.equal(em.state.group(g.id)?.mail, g.mail);
  });
});
