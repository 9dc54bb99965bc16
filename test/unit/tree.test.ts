import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../emulator';
import { emulatorServices } from '../support/services';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { ErrorNode, GroupNode, LoadMoreNode, MessageNode, UserNode, type DirectoryNode } from '../../src/tree/nodes';
import type { TreeItem } from 'vscode';
import * as vscode from '../support/vscodeFake';

function label(node: DirectoryNode): string {
  const l = (node.getTreeItem()).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

describe('directory tree against the emulator', () => {
  let emu: Emulator;
  /** The user setting the Users view's toggle writes. */
  const setShowDisabled = (value: boolean): void => void vscode.settings.set('entraId.users.showDisabled', value);

  before(async () => {
    emu = await startEmulator({ users: 260, groups: 40, seed: 7 });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clearLog();
    setShowDisabled(false);
  });

  it('draws the first 100 users after exactly one request, enabled only, then loads more on demand', async () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('users', services);
    const first = await tree.getChildren();
    assert.equal(emu.log.length, 1);
    const req = emu.log[0];
    assert.equal(req?.path, '/v1.0/users');
    assert.equal(req?.query.$top, '100');
    assert.equal(req?.query.$filter, 'accountEnabled eq true');
    const users = first.filter((n) => n instanceof UserNode);
    assert.equal(users.length, 100);
    assert.ok(users.every((u) => u.user.accountEnabled === true));
    const more = first.find((n) => n instanceof LoadMoreNode);
    assert.ok(more instanceof LoadMoreNode);
    // The row says how many there are in all: Graph's count, not the number loaded.
    const enabledCount = [...emu.state.users()].filter((u) => u.accountEnabled).length;
    assert.equal(label(more), `Load more (100 of ${enabledCount})`);
    assert.deepEqual(tree.summary, { loaded: 100, total: enabledCount });

    await tree.loadMore(more.owner);
    const second = await tree.getChildren();
    assert.equal(emu.log.length, 2);
    assert.equal(second.filter((n) => n instanceof UserNode).length, 200);
    const enabled = [...emu.state.users()].filter((u) => u.accountEnabled).length;
    let rows = second;
    for (let more = rows.find((n) => n instanceof LoadMoreNode); more; more = rows.find((n) => n instanceof LoadMoreNode)) {
      await tree.loadMore(more.owner);
      rows = await tree.getChildren();
    }
    assert.equal(rows.filter((n) => n instanceof UserNode).length, enabled);
    assert.equal(new Set(rows.map((n) => n.id)).size, rows.length, 'no duplicate rows');
  });

  it('shows disabled accounts when the toggle is on', async () => {
    setShowDisabled(true);
    const tree = new DirectoryTreeProvider('users', emulatorServices(emu));
    let rows = await tree.getChildren();
    assert.equal(emu.log[0]?.query.$filter, undefined);
    for (let more = rows.find((n) => n instanceof LoadMoreNode); more; more = rows.find((n) => n instanceof LoadMoreNode)) {
      await tree.loadMore(more.owner);
      rows = await tree.getChildren();
    }
    // Every user of the directory, the disabled ones among them, each once.
    const disabled = [...emu.state.users()].filter((u) => !u.accountEnabled).map((u) => u.id);
    assert.ok(disabled.length > 0, 'the directory has disabled users');
    const shown = rows.filter((n) => n instanceof UserNode).map((n) => n.user.id);
    assert.deepEqual(new Set(shown), new Set([...emu.state.users()].map((u) => u.id)));
    assert.equal(shown.length, new Set(shown).size, 'no duplicate rows');
    for (const id of disabled) assert.ok(shown.includes(id), `disabled user ${id} is shown`);
  });

  it('expands a user to manager, reports and groups, reading each only when opened', async () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('users', services);
    const withManager = [...emu.state.users()].find((u) => u.accountEnabled && emu.state.managerOf(u.id));
    assert.ok(withManager);
    const node = new UserNode(undefined, { id: withManager.id, displayName: withManager.displayName }, tree);
    const folders = await tree.getChildren(node);
    assert.deepEqual(folders.map(label), ['Manager', 'Direct reports', 'Microsoft 365 groups', 'All groups']);
    assert.equal(emu.log.length, 0, 'expanding a user reads nothing yet');
    const manager = await tree.getChildren(folders[0]);
    assert.equal(manager.length, 1);
    assert.ok(manager[0] instanceof UserNode);
    assert.equal(manager[0].user.id, emu.state.managerOf(withManager.id)?.id);
    const m365 = await tree.getChildren(folders[2]);
    const expected = emu.state.memberOfGroups(withManager.id).map((id) => emu.state.group(id)).filter((g) => g !== undefined && g.groupTypes.includes('Unified'));
    const shown = m365.filter((n) => n instanceof GroupNode).map((n) => n.group.id).sort();
    assert.deepEqual(shown, expected.map((g) => g?.id).sort());
    const m365Request = emu.log.find((e) => e.path.endsWith('/memberOf/microsoft.graph.group'));
    assert.equal(m365Request?.headers.consistencylevel, 'eventual');
  });

  it('marks disabled accounts and guests under a group\'s Members and a manager\'s Direct reports, as in the Users view', async () => {
    const tree = new DirectoryTreeProvider('groups', emulatorServices(emu));
    const group = [...emu.state.groups()].find((g) => emu.state.membersOf(g.id).some((id) => emu.state.user(id)?.accountEnabled === false));
    assert.ok(group, 'the seed has a group with a disabled member');
    const disabled = emu.state.membersOf(group.id).map((id) => emu.state.user(id)).find((u) => u?.accountEnabled === false);
    assert.ok(disabled);
    const folders = await tree.getChildren(new GroupNode(undefined, { id: group.id, displayName: group.displayName }, tree));
    const members = folders.find((f) => label(f).startsWith('Members'));
    assert.ok(members);
    const rows = await tree.getChildren(members);
    const row = rows.find((n): n is UserNode => n instanceof UserNode && n.user.id === disabled.id);
    assert.ok(row, 'the disabled member is listed');
    const item = row.getTreeItem() as TreeItem & { iconPath?: { id?: string } };
    assert.equal(item.iconPath?.id, 'circle-slash');
    assert.match(String(item.accessibilityInformation?.label), /disabled/);

    const users = new DirectoryTreeProvider('users', emulatorServices(emu));
    const reporter = [...emu.state.users()].find((u) => u.accountEnabled === false && emu.state.managerOf(u.id));
    assert.ok(reporter, 'the seed has a disabled user with a manager');
    const manager = emu.state.managerOf(reporter.id);
    assert.ok(manager);
    const managerFolders = await users.getChildren(new UserNode(undefined, { id: manager.id }, users));
    const reports = await users.getChildren(managerFolders[1]);
    const report = reports.find((n): n is UserNode => n instanceof UserNode && n.user.id === reporter.id);
    assert.ok(report);
    assert.equal((report.getTreeItem() as TreeItem & { iconPath?: { id?: string } }).iconPath?.id, 'circle-slash');
  });

  it('shows "No manager" rather than an error for a user without one', async () => {
    const tree = new DirectoryTreeProvider('users', emulatorServices(emu));
    const top = [...emu.state.users()].find((u) => !emu.state.managerOf(u.id));
    assert.ok(top);
    const folders = await tree.getChildren(new UserNode(undefined, { id: top.id }, tree));
    const rows = await tree.getChildren(folders[0]);
    assert.equal(rows.length, 1);
    assert.ok(rows[0] instanceof MessageNode);
    assert.equal(label(rows[0]), 'No manager');
  });

  it('shows an error row with Graph\'s message, and retry fills the list', async () => {
    const services = emulatorServices(emu, { maxRetries: 0 });
    const tree = new DirectoryTreeProvider('groups', services);
    emu.scriptFaults([{ kind: '503', count: 1 }]);
    const rows = await tree.getChildren();
    assert.equal(rows.length, 1);
    assert.ok(rows[0] instanceof ErrorNode);
    assert.match(label(rows[0]), /^Error: /);
    await tree.loadMore(rows[0].owner);
    const again = await tree.getChildren();
    assert.ok(again.filter((n) => n instanceof GroupNode).length > 0);
  });

  it('search goes to Graph as $search with ConsistencyLevel', async () => {
    const tree = new DirectoryTreeProvider('groups', emulatorServices(emu));
    const some = [...emu.state.groups()][3];
    assert.ok(some);
    const word = some.displayName.split(/\s+/)[0] ?? '';
    tree.setSearch(word);
    await tree.getChildren();
    const req = emu.log.at(-1);
    assert.equal(req?.headers.consistencylevel, 'eventual');
    assert.match(req?.query.$search ?? '', /"displayName:/);
  });

  it('applies changes it made without re-reading', async () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('groups', services);
    const before = await tree.getChildren();
    // A group with a user among its first page of members, so the removal below is certainly exercised.
    const hasUserMember = (id: string) => emu.state.membersOf(id).slice(0, 100).some((m) => emu.state.usersById.has(m));
    const firstGroup = before.find((n) => n instanceof GroupNode && hasUserMember(n.group.id));
    assert.ok(firstGroup instanceof GroupNode, 'the first page shows a group with a user member');
    const members = (await tree.getChildren(firstGroup))[0];
    assert.ok(members);
    const memberRows = await tree.getChildren(members);
    const victim = memberRows.find((n) => n instanceof UserNode);
    assert.ok(victim instanceof UserNode, 'the members folder shows a user');
    const requests = emu.log.length;
    services.changes.fire({ kind: 'groupCreated', group: { id: '00000000-0000-4000-8000-000000000001', displayName: 'Fresh group', groupTypes: [] }, memberKeys: [] });
    services.changes.fire({ kind: 'groupUpdated', groupId: firstGroup.group.id, changes: { displayName: 'Renamed' } });
    services.changes.fire({ kind: 'memberRemoved', groupId: firstGroup.group.id, memberId: victim.user.id });
    const after = await tree.getChildren();
    assert.equal(label(after[0] as DirectoryNode), 'Fresh group');
    assert.ok(after.some((n) => n instanceof GroupNode && n.group.id === firstGroup.group.id && n.group.displayName === 'Renamed'));
    const membersAfter = await tree.getChildren(members);
    assert.ok(!membersAfter.some((n) => n instanceof UserNode && n.user.id === victim.user.id), 'the removed member is gone');
    assert.equal(membersAfter.filter((n) => n instanceof UserNode).length, memberRows.filter((n) => n instanceof UserNode).length - 1, 'only the removed member is gone');
    assert.equal(emu.log.length, requests, 'no request made to apply local changes');
  });

  it('renders hostile names as plain labels and escaped tooltips', () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('users', services);
    const node = new UserNode(undefined, { id: 'x', displayName: '[x](command:workbench.action.quit) <img src=x onerror=alert(1)>', userPrincipalName: 'a@b.com' }, tree);
    const item = node.getTreeItem() as TreeItem & { tooltip: { value: string; isTrusted: boolean; supportHtml: boolean } };
    assert.equal(item.label, '[x](command:workbench.action.quit) <img src=x onerror=alert(1)>');
    assert.equal(item.tooltip.isTrusted, false);
    assert.ok(!item.tooltip.value.includes('](command:'), 'the link syntax is escaped');
    assert.equal(item.tooltip.supportHtml, false, 'HTML in the tooltip stays inert text');
  });
});
