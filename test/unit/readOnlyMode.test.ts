/**
 * Read-only mode (`entraId.readOnly`): the manifest offers no write anywhere when the context key is set, and a
 * write that is run anyway (palette, shortcut, another extension, a page, a chat tool, the write path itself) is
 * refused before any request with the same message. Also the app-only check before sending.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { COMMANDS, FOCUSED_ROW, registerCommands } from '../../src/commands';
import { CommandIds, ContextKeys } from '../../src/contributions';
import { SettingKeys } from '../../src/shared/settingKeys';
import { AccountStatus } from '../../src/statusBar';
import { isExtensionMessage, type ExtensionMessage, type GroupPageState, type ProfileState } from '../../src/webviews/protocol';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { commandDeps, readyDeps } from '../support/commandDeps';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';
import { emulatorClient, invoke, makeHarness, prepare, confirmationText } from './lmHarness';

const READ_ONLY_WORDS = /^Entra ID is in read-only mode \(setting entraId\.readOnly\)/;

/** The commands that change the directory, written out here (not read from the table) so the table is checked. */
const EXPECTED_WRITES = [
  'entraId.user.setManager', 'entraId.user.clearManager', 'entraId.user.edit', 'entraId.user.addToGroup',
  'entraId.group.create', 'entraId.group.edit', 'entraId.group.delete', 'entraId.group.addMember',
  'entraId.group.removeMember', 'entraId.group.restore', 'entraId.node.edit', 'entraId.desiredState.apply', 'entraId.history.undo',
].sort();

interface Entry { command: string; when?: string }
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, Entry[]>; keybindings: Entry[] };
};

/** True when every way the clause can hold requires read-only mode off (or it never holds). */
function hiddenInReadOnlyMode(when: string | undefined): boolean {
  if (when === undefined) return false;
  if (when.trim() === 'false') return true;
  return when.split('||').every((disjunct) => disjunct.split('&&').some((term) => term.trim() === `!${ContextKeys.readOnly}`));
}

let emu: Emulator;
let registrations: Array<{ dispose(): void }> = [];

before(async () => {
  emu = await startEmulator({ users: 12, groups: 4, seed: 14 });
});
after(() => emu.close());
beforeEach(() => {
  vscode.settings.set(SettingKeys.readOnly, true);
  emu.clearLog();
});
afterEach(() => {
  for (const r of registrations) r.dispose();
  registrations = [];
  vscode.settings.clear();
  vscode.shown.reset();
  vscode.fakeUi.reset();
  vscode.executed.length = 0;
});

const graphRequests = (): string[] => emu.log.filter((e) => e.path.startsWith('/v1.0/')).map((e) => `${e.method} ${e.path}`);
const writeRequests = (): string[] => emu.log.filter((e) => e.path.startsWith('/v1.0/') && e.method !== 'GET').map((e) => `${e.method} ${e.path}`);

function seedUserAndGroup(): { userId: string; groupId: string } {
  const tag = randomUUID().slice(0, 8);
  const userId = randomUUID();
  emu.state.addUser(makeUser({ id: userId, userPrincipalName: `ro-${tag}@${emu.domain}`, displayName: `Read Only ${tag}` }));
  const group = makeGroup({ id: randomUUID(), displayName: `RO group ${tag}`, mailNickname: `ro-${tag}` });
  emu.state.addGroup(group);
  emu.state.addMember(group.id, userId);
  return { userId, groupId: group.id };
}

describe('read-only mode: what the manifest offers', () => {
  it('marks exactly the commands that change the directory as writes in the command table', () => {
    const marked = Object.entries(COMMANDS).filter(([, spec]) => spec.writes !== undefined).map(([id]) => id).sort();
    assert.deepEqual(marked, EXPECTED_WRITES);
  });

  it('hides every write command from menus, palette and keybindings in read-only mode, and only those', () => {
    const writes = new Set(Object.entries(COMMANDS).filter(([, spec]) => spec.writes).map(([id]) => id));
    const entries: Array<[string, Entry]> = [
      ...Object.entries(manifest.contributes.menus).flatMap(([menu, list]) => list.map((e): [string, Entry] => [menu, e])),
      ...manifest.contributes.keybindings.map((k): [string, Entry] => ['keybindings', k]),
    ];
    for (const [where, entry] of entries) {
      if (writes.has(entry.command)) assert.ok(hiddenInReadOnlyMode(entry.when), `${where} → ${entry.command}: "${entry.when ?? ''}" shows it in read-only mode`);
      else assert.ok(!(entry.when ?? '').includes(`!${ContextKeys.readOnly}`), `${where} → ${entry.command} is no write but hidden in read-only mode`);
    }
    // Without a palette entry a command shows in the palette whatever the mode.
    const palette = new Set(manifest.contributes.menus.commandPalette?.map((e) => e.command));
    for (const id of writes) assert.ok(palette.has(id), `${id} has a commandPalette entry`);
  });

  it('the clause check itself tells hidden from shown', () => {
    assert.equal(hiddenInReadOnlyMode('view == entraId.groups && !entraId.readOnly'), true);
    assert.equal(hiddenInReadOnlyMode('focusedView == entraId.users && !entraId.readOnly || focusedView == entraId.groups'), false);
    assert.equal(hiddenInReadOnlyMode('entraId.readOnly'), false);
    assert.equal(hiddenInReadOnlyMode(undefined), false);
  });
});

describe('read-only mode: writes run anyway are refused before any request', () => {
  it('every write command, from the palette, a shortcut or a row, warns with the read-only message and sends nothing', async () => {
    const services = emulatorServices(emu);
    const { userId, groupId } = seedUserAndGroup();
    // A focused row of any kind: the shortcut's command is refused before it looks at the row.
    const deps = commandDeps(services, { focused: () => ({ id: userId }) });
    registrations = registerCommands(readyDeps(deps));
    let signIns = 0;
    const signIn = services.auth.signIn.bind(services.auth);
    services.auth.signIn = () => { signIns++; return signIn(); };
    services.auth.account = undefined;
    const args: unknown[] = [undefined, FOCUSED_ROW, userId, groupId];
    for (const id of EXPECTED_WRITES) {
      for (const arg of args) {
        vscode.shown.reset();
        await vscode.commands.executeCommand(id, arg);
        assert.equal(vscode.shown.warnings.length, 1, `${id}(${String(arg)}) warned once`);
        assert.match(vscode.shown.warnings[0] ?? '', READ_ONLY_WORDS, id);
        assert.deepEqual(vscode.shown.modals, [], `${id} asked nothing`);
      }
    }
    assert.equal(signIns, 0, 'not even a sign-in (it could ask for a write permission)');
    assert.deepEqual(graphRequests(), []);
    assert.equal(vscode.webviewPanels.filter((p) => !p.disposed && p.viewType !== 'entraId.profile' && p.viewType !== 'entraId.group').length, 0, 'no form opened');
  });

  it('with the mode off, the same command goes ahead (the guard is the mode, not the command)', async () => {
    vscode.settings.set(SettingKeys.readOnly, false);
    const services = emulatorServices(emu);
    registrations = registerCommands(readyDeps(commandDeps(services)));
    const before = vscode.webviewPanels.length;
    await vscode.commands.executeCommand(CommandIds.groupCreate);
    assert.deepEqual(vscode.shown.warnings, []);
    assert.equal(vscode.webviewPanels.at(-1)?.viewType, 'entraId.groupForm');
    assert.equal(vscode.webviewPanels.length, before + 1);
  });

  it('the write path refuses every write itself, unsent, when the mode is on', async () => {
    const services = emulatorServices(emu);
    const { userId, groupId } = seedUserAndGroup();
    const fired: unknown[] = [];
    services.changes.onDidChange((c) => fired.push(c));
    const results = await Promise.all([
      services.writes.createGroup({ kind: 'security', displayName: 'Nope', mailNickname: 'nope' }, { surface: 'command' }),
      services.writes.updateGroup(groupId, { description: 'x' }, { surface: 'command' }),
      services.writes.deleteGroup(groupId, { surface: 'command' }),
      services.writes.restoreGroup(groupId, { surface: 'command' }),
      services.writes.addMember({ id: groupId }, { id: userId }, { surface: 'command' }),
      services.writes.removeMember(groupId, userId, { surface: 'command' }),
      services.writes.updateUser(userId, { jobTitle: 'x' }, { surface: 'command' }),
      services.writes.removeManager({ id: userId }, { surface: 'command' }),
    ]);
    for (const r of results) {
      assert.equal(r.success, false);
      assert.equal(r.success ? '' : r.error.code, 'ReadOnlyMode');
      assert.match(r.success ? '' : r.error.message, READ_ONLY_WORDS);
    }
    assert.deepEqual(graphRequests(), []);
    assert.deepEqual(fired, []);
  });

  it('forms are not opened: the edit and create forms say why instead', () => {
    const services = emulatorServices(emu);
    const panels = panelsOf(services);
    const before = vscode.webviewPanels.length;
    assert.equal(panels.createGroup(), undefined);
    assert.equal(panels.editGroup(randomUUID()), undefined);
    assert.equal(panels.editUser(randomUUID()), undefined);
    assert.equal(vscode.webviewPanels.length, before);
    assert.equal(vscode.shown.warnings.length, 3);
    for (const w of vscode.shown.warnings) assert.match(w, READ_ONLY_WORDS);
  });

  it('the profile page offers no Edit or manager change, and refuses them if asked', async () => {
    const services = emulatorServices(emu);
    const { userId } = seedUserAndGroup();
    registrations = registerCommands(readyDeps(commandDeps(services)));
    panelsOf(services).showProfile(userId);
    const panel = vscode.webviewPanels.at(-1);
    assert.ok(panel);
    panel.receive({ type: 'ready' });
    const loaded = await panel.waitFor((m): m is Extract<ExtensionMessage, { type: 'init' }> => isExtensionMessage(m) && m.type === 'init' && m.state.view === 'profile' && m.state.user !== undefined);
    assert.equal((loaded.state as ProfileState).readOnlyMode, true);
    const formsBefore = vscode.webviewPanels.length;
    for (const action of ['editUser', 'setManager', 'clearManager'] as const) panel.receive({ type: 'action', action });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(vscode.webviewPanels.length, formsBefore, 'no form opened');
    assert.deepEqual(writeRequests(), []);
    assert.equal(vscode.shown.warnings.length, 3);
    for (const w of vscode.shown.warnings) assert.match(w, READ_ONLY_WORDS);
  });

  it('the group page offers no Edit, Add or Remove, says why, and refuses a removal sent anyway', async () => {
    const services = emulatorServices(emu);
    const { userId, groupId } = seedUserAndGroup();
    panelsOf(services).showGroup(groupId);
    const panel = vscode.webviewPanels.at(-1);
    assert.ok(panel);
    panel.receive({ type: 'ready' });
    const loaded = await panel.waitFor((m): m is Extract<ExtensionMessage, { type: 'init' }> => {
      if (!isExtensionMessage(m) || m.type !== 'init' || m.state.view !== 'group') return false;
      return !m.state.loading && m.state.group !== undefined && m.state.members.rows.length > 0;
    });
    const state = loaded.state as GroupPageState;
    assert.equal(state.readOnlyMode, true);
    assert.equal(state.group?.editable, false);
    assert.equal(state.group?.exportable, true, 'exporting writes a file, not the directory: offered in read-only mode');
    assert.match(state.members.readOnly ?? '', READ_ONLY_WORDS);
    assert.match(state.owners.readOnly ?? '', READ_ONLY_WORDS);
    panel.receive({ type: 'listRemove', requestId: 1, list: 'members', ids: [userId] });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(vscode.shown.modals, [], 'not even asked');
    assert.deepEqual(writeRequests(), []);
  });

  it('chat write tools: the confirmation says nothing will change, and the invoke is refused unsent', async () => {
    const h = makeHarness(() => emulatorClient(emu));
    h.readOnly.value = true;
    const input = { displayName: 'Chat group', kind: 'security' };
    const text = confirmationText(await prepare(h, 'entra_create_group', input)).join('\n');
    assert.match(text, /Nothing will be changed\. Entra ID is in read-only mode/);
    const reply = await invoke(h, 'entra_create_group', input);
    assert.equal(reply.json.success, false);
    assert.equal(reply.json.error?.code, 'ReadOnlyMode');
    // Turned on after a confirmation was shown: still refused.
    h.readOnly.value = false;
    const { groupId } = seedUserAndGroup();
    await prepare(h, 'entra_delete_group', { groupId });
    h.readOnly.value = true;
    const late = await invoke(h, 'entra_delete_group', { groupId });
    assert.equal(late.json.error?.code, 'ReadOnlyMode');
    assert.deepEqual(writeRequests(), []);
    assert.deepEqual(h.fired, []);
  });
});

describe('app-only sign-in: a write its permissions cannot do is refused before sending', () => {
  it('New Group without Group.Create or a write permission says which permission is missing, and opens nothing', async () => {
    vscode.settings.set(SettingKeys.readOnly, false);
    const services = emulatorServices(emu);
    services.auth.account = { method: 'clientCredentials', label: randomUUID(), appOnly: true, grantedScopes: ['User.Read.All', 'Group.Read.All'] };
    registrations = registerCommands(readyDeps(commandDeps(services)));
    const before = vscode.webviewPanels.length;
    await vscode.commands.executeCommand(CommandIds.groupCreate);
    assert.equal(vscode.webviewPanels.length, before);
    assert.equal(vscode.shown.warnings.length, 1);
    assert.match(vscode.shown.warnings[0] ?? '', /^Nothing was sent: .*one of Group\.Create, Group\.ReadWrite\.All, Directory\.ReadWrite\.All/);
    assert.deepEqual(graphRequests(), []);
  });

  it('with Group.Create the form opens; a delegated token is never judged before sending', async () => {
    vscode.settings.set(SettingKeys.readOnly, false);
    const services = emulatorServices(emu);
    services.auth.account = { method: 'clientCredentials', label: randomUUID(), appOnly: true, grantedScopes: ['Group.Create'] };
    registrations = registerCommands(readyDeps(commandDeps(services)));
    await vscode.commands.executeCommand(CommandIds.groupCreate);
    assert.equal(vscode.webviewPanels.at(-1)?.viewType, 'entraId.groupForm');
    services.auth.account = { method: 'vscode', label: 'reader@contoso.com', appOnly: false, grantedScopes: ['User.Read'] };
    vscode.webviewPanels.at(-1)?.dispose();
    await vscode.commands.executeCommand(CommandIds.groupCreate);
    assert.deepEqual(vscode.shown.warnings, []);
    assert.equal(vscode.webviewPanels.at(-1)?.disposed, false, 'the first write may ask for the permission');
  });
});

describe('read-only mode: status bar', () => {
  it('shows a lock and says so in the tooltip and the accessible name, and drops them when turned off', () => {
    const status = new AccountStatus();
    const identity = { account: { method: 'vscode' as const, label: 'megan@contoso.com', appOnly: false } };
    status.update(identity, 'https://graph.microsoft.com/v1.0');
    const item = (status as unknown as { item: { text: string; tooltip: { value: string }; accessibilityInformation: { label: string } } }).item;
    assert.ok(!item.text.includes('$(lock)'));
    status.setReadOnly(true);
    assert.match(item.text, /^\$\(lock\) /);
    assert.match(item.tooltip.value, /Read\\-only mode\\: on/);
    assert.match(item.accessibilityInformation.label, /read-only mode/);
    status.setReadOnly(false);
    assert.ok(!item.text.includes('$(lock)'));
    status.dispose();
  });
});

