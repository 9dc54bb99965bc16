/**
 * The directory table's extension side against the emulator: the Graph source's paging ($select of the columns,
 * nextLink followed, the true count), rows handed to the page in parts, and the actions on a selection — add to a
 * group through the write path with an outcome per row, export as CSV to a named file, copy ids, open a row — plus
 * the remembered columns and what the page may not ask.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { DirectoryChange } from '../../src/changes';
import { cellIndex, USER_COLUMNS, type TableRow } from '../../src/shared/directoryTable';
import { isExtensionMessage, MAX_TABLE_CHANGE, type ExtensionMessage, type TableState } from '../../src/webviews/protocol';
import { graphSource } from '../../src/webviews/tableSource';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

type Msg<T extends ExtensionMessage['type']> = Extract<ExtensionMessage, { type: T }>;

let emu: Emulator;
let services: ReturnType<typeof emulatorServices>;
let changes: DirectoryChange[];
const TENANT_USERS = 2_100;

before(async () => {
  emu = await startEmulator({ users: TENANT_USERS, groups: 8, seed: 21 });
});
after(() => emu.close());
beforeEach(() => {
  services = emulatorServices(emu);
  changes = [];
  services.changes.onDidChange((c) => changes.push(c));
  emu.clearLog();
});
afterEach(() => {
  for (const p of vscode.webviewPanels.splice(0)) p.dispose();
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

const of = <T extends ExtensionMessage['type']>(type: T) => (m: unknown): m is Msg<T> => isExtensionMessage(m) && m.type === type;

/** Opens the users or groups table as the page would, and waits until every row has been posted. */
async function open(kind: 'users' | 'groups'): Promise<{ panel: vscode.FakeWebviewPanel; rows: TableRow[]; state: TableState }> {
  panelsOf(services).showTable(kind);
  const panel = vscode.webviewPanels.at(-1);
  assert.ok(panel);
  panel.receive({ type: 'ready' });
  await panel.waitFor((m): m is Msg<'tableProgress'> => of('tableProgress')(m) && !m.loading, 30_000);
  const init = await panel.waitFor(of('init'));
  const rows = panel.posted.filter(of('tableRows')).flatMap((m) => m.rows);
  return { panel, rows, state: init.state as TableState };
}

/** Ten disabled Finance users and five enabled ones, with a tag so a test finds its own. */
function seedFinance(): { tag: string; disabled: string[]; enabled: string[] } {
  const tag = randomUUID().slice(0, 8);
  const add = (i: number, enabled: boolean): string => {
    const id = randomUUID();
    emu.state.addUser(makeUser({ id, userPrincipalName: `fin${i}-${tag}@${emu.domain}`, displayName: `Finance ${i} ${tag}`, department: 'Finance', accountEnabled: enabled }));
    return id;
  };
  return { tag, disabled: Array.from({ length: 10 }, (_, i) => add(i, false)), enabled: Array.from({ length: 5 }, (_, i) => add(100 + i, true)) };
}

describe('directory table: the Graph source', () => {
  it('reads every user, enabled or not, page after page with the columns selected, and the true count', async () => {
    const batches = [];
    for await (const b of graphSource(() => services.graph()).read('users', new AbortController().signal)) batches.push(b);
    assert.ok(batches.every((b) => b.success));
    const objects = batches.flatMap((b) => (b.success ? b.data.objects : []));
    const everyone = [...emu.state.users()];
    assert.equal(objects.length, everyone.length);
    assert.deepEqual(new Set(objects.map((u) => u.id)), new Set(everyone.map((u) => u.id)));
    assert.ok(objects.some((u) => u.accountEnabled === false), 'disabled accounts are rows too');
    assert.equal(batches[0]?.success && batches[0].data.total, everyone.length);
    const pages = emu.log.filter((e) => e.method === 'GET' && e.path === '/v1.0/users');
    assert.equal(pages.length, Math.ceil(everyone.length / 999), 'one request a page of 999');
    assert.ok(pages.slice(1).every((p) => p.rawUrl.includes('skiptoken')), 'the later pages are the nextLinks');
    const select = new URL(pages[0]?.rawUrl ?? '', 'https://x').searchParams.get('$select')?.split(',') ?? [];
    assert.deepEqual(new Set(select), new Set(USER_COLUMNS), '$select is exactly the columns');
  });

  it('stops at a failed page and yields its error', async () => {
    const batches = [];
    // eslint-disable-next-line @typescript-eslint/require-await -- one failed page, as Graph would answer it
    const denied = async function* () {
      yield { success: false as const, error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.', status: 403 } };
    };
    const failing = Object.assign(Object.create(services.graph()) as object, { iterateUsers: denied });
    for await (const b of graphSource(() => failing as never).read('users', new AbortController().signal)) batches.push(b);
    assert.equal(batches.length, 1);
    assert.equal(batches[0]?.success, false);
  });
});

describe('directory table panel', () => {
  it('hands every row to the page in parts, with the count, and says how many in the frame', async () => {
    const { rows, state, panel } = await open('users');
    assert.equal(rows.length, [...emu.state.users()].length);
    assert.equal(state.view, 'table');
    const last = panel.posted.filter(of('tableProgress')).at(-1);
    assert.equal(last?.total, rows.length);
    assert.ok(panel.posted.filter(of('tableRows')).length >= 3, 'in parts');
    assert.ok(!/Finance|@/.test(panel.webview.html), 'no directory data in the HTML');
  });

  it('adds ten selected disabled Finance users to a group picked by the admin: an outcome per row, the emulator agrees', async () => {
    const seeded = seedFinance();
    const group = makeGroup({ id: randomUUID(), displayName: `Target ${seeded.tag}`, mailNickname: `target-${seeded.tag}` });
    emu.state.addGroup(group);
    // One of them is already a member: its row says so, and it is not counted as added.
    emu.state.addMember(group.id, seeded.disabled[0] as string);
    const { panel } = await open('users');
    vscode.fakeUi.quickPickAnswers.push((items) => (items as Array<{ label: string }>).find((i) => i.label === group.displayName));
    panel.receive({ type: 'tableRun', requestId: 7, action: 'addToGroup', ids: seeded.disabled.slice(0, 6), more: true });
    panel.receive({ type: 'tableRun', requestId: 7, action: 'addToGroup', ids: seeded.disabled.slice(6), more: false });
    const done = await panel.waitFor((m): m is Msg<'tableDone'> => of('tableDone')(m) && m.requestId === 7, 30_000);
    assert.equal(done.outcomes.length, 10);
    assert.deepEqual(done.outcomes.filter((o) => o.done).map((o) => o.id).sort(), seeded.disabled.slice(1).sort());
    assert.equal(done.outcomes.find((o) => o.id === seeded.disabled[0])?.message, 'Already a member.');
    assert.match(done.message, /^Added 9 of 10 to "Target /);
    for (const id of seeded.disabled) assert.ok(emu.state.isMember(group.id, id));
    assert.equal(changes.filter((c) => c.kind === 'memberAdded').length, 9, 'announced through the one write path');
  });

  it('exports the selection as CSV to the file the admin names, guarded against formulas', async () => {
    const tag = randomUUID().slice(0, 8);
    const id = randomUUID();
    emu.state.addUser(makeUser({ id, userPrincipalName: `csv-${tag}@${emu.domain}`, displayName: `=HYPERLINK("x") ${tag}`, department: 'Sales, EMEA' }));
    const { panel } = await open('users');
    vscode.fakeUi.saveAnswers.push(vscode.Uri.file('/tmp/chosen'));
    panel.receive({ type: 'tableRun', requestId: 3, action: 'exportCsv', ids: [id], more: false });
    const done = await panel.waitFor((m): m is Msg<'tableDone'> => of('tableDone')(m) && m.requestId === 3);
    const bytes = vscode.files.get(vscode.Uri.file('/tmp/chosen.csv').toString());
    assert.ok(bytes, 'written under the chosen name with .csv added');
    const text = new TextDecoder().decode(bytes.slice(3));
    const [header, line] = text.split('\r\n');
    assert.equal(header, '"id","displayName","userPrincipalName","mail","jobTitle","department","accountEnabled","userType","createdDateTime"');
    assert.ok(line?.startsWith(`"${id}","'=HYPERLINK(""x"") ${tag}"`), `a formula is marked as text: ${line}`);
    assert.ok(line?.includes('"Sales, EMEA"'));
    assert.equal(done.message, 'Saved 1 users to chosen.csv.');
  });

  it('copies the selected ids; opens a row it holds; refuses rows it does not', async () => {
    const { panel, rows } = await open('users');
    const idAt = cellIndex('users', 'id');
    const picked = rows.slice(0, 3).map((r) => r[idAt] as string);
    panel.receive({ type: 'tableRun', requestId: 9, action: 'copyIds', ids: picked, more: false });
    await panel.waitFor((m): m is Msg<'tableDone'> => of('tableDone')(m) && m.requestId === 9);
    assert.equal(vscode.fakeUi.clipboard, picked.join('\n'));
    const before = vscode.webviewPanels.length;
    panel.receive({ type: 'tableOpen', id: randomUUID() });
    panel.receive({ type: 'tableRun', requestId: 10, action: 'copyIds', ids: [randomUUID()], more: false });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(vscode.webviewPanels.length, before, 'an id the table does not hold opens nothing');
    assert.ok(!panel.posted.some((m) => of('tableDone')(m) && m.requestId === 10), 'and runs nothing');
    panel.receive({ type: 'tableOpen', id: picked[0] });
    assert.equal(vscode.webviewPanels.at(-1)?.viewType, 'entraId.profile');
  });

  it('refuses a membership change over the limit however the page sends it, and counts a row sent twice once', async () => {
    const { panel, rows } = await open('users');
    const ids = rows.map((r) => r[cellIndex('users', 'id')] as string);
    assert.ok(ids.length > MAX_TABLE_CHANGE);
    emu.clearLog();
    // In parts, each within the protocol's bounds, together over the limit: nothing is asked or sent.
    for (let at = 0; at <= MAX_TABLE_CHANGE; at += 500) panel.receive({ type: 'tableRun', requestId: 20, action: 'addToGroup', ids: ids.slice(at, Math.min(at + 500, MAX_TABLE_CHANGE + 1)), more: at + 500 <= MAX_TABLE_CHANGE });
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(!panel.posted.some((m) => of('tableDone')(m) && m.requestId === 20), 'not run');
    assert.equal(vscode.fakeUi.quickPickOptions.length, 0, 'no group asked for');
    assert.ok(!emu.log.some((e) => e.method !== 'GET'), 'nothing sent');
    // The same rows again and again: one row.
    panel.receive({ type: 'tableRun', requestId: 21, action: 'copyIds', ids: [ids[0] as string], more: true });
    panel.receive({ type: 'tableRun', requestId: 21, action: 'copyIds', ids: [ids[0] as string, (ids[0] as string).toUpperCase()], more: false });
    await panel.waitFor((m): m is Msg<'tableDone'> => of('tableDone')(m) && m.requestId === 21);
    assert.equal(vscode.fakeUi.clipboard, (ids[0] as string).toLowerCase());
  });

  it('remembers the chosen columns for the next table of that kind', async () => {
    const first = await open('groups');
    first.panel.receive({ type: 'tableColumns', columns: ['displayName', 'description', 'id'] });
    await new Promise((r) => setTimeout(r, 20));
    first.panel.dispose();
    const again = await open('groups');
    assert.deepEqual(again.state.columns, ['displayName', 'description', 'id']);
  });

  it('applies a change made elsewhere to its row without reading Graph again', async () => {
    const { panel, rows } = await open('users');
    const id = rows[0]?.[cellIndex('users', 'id')] as string;
    emu.clearLog();
    const result = await services.writes.updateUser(id, { department: 'Renamed dept' }, { surface: 'command' });
    assert.ok(result.success);
    const changed = await panel.waitFor(of('tableChanged'));
    assert.equal(changed.rows[0]?.[cellIndex('users', 'department')], 'Renamed dept');
    assert.ok(!emu.log.some((e) => e.method === 'GET' && e.path === '/v1.0/users'), 'no re-read');
  });

  it('takes out a deleted group\'s row and puts it back when the group is restored', async () => {
    const { panel, rows } = await open('groups');
    const id = rows[0]?.[cellIndex('groups', 'id')] as string;
    const deleted = await services.writes.deleteGroup(id, { surface: 'command' });
    assert.ok(deleted.success);
    const gone = await panel.waitFor((m): m is Msg<'tableChanged'> => of('tableChanged')(m) && m.removed.includes(id));
    assert.deepEqual(gone.rows, []);
    const restored = await services.writes.restoreGroup(id, { surface: 'command' });
    assert.ok(restored.success);
    const back = await panel.waitFor((m): m is Msg<'tableChanged'> => of('tableChanged')(m) && m.rows.some((r) => r[cellIndex('groups', 'id')] === id));
    assert.deepEqual(back.removed, []);
  });
});
