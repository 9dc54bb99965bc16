/**
 * The History view over the journal: rows newest first, named through the text policy, marked undoable only when an
 * undo exists; the filter and export commands; an entry's details document; and the Undo button on a change's own
 * notification, which undoes that change after its confirmation.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { FOCUSED_ROW, registerCommands } from '../../src/commands';
import { CommandIds } from '../../src/contributions';
import { HistoryDocument } from '../../src/historyDocument';
import type { JournalEntry } from '../../src/shared/journal';
import { MembersFolder } from '../../src/tree/folders';
import { HISTORY_CONTEXT, HistoryNode, HistoryTreeProvider, OlderEntriesNode } from '../../src/tree/historyTree';
import { GroupNode, UserNode } from '../../src/tree/nodes';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { commandDeps, readyDeps } from '../support/commandDeps';
import { MemoryJournal } from '../support/memoryJournal';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

const GROUP = { id: '6c000000-0000-4000-8000-000000000001', kind: 'group' as const, name: 'Ferry crew' };
const HOSTILE = { id: '6c000000-0000-4000-8000-000000000002', kind: 'user' as const, name: 'Eve\n[click](command:workbench.action.quit)\u202E' };
const BOB = { id: '6c000000-0000-4000-8000-000000000003', kind: 'user' as const, name: 'Bob' };

function entry(n: number, over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    v: 1, id: `h${n}`, at: new Date(Date.UTC(2026, 1, n, 9)).toISOString(), who: { label: 'admin' }, surface: 'command', action: 'addMember',
    object: GROUP, related: BOB, outcome: 'done', requests: [{ clientRequestId: `c${n}`, requestId: `r${n}` }], ...over,
  };
}

async function filled(entries: JournalEntry[]): Promise<{ journal: MemoryJournal; tree: HistoryTreeProvider }> {
  const journal = new MemoryJournal();
  for (const e of entries) await journal.append(e);
  return { journal, tree: new HistoryTreeProvider(journal, new vscode.EventEmitter<unknown>().event) };
}

let emu: Emulator;
let registrations: Array<{ dispose(): void }> = [];
before(async () => {
  emu = await startEmulator({ users: 6, groups: 2, seed: 61 });
});
after(() => emu.close());
afterEach(() => {
  for (const r of registrations) r.dispose();
  registrations = [];
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

describe('the History view', () => {
  it('lists entries newest first, names them through the text policy, and marks only undoable ones', async () => {
    const { tree } = await filled([
      entry(1, { related: HOSTILE }),
      entry(3, { action: 'removeMember', outcome: 'failed', error: { code: 'Authorization_RequestDenied', status: 403 } }),
      entry(2, { action: 'createGroup', related: undefined }),
    ]);
    const rows = await tree.getChildren();
    assert.deepEqual(rows.map((r) => (r instanceof HistoryNode ? r.entry.id : 'older')), ['h3', 'h2', 'h1']);
    const [failed, created, added] = rows.map((r) => tree.getTreeItem(r));
    assert.equal(failed?.label, 'failed (Authorization_RequestDenied): Removed "Bob" from "Ferry crew"');
    assert.equal(failed?.contextValue, HISTORY_CONTEXT.entry, 'a failed change has nothing to undo');
    assert.equal(created?.contextValue, HISTORY_CONTEXT.entry, 'a create has no undo');
    assert.equal(added?.contextValue, HISTORY_CONTEXT.undoable);
    const label = typeof added?.label === 'string' ? added.label : '';
    assert.ok(!/[\n\u202E]/.test(label), `one plain line: ${JSON.stringify(label)}`);
    assert.match(label, /^Added "Eve/);
    assert.match(String(added?.description), /command$/);
    assert.deepEqual(added?.command?.arguments, [rows[2]]);
  });

  it('names an outcome without an error code plainly, with no empty brackets', async () => {
    const { tree } = await filled([entry(1, { outcome: 'failed', error: undefined }), entry(2, { outcome: 'unknown', error: undefined })]);
    const labels = (await tree.getChildren()).map((r) => tree.getTreeItem(r).label);
    assert.deepEqual(labels, ['outcome unknown: Added "Bob" to "Ferry crew"', 'failed: Added "Bob" to "Ferry crew"']);
  });

  it('lists the newest 500 and then says how many older changes it leaves out', async () => {
    const { tree } = await filled(Array.from({ length: 503 }, (_, i) => entry(1, { id: `h${i}`, at: new Date(Date.UTC(2026, 1, 1, 9, 0, i)).toISOString() })));
    const rows = await tree.getChildren();
    assert.equal(rows.length, 501);
    assert.ok(rows[0] instanceof HistoryNode && rows[0].entry.id === 'h502', 'newest first');
    const last = rows.at(-1);
    assert.ok(last instanceof OlderEntriesNode);
    const item = tree.getTreeItem(last);
    assert.equal(item.label, '3 older changes not listed: filter the history, or export it to see them all');
    assert.equal(item.contextValue, HISTORY_CONTEXT.older, 'not an entry: no Undo or Show Details');
  });

  it('filters by surface, object and date through the quick picks, and clears the filter', async () => {
    const { journal } = await filled([entry(1, { surface: 'chat' }), entry(2, { surface: 'form', related: HOSTILE }), entry(3, { surface: 'undo' })]);
    const services = emulatorServices(emu);
    const deps = commandDeps(services, { history: new HistoryTreeProvider(journal, services.identity.onDidChange) });
    registrations = registerCommands(readyDeps(deps));
    const pick = (label: string | RegExp) => (items: readonly unknown[]) => items.find((i) => (typeof i === 'string' ? i : (i as { label: string }).label).match(label));
    vscode.fakeUi.quickPickAnswers.push(pick('By where the change was made…'), pick('chat tool'));
    await vscode.commands.executeCommand(CommandIds.historyFilter);
    assert.deepEqual((await deps.history.shown()).map((e) => e.id), ['h1']);
    await vscode.commands.executeCommand(CommandIds.historyClearFilter);
    vscode.fakeUi.quickPickAnswers.push(pick('By object…'), pick(/^Eve/));
    await vscode.commands.executeCommand(CommandIds.historyFilter);
    assert.deepEqual((await deps.history.shown()).map((e) => e.id), ['h2']);
    deps.history.setFilter({});
    assert.deepEqual((await deps.history.shown()).map((e) => e.id), ['h3', 'h2', 'h1']);
  });

  it('exports the listed entries as JSON (whole records, newest first) and as CSV (one quoted row each)', async () => {
    const entries = [entry(1), entry(2, { surface: 'chat', related: { ...BOB, name: '=HYPERLINK("x")' } })];
    const { journal } = await filled(entries);
    const services = emulatorServices(emu);
    registrations = registerCommands(readyDeps(commandDeps(services, { history: new HistoryTreeProvider(journal, services.identity.onDidChange) })));
    const json = vscode.Uri.file('/tmp/history.json');
    vscode.fakeUi.quickPickAnswers.push((items) => items.find((i) => (i as { label: string }).label === 'JSON'));
    vscode.fakeUi.saveAnswers.push(json);
    await vscode.commands.executeCommand(CommandIds.historyExport);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(vscode.files.get(json.toString()))), [entries[1], entries[0]]);
    const csv = vscode.Uri.file('/tmp/history.csv');
    vscode.fakeUi.quickPickAnswers.push((items) => items.find((i) => (i as { label: string }).label === 'CSV'));
    vscode.fakeUi.saveAnswers.push(csv);
    await vscode.commands.executeCommand(CommandIds.historyExport);
    const text = new TextDecoder().decode(vscode.files.get(csv.toString())).replace(/^\uFEFF/, '');
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? '', /^"time","who","surface","action",/);
    assert.ok(lines[1]?.includes(`"'=HYPERLINK(""x"")"`), 'a formula-like name is marked as text');
    assert.ok(lines[1]?.includes('"r2"'), 'request ids exported');
  });

  it('an entry\'s details: a summary, then the whole record with every string through the text policy', async () => {
    const { journal } = await filled([entry(1, { related: HOSTILE })]);
    const text = await new HistoryDocument(journal).provideTextDocumentContent(vscode.Uri.from({ scheme: 'entra-id-history', path: '/h1.jsonc' }));
    assert.match(text, /^\/\/ Added "Eve/);
    assert.ok(!text.includes('\u202E'), 'no bidi control');
    const json = text.slice(text.indexOf('{'));
    const shown = JSON.parse(json) as JournalEntry;
    assert.equal(shown.id, 'h1');
    assert.deepEqual(shown.requests, [{ clientRequestId: 'c1', requestId: 'r1' }]);
  });
});

describe('Undo on a change\'s own notification', () => {
  /** A user in a new security group, the member row focused in the Groups view (as the Delete key finds it), commands registered. */
  async function memberRowFocused(userName: string, groupName: string): Promise<{ services: ReturnType<typeof emulatorServices>; groupId: string; userId: string }> {
    const groupId = randomUUID();
    const userId = randomUUID();
    emu.state.addUser(makeUser({ id: userId, userPrincipalName: `hv-${userId.slice(0, 6)}@${emu.domain}`, displayName: userName }));
    emu.state.addGroup(makeGroup({ id: groupId, displayName: groupName, mailNickname: `hv-${groupId.slice(0, 6)}`, securityEnabled: true, mailEnabled: false, groupTypes: [] }));
    emu.state.addMember(groupId, userId);
    const services = emulatorServices(emu);
    const focus: { row?: UserNode } = {};
    const deps = commandDeps(services, { focused: () => focus.row });
    registrations = registerCommands(readyDeps(deps));
    const row = (await deps.trees.groups.getChildren()).find((n): n is GroupNode => n instanceof GroupNode && n.group.id === groupId);
    assert.ok(row);
    const members = (await deps.trees.groups.getChildren(row)).find((n): n is MembersFolder => n instanceof MembersFolder);
    assert.ok(members);
    focus.row = (await deps.trees.groups.getChildren(members)).find((n): n is UserNode => n instanceof UserNode);
    assert.ok(focus.row);
    return { services, groupId, userId };
  }

  it('Remove Member\'s notification offers Undo; choosing it confirms, then adds the member back', async () => {
    const { services, groupId, userId } = await memberRowFocused('Una Undo', 'Aaa undo group');
    // The removal's modal, the notification's button, then Undo's own modal.
    vscode.fakeUi.messageAnswers.push('Remove', 'Undo', 'Undo');
    await vscode.commands.executeCommand(CommandIds.groupRemoveMember, FOCUSED_ROW);
    assert.equal(vscode.shown.info[0], 'Removed "Una Undo" from "Aaa undo group".');
    const deadline = Date.now() + 10_000;
    // The button's undo runs after the command returned: wait for its journal entry (written once Graph answered).
    while (services.journal.entries().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(emu.state.isMember(groupId, userId), 'the member is back');
    assert.deepEqual(vscode.shown.modals.map((m) => m.text), ['Remove "Una Undo" from "Aaa undo group"?', 'Undo: add "Una Undo" back to "Aaa undo group"?']);
    assert.deepEqual(services.journal.entries().map((e) => `${e.surface} ${e.action}`), ['command removeMember', 'undo addMember']);
  });

  it('the notification also offers Copy as Script…: the change\'s own request goes to the clipboard, without a token', async () => {
    const { services, groupId, userId } = await memberRowFocused('Cora Copy', 'Aab copy group');
    // The removal's modal, the notification's Copy button; then the script kind is picked.
    vscode.fakeUi.messageAnswers.push('Remove', 'Copy as Script…');
    vscode.fakeUi.quickPickAnswers.push((items) => items.find((i) => (i as { label: string }).label === 'Azure CLI (az rest, bash)'));
    await vscode.commands.executeCommand(CommandIds.groupRemoveMember, FOCUSED_ROW);
    const deadline = Date.now() + 10_000;
    while (!vscode.fakeUi.clipboard && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(emu.state.isMember(groupId, userId), false, 'removed once; copying sends nothing');
    assert.match(vscode.fakeUi.clipboard, new RegExp(`az rest --method delete --url '${services.graph().baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/groups/${groupId}/members/${userId}/\\$ref'`));
    assert.doesNotMatch(vscode.fakeUi.clipboard, /Bearer|eyJ/);
  });
});
