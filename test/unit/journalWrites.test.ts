/**
 * The write path journals every change, whichever surface made it (a command, a page, a chat tool, Apply of a plan,
 * an undo), with the request ids the emulator saw; and History's Undo reverses a change with the exact inverse request,
 * says when something changed it since, and is journaled itself.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { FOCUSED_ROW, registerCommands } from '../../src/commands';
import { CommandIds } from '../../src/contributions';
import type { JournalEntry } from '../../src/shared/journal';
import { SettingKeys } from '../../src/shared/settingKeys';
import { MembersFolder } from '../../src/tree/folders';
import { GroupNode, UserNode } from '../../src/tree/nodes';
import { undoEntry, type UndoDeps } from '../../src/undo';
import { isExtensionMessage, type ExtensionMessage } from '../../src/webviews/protocol';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { commandDeps } from '../support/commandDeps';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';
import { emulatorClient, invoke, makeHarness } from './lmHarness';

type Init = Extract<ExtensionMessage, { type: 'init' }>;
const loaded = (m: unknown): m is Init => isExtensionMessage(m) && m.type === 'init' && !m.state.loading;

let emu: Emulator;
let registrations: Array<{ dispose(): void }> = [];

before(async () => {
  emu = await startEmulator({ users: 8, groups: 3, seed: 16 });
});
after(() => emu.close());
afterEach(() => {
  for (const r of registrations) r.dispose();
  registrations = [];
  for (const p of vscode.webviewPanels.splice(0)) p.dispose();
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

function fixture(): { groupId: string; userId: string; otherId: string; groupName: string; userName: string } {
  const tag = randomUUID().slice(0, 6);
  const groupId = randomUUID();
  const userId = randomUUID();
  const otherId = randomUUID();
  emu.state.addUser(makeUser({ id: userId, userPrincipalName: `jr-${tag}@${emu.domain}`, displayName: `Jo Journal ${tag}`, jobTitle: 'Deckhand' }));
  emu.state.addUser(makeUser({ id: otherId, userPrincipalName: `jo-${tag}@${emu.domain}`, displayName: `Ole Other ${tag}` }));
  emu.state.addGroup(makeGroup({ id: groupId, displayName: `Aaa journal ${tag}`, mailNickname: `jr-${tag}`, securityEnabled: true, mailEnabled: false, groupTypes: [], description: 'Before' }));
  emu.state.addMember(groupId, userId);
  return { groupId, userId, otherId, groupName: `Aaa journal ${tag}`, userName: `Jo Journal ${tag}` };
}

const writesSince = (seq: number) => emu.log.filter((e) => e.seq > seq && e.method !== 'GET' && e.path.startsWith('/v1.0/'));
const lastSeq = (): number => emu.log.at(-1)?.seq ?? 0;
const only = (entries: JournalEntry[]): JournalEntry => {
  assert.equal(entries.length, 1, JSON.stringify(entries));
  return entries[0]!;
};

/** The journal's request ids are the ones the emulator saw: the client-request-id we sent, the request-id it answered. */
function assertRequestsOf(entry: JournalEntry, seq: number): void {
  const seen = writesSince(seq).map((e) => ({ clientRequestId: e.headers['client-request-id'], requestId: e.requestId }));
  assert.ok(seen.length > 0);
  for (const s of seen) assert.ok(entry.requests.some((r) => r.clientRequestId === s.clientRequestId && r.requestId === s.requestId), `request ${JSON.stringify(s)} journaled`);
}

describe('every surface journals through the write path', () => {
  it('a command (Remove Member on a row): surface, who, the group and member by name, outcome and request ids', async () => {
    const f = fixture();
    const services = emulatorServices(emu);
    const focus: { row?: UserNode } = {};
    const deps = commandDeps(services, { focused: () => focus.row });
    registrations = registerCommands(() => deps);
    const row = (await deps.trees.groups.getChildren()).find((n): n is GroupNode => n instanceof GroupNode && n.group.id === f.groupId);
    assert.ok(row);
    const members = (await deps.trees.groups.getChildren(row)).find((n): n is MembersFolder => n instanceof MembersFolder);
    assert.ok(members);
    focus.row = (await deps.trees.groups.getChildren(members)).find((n): n is UserNode => n instanceof UserNode);
    assert.ok(focus.row);
    vscode.fakeUi.messageAnswers.push('Remove');
    const seq = lastSeq();
    await vscode.commands.executeCommand(CommandIds.groupRemoveMember, FOCUSED_ROW);
    assert.equal(emu.state.isMember(f.groupId, f.userId), false);
    const entry = only(services.journal.entries());
    assert.equal(entry.surface, 'command');
    assert.equal(entry.action, 'removeMember');
    assert.deepEqual(entry.object, { id: f.groupId, kind: 'group', name: f.groupName });
    assert.deepEqual(entry.related, { id: f.userId, kind: 'object', name: f.userName });
    assert.equal(entry.outcome, 'done');
    assert.deepEqual(entry.who, { label: 'admin', userId: emu.signedInUserId });
    assertRequestsOf(entry, seq);
    assert.ok(!JSON.stringify(entry).includes('Bearer'), 'no token');
  });

  it('a page (the user form): the changed field before and after, from the values the form was showing', async () => {
    const f = fixture();
    const services = emulatorServices(emu);
    panelsOf(services).editUser(f.userId);
    const panel = vscode.webviewPanels.at(-1);
    assert.ok(panel);
    panel.receive({ type: 'ready' });
    const { state } = await panel.waitFor(loaded);
    assert.ok(state.view === 'userForm');
    panel.receive({ type: 'submit', requestId: 1, form: 'editUser', values: { ...state.values, jobTitle: 'Navigator' } });
    await panel.waitFor((m): m is ExtensionMessage => isExtensionMessage(m) && m.type === 'result');
    const entry = only(services.journal.entries());
    assert.equal(entry.surface, 'form');
    assert.equal(entry.action, 'updateUser');
    assert.deepEqual(entry.object, { id: f.userId, kind: 'user', name: f.userName });
    assert.deepEqual(entry.before, { jobTitle: 'Deckhand' });
    assert.deepEqual(entry.after, { jobTitle: 'Navigator' });
  });

  it('a chat tool: surface "chat"', async () => {
    const f = fixture();
    const h = makeHarness(() => emulatorClient(emu));
    const r = await invoke(h, 'entra_add_member_to_group', { groupId: f.groupId, memberId: f.otherId });
    assert.equal(r.json.success, true, r.summary);
    const entry = only(h.journal.entries());
    assert.equal(entry.surface, 'chat');
    assert.equal(entry.action, 'addMember');
    assert.equal(entry.related?.id, f.otherId);
    assert.equal(entry.related?.kind, 'user');
  });

  it('Apply of a plan: one entry per member change, one run id; an omitted list journals nothing', async () => {
    const f = fixture();
    const services = emulatorServices(emu);
    const plan = await services.client.planGroupMembership(f.groupId, { members: [f.otherId] });
    assert.ok(plan.success);
    const result = await services.writes.applyMembershipPlan({ id: f.groupId, displayName: f.groupName }, plan.data, { surface: 'apply' });
    assert.ok(result.success);
    const entries = services.journal.entries();
    assert.deepEqual(entries.map((e) => `${e.surface} ${e.action} ${e.related?.id ?? ''} ${e.outcome}`).sort(), [`apply addMember ${f.otherId} done`, `apply removeMember ${f.userId} done`].sort());
    assert.equal(new Set(entries.map((e) => e.runId)).size, 1);
    assert.ok(entries[0]?.runId);
  });

  it('a failed change: outcome failed with Graph\'s code and request id', async () => {
    const services = emulatorServices(emu);
    const missing = randomUUID();
    const result = await services.writes.updateGroup(missing, { description: 'x' }, { surface: 'command' });
    assert.equal(result.success, false);
    const entry = only(services.journal.entries());
    assert.equal(entry.outcome, 'failed');
    assert.equal(entry.error?.code, 'Request_ResourceNotFound');
    assert.equal(entry.error?.status, 404);
    assert.ok(entry.error?.requestId);
  });

  it('a write refused before any request (read-only mode) journals nothing: nothing was sent', async () => {
    const f = fixture();
    const services = emulatorServices(emu);
    vscode.settings.set(SettingKeys.readOnly, true);
    try {
      const result = await services.writes.removeMember(f.groupId, f.userId, { surface: 'command' });
      assert.equal(result.success, false);
    } finally {
      vscode.settings.delete(SettingKeys.readOnly);
    }
    assert.deepEqual(services.journal.entries(), []);
  });
});

describe('Undo from the journal', () => {
  function undoDeps(services: ReturnType<typeof emulatorServices>, answers: boolean[], asked: Array<{ question: string; detail: string }>): UndoDeps {
    return {
      writes: services.writes,
      graph: () => services.client,
      journal: services.journal,
      log: services.log,
      confirm: (question, detail) => {
        asked.push({ question, detail });
        return Promise.resolve(answers.shift() ?? false);
      },
    };
  }

  it('a removed member is added back (exact request), after a confirmation naming both; the undo is journaled', async () => {
    const f = fixture();
    const services = emulatorServices(emu);
    await services.writes.removeMember(f.groupId, f.userId, { surface: 'command', objectName: f.groupName, relatedName: f.userName });
    const removed = only(services.journal.entries());
    const asked: Array<{ question: string; detail: string }> = [];
    const seq = lastSeq();
    assert.equal(await undoEntry(undoDeps(services, [true], asked), removed.id), 'undone');
    assert.equal(asked[0]?.question, `Undo: add "${f.userName}" back to "${f.groupName}"?`);
    assert.equal(asked[0]?.detail, '', 'nothing changed it since');
    assert.deepEqual(writesSince(seq).map((e) => [e.method, e.path, e.body]), [
      ['POST', `/v1.0/groups/${f.groupId}/members/$ref`, { '@odata.id': `${emu.graphUrl}/directoryObjects/${f.userId}` }],
    ]);
    assert.ok(emu.state.isMember(f.groupId, f.userId));
    const undo = services.journal.entries().at(-1);
    assert.equal(undo?.surface, 'undo');
    assert.equal(undo?.action, 'addMember');
    assert.equal(undo?.undoOf, removed.id);
    assert.equal(undo?.outcome, 'done');
  });

  it('an added owner is removed again with DELETE …/owners/{id}/$ref', async () => {
    const f = fixture();
    // Graph keeps a group's last owner: the group has one already, so the undo may take the added one away.
    emu.state.addOwner(f.groupId, f.userId);
    const services = emulatorServices(emu);
    assert.ok((await services.writes.addOwner(f.groupId, { id: f.otherId, displayName: 'Ole' }, { surface: 'form' })).success);
    const added = only(services.journal.entries());
    const seq = lastSeq();
    assert.equal(await undoEntry(undoDeps(services, [true], []), added.id), 'undone');
    assert.deepEqual(writesSince(seq).map((e) => `${e.method} ${e.path}`), [`DELETE /v1.0/groups/${f.groupId}/owners/${f.otherId}/$ref`]);
    assert.ok(!emu.state.ownersOf(f.groupId).includes(f.otherId));
  });

  it('a group update is set back to the values before it (only the fields it changed)', async () => {
    const f = fixture();
    const services = emulatorServices(emu);
    const group = emu.state.group(f.groupId);
    assert.ok(group);
    assert.ok((await services.writes.updateGroup(f.groupId, { description: 'After' }, { surface: 'form', objectName: f.groupName, before: { description: 'Before', displayName: f.groupName } })).success);
    const updated = only(services.journal.entries());
    const asked: Array<{ question: string; detail: string }> = [];
    const seq = lastSeq();
    assert.equal(await undoEntry(undoDeps(services, [true], asked), updated.id), 'undone');
    assert.equal(asked[0]?.question, `Undo: set description of "${f.groupName}" back?`);
    assert.match(asked[0]?.detail ?? '', /description: "After" → "Before"/);
    assert.deepEqual(writesSince(seq).map((e) => [e.method, e.path, e.body]), [['PATCH', `/v1.0/groups/${f.groupId}`, { description: 'Before' }]]);
  });

  it('a user update that someone changed since (the directory, read first, holds another value) says so before overwriting', async () => {
    const f = fixture();
    const services = emulatorServices(emu);
    assert.ok((await services.writes.updateUser(f.userId, { jobTitle: 'Captain' }, { surface: 'form', before: { jobTitle: 'Deckhand' } })).success);
    const updated = only(services.journal.entries());
    // Changed elsewhere (the admin center, another tool): the journal does not know, the directory does.
    assert.ok((await emulatorServices(emu).client.updateUser(f.userId, { jobTitle: 'Admiral' })).success);
    const asked: Array<{ question: string; detail: string }> = [];
    let seq = lastSeq();
    assert.equal(await undoEntry(undoDeps(services, [false], asked), updated.id), 'declined');
    assert.match(asked[0]?.detail ?? '', /other values for jobTitle/);
    assert.deepEqual(writesSince(seq), [], 'declined: nothing sent');
    seq = lastSeq();
    assert.equal(await undoEntry(undoDeps(services, [true], []), updated.id), 'undone');
    assert.deepEqual(writesSince(seq).map((e) => [e.method, e.path, e.body]), [['PATCH', `/v1.0/users/${f.userId}`, { jobTitle: 'Deckhand' }]]);
  });

  it('a membership changed again later (a newer journal entry) is named in the confirmation', async () => {
    const f = fixture();
    const services = emulatorServices(emu);
    await services.writes.removeMember(f.groupId, f.userId, { surface: 'command' });
    await services.writes.addMember({ id: f.groupId }, { id: f.userId }, { surface: 'chat' });
    const [removed] = services.journal.entries();
    assert.ok(removed);
    const asked: Array<{ question: string; detail: string }> = [];
    const seq = lastSeq();
    assert.equal(await undoEntry(undoDeps(services, [false], asked), removed.id), 'declined');
    assert.match(asked[0]?.detail ?? '', /Changed again since then \(1 later change\(s\), the latest: Added /);
    assert.deepEqual(writesSince(seq), []);
  });

  it('undoing a delete restores the group from deleted items, with its members, and journals the restore as an undo', async () => {
    const f = fixture();
    const services = emulatorServices(emu);
    assert.ok((await services.writes.deleteGroup(f.groupId, { surface: 'command', objectName: f.groupName })).success);
    assert.ok(emu.state.deletedItems.group(f.groupId), 'the emulator holds the group in deleted items');
    const deleted = only(services.journal.entries());
    const asked: Array<{ question: string; detail: string }> = [];
    const seq = lastSeq();
    assert.equal(await undoEntry(undoDeps(services, [true], asked), deleted.id), 'undone');
    assert.deepEqual(asked.map((a) => a.question), [`Undo: restore the deleted group "${f.groupName}"?`]);
    assert.deepEqual(writesSince(seq).map((e) => `${e.method} ${e.path}`), [`POST /v1.0/directory/deletedItems/${f.groupId}/restore`]);
    assert.ok(emu.state.isMember(f.groupId, f.userId), 'the member came back with the group');
    const restore = services.journal.entries().at(-1);
    assert.equal(restore?.action, 'restoreGroup');
    assert.equal(restore?.surface, 'undo');
    assert.equal(restore?.undoOf, deleted.id);
  });

  it('a failed change has nothing to undo: said, and nothing sent', async () => {
    const services = emulatorServices(emu);
    await services.writes.removeMember(randomUUID(), randomUUID(), { surface: 'command' });
    const failed = only(services.journal.entries());
    const seq = lastSeq();
    assert.equal(await undoEntry(undoDeps(services, [true], []), failed.id), 'notUndoable');
    assert.match(vscode.shown.info.at(-1) ?? '', /nothing was changed/);
    assert.deepEqual(writesSince(seq), []);
  });
});
