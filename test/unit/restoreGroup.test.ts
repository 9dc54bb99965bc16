import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEmulator, type Emulator, type GroupRecord } from '../emulator';
import { emulatorServices } from '../support/services';
import { commandDeps } from '../support/commandDeps';
import * as vscode from '../support/vscodeFake';
import { daysLeftToRestore } from '../../src/core';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { DeletedGroupNode, DeletedGroupsFolder, deletedGroupDescription } from '../../src/tree/deletedGroups';
import { GroupNode, type DirectoryNode } from '../../src/tree/nodes';
import { deleteGroup, restoreGroup } from '../../src/commands/groupCommands';

const DAY_MS = 24 * 60 * 60 * 1000;

function label(node: DirectoryNode): string {
  const l = node.getTreeItem().label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}
function description(node: DirectoryNode): string {
  const d = node.getTreeItem().description;
  return typeof d === 'string' ? d : '';
}

describe('days left to restore a deleted group', () => {
  const at = Date.parse('2026-12-01T10:00:00Z');
  it('counts 30 days from the deletion, whole days, never below 0', () => {
    assert.equal(daysLeftToRestore('2026-12-01T10:00:00Z', at), 30);
    assert.equal(daysLeftToRestore('2026-12-01T10:00:00Z', at + DAY_MS - 1), 30);
    assert.equal(daysLeftToRestore('2026-12-01T10:00:00Z', at + DAY_MS), 29);
    assert.equal(daysLeftToRestore('2026-12-01T10:00:00Z', at + 29 * DAY_MS + 5), 1);
    assert.equal(daysLeftToRestore('2026-12-01T10:00:00Z', at + 30 * DAY_MS), 0);
    assert.equal(daysLeftToRestore('2026-12-01T10:00:00Z', at + 45 * DAY_MS), 0);
    assert.equal(daysLeftToRestore('not a date', at), undefined);
    assert.equal(daysLeftToRestore(null, at), undefined);
    assert.equal(daysLeftToRestore(undefined, at), undefined);
  });

  it('a deleted group Graph gives no date for is described, not a crash', () => {
    const group = { id: '3f2b9a10-0000-4000-8000-000000000001', displayName: 'Undated', groupTypes: [], mailEnabled: false, securityEnabled: true, deletedDateTime: null };
    assert.equal(deletedGroupDescription(group, at), 'deleted (date unknown)');
    assert.equal(deletedGroupDescription({ ...group, deletedDateTime: 'soon' }, at), 'deleted soon');
  });
});

describe('deleted groups and restore: core, write path, Groups view, command', () => {
  let emu: Emulator;
  const used = new Set<string>();
  const freshGroup = (kind: 'security' | 'microsoft365'): GroupRecord => {
    const g = emu.state.groupsOfKind(kind).find((x) => !used.has(x.id) && x.isAssignableToRole !== true && x.onPremisesSyncEnabled !== true && x.membershipRule === null && emu.state.membersOf(x.id).length > 0);
    assert.ok(g);
    used.add(g.id);
    return g;
  };

  before(async () => {
    emu = await startEmulator({ users: 200, groups: 40, seed: 21 });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clearLog();
    vscode.shown.reset();
    vscode.fakeUi.reset();
  });

  it('the client lists deleted groups (most recent first, with deletedDateTime) and restores one with one POST', async () => {
    const { client } = emulatorServices(emu);
    const older = freshGroup('security');
    const newer = freshGroup('microsoft365');
    emu.state.deletedItems.now = () => Date.now() - 2 * DAY_MS;
    emu.state.deletedItems.deleteGroup(older.id);
    emu.state.deletedItems.now = Date.now;
    emu.state.deletedItems.deleteGroup(newer.id);

    emu.clearLog();
    const listed = await client.listDeletedGroups();
    assert.ok(listed.success, JSON.stringify(listed));
    assert.equal(emu.log.length, 1);
    assert.equal(emu.log[0]?.path, '/v1.0/directory/deletedItems/microsoft.graph.group');
    assert.match(emu.log[0]?.query.$select ?? '', /(^|,)deletedDateTime(,|$)/);
    const ids = listed.data.map((g) => g.id);
    assert.ok(ids.indexOf(newer.id) >= 0 && ids.indexOf(newer.id) < ids.indexOf(older.id), 'most recently deleted first');
    const shown = listed.data.find((g) => g.id === older.id);
    assert.equal(shown?.displayName, older.displayName);
    assert.equal(daysLeftToRestore(shown?.deletedDateTime ?? '', Date.now()), 28);

    emu.clearLog();
    const restored = await client.restoreGroup(older.id);
    assert.ok(restored.success, JSON.stringify(restored));
    assert.equal(restored.data.id, older.id);
    assert.deepEqual(emu.log.map((r) => `${r.method} ${r.path}`), [`POST /v1.0/directory/deletedItems/${older.id}/restore`]);
    assert.ok(emu.state.group(older.id));

    emu.clearLog();
    const bad = await client.restoreGroup('not-an-id');
    assert.equal(bad.success, false);
    assert.equal(bad.success ? '' : bad.error.code, 'ValidationError');
    assert.equal(emu.log.length, 0, 'an invalid id sends nothing');
    const again = await client.restoreGroup(older.id);
    assert.equal(again.success ? 0 : again.error.status, 404);
  });

  it('the write path announces a restore; read-only mode refuses it unsent', async () => {
    const services = emulatorServices(emu);
    const g = freshGroup('security');
    emu.state.deletedItems.deleteGroup(g.id);
    const fired: unknown[] = [];
    services.changes.onDidChange((c) => fired.push(c));
    const ok = await services.writes.restoreGroup(g.id.toUpperCase(), { surface: 'command' });
    assert.ok(ok.success);
    assert.deepEqual(fired.map((c) => (c as { kind: string }).kind), ['groupRestored']);
    assert.equal((fired[0] as { group: { id: string } }).group.id, g.id.toLowerCase());

    emu.state.deletedItems.deleteGroup(g.id);
    vscode.settings.set('entraId.readOnly', true);
    try {
      emu.clearLog();
      const refused = await services.writes.restoreGroup(g.id, { surface: 'command' });
      assert.equal(refused.success ? '' : refused.error.code, 'ReadOnlyMode');
      assert.equal(emu.log.length, 0);
      assert.ok(emu.state.deletedItems.group(g.id), 'still deleted');
    } finally {
      vscode.settings.set('entraId.readOnly', false);
    }
    emu.state.deletedItems.restoreGroup(g.id);
  });

  it('the Groups view shows "Recently deleted" last; Delete moves a group there and Restore brings it back, without re-reading', async () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('groups', services);
    const deps = commandDeps(services, { trees: { users: new DirectoryTreeProvider('users', services), groups: tree } });
    const target = freshGroup('microsoft365');
    const rows = await tree.getChildren();
    const folder = rows.at(-1);
    assert.ok(folder instanceof DeletedGroupsFolder);
    const before = await tree.getChildren(folder);
    assert.equal(before.some((n) => n instanceof DeletedGroupNode && n.group.id === target.id), false);
    const row = rows.find((n): n is GroupNode => n instanceof GroupNode && n.group.id === target.id) ?? new GroupNode(undefined, { ...target }, tree);

    // Delete through the command: the confirmation says it can be restored for 30 days.
    vscode.fakeUi.messageAnswers.push('Delete');
    emu.clearLog();
    await deleteGroup(deps, row);
    assert.match(vscode.shown.modals[0]?.detail ?? '', /For 30 days .* can be restored from "Recently deleted"/);
    assert.deepEqual(emu.log.map((r) => r.method), ['DELETE'], 'the views follow without reading again');
    const afterDelete = await tree.getChildren(folder);
    const deletedRow = afterDelete.find((n): n is DeletedGroupNode => n instanceof DeletedGroupNode && n.group.id === target.id);
    assert.ok(deletedRow, 'the deleted group is listed under Recently deleted');
    assert.equal(label(deletedRow), target.displayName);
    assert.match(description(deletedRow), /^Microsoft 365 · deleted \d{4}-\d\d-\d\d · 30 days left$/);
    assert.equal(label(folder), `Recently deleted (${afterDelete.filter((n) => n instanceof DeletedGroupNode).length})`);
    assert.equal((await tree.getChildren()).some((n) => n instanceof GroupNode && n.group.id === target.id), false);

    // Restore from the row: the confirmation names the group; the group is back in the list and the emulator agrees.
    vscode.fakeUi.messageAnswers.push('Restore');
    emu.clearLog();
    await restoreGroup(deps, deletedRow);
    assert.equal(vscode.shown.modals[1]?.text, `Restore the group "${target.displayName}"?`);
    assert.deepEqual(vscode.shown.modals[1]?.items, ['Restore']);
    assert.deepEqual(emu.log.map((r) => `${r.method} ${r.path}`), [`POST /v1.0/directory/deletedItems/${target.id}/restore`]);
    assert.ok(emu.state.group(target.id));
    assert.equal((await tree.getChildren(folder)).some((n) => n instanceof DeletedGroupNode && n.group.id === target.id), false);
    assert.ok((await tree.getChildren()).some((n) => n instanceof GroupNode && n.group.id === target.id), 'back in the Groups view');
    assert.match(vscode.shown.info.at(-1) ?? '', new RegExp(`^Restored the group "${target.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\.$`));
  });

  it('declining the confirmation restores nothing; the palette picks among deleted groups', async () => {
    const services = emulatorServices(emu);
    const deps = commandDeps(services);
    const g = freshGroup('security');
    emu.state.deletedItems.deleteGroup(g.id);
    emu.clearLog();
    vscode.fakeUi.quickPickAnswers.push((items) => (items as Array<{ group: { id: string } }>).find((i) => i.group.id === g.id));
    vscode.fakeUi.messageAnswers.push(undefined);
    await restoreGroup(deps, undefined);
    assert.equal(vscode.shown.modals[0]?.text, `Restore the group "${g.displayName}"?`);
    assert.deepEqual(emu.log.map((r) => r.method), ['GET'], 'only the list was read');
    assert.ok(emu.state.deletedItems.group(g.id), 'still deleted');
    emu.state.deletedItems.restoreGroup(g.id);
  });

  it('a group deleted elsewhere long ago shows its days left', async () => {
    const services = emulatorServices(emu);
    const g = freshGroup('security');
    emu.state.deletedItems.now = () => Date.now() - 29 * DAY_MS - 60_000;
    emu.state.deletedItems.deleteGroup(g.id);
    emu.state.deletedItems.now = Date.now;
    const tree = new DirectoryTreeProvider('groups', services);
    const folder = (await tree.getChildren()).at(-1);
    assert.ok(folder instanceof DeletedGroupsFolder);
    const row = (await tree.getChildren(folder)).find((n) => n instanceof DeletedGroupNode && n.group.id === g.id);
    assert.ok(row);
    assert.match(description(row), /^Security · deleted \d{4}-\d\d-\d\d · 1 day left$/);
    assert.equal(row.getTreeItem().contextValue, 'entraDeletedGroup');
  });
});
