/**
 * The Users and Groups views listed from the cached directory: the same pages as Graph's server path (order, 100 per
 * page, "Load more", counts) without reading a page from Graph; a saved copy answers the first list of the next
 * session after its delta alone; our own writes and a Refresh show in the list; Graph serves while no copy exists.
 * The oracle is Graph's own answer (the emulator's `$orderby=displayName` with `$count`), read with the server path.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { DirectoryCacheStore } from '../../src/cache/cacheStore';
import { LocalDirectory } from '../../src/cache/localDirectory';
import type { GraphClient, Page, Result } from '../../src/core';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { GroupNode, LoadMoreNode, UserNode, type DirectoryNode } from '../../src/tree/nodes';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { cellIndex, type TableRow } from '../../src/shared/directoryTable';
import { isExtensionMessage, type ExtensionMessage } from '../../src/webviews/protocol';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

let emu: Emulator;
const dirs: string[] = [];
const ID = (n: number): string => `7e100000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const quiet = { info: (): void => undefined, warn: (): void => undefined };

before(async () => {
  emu = await startEmulator({ users: 260, groups: 130, seed: 47 });
  // Names whose order differs between a case-folded, accent-folded compare and Graph's: accents, case, twins, none.
  const odd = ['Élodie Zed', 'eve Adams', 'Eve Adams', 'Eve Adams', 'zoë Ng', 'Zoe Ng', '_Build Bot', '0 Day', 'Ärne Åberg'];
  odd.forEach((name, i) => emu.state.addUser(makeUser({ id: ID(i + 1), userPrincipalName: `odd${i}@contoso.test`, displayName: name, accountEnabled: i !== 3 })));
  emu.state.addUser(makeUser({ id: ID(20), userPrincipalName: 'nameless@contoso.test', displayName: null, accountEnabled: true }));
});
after(async () => {
  await emu.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'entra-cached-tree-'));
  dirs.push(dir);
  return dir;
}

/** One window: services whose local directory keeps its copy in `dir`. */
function windowOn(dir: string): { services: ReturnType<typeof emulatorServices>; local: LocalDirectory } {
  const base = emulatorServices(emu);
  base.auth.account = { method: 'vscode', label: 'admin', appOnly: false, tenantId: emu.tenantId };
  const local = new LocalDirectory(
    new DirectoryCacheStore(URI.file(dir), quiet),
    () => base.client,
    () => ({ tenantId: emu.tenantId, graphBaseUrl: emu.graphUrl }),
    { onDidChangeAccount: base.auth.onDidChangeAccount, onDidChange: base.changes.onDidChange },
    quiet,
  );
  return { services: { ...base, localDirectory: local }, local };
}

/** Graph requests since the log was cleared, other than the delta query. */
const pageReads = (): string[] => emu.log.filter((e) => e.path.startsWith('/v1.0/') && !e.path.endsWith('/delta')).map((e) => `${e.method} ${e.path}`);
const deltaReads = (): string[] => emu.log.filter((e) => e.path.endsWith('/delta')).map((e) => e.path);

const idsOf = (rows: DirectoryNode[]): string[] =>
  rows.flatMap((n) => (n instanceof UserNode ? [n.user.id.toLowerCase()] : n instanceof GroupNode ? [n.group.id.toLowerCase()] : []));
/**
 * What a row is ordered by: its name (Graph does not say in which order it lists objects of the same name; the copy
 * lists them by id), with its id beside it so that the same objects are compared.
 */
const namesOf = (rows: DirectoryNode[]): string[] =>
  rows.flatMap((n) => (n instanceof UserNode ? [String(n.user.displayName)] : n instanceof GroupNode ? [String(n.group.displayName)] : []));

/** Everything Graph's server path lists (the views' request before a copy exists), page by page, and its count. */
async function graphPages<T extends { id: string; displayName?: string | null }>(first: Promise<Result<Page<T>>>, client: GraphClient): Promise<{ pages: string[][]; ids: string[]; total: number | undefined }> {
  const pages: string[][] = [];
  const ids: string[] = [];
  let page = await first;
  assert.ok(page.success);
  const total = page.data.total;
  for (;;) {
    pages.push(page.data.items.map((o) => String(o.displayName)));
    ids.push(...page.data.items.map((o) => o.id.toLowerCase()));
    if (!page.data.next) break;
    page = await client.nextPage(page.data.next);
    assert.ok(page.success);
  }
  return { pages, ids, total };
}

/** Reads the whole view with "Load more", returning each screen's ids and the "Load more" labels. */
async function viewPages(tree: DirectoryTreeProvider): Promise<{ screens: string[][]; ids: string[]; labels: string[] }> {
  const screens: string[][] = [];
  let ids: string[] = [];
  const labels: string[] = [];
  let rows = await tree.getChildren();
  for (;;) {
    screens.push(namesOf(rows));
    ids = idsOf(rows);
    const more = rows.find((n) => n instanceof LoadMoreNode);
    if (!(more instanceof LoadMoreNode)) break;
    const label = more.getTreeItem().label;
    labels.push(typeof label === 'string' ? label : (label?.label ?? ''));
    await tree.loadMore(more.owner);
    rows = await tree.getChildren();
  }
  return { screens, ids, labels };
}

describe('the views listed from the cached directory', () => {
  it('with no copy yet, the Users view lists from Graph and the copy is built meanwhile', async () => {
    const { services, local } = windowOn(await newDir());
    emu.clearLog();
    const tree = new DirectoryTreeProvider('users', services);
    await tree.getChildren();
    const list = emu.log.find((e) => e.path === '/v1.0/users');
    assert.equal(list?.query.$orderby, 'displayName', 'the server path');
    await local.ensure();
    assert.ok(local.search(), 'the copy was built in the background');
    local.dispose();
  });

  it('once there is a copy, the Users view shows Graph\'s pages, "Load more" and count, reading no page from Graph', async () => {
    const { services, local } = windowOn(await newDir());
    await local.ensure();
    const { client } = services;
    const graph = await graphPages(client.usersPage({ includeDisabled: false, pageSize: 100 }), client);
    emu.clearLog();
    const tree = new DirectoryTreeProvider('users', services);
    const view = await viewPages(tree);
    assert.deepEqual(pageReads(), [], 'no /users page was read');
    assert.deepEqual(deltaReads(), [], 'a copy built this minute is not read again');
    // Each screen adds Graph's next page to what is shown.
    assert.deepEqual(view.screens, graph.pages.map((_, i) => graph.pages.slice(0, i + 1).flat()));
    assert.deepEqual([...view.ids].sort(), [...graph.ids].sort(), 'the same users');
    assert.equal(new Set(view.ids).size, view.ids.length, 'none twice');
    assert.ok(graph.pages.length >= 3, 'several pages');
    assert.deepEqual(view.labels, graph.pages.slice(0, -1).map((_, i) => `Load more (${(i + 1) * 100} of ${graph.total})`));
    assert.deepEqual(tree.summary, { loaded: graph.pages.flat().length, total: graph.total });
    local.dispose();
  });

  it('with disabled users shown, the Users view shows Graph\'s unfiltered pages', async () => {
    const { services, local } = windowOn(await newDir());
    await local.ensure();
    const { client } = services;
    const graph = await graphPages(client.usersPage({ includeDisabled: true, pageSize: 100 }), client);
    const settings = Object.create(services.settings, { showDisabled: { value: true } }) as typeof services.settings;
    emu.clearLog();
    const view = await viewPages(new DirectoryTreeProvider('users', { ...services, settings }));
    assert.deepEqual(pageReads(), []);
    assert.deepEqual(view.screens.at(-1), graph.pages.flat());
    assert.deepEqual([...view.ids].sort(), [...graph.ids].sort());
    assert.ok(view.ids.includes(ID(4)), 'the disabled twin is listed');
    local.dispose();
  });

  it('the Groups view shows Graph\'s pages and count from the copy', async () => {
    const { services, local } = windowOn(await newDir());
    await local.ensure();
    const { client } = services;
    const graph = await graphPages(client.groupsPage({ pageSize: 100 }), client);
    emu.clearLog();
    const tree = new DirectoryTreeProvider('groups', services);
    const view = await viewPages(tree);
    assert.deepEqual(pageReads().filter((r) => r !== 'GET /v1.0/directory/deletedItems/microsoft.graph.group'), [], 'no /groups page was read');
    assert.deepEqual(view.screens.at(-1), graph.pages.flat());
    assert.deepEqual([...view.ids].sort(), [...graph.ids].sort());
    assert.deepEqual(view.labels, graph.pages.slice(0, -1).map((_, i) => `Load more (${(i + 1) * 100} of ${graph.total})`));
    local.dispose();
  });

  it('the next session shows the first page saved with the copy before any request, then only the delta (one request per kind)', async () => {
    const dir = await newDir();
    const first = windowOn(dir);
    await first.local.ensure();
    const graph = await graphPages(first.services.client.usersPage({ pageSize: 100 }), first.services.client);
    first.local.dispose();
    const { services, local } = windowOn(dir);
    emu.clearLog();
    const tree = new DirectoryTreeProvider('users', services);
    let redrawn = 0;
    tree.onDidChangeTreeData(() => redrawn++);
    const rows = await tree.getChildren();
    assert.deepEqual(namesOf(rows.slice(0, 100)), graph.pages[0], 'Graph\'s first page, as saved');
    assert.equal(tree.summary.total, graph.total);
    await local.ensure();
    assert.deepEqual(pageReads(), []);
    assert.deepEqual(deltaReads().sort(), ['/v1.0/groups/delta', '/v1.0/users/delta']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(redrawn, 0, 'nothing changed: the view is not drawn again');
    local.dispose();
  });

  it('a saved first page that changed since is drawn again once the delta is applied; "Load more" waits for the copy', async () => {
    const dir = await newDir();
    const first = windowOn(dir);
    await first.local.ensure();
    first.local.dispose();
    // Between the sessions, someone else adds a user who lists first, and disables one of the saved first page.
    const saved = await graphPages(first.services.client.usersPage({ pageSize: 100 }), first.services.client);
    emu.state.addUser(makeUser({ id: ID(40), userPrincipalName: 'aaron@contoso.test', displayName: '!!! Aaron First', accountEnabled: true }));
    const leaving = [...emu.state.users()].find((u) => u.displayName === saved.pages[0]?.[5]);
    assert.ok(leaving);
    emu.state.willChange(leaving.id);
    leaving.accountEnabled = false;
    const { services, local } = windowOn(dir);
    const tree = new DirectoryTreeProvider('users', services);
    const redrawn = new Promise<void>((resolve) => tree.onDidChangeTreeData(() => resolve()));
    const early = await tree.getChildren();
    assert.deepEqual(namesOf(early.slice(0, 100)), saved.pages[0], 'the saved page, at once');
    const more = early.find((n) => n instanceof LoadMoreNode);
    assert.ok(more instanceof LoadMoreNode);
    await tree.loadMore(more.owner);
    await redrawn;
    const now = await graphPages(services.client.usersPage({ pageSize: 100 }), services.client);
    const rows = await tree.getChildren();
    assert.equal(idsOf(rows)[0], ID(40), 'the new user first');
    assert.ok(!idsOf(rows).includes(leaving.id.toLowerCase()), 'the disabled user gone');
    assert.deepEqual(namesOf(rows.slice(0, 100)), now.pages[0], 'Graph\'s first page as it is now');
    assert.equal(tree.summary.total, now.total);
    emu.state.deleteObject(ID(40));
    emu.state.willChange(leaving.id);
    leaving.accountEnabled = true;
    local.dispose();
  });

  it('our own writes show in the next listing without a read; Refresh reads the delta and shows what others changed', async () => {
    const { services, local } = windowOn(await newDir());
    await local.ensure();
    const tree = new DirectoryTreeProvider('groups', services);
    await tree.getChildren();
    // Our write: a group created here (Graph may not list it yet; the copy has it at once).
    const created = { id: ID(30).toUpperCase(), displayName: '!!! Launch Crew', groupTypes: [], securityEnabled: true, mailEnabled: false };
    services.changes.fire({ kind: 'groupCreated', group: created, memberKeys: [] });
    emu.clearLog();
    const again = await new DirectoryTreeProvider('groups', services).getChildren();
    assert.equal(idsOf(again)[0], ID(30), 'first in name order');
    assert.deepEqual(pageReads().filter((r) => !r.includes('deletedItems')), []);

    // Someone else adds a group; Refresh brings the copy up to date before listing.
    emu.state.addGroup(makeGroup({ id: ID(31), displayName: '!! Added Elsewhere', mailNickname: 'addedelsewhere' }));
    emu.clearLog();
    tree.refresh();
    const refreshed = await tree.getChildren();
    assert.ok(deltaReads().includes('/v1.0/groups/delta'), 'Refresh read the delta');
    assert.deepEqual(pageReads().filter((r) => !r.includes('deletedItems')), [], 'and no page');
    assert.equal(idsOf(refreshed)[0], ID(31));
    local.dispose();
  });
});

describe('the directory table and the cached directory', () => {
  type Msg<T extends ExtensionMessage['type']> = Extract<ExtensionMessage, { type: T }>;
  const of = <T extends ExtensionMessage['type']>(type: T) => (m: unknown): m is Msg<T> => isExtensionMessage(m) && m.type === type;

  /** Opens a table in `services`' window and returns every row it was given. */
  async function tableRows(services: ReturnType<typeof windowOn>['services'], kind: 'users' | 'groups'): Promise<TableRow[]> {
    panelsOf(services).showTable(kind);
    const panel = vscode.webviewPanels.at(-1);
    assert.ok(panel);
    panel.receive({ type: 'ready' });
    await panel.waitFor((m): m is Msg<'tableProgress'> => of('tableProgress')(m) && !m.loading, 30_000);
    const rows = panel.posted.filter(of('tableRows')).flatMap((m) => m.rows);
    for (const p of vscode.webviewPanels.splice(0)) p.dispose();
    return rows;
  }

  it('with a copy, the groups table is every cached group (creation date included) without a Graph page', async () => {
    const { services, local } = windowOn(await newDir());
    await local.ensure();
    emu.clearLog();
    const rows = await tableRows(services, 'groups');
    assert.deepEqual(pageReads(), [], 'no /groups page or count was read');
    const id = cellIndex('groups', 'id');
    const created = cellIndex('groups', 'createdDateTime');
    const groups = new Map([...emu.state.groups()].map((g) => [g.id.toLowerCase(), g]));
    assert.deepEqual(rows.map((r) => (r[id] ?? '').toLowerCase()).sort(), [...groups.keys()].sort());
    for (const row of rows) assert.equal(row[created], groups.get((row[id] ?? '').toLowerCase())?.createdDateTime, 'the creation date, as Graph has it');
    local.dispose();
  });

  it('the users table reads Graph even with a copy (the copy holds no creation date); without a copy, groups read Graph', async () => {
    const { services, local } = windowOn(await newDir());
    emu.clearLog();
    await tableRows(services, 'groups');
    assert.ok(pageReads().includes('GET /v1.0/groups'), 'no copy yet: Graph');
    await local.ensure();
    emu.clearLog();
    const rows = await tableRows(services, 'users');
    assert.ok(pageReads().includes('GET /v1.0/users'), 'the users table reads Graph');
    const created = cellIndex('users', 'createdDateTime');
    assert.equal(rows.length, [...emu.state.users()].length);
    assert.ok(rows.every((r) => (r[created] ?? '') !== ''), 'every user with its creation date');
    local.dispose();
  });
});
