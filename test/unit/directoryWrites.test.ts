/**
 * The one write path: every kind of change, made through `services.writes`, reaches every open view that shows an
 * affected object — both trees (lists, folders, rows, counts), profile pages and edit forms — without a read.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { DirectoryChange } from '../../src/changes';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { DirectReportsFolder, ManagerFolder, MembersFolder, UserGroupsFolder } from '../../src/tree/folders';
import { GroupNode, UserNode, type DirectoryNode } from '../../src/tree/nodes';
import { isExtensionMessage, type ExtensionMessage } from '../../src/webviews/protocol';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

const ID = (n: number): string => `7a000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ALICE = ID(1);
const BOB = ID(2);
const SECURITY = ID(10);
const M365 = ID(11);

let emu: Emulator;
let services: ReturnType<typeof emulatorServices>;
let users: DirectoryTreeProvider;
let groups: DirectoryTreeProvider;
let fired: DirectoryChange[];

before(async () => {
  emu = await startEmulator({ users: 12, groups: 4, seed: 3 });
});
after(() => emu.close());

beforeEach(() => {
  // A fresh little world per test: two users, a security group with Bob, a Microsoft 365 group with nobody.
  for (const id of [ALICE, BOB, SECURITY, M365]) emu.state.deleteObject(id);
  emu.state.addUser(makeUser({ id: ALICE, userPrincipalName: 'alice@contoso.test', displayName: 'Alice Aardvark', accountEnabled: true }));
  emu.state.addUser(makeUser({ id: BOB, userPrincipalName: 'bob@contoso.test', displayName: 'Bob Bittern', accountEnabled: true }));
  emu.state.addGroup(makeGroup({ id: SECURITY, displayName: 'Aardvark keepers', mailNickname: 'aardvark-keepers', securityEnabled: true, mailEnabled: false, groupTypes: [] }));
  emu.state.addGroup(makeGroup({ id: M365, displayName: 'Aardvark club', mailNickname: 'aardvark-club', securityEnabled: false, mailEnabled: true, groupTypes: ['Unified'] }));
  emu.state.addMember(SECURITY, BOB);
  services = emulatorServices(emu);
  fired = [];
  services.changes.onDidChange((c) => fired.push(c));
  users = new DirectoryTreeProvider('users', services);
  groups = new DirectoryTreeProvider('groups', services);
});
afterEach(() => {
  users.dispose();
  groups.dispose();
  for (const p of vscode.webviewPanels.splice(0)) p.dispose();
  vscode.shown.reset();
});

async function rowOf<T extends UserNode | GroupNode>(tree: DirectoryTreeProvider, id: string, kind: new (...a: never[]) => T): Promise<T> {
  const rows = await tree.getChildren();
  const row = rows.find((n): n is T => n instanceof kind && (n instanceof UserNode ? n.user.id : (n as GroupNode).group.id) === id);
  assert.ok(row, `the view lists ${id}`);
  return row;
}

/** A user's "Microsoft 365 groups" and "All groups" folders, loaded as an admin who expanded them would. */
async function groupFolders(id: string): Promise<{ m365: UserGroupsFolder; all: UserGroupsFolder }> {
  const folders = await users.getChildren(await rowOf(users, id, UserNode));
  const m365 = folders.find((f): f is UserGroupsFolder => f instanceof UserGroupsFolder && f.microsoft365Only);
  const all = folders.find((f): f is UserGroupsFolder => f instanceof UserGroupsFolder && !f.microsoft365Only);
  assert.ok(m365 && all);
  await users.getChildren(m365);
  await users.getChildren(all);
  return { m365, all };
}

async function membersFolder(groupId: string): Promise<MembersFolder> {
  const folders = await groups.getChildren(await rowOf(groups, groupId, GroupNode));
  const members = folders.find((f): f is MembersFolder => f instanceof MembersFolder);
  assert.ok(members);
  await groups.getChildren(members);
  return members;
}

/** Ids of the users or groups a folder shows, as the tree renders them now. */
async function shownIds(tree: DirectoryTreeProvider, node: DirectoryNode): Promise<string[]> {
  const rows = await tree.getChildren(node);
  return rows.flatMap((n) => (n instanceof UserNode ? [n.user.id] : n instanceof GroupNode ? [n.group.id] : []));
}

/** The count a folder's label shows: "Members (142)". */
function countOf(node: DirectoryNode): string | undefined {
  const label = node.getTreeItem().label;
  return /\((\d+)\)$/.exec(typeof label === 'string' ? label : '')?.[1];
}

/** Which tree nodes were announced as changed (the editor re-renders exactly these). */
function watch(tree: DirectoryTreeProvider): Array<DirectoryNode | undefined> {
  const seen: Array<DirectoryNode | undefined> = [];
  tree.onDidChangeTreeData((n) => seen.push(n));
  return seen;
}

const reads = (since: number): number => emu.log.slice(since).filter((e) => e.method === 'GET').length;

type Init = Extract<ExtensionMessage, { type: 'init' }>;
const loaded = (m: unknown): m is Init => isExtensionMessage(m) && m.type === 'init' && !m.state.loading;

async function openProfile(userId: string): Promise<vscode.FakeWebviewPanel> {
  panelsOf(services).showProfile(userId);
  const panel = vscode.webviewPanels.at(-1);
  assert.ok(panel);
  panel.receive({ type: 'ready' });
  await panel.waitFor(loaded);
  return panel;
}

function lastState(panel: vscode.FakeWebviewPanel): Init['state'] {
  const last = [...panel.posted].reverse().find(loaded);
  assert.ok(last);
  return last.state;
}

describe('the write path updates every view that shows the change', () => {
  it('member added (an id typed in capitals): the group\'s Members, the user\'s Microsoft 365 and All groups folders, counts and the open profile', async () => {
    const members = await membersFolder(M365);
    const { m365, all } = await groupFolders(ALICE);
    const profile = await openProfile(ALICE);
    const changedUsers = watch(users);
    const changedGroups = watch(groups);
    const since = emu.log.length;

    const group = { id: M365.toUpperCase(), displayName: 'Aardvark club', groupTypes: ['Unified'] };
    const result = await services.writes.addMember(group, { id: ALICE.toUpperCase(), displayName: 'Alice Aardvark', '@odata.type': '#microsoft.graph.user' }, { surface: 'command' });
    assert.equal(result.success, true);

    assert.deepEqual(await shownIds(groups, members), [ALICE]);
    assert.equal(countOf(members), '1');
    assert.deepEqual(await shownIds(users, all), [M365], 'All groups shows the group at once');
    assert.deepEqual(await shownIds(users, m365), [M365]);
    assert.ok(changedUsers.includes(all) && changedUsers.includes(m365), 'the user\'s folders were redrawn');
    assert.ok(changedGroups.includes(members), 'the members folder was redrawn');
    const state = lastState(profile);
    assert.deepEqual(state.view === 'profile' && state.groups?.map((g) => g.id), [M365]);
    assert.equal(reads(since), 0, 'the views applied the change without reading');
    assert.deepEqual(fired.map((c) => c.kind), ['memberAdded']);
  });

  it('member added to a security group: not in the Microsoft 365 folder, in All groups', async () => {
    const { m365, all } = await groupFolders(ALICE);
    await services.writes.addMember({ id: SECURITY, displayName: 'Aardvark keepers', groupTypes: [], securityEnabled: true, mailEnabled: false }, { id: ALICE, '@odata.type': '#microsoft.graph.user' }, { surface: 'command' });
    assert.deepEqual(await shownIds(users, all), [SECURITY]);
    assert.deepEqual(await shownIds(users, m365), []);
  });

  it('member removed: gone from the Members folder and from the user\'s groups, counts follow', async () => {
    const members = await membersFolder(SECURITY);
    const { all } = await groupFolders(BOB);
    assert.deepEqual(await shownIds(groups, members), [BOB]);
    assert.deepEqual(await shownIds(users, all), [SECURITY]);
    const since = emu.log.length;

    const result = await services.writes.removeMember(SECURITY.toUpperCase(), BOB, { surface: 'command' });
    assert.equal(result.success, true);
    assert.deepEqual(await shownIds(groups, members), []);
    assert.equal(countOf(members), '0');
    assert.deepEqual(await shownIds(users, all), []);
    assert.equal(reads(since), 0);
  });

  it('group created with a member: first in the Groups view, and in the member\'s groups folders', async () => {
    await groups.getChildren();
    const { m365, all } = await groupFolders(ALICE);
    const result = await services.writes.createGroup({ displayName: 'Aardvark fans', kind: 'microsoft365', mailNickname: 'aardvark-fans', memberIds: ['ALICE@contoso.test'] }, { surface: 'command' });
    assert.ok(result.success, JSON.stringify(result));
    const rows = await groups.getChildren();
    assert.ok(rows[0] instanceof GroupNode && rows[0].group.id === result.data.id, 'the new group is listed first');
    assert.deepEqual(await shownIds(users, m365), [result.data.id]);
    assert.deepEqual(await shownIds(users, all), [result.data.id]);
  });

  it('group updated: its rows everywhere show the new name, and its open edit form the new values', async () => {
    await membersFolder(SECURITY);
    const { all } = await groupFolders(BOB);
    panelsOf(services).editGroup(SECURITY);
    const form = vscode.webviewPanels.at(-1);
    assert.ok(form);
    form.receive({ type: 'ready' });
    await form.waitFor(loaded);

    const result = await services.writes.updateGroup(SECURITY, { displayName: 'Aardvark wardens' }, { surface: 'command' });
    assert.equal(result.success, true);
    const root = await rowOf(groups, SECURITY, GroupNode);
    assert.equal(root.getTreeItem().label, 'Aardvark wardens');
    const inFolder = (await users.getChildren(all)).find((n) => n instanceof GroupNode);
    assert.equal(inFolder?.getTreeItem().label, 'Aardvark wardens');
    const state = lastState(form);
    assert.equal(state.view === 'groupForm' && state.values.displayName, 'Aardvark wardens');
    assert.match(form.title, /Aardvark wardens/);
  });

  it('group deleted: gone from the Groups view and from members\' folders; its edit form closes', async () => {
    await groups.getChildren();
    const { all } = await groupFolders(BOB);
    panelsOf(services).editGroup(SECURITY);
    const form = vscode.webviewPanels.at(-1);
    assert.ok(form);
    form.receive({ type: 'ready' });
    await form.waitFor(loaded);

    const result = await services.writes.deleteGroup(SECURITY, { surface: 'command' });
    assert.equal(result.success, true);
    assert.ok(!(await groups.getChildren()).some((n) => n instanceof GroupNode && n.group.id === SECURITY));
    assert.deepEqual(await shownIds(users, all), []);
    assert.equal(form.disposed, true);
  });

  it('user updated: the Users view row, the row under a group\'s Members, and the open profile', async () => {
    const members = await membersFolder(SECURITY);
    const profile = await openProfile(BOB);
    const result = await services.writes.updateUser(BOB, { displayName: 'Robert Bittern', jobTitle: 'Keeper' }, { surface: 'command' });
    assert.equal(result.success, true);
    assert.equal((await rowOf(users, BOB, UserNode)).getTreeItem().label, 'Robert Bittern');
    const row = (await groups.getChildren(members)).find((n) => n instanceof UserNode);
    assert.equal(row?.getTreeItem().label, 'Robert Bittern');
    const state = lastState(profile);
    assert.equal(state.view === 'profile' && state.user?.displayName, 'Robert Bittern');
    assert.equal(state.view === 'profile' && state.user?.fields.find((f) => f.key === 'jobTitle')?.value, 'Keeper');
  });

  it('manager set: the user\'s Manager folder, the old and the new manager\'s Direct reports, and the open profile', async () => {
    const CAROL = ID(3);
    emu.state.deleteObject(CAROL);
    emu.state.addUser(makeUser({ id: CAROL, userPrincipalName: 'carol@contoso.test', displayName: 'Carol Capybara', accountEnabled: true }));
    emu.state.setManager(ALICE, BOB);
    const folders = await users.getChildren(await rowOf(users, ALICE, UserNode));
    const manager = folders.find((f): f is ManagerFolder => f instanceof ManagerFolder);
    assert.ok(manager);
    assert.deepEqual(await shownIds(users, manager), [BOB]);
    const reportsOf = async (id: string): Promise<DirectReportsFolder> => {
      const found = (await users.getChildren(await rowOf(users, id, UserNode))).find((f): f is DirectReportsFolder => f instanceof DirectReportsFolder);
      assert.ok(found);
      await users.getChildren(found);
      return found;
    };
    const bobsReports = await reportsOf(BOB);
    const carolsReports = await reportsOf(CAROL);
    assert.deepEqual(await shownIds(users, bobsReports), [ALICE]);
    assert.deepEqual(await shownIds(users, carolsReports), []);
    const profile = await openProfile(ALICE);
    const since = emu.log.length;

    const result = await services.writes.setManager({ id: ALICE, displayName: 'Alice Aardvark' }, { id: CAROL.toUpperCase(), displayName: 'Carol Capybara', userPrincipalName: 'carol@contoso.test' }, { surface: 'command' });
    assert.equal(result.success, true);
    assert.equal(emu.state.managers.get(ALICE), CAROL, 'Graph has the new manager');
    assert.deepEqual(await shownIds(users, manager), [CAROL]);
    assert.deepEqual(await shownIds(users, bobsReports), [], 'Alice left Bob\'s direct reports');
    assert.deepEqual(await shownIds(users, carolsReports), [ALICE], 'and joined Carol\'s');
    const state = lastState(profile);
    assert.equal(state.view === 'profile' && state.manager?.displayName, 'Carol Capybara');
    assert.equal(emu.log.slice(since).filter((e) => e.method === 'GET').length, 0, 'the views changed without reading Graph');

    const cleared = await services.writes.removeManager({ id: ALICE }, { surface: 'command' });
    assert.equal(cleared.success, true);
    assert.equal(emu.state.managers.has(ALICE), false);
    assert.deepEqual(await shownIds(users, manager), []);
    assert.deepEqual(await shownIds(users, carolsReports), []);
    const after = lastState(profile);
    assert.equal(after.view === 'profile' && after.manager, null);
  });

  it('user disabled while disabled accounts are hidden: leaves the Users view', async () => {
    await rowOf(users, ALICE, UserNode);
    const result = await services.writes.updateUser(ALICE, { accountEnabled: false }, { surface: 'command' });
    assert.equal(result.success, true);
    assert.ok(!(await users.getChildren()).some((n) => n instanceof UserNode && n.user.id === ALICE));
  });

  it('a failed write announces nothing, and a failing view never fails a write', async () => {
    const missing = ID(99);
    const failed = await services.writes.updateGroup(missing, { displayName: 'Ghost' }, { surface: 'command' });
    assert.equal(failed.success, false);
    assert.equal(fired.length, 0, 'nothing announced');

    services.changes.onDidChange(() => {
      throw new Error('a view broke');
    });
    const done = await services.writes.updateUser(ALICE, { jobTitle: 'Survivor' }, { surface: 'command' });
    assert.equal(done.success, true, 'the write is reported as done');
    assert.equal(emu.state.user(ALICE)?.jobTitle, 'Survivor');
    assert.equal(fired.length, 1);
    assert.equal(fired[0]?.kind, 'userUpdated');
    const logged = (services.log as unknown as { lines: string[] }).lines;
    assert.ok(logged.some((l) => /Updating the views after userUpdated failed: a view broke/.test(l)), 'the failure is logged');
  });

  it('announces ids lower-cased once, whatever case the caller used', async () => {
    await services.writes.removeMember(SECURITY.toUpperCase(), BOB.toUpperCase(), { surface: 'command' });
    assert.deepEqual(fired, [{ kind: 'memberRemoved', groupId: SECURITY, memberId: BOB }]);
  });
});

describe('a desired-state plan applied through the write path', () => {
  it('announces each add and removal it made, and the Members folder follows without reading again', async () => {
    const members = await membersFolder(SECURITY);
    assert.deepEqual(await shownIds(groups, members), [BOB]);
    const plan = await services.graph().planGroupMembership(SECURITY, { members: ['alice@contoso.test'] });
    assert.ok(plan.success);
    const since = emu.log.length;
    const result = await services.writes.applyMembershipPlan({ id: SECURITY, displayName: 'Aardvark keepers' }, plan.data, { surface: 'command' });
    assert.ok(result.success);
    assert.deepEqual(result.data.outcomes.map((o) => `${o.change} ${o.id} ${o.outcome}`).sort(), [`add ${ALICE} done`, `remove ${BOB} done`]);
    assert.deepEqual(fired.map((c) => c.kind).sort(), ['memberAdded', 'memberRemoved']);
    assert.deepEqual(await shownIds(groups, members), [ALICE]);
    assert.equal(countOf(members), '1');
    assert.equal(reads(since), 0, 'the views applied the changes instead of reading');
  });
});
