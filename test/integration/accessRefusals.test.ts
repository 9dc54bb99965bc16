import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GraphClient, classifyRefusal, isConsentRefusal, rolesFromWids } from '../../src/core';
import type { GraphError, RefusalContext, Result } from '../../src/core';
import { ACCESS_FIXTURES } from '../emulator';
import type { Emulator } from '../emulator';
import { decodeJwtClaims } from '../emulator/identity/jwt';
import { assertOk, startIntegrationEmulator } from './helpers';

/**
 * Each refusal cause as the real client meets it: the emulator answers as Graph does for a token with the given
 * user, permissions and roles, and classifyRefusal, given what a surface knows, names the cause and its fix.
 */
const SCOPES = ['User.Read', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All'];
const U = ACCESS_FIXTURES.users;
const G = ACCESS_FIXTURES.groups;

interface Caller {
  client: GraphClient;
  /** What a surface knows about its own token: access kind, permissions and (from `wids`) directory roles. */
  context: Pick<RefusalContext, 'access' | 'grantedScopes' | 'callerRoles'>;
}

function failure(r: Result<unknown>): GraphError {
  if (r.success) throw new Error('expected a refusal, got success');
  return r.error;
}

describe('refusals classified from real emulator answers', () => {
  let emu: Emulator;
  let plainUserId: string;
  let plainGroupId: string;

  const signedIn = (userId: string, scopes: readonly string[] = SCOPES): Caller => {
    const token = emu.issueToken({ kind: 'delegated', userId, scopes: [...scopes] });
    const wids = decodeJwtClaims(token)?.['wids'];
    return {
      client: new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(token), maxRetries: 0 }),
      context: { access: 'delegated', grantedScopes: scopes, callerRoles: rolesFromWids(Array.isArray(wids) ? (wids as string[]) : []) },
    };
  };
  const appOnly = (roles: readonly string[]): Caller => ({
    client: new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'app', roles: [...roles] })), maxRetries: 0 }),
    context: { access: 'appOnly', grantedScopes: roles },
  });

  before(async () => {
    emu = await startIntegrationEmulator({ users: 80, groups: 30, seed: 21 });
    const fixtureIds = new Set<string>(Object.values(U).map((u) => u.id));
    const user = emu.state.findUser(
      (u) => u.userType === 'Member' && u.onPremisesSyncEnabled !== true && emu.state.rolesOf(u.id).size === 0 && !fixtureIds.has(u.id) && !emu.state.memberOfGroups(u.id).some((g) => emu.state.group(g)?.isAssignableToRole === true),
    );
    const group = emu.state.findGroup((g) => g.groupTypes.length === 0 && !g.mailEnabled && g.isAssignableToRole !== true && g.onPremisesSyncEnabled !== true && !emu.state.ownersOf(g.id).some((o) => fixtureIds.has(o)));
    assert.ok(user && group);
    plainUserId = user.id;
    plainGroupId = group.id;
  });
  after(() => emu.close());

  it('missingScope: a token without a group-writing permission', async () => {
    const reader = signedIn(emu.state.adminUserId, ['User.Read', 'Group.Read.All']);
    const error = failure(await reader.client.updateGroup(plainGroupId, { description: 'x' }));
    assert.equal(error.status, 403);
    const r = classifyRefusal(error, { operation: 'updateGroup', group: { kind: 'security' }, ...reader.context });
    assert.deepEqual(r, { cause: 'missingScope', origin: 'graph', scopes: ['Group.ReadWrite.All', 'Directory.ReadWrite.All'], grant: 'adminConsent' });
  });

  it('missingRole: a signed-in user without a role who does not own the group', async () => {
    const mona = signedIn(U.noRole.id);
    const error = failure(await mona.client.addMemberToGroup(plainGroupId, plainUserId));
    const r = classifyRefusal(error, { operation: 'addMember', group: { kind: 'security' }, callerOwnsGroup: false, ...mona.context });
    assert.equal(r.cause, 'missingRole');
    assert.ok(r.cause === 'missingRole' && r.roles[0] === 'Groups Administrator' && r.groupOwnerSuffices);
    // Owning the group is enough, as the fix says.
    assertOk(await mona.client.addMemberToGroup(G.ownedGroup.id, plainUserId));
    // Without the facts that decide, the same answer is not blamed on anything, least of all consent.
    assert.deepEqual(classifyRefusal(error), { cause: 'other' });
    assert.equal(isConsentRefusal(error), false);
  });

  it('privilegedTarget: a User Administrator changing the phone of a Global Administrator', async () => {
    const uma = signedIn(U.userAdmin.id);
    const error = failure(await uma.client.updateUser(U.globalAdmin2.id, { mobilePhone: '+1 425 555 0142' }));
    assert.equal(error.code, 'Authorization_RequestDenied');
    const r = classifyRefusal(error, { operation: 'updateUser', properties: ['mobilePhone'], user: { privileged: true, roles: ['Global Administrator'] }, ...uma.context });
    assert.deepEqual(r, { cause: 'privilegedTarget', roles: ['Privileged Authentication Administrator', 'Global Administrator'], properties: ['mobilePhone'], appNeedsRole: false });
    // One of the named roles does it.
    assertOk(await signedIn(U.privilegedAuthAdmin.id).client.updateUser(U.globalAdmin2.id, { mobilePhone: '+1 425 555 0142' }));
    // An app-only token needs a role on its service principal for the same change.
    const app = appOnly(['User.ReadWrite.All', 'Directory.ReadWrite.All']);
    const appError = failure(await app.client.updateUser(U.globalAdmin2.id, { accountEnabled: false }));
    const ar = classifyRefusal(appError, { operation: 'updateUser', properties: ['accountEnabled'], user: { privileged: true, roles: ['Global Administrator'] }, ...app.context });
    assert.ok(ar.cause === 'privilegedTarget' && ar.appNeedsRole);
  });

  it('roleAssignableGroup: a Global Administrator without RoleManagement.ReadWrite.Directory', async () => {
    const ga = signedIn(emu.state.adminUserId);
    const error = failure(await ga.client.addMemberToGroup(G.roleAssignable.id, plainUserId));
    const r = classifyRefusal(error, { operation: 'addMember', group: { kind: 'security', roleAssignable: true }, ...ga.context });
    assert.deepEqual(r, { cause: 'roleAssignableGroup', scopes: ['RoleManagement.ReadWrite.Directory'], roles: ['Privileged Role Administrator', 'Global Administrator'], groupOwnerSuffices: true });
    assertOk(await signedIn(emu.state.adminUserId, [...SCOPES, 'RoleManagement.ReadWrite.Directory']).client.addMemberToGroup(G.roleAssignable.id, plainUserId));
    // Deleting one is guarded the same way.
    const del = failure(await ga.client.deleteGroup(G.roleAssignable.id));
    assert.equal(classifyRefusal(del, { operation: 'deleteGroup', group: { roleAssignable: true }, ...ga.context }).cause, 'roleAssignableGroup');
  });

  it('readOnlyGroupKind: distribution lists and mail-enabled security groups, from the 400 alone', async () => {
    const ga = signedIn(emu.state.adminUserId);
    const add = failure(await ga.client.addMemberToGroup(G.distribution.id, plainUserId));
    assert.equal(add.status, 400);
    assert.deepEqual(classifyRefusal(add, { operation: 'addMember', group: { kind: 'distribution' } }), { cause: 'readOnlyGroupKind', groupKind: 'distribution', manageIn: 'exchange' });
    const update = failure(await ga.client.updateGroup(G.mailEnabledSecurity.id, { description: 'x' }));
    assert.deepEqual(classifyRefusal(update), { cause: 'readOnlyGroupKind', groupKind: undefined, manageIn: 'exchange' });
    const del = failure(await ga.client.deleteGroup(G.distribution.id));
    assert.equal(classifyRefusal(del, { operation: 'deleteGroup', group: { kind: 'distribution' } }).cause, 'readOnlyGroupKind');
  });

  it('dynamicMembership: a manual member for a dynamic group', async () => {
    const dynamic = emu.state.groupsOfKind('dynamic').find((g) => g.onPremisesSyncEnabled !== true);
    assert.ok(dynamic, 'the tenant has a dynamic group');
    const outsider = emu.state.findUser((u) => u.userType === 'Member' && !emu.state.isMember(dynamic.id, u.id));
    assert.ok(outsider);
    const ga = signedIn(emu.state.adminUserId);
    const error = failure(await ga.client.addMemberToGroup(dynamic.id, outsider.id));
    assert.equal(error.status, 403);
    assert.deepEqual(classifyRefusal(error, { operation: 'addMember', group: { kind: 'security', dynamic: true }, ...ga.context }), { cause: 'dynamicMembership', manageIn: 'membershipRule' });
  });

  it('syncedObject: synced properties of a user synced from on-premises', async () => {
    const ga = signedIn(emu.state.adminUserId);
    const error = failure(await ga.client.updateUser(U.synced.id, { jobTitle: 'Moved' }));
    assert.equal(error.status, 400);
    assert.deepEqual(classifyRefusal(error, { operation: 'updateUser', properties: ['jobTitle'], user: { synced: true } }), {
      cause: 'syncedObject',
      manageIn: 'onPremisesDirectory',
      properties: ['jobTitle'],
    });
    assertOk(await ga.client.updateUser(U.synced.id, { usageLocation: 'NO' }));
  });

  it('other: an alias clash is no refusal, and the new group reports the address Exchange chose', async () => {
    const ga = signedIn(emu.state.adminUserId);
    const clash = failure(await ga.client.createGroup({ displayName: 'Sales', mailNickname: G.distribution.nickname, kind: 'microsoft365' }));
    assert.equal(clash.message, 'Another object with the same value for property proxyAddresses already exists.');
    assert.deepEqual(classifyRefusal(clash, { operation: 'createGroup', ...ga.context }), { cause: 'other' });
    const created = assertOk(await ga.client.createGroup({ displayName: 'Fresh Team', mailNickname: 'fresh-team', kind: 'microsoft365' }));
    assert.ok(created.mail && created.mail !== `fresh-team@${emu.domain}`, String(created.mail));
  });
});
