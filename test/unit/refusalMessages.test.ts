/**
 * A refused write says why, in the admin's words, with what fixes it — one message per cause, never "register your
 * own app" for a 403 that is about roles, targets or the group's kind.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { readTokenClaims, grantsOf } from '../../src/auth/tokenClaims';
import { deleteGroup, removeMember } from '../../src/commands/groupCommands';
import type { CommandDeps } from '../../src/commands/types';
import { GraphClient, type Refusal } from '../../src/core';
import { MembersFolder } from '../../src/tree/folders';
import { GroupNode, UserNode } from '../../src/tree/nodes';
import { explainRefusal } from '../../src/ui/refusals';
import { consentHint, consentRefused } from '../../src/auth/consent';
import { CLOUDS } from '../../src/auth/clouds';
import { ACCESS_FIXTURES, startEmulator, type Emulator } from '../emulator';
import { commandDeps } from '../support/commandDeps';
import { FakeAuth, servicesWith } from '../support/services';
import * as vscode from '../support/vscodeFake';

const SCOPES = ['User.Read', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All'];
let emu: Emulator;

before(async () => {
  emu = await startEmulator({ users: 20, groups: 6, seed: 4 });
});
after(() => emu.close());
afterEach(() => {
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

/** Command dependencies signed in as `userId`, whose account carries what its token says (scopes and roles). */
function signedInAs(userId: string): CommandDeps {
  const token = emu.issueToken({ kind: 'delegated', userId, scopes: SCOPES });
  const graph = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(token), maxRetries: 0 });
  const auth = new FakeAuth({ method: 'authorizationCode', label: userId, appOnly: false, userId, ...grantsOf(readTokenClaims(token), false) });
  const services = { ...servicesWith(() => graph, auth, vscode.window.createOutputChannel('refusals', { log: true })), auth };
  return commandDeps(services);
}

describe('refusal messages', () => {
  it('a user without a directory role who does not own the group is told which roles would do, or owning the group', async () => {
    const d = signedInAs(ACCESS_FIXTURES.users.noRole.id);
    const group = [...emu.state.groups()].find((g) => g.securityEnabled && !g.mailEnabled && g.groupTypes.length === 0 && !g.isAssignableToRole && g.onPremisesSyncEnabled !== true && emu.state.membersOf(g.id).some((m) => emu.state.usersById.has(m)) && !emu.state.isOwner(g.id, ACCESS_FIXTURES.users.noRole.id));
    assert.ok(group, 'a plain security group with a user member that the role-less user does not own');
    const row = new GroupNode(undefined, { id: group.id, displayName: group.displayName, groupTypes: [], securityEnabled: true, mailEnabled: false }, d.trees.groups);
    const members = (await d.trees.groups.getChildren(row)).find((n): n is MembersFolder => n instanceof MembersFolder);
    assert.ok(members);
    const member = (await d.trees.groups.getChildren(members)).find((n): n is UserNode => n instanceof UserNode);
    assert.ok(member);
    vscode.fakeUi.messageAnswers.push('Remove');
    await removeMember(d, member);
    const toast = vscode.shown.errors.at(-1) ?? '';
    assert.match(toast, /^Could not remove /);
    assert.match(toast, /needs a directory role for this \(one of Groups Administrator, User Administrator.*\), or to own the group/);
    assert.doesNotMatch(toast, /Register your own app|consent/i, 'a role problem is not blamed on consent');
    assert.ok(emu.state.isMember(group.id, member.user.id), 'nothing changed');
  });

  it('deleting a role-assignable group without the role-management permission says which permission and role', async () => {
    const d = signedInAs(ACCESS_FIXTURES.users.globalAdmin2.id);
    const g = ACCESS_FIXTURES.groups.roleAssignable;
    vscode.fakeUi.messageAnswers.push('Delete');
    await deleteGroup(d, g.id);
    const toast = vscode.shown.errors.at(-1) ?? '';
    assert.match(toast, /can be assigned directory roles: changing it needs the permission RoleManagement\.ReadWrite\.Directory/);
    assert.ok(emu.state.group(g.id), 'the group is still there');
  });

  it('has one distinct message per cause, each naming its fix', () => {
    const causes: Refusal[] = [
      { cause: 'missingScope', origin: 'graph', scopes: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All'], grant: 'adminConsent' },
      { cause: 'missingScope', origin: 'identity', scopes: [], grant: 'ownApp', aadsts: 65002 },
      { cause: 'missingRole', roles: ['User Administrator'], groupOwnerSuffices: false },
      { cause: 'privilegedTarget', roles: ['Privileged Authentication Administrator'], properties: ['accountEnabled'], appNeedsRole: false },
      { cause: 'roleAssignableGroup', scopes: ['RoleManagement.ReadWrite.Directory'], roles: ['Privileged Role Administrator'], groupOwnerSuffices: true },
      { cause: 'readOnlyGroupKind', groupKind: 'distribution', manageIn: 'exchange' },
      { cause: 'dynamicMembership', manageIn: 'membershipRule' },
      { cause: 'syncedObject', manageIn: 'onPremisesDirectory', properties: ['jobTitle'] },
    ];
    const fixes = ['GroupMember.ReadWrite.All', 'entraId.auth.clientId', 'User Administrator', 'accountEnabled', 'RoleManagement.ReadWrite.Directory', 'Exchange', 'membership rule', 'jobTitle'];
    const messages = causes.map((c) => explainRefusal(c) ?? '');
    assert.equal(new Set(messages).size, causes.length, 'one message per cause');
    messages.forEach((m, i) => assert.ok(m.includes(fixes[i] ?? '?'), `${causes[i]?.cause}: "${m}" names ${fixes[i]}`));
    assert.equal(explainRefusal({ cause: 'other' }), undefined, 'an unknown 403 adds nothing to Graph\'s own message');
  });
});

describe('consent wording', () => {
  it('the admin-consent steps read whole with or without a client id; the own-app hint is the same everywhere', () => {
    const withId = consentRefused({ operation: 'addMember', scope: 'GroupMember.ReadWrite.All', how: 'needsAdmin', clientId: '11111111-2222-4333-8444-555555555555', cloud: CLOUDS.global });
    const without = consentRefused({ operation: 'addMember', scope: 'GroupMember.ReadWrite.All', how: 'needsAdmin', cloud: CLOUDS.global });
    assert.match(withId, /grant admin consent for the app 11111111-2222-4333-8444-555555555555: in https:\/\//);
    assert.match(without, /grant admin consent for the app: in https:\/\//);
    assert.ok(!/app\s+:/.test(without), `no gap where the id would be: ${without}`);
    assert.equal(explainRefusal({ cause: 'missingScope', origin: 'identity', scopes: [], grant: 'ownApp', aadsts: 65002 }), consentHint());
  });
});
