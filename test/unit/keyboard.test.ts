/** Keyboard shortcuts act on the focused row: F2 edits, Ctrl+C copies the id, Delete removes a member (after asking). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import { FOCUSED_ROW, registerCommands } from '../../src/commands';
import type { CommandDeps } from '../../src/commands/types';
import { CommandIds } from '../../src/contributions';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { MembersFolder } from '../../src/tree/folders';
import { GroupNode, UserNode } from '../../src/tree/nodes';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { emulatorServices } from '../support/services';
import { noDesiredState, noHistory, readyDeps } from '../support/commandDeps';
import * as vscode from '../support/vscodeFake';

let emu: Emulator;
let focused: unknown;
const opened: string[] = [];
let registrations: Array<{ dispose(): void }> = [];

function deps(): CommandDeps & { trees: { users: DirectoryTreeProvider; groups: DirectoryTreeProvider } } {
  const services = emulatorServices(emu);
  return {
    services,
    trees: { users: new DirectoryTreeProvider('users', services), groups: new DirectoryTreeProvider('groups', services) },
    desiredState: noDesiredState, history: noHistory,
    panels: {
      showProfile: (id) => void opened.push(`profile:${id ?? 'me'}`),
      showGroup: (id) => void opened.push(`group:${id}`),
      showOrgChart: (id) => void opened.push(`orgChart:${id}`),
      showNesting: (subject) => void opened.push(`nesting:${subject.kind}:${subject.id}`),
      createGroup: () => void opened.push('create'),
      editGroup: (id) => void opened.push(`editGroup:${id}`),
      editUser: (id) => void opened.push(`editUser:${id}`),
      showTable: (kind) => void opened.push(`table:${kind}`),
      closeAll: () => undefined,
    },
    portalUrl: () => 'https://entra.microsoft.com',
    setContext: () => Promise.resolve(),
    switchCloud: () => Promise.resolve(),
    focused: () => focused,
  };
}

before(async () => {
  emu = await startEmulator({ users: 10, groups: 3, seed: 9 });
});
after(() => emu.close());
afterEach(() => {
  for (const r of registrations) r.dispose();
  registrations = [];
  focused = undefined;
  opened.length = 0;
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

describe('keyboard shortcuts', () => {
  it('are declared for the two views with the focused-row argument', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { keybindings: Array<{ command: string; key: string; when: string; args?: unknown }> } };
    const byKey = new Map(manifest.contributes.keybindings.map((k) => [k.key, k]));
    assert.equal(byKey.get('f2')?.command, CommandIds.nodeEdit);
    assert.equal(byKey.get('ctrl+c')?.command, CommandIds.nodeCopyId);
    assert.equal(byKey.get('delete')?.command, CommandIds.groupRemoveMember);
    for (const k of manifest.contributes.keybindings) {
      assert.equal(k.args, FOCUSED_ROW, k.key);
      assert.match(k.when, /focusedView == entraId\.users/);
    }
  });

  it('F2 opens the edit form of the focused user or group; Ctrl+C copies its id', async () => {
    const d = deps();
    registrations = registerCommands(() => d);
    const user = (await d.trees.users.getChildren()).find((n): n is UserNode => n instanceof UserNode);
    const group = (await d.trees.groups.getChildren()).find((n): n is GroupNode => n instanceof GroupNode && n.kind.kind === 'security');
    assert.ok(user && group);
    focused = user;
    await vscode.commands.executeCommand(CommandIds.nodeEdit, FOCUSED_ROW);
    await vscode.commands.executeCommand(CommandIds.nodeCopyId, FOCUSED_ROW);
    assert.equal(vscode.fakeUi.clipboard, user.user.id);
    focused = group;
    await vscode.commands.executeCommand(CommandIds.nodeEdit, FOCUSED_ROW);
    assert.deepEqual(opened, [`editUser:${user.user.id}`, `editGroup:${group.group.id}`]);
  });

  it('does nothing when no row has the focus (rather than asking, as the palette would)', async () => {
    registrations = registerCommands(readyDeps(deps()));
    emu.clearLog();
    await vscode.commands.executeCommand(CommandIds.groupRemoveMember, FOCUSED_ROW);
    await vscode.commands.executeCommand(CommandIds.nodeEdit, FOCUSED_ROW);
    assert.deepEqual(opened, []);
    assert.deepEqual(emu.log, [], 'no request, no picker');
  });

  it('Delete on a member row asks, names both, and removes only that membership', async () => {
    const groupId = randomUUID();
    const userId = randomUUID();
    emu.state.addUser(makeUser({ id: userId, userPrincipalName: `kb-${userId.slice(0, 6)}@${emu.domain}`, displayName: 'Kim Keys' }));
    emu.state.addGroup(makeGroup({ id: groupId, displayName: 'Aaa keyboard group', mailNickname: 'kbgroup', securityEnabled: true, mailEnabled: false, groupTypes: [] }));
    emu.state.addMember(groupId, userId);
    const d = deps();
    registrations = registerCommands(() => d);
    const row = (await d.trees.groups.getChildren()).find((n): n is GroupNode => n instanceof GroupNode && n.group.id === groupId);
    assert.ok(row);
    const members = (await d.trees.groups.getChildren(row)).find((n): n is MembersFolder => n instanceof MembersFolder);
    assert.ok(members);
    const member = (await d.trees.groups.getChildren(members)).find((n): n is UserNode => n instanceof UserNode);
    assert.ok(member);
    focused = member;
    vscode.fakeUi.messageAnswers.push('Remove');
    await vscode.commands.executeCommand(CommandIds.groupRemoveMember, FOCUSED_ROW);
    assert.match(vscode.shown.warnings.at(-1) ?? '', /Remove "Kim Keys" from "Aaa keyboard group"\?/);
    assert.equal(emu.state.isMember(groupId, userId), false);
    assert.ok(emu.state.user(userId), 'the user itself stays');
  });
});
