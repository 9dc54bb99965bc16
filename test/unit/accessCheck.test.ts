/**
 * "Check Access": what each action needs, judged from the token (permissions, directory roles) and read-only mode,
 * and the report that shows it. Expected permissions and roles are written out from Microsoft's pages (the
 * permission tables of user-update, group-post-groups, group-update, group-delete, group-post-members,
 * group-delete-members, group-post-owners, user-list, user-get, user-list-manager, group-list), not read from the
 * implementation's tables.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderAccessReport } from '../../src/accessReport';
import { ACCESS_ACTIONS, evaluateAccess, type AccessAction, type AccessCaller, type ActionAccess } from '../../src/core';
import type { SignedInIdentity } from '../../src/signedInIdentity';
import { renderMarkdown } from './lmHarness';

const READS: AccessAction[] = ['get_organization_users', 'get_organization_groups', 'get_profile', 'get_manager', 'get_ms365_groups', 'search_groups'];
const WRITES: AccessAction[] = ['create_group', 'update_group', 'delete_group', 'add_member_to_group', 'remove_member_from_group', 'update_user', 'set_manager', 'add_owner', 'remove_owner'];

const READ_SCOPES = ['User.Read', 'User.ReadBasic.All', 'GroupMember.Read.All'];
const WRITE_SCOPES = ['User.Read', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All'];

function all(caller: AccessCaller): Record<AccessAction, ActionAccess> {
  return Object.fromEntries(ACCESS_ACTIONS.map((a) => [a, evaluateAccess(caller, a)])) as Record<AccessAction, ActionAccess>;
}
const causes = (a: ActionAccess, list: 'missing' | 'dependsOn'): string[] => a[list].map((r) => r.cause).sort();
const missingScopes = (a: ActionAccess): readonly string[] => {
  const gap = a.missing.find((g) => g.cause === 'missingScope');
  return gap?.cause === 'missingScope' ? gap.scopes : [];
};

describe('access evaluation', () => {
  it('covers the twelve actions plus the manager and owner writes, in that order', () => {
    assert.deepEqual([...ACCESS_ACTIONS], ['get_organization_users', 'get_organization_groups', 'get_profile', 'get_manager', 'get_ms365_groups', 'search_groups',
      'create_group', 'update_group', 'delete_group', 'add_member_to_group', 'remove_member_from_group', 'update_user', 'set_manager', 'add_owner', 'remove_owner']);
  });

  it('delegated, basic read scopes only: every read but the manager works; every write lacks a permission to consent to', () => {
    const r = all({ access: 'delegated', grantedScopes: READ_SCOPES, roles: [], readOnly: false });
    for (const a of READS.filter((x) => x !== 'get_manager')) assert.deepEqual(r[a].missing, [], a);
    // user-list-manager: User.Read.All at least; the basic profile permission does not read managers.
    assert.deepEqual(missingScopes(r.get_manager), ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']);
    for (const a of WRITES) assert.deepEqual(causes(r[a], 'missing'), ['missingScope'], a);
    assert.deepEqual(missingScopes(r.create_group), ['Group.ReadWrite.All', 'Directory.ReadWrite.All']);
    assert.deepEqual(missingScopes(r.add_member_to_group), ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All']);
    assert.deepEqual(missingScopes(r.update_user), ['User.ReadWrite.All', 'Directory.ReadWrite.All']);
    assert.deepEqual(missingScopes(r.add_owner), ['Group.ReadWrite.All', 'Directory.ReadWrite.All']);
  });

  it('judges the profile and the manager by their own pages (user-get, user-list-manager), not by listing users', () => {
    // Written out from the pages' permission tables: a user's own profile needs User.Read; the manager User.Read.All.
    const signInOnly = all({ access: 'delegated', grantedScopes: ['User.Read'], roles: [], readOnly: false });
    assert.deepEqual(signInOnly.get_profile.missing, [], 'User.Read reads the signed-in user\'s profile');
    assert.deepEqual(missingScopes(signInOnly.get_manager), ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']);
    assert.deepEqual(missingScopes(signInOnly.get_organization_users)[0], 'User.ReadBasic.All', 'listing users needs more than User.Read');
    // The extension's browse scopes serve every read.
    const browse = all({ access: 'delegated', grantedScopes: ['User.Read', 'User.Read.All', 'GroupMember.Read.All'], roles: [], readOnly: false });
    for (const a of READS) assert.deepEqual(browse[a].missing, [], a);
    // An app has no "me": its profile read needs User.Read.All at least, like the manager.
    const app = all({ access: 'appOnly', grantedScopes: ['GroupMember.Read.All'], readOnly: false });
    assert.deepEqual(missingScopes(app.get_profile), ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']);
    assert.deepEqual(missingScopes(app.get_manager), ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']);
    const appWithUsers = all({ access: 'appOnly', grantedScopes: ['User.Read.All'], readOnly: false });
    assert.deepEqual(appWithUsers.get_profile.missing, []);
    assert.deepEqual(appWithUsers.get_manager.missing, []);
  });

  it('delegated with write scopes, a user without roles: group changes depend on owning the group; user changes need a role', () => {
    const r = all({ access: 'delegated', grantedScopes: WRITE_SCOPES, roles: [], readOnly: false });
    for (const a of READS) assert.deepEqual(r[a].missing, [], a);
    for (const a of ['update_group', 'delete_group', 'add_member_to_group', 'remove_member_from_group'] as const) {
      assert.deepEqual(r[a].missing, [], a);
      const owner = r[a].dependsOn.find((d) => d.cause === 'missingRole');
      assert.ok(owner?.cause === 'missingRole' && owner.groupOwnerSuffices, `${a}: owning the group suffices`);
      assert.ok(owner.roles.includes('Groups Administrator'));
      assert.ok(causes(r[a], 'dependsOn').includes('readOnlyGroupKind'), `${a}: distribution lists are not changed through Graph`);
      assert.ok(causes(r[a], 'dependsOn').includes('roleAssignableGroup'), `${a}: role-assignable groups need more`);
    }
    for (const a of ['add_member_to_group', 'remove_member_from_group'] as const) assert.ok(causes(r[a], 'dependsOn').includes('dynamicMembership'), a);
    assert.ok(!causes(r.update_group, 'dependsOn').includes('dynamicMembership'), 'a dynamic group\'s properties can be edited');
    // Creating a group needs a role only where the tenant restricts creation to administrators.
    assert.deepEqual(r.create_group.missing, []);
    assert.deepEqual(causes(r.create_group, 'dependsOn'), ['missingRole']);
    for (const a of ['update_user', 'set_manager'] as const) {
      const gap = r[a].missing.find((g) => g.cause === 'missingRole');
      assert.ok(gap?.cause === 'missingRole' && gap.roles.includes('User Administrator'), a);
    }
  });

  it('delegated with write scopes and User Administrator: user changes work, except sensitive properties of administrators', () => {
    const r = all({ access: 'delegated', grantedScopes: WRITE_SCOPES, roles: ['User Administrator'], readOnly: false });
    assert.deepEqual(r.update_user.missing, []);
    const privileged = r.update_user.dependsOn.find((d) => d.cause === 'privilegedTarget');
    assert.ok(privileged?.cause === 'privilegedTarget' && privileged.roles.includes('Global Administrator'));
    assert.deepEqual(r.set_manager.missing, []);
    assert.ok(!causes(r.set_manager, 'dependsOn').includes('privilegedTarget'), 'the manager is not a sensitive property');
    // A User Administrator may change groups that aren't role-assignable: no "own the group" condition.
    assert.ok(!r.update_group.dependsOn.some((d) => d.cause === 'missingRole'));
  });

  it('a Global Administrator still meets what no role changes: Exchange groups, dynamic members, role-assignable groups without RoleManagement', () => {
    const r = all({ access: 'delegated', grantedScopes: WRITE_SCOPES, roles: ['Global Administrator'], readOnly: false });
    for (const a of WRITES) assert.deepEqual(r[a].missing, [], a);
    assert.deepEqual(causes(r.add_member_to_group, 'dependsOn'), ['dynamicMembership', 'readOnlyGroupKind', 'roleAssignableGroup', 'syncedObject']);
    const ra = r.update_group.dependsOn.find((d) => d.cause === 'roleAssignableGroup');
    assert.ok(ra?.cause === 'roleAssignableGroup' && ra.scopes.includes('RoleManagement.ReadWrite.Directory'));
    assert.deepEqual(r.update_user.dependsOn, [], 'nobody outranks a Global Administrator');
    // With RoleManagement.ReadWrite.Directory the role-assignable condition is met too.
    const full = evaluateAccess({ access: 'delegated', grantedScopes: [...WRITE_SCOPES, 'RoleManagement.ReadWrite.Directory'], roles: ['Global Administrator'], readOnly: false }, 'update_group');
    assert.ok(!full.dependsOn.some((d) => d.cause === 'roleAssignableGroup'));
  });

  it('app-only: the app roles decide, no user role is asked for; Group.Create allows creating only', () => {
    const r = all({ access: 'appOnly', grantedScopes: ['User.Read.All', 'Group.Read.All', 'Group.Create'], readOnly: false });
    for (const a of READS) assert.deepEqual(r[a].missing, [], a);
    assert.deepEqual(r.create_group.missing, []);
    assert.deepEqual(r.create_group.dependsOn, []);
    for (const a of ['update_group', 'delete_group', 'add_member_to_group', 'update_user', 'add_owner'] as const) assert.deepEqual(causes(r[a], 'missing'), ['missingScope'], a);
    assert.equal(r.update_user.rolesUnknown, false, 'an app has no directory roles to list');
    const members = evaluateAccess({ access: 'appOnly', grantedScopes: ['GroupMember.ReadWrite.All'], readOnly: false }, 'add_member_to_group');
    assert.deepEqual(members.missing, []);
    assert.ok(!members.dependsOn.some((d) => d.cause === 'missingRole'));
    const users = evaluateAccess({ access: 'appOnly', grantedScopes: ['User.ReadWrite.All'], readOnly: false }, 'update_user');
    const privileged = users.dependsOn.find((d) => d.cause === 'privilegedTarget');
    assert.ok(privileged?.cause === 'privilegedTarget' && privileged.appNeedsRole, 'an app changing an administrator needs a role assigned to the app');
  });

  it('read-only mode: every write is missing read-only mode off; reads are untouched', () => {
    const r = all({ access: 'delegated', grantedScopes: WRITE_SCOPES, roles: ['Global Administrator'], readOnly: true });
    for (const a of READS) assert.deepEqual(r[a].missing, [], a);
    for (const a of WRITES) assert.deepEqual(r[a].missing, [{ cause: 'readOnlyMode' }], a);
  });

  it('a token that lists no permissions or roles is "not known", not "missing"', () => {
    const a = evaluateAccess({ access: 'delegated', readOnly: false }, 'update_group');
    assert.deepEqual(a.missing, []);
    assert.equal(a.scopesUnknown, true);
    assert.equal(a.rolesUnknown, true);
    assert.equal(evaluateAccess({ access: 'delegated', readOnly: false }, 'get_profile').rolesUnknown, false, 'reads need no role');
  });
});

describe('access report', () => {
  const hostile = '[Sign out](command:entraId.signOut) <img src=x onerror=alert(1)> | **x**';
  const identity: SignedInIdentity = {
    account: { method: 'authorizationCode', label: 'megan@contoso.com', displayName: hostile, appOnly: false, tenantId: '11111111-2222-3333-4444-555555555555', grantedScopes: READ_SCOPES, directoryRoles: [] },
    organization: { id: '11111111-2222-3333-4444-555555555555', displayName: '# Contoso <script>alert(1)</script>', defaultDomain: 'contoso.example' },
  };

  function rendered(readOnly: boolean): { html: string; text: string; rows: string[] } {
    const html = renderMarkdown(renderAccessReport({ identity, cloud: { name: 'custom', graphBaseUrl: 'https://graph.example/v1.0' }, readOnly }));
    const text = html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1] ?? '');
    return { html, text, rows };
  }

  it('shows directory names as text: no link, image, script or heading from a name, no table cell split', () => {
    const { html, text, rows } = rendered(false);
    assert.ok(!/<a\b|<img\b|<script\b/i.test(html), 'nothing live');
    assert.equal((html.match(/<h1>/g) ?? []).length, 1, 'only the report\'s own heading');
    assert.ok(text.includes(hostile), 'the display name reads as written');
    assert.ok(text.includes('# Contoso <script>alert(1)</script>'), 'the tenant name reads as written');
    for (const row of rows) assert.ok([2, 3].includes((row.match(/<t[dh]\b/g) ?? []).length), 'no name adds a cell');
  });

  it('names the tenant, its domain, the cloud, the method, the scopes and read-only mode, and has a row per action', () => {
    const { text, rows } = rendered(true);
    for (const expected of ['contoso.example', 'https://graph.example/v1.0', 'your app registration (browser sign-in)', 'User.Read, User.ReadBasic.All, GroupMember.Read.All', 'megan@contoso.com']) {
      assert.ok(text.includes(expected), expected);
    }
    assert.match(text, /Read-only mode\s*on \(setting entraId\.readOnly\)/);
    for (const action of ACCESS_ACTIONS) {
      const row = rows.find((r) => r.replace(/<[^>]+>/g, '').trim().startsWith(action));
      assert.ok(row, `a row for ${action}`);
      if (WRITES.includes(action)) assert.match(row, /No.*read-only mode is on/s, action);
      else if (action === 'get_manager') assert.match(row, /No.*one of User\.Read\.All,/s, 'User.ReadBasic.All reads no manager');
      else assert.match(row, /Yes/, action);
    }
  });

  it('without read-only mode a missing permission is named with what grants it', () => {
    const { rows } = rendered(false);
    const create = rows.find((r) => r.replace(/<[^>]+>/g, '').trim().startsWith('create_group'));
    assert.match(create ?? '', /No.*permission to consent to, one of Group\.ReadWrite\.All, Directory\.ReadWrite\.All/s);
  });

  it('says "not signed in" without an identity', () => {
    assert.match(renderAccessReport({ identity: undefined, cloud: { name: 'global' }, readOnly: false }), /Not signed in/);
  });
});
