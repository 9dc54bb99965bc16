/**
 * A manager set or cleared here, then a Manager or Direct reports folder opened for the first time while Graph's
 * replicas still answer as before (the emulator's replication delay, test/emulator/directory/replication.ts): the tree
 * shows the change it made, for the replication window of src/tree/recentManagerChanges.ts, then Graph's answer as is.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { DirectoryObject } from '../../src/core';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { DirectReportsFolder, ManagerFolder } from '../../src/tree/folders';
import { MessageNode, UserNode, type DirectoryNode } from '../../src/tree/nodes';
import { MANAGER_CHANGE_WINDOW_MS } from '../../src/tree/recentManagerChanges';
import { startEmulator, type Emulator } from '../emulator';
import { makeUser } from '../emulator/directory/factories';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

const ID = (n: number): string => `7b000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ALICE = ID(1);
const BOB = ID(2);
const CAROL = ID(3);
const DAVE = ID(4);
const ERIN = ID(5);
/** Far longer than a test runs: every read in a test meets replicas that have not seen its writes. */
const LAG_MS = 10 * 60_000;

const person = (id: string, name: string): DirectoryObject => ({ id, displayName: name, userPrincipalName: `${name.split(' ')[0]?.toLowerCase() ?? ''}@contoso.test` });

describe('the tree covers its own manager changes while Graph\'s replicas lag', () => {
  let emu: Emulator;
  let services: ReturnType<typeof emulatorServices>;
  let tree: DirectoryTreeProvider;
  let clock: number;

  before(async () => {
    emu = await startEmulator({ users: 10, groups: 2, seed: 11 });
  });
  after(() => emu.close());

  beforeEach(() => {
    // Seeded with the model off (seeding is not a request), then switched on: Graph has the seed everywhere.
    emu.setConsistency(false);
    for (const id of [ALICE, BOB, CAROL, DAVE, ERIN]) emu.state.deleteObject(id);
    for (const [id, name] of [[ALICE, 'Alice Aardvark'], [BOB, 'Bob Bittern'], [CAROL, 'Carol Capybara'], [DAVE, 'Dave Dingo'], [ERIN, 'Erin Egret']] as const) {
      emu.state.addUser(makeUser({ id, userPrincipalName: `${name.split(' ')[0]?.toLowerCase() ?? ''}@contoso.test`, displayName: name, accountEnabled: true }));
    }
    // Bob manages Alice and Dave; Carol manages nobody.
    emu.state.setManager(ALICE, BOB);
    emu.state.setManager(DAVE, BOB);
    emu.setConsistency({ replicationDelayMs: [LAG_MS, LAG_MS], seed: 3 });
    services = emulatorServices(emu);
    clock = 1_000_000;
    tree = new DirectoryTreeProvider('users', services, () => clock);
  });
  afterEach(() => {
    tree.dispose();
    emu.setConsistency(false);
    vscode.settings.delete('entraId.pageSize');
  });

  async function userRow(id: string): Promise<UserNode> {
    const row = (await tree.getChildren()).find((n): n is UserNode => n instanceof UserNode && n.user.id === id);
    assert.ok(row, `the Users view lists ${id}`);
    return row;
  }

  /** A user's Manager or Direct reports folder, not read yet. */
  async function folderOf<T extends ManagerFolder | DirectReportsFolder>(id: string, kind: new (...a: never[]) => T): Promise<T> {
    const folder = (await tree.getChildren(await userRow(id))).find((n): n is T => n instanceof kind);
    assert.ok(folder);
    assert.equal(folder.isLoaded, false, 'opened for the first time');
    return folder;
  }

  /** Ids of the users a folder shows (reading it when it is not loaded), lower-case. */
  async function shownIds(node: DirectoryNode): Promise<string[]> {
    return (await tree.getChildren(node)).flatMap((n) => (n instanceof UserNode ? [n.user.id.toLowerCase()] : []));
  }

  /** The count a folder's label shows: "Direct reports (2)". */
  function countOf(node: DirectoryNode): string | undefined {
    const label = node.getTreeItem().label;
    return /\((\d+)\)$/.exec(typeof label === 'string' ? label : '')?.[1];
  }

  /** What Graph answers now, read past the tree. */
  async function graphManager(id: string): Promise<string | undefined> {
    const r = await services.client.getManager(id);
    assert.ok(r.success);
    return r.data?.id.toLowerCase();
  }
  async function graphReports(id: string): Promise<string[]> {
    const r = await services.client.directReportsPage(id, { pageSize: 100 });
    assert.ok(r.success);
    return r.data.items.map((o) => o.id.toLowerCase()).sort();
  }

  /** Graph's pages of a user's direct reports, `pageSize` a page. */
  async function graphPages(id: string, pageSize: number): Promise<string[][]> {
    const pages: string[][] = [];
    let r = await services.client.directReportsPage(id, { pageSize });
    for (;;) {
      assert.ok(r.success);
      pages.push(r.data.items.map((o) => o.id.toLowerCase()));
      if (!r.data.next) return pages;
      r = await services.client.nextPage(r.data.next);
    }
  }

  const managerReads = (since: number, id: string): number => emu.log.slice(since).filter((e) => e.method === 'GET' && e.path === `/v1.0/users/${id}/manager`).length;

  async function setManager(userId: string, manager: DirectoryObject): Promise<void> {
    const user = await userRow(userId);
    const r = await services.writes.setManager(user.user, manager, { surface: 'command' });
    assert.ok(r.success, 'Graph took the change');
  }

  it('Set Manager, then the Manager folder opened for the first time shows the new manager while Graph still answers the old one', async () => {
    await setManager(ALICE, person(CAROL, 'Carol Capybara'));
    assert.equal(emu.state.managers.get(ALICE), CAROL, 'the primary copy has the new manager');
    assert.equal(await graphManager(ALICE), BOB, 'a read still answers with the old manager');

    const since = emu.log.length;
    const folder = await folderOf(ALICE, ManagerFolder);
    assert.deepEqual(await shownIds(folder), [CAROL]);
    assert.equal(managerReads(since, ALICE), 1, 'the folder read Graph, and laid the change over its answer');
    assert.equal(countOf(folder), '1');
  });

  it('Clear Manager, then the Manager folder opened for the first time says "No manager"', async () => {
    const r = await services.writes.removeManager({ id: ALICE }, { surface: 'command' });
    assert.ok(r.success);
    assert.equal(await graphManager(ALICE), BOB, 'a read still answers with the removed manager');

    const rows = await tree.getChildren(await folderOf(ALICE, ManagerFolder));
    assert.deepEqual(rows.map((n) => (n instanceof MessageNode ? n.getTreeItem().label : n.id)), ['No manager']);
  });

  it('Direct reports: the new manager\'s include the user, the old manager\'s no longer do, others stay; counts follow', async () => {
    await setManager(ALICE, person(CAROL, 'Carol Capybara'));
    assert.deepEqual(await graphReports(CAROL), [], 'Graph does not list Alice under Carol yet');
    assert.deepEqual(await graphReports(BOB), [ALICE, DAVE], 'and still lists her under Bob');

    const carols = await folderOf(CAROL, DirectReportsFolder);
    assert.deepEqual(await shownIds(carols), [ALICE]);
    assert.equal(countOf(carols), '1');
    const bobs = await folderOf(BOB, DirectReportsFolder);
    assert.deepEqual(await shownIds(bobs), [DAVE]);
    assert.equal(countOf(bobs), '1');
  });

  it('a user cleared of a manager leaves that manager\'s Direct reports', async () => {
    const r = await services.writes.removeManager({ id: DAVE }, { surface: 'command' });
    assert.ok(r.success);
    assert.deepEqual(await graphReports(BOB), [ALICE, DAVE]);
    assert.deepEqual(await shownIds(await folderOf(BOB, DirectReportsFolder)), [ALICE]);
  });

  it('a later page of Direct reports neither repeats a user the first page added nor shows one who moved away', async () => {
    emu.setConsistency(false);
    emu.state.setManager(ERIN, BOB);
    emu.setConsistency({ replicationDelayMs: [LAG_MS, LAG_MS], seed: 3 });
    // Alice moves to Carol and back to Bob; Erin moves to Carol. Graph still has all three under Bob.
    await setManager(ALICE, person(CAROL, 'Carol Capybara'));
    await setManager(ALICE, person(BOB, 'Bob Bittern'));
    await setManager(ERIN, person(CAROL, 'Carol Capybara'));
    assert.deepEqual(await graphPages(BOB, 1), [[DAVE], [ALICE], [ERIN]], 'Graph lists Alice and Erin after the first page of one');

    vscode.settings.set('entraId.pageSize', 1);
    const since = emu.log.length;
    const bobs = await folderOf(BOB, DirectReportsFolder);
    await tree.getChildren(bobs);
    while (bobs.render().some((n) => n.key === 'more')) await tree.loadMore(bobs);
    assert.equal(emu.log.slice(since).filter((e) => e.path === `/v1.0/users/${BOB}/directReports`).length, 3, 'all three pages read');
    assert.deepEqual(await shownIds(bobs), [ALICE, DAVE], 'Alice once, Erin gone');
  });

  it('when Graph already answers the change, its answer is shown unchanged', async () => {
    await setManager(ALICE, { id: CAROL.toUpperCase(), displayName: 'Carol Capybara' });
    // Switching the model again makes every earlier change visible: Graph has caught up.
    emu.setConsistency({ replicationDelayMs: [LAG_MS, LAG_MS], seed: 3 });
    assert.equal(await graphManager(ALICE), CAROL);

    const manager = (await tree.getChildren(await folderOf(ALICE, ManagerFolder))).filter((n) => n instanceof UserNode);
    assert.equal(manager.length, 1);
    assert.equal(manager[0]?.user.userPrincipalName, 'carol@contoso.test', 'Graph\'s own answer (the change carried no UPN)');
    const carols = await folderOf(CAROL, DirectReportsFolder);
    assert.deepEqual(await shownIds(carols), [ALICE]);
    assert.equal(countOf(carols), '1', 'counted once');
  });

  it('after the replication window, Graph\'s answer is shown as is; a refresh within it keeps the change', async () => {
    await setManager(ALICE, person(CAROL, 'Carol Capybara'));
    const folder = await folderOf(ALICE, ManagerFolder);
    assert.deepEqual(await shownIds(folder), [CAROL]);

    clock += MANAGER_CHANGE_WINDOW_MS - 1;
    tree.refresh(folder);
    assert.deepEqual(await shownIds(folder), [CAROL], 'a refresh within the window reads Graph and still shows the change');

    clock += 1;
    tree.refresh(folder);
    assert.equal(await graphManager(ALICE), BOB, 'Graph still answers the old manager');
    assert.deepEqual(await shownIds(folder), [BOB], 'shown as Graph answers it');
    const bobs = await folderOf(BOB, DirectReportsFolder);
    assert.deepEqual((await shownIds(bobs)).sort(), [ALICE, DAVE].sort());
    assert.deepEqual(await shownIds(await folderOf(CAROL, DirectReportsFolder)), []);
  });

  it('a refresh of the whole view keeps the changes; an account change forgets them', async () => {
    await setManager(ALICE, person(CAROL, 'Carol Capybara'));
    tree.refresh();
    assert.deepEqual(await shownIds(await folderOf(ALICE, ManagerFolder)), [CAROL], 'after refreshing the view');

    await services.auth.signOut();
    await services.auth.signIn();
    assert.equal(await graphManager(ALICE), BOB);
    assert.deepEqual(await shownIds(await folderOf(ALICE, ManagerFolder)), [BOB], 'the new account sees Graph\'s answer only');
    assert.deepEqual((await shownIds(await folderOf(BOB, DirectReportsFolder))).sort(), [ALICE, DAVE].sort());
  });
});
