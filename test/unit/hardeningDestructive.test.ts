/**
 * No delete and no member removal without the user's confirmation, on every path: the command palette (quick picks),
 * tree rows, ids passed by other commands, the registered commands, and the Language Model tools. Declining or
 * dismissing at any step leaves the directory exactly as it was.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { DirectoryChange } from '../../src/changes';
import { registerCommands, type CommandDeps } from '../../src/commands';
import * as groupCommands from '../../src/commands/groupCommands';
import { CommandIds } from '../../src/contributions';
import { LM_TOOLS } from '../../src/lm/toolSet';
import { LmToolNames, type LmToolName } from '../../src/lm/toolTypes';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { GroupNode, UserNode, type DirectoryNode } from '../../src/tree/nodes';
import { startEmulator, type Emulator, type GroupRecord } from '../emulator';
import { installQuickPicks, type PickPlan } from '../hardening/quickPick';
import { emulatorServices } from '../support/services';
import { noDesiredState, noHistory } from '../support/commandDeps';
import * as vscode from '../support/vscodeFake';
import { emulatorClient, invoke, makeHarness, prepare } from './lmHarness';

let emu: Emulator;
let services: ReturnType<typeof emulatorServices>;
let deps: CommandDeps;
let changes: DirectoryChange[];
let picks: ReturnType<typeof installQuickPicks>;

before(async () => {
  emu = await startEmulator({ users: 30, groups: 10, seed: 4 });
  picks = installQuickPicks();
});
after(async () => {
  picks.uninstall();
  await emu.close();
});
beforeEach(() => {
  services = emulatorServices(emu);
  changes = [];
  services.changes.onDidChange((c) => changes.push(c));
  const noPanels = { showProfile: () => undefined, showGroup: () => undefined, showOrgChart: () => undefined, showNesting: () => undefined, createGroup: () => undefined, editGroup: () => undefined, editUser: () => undefined, showTable: () => undefined, closeAll: () => undefined };
  deps = {
    services,
    trees: { users: new DirectoryTreeProvider('users', services), groups: new DirectoryTreeProvider('groups', services) },
    panels: noPanels,
    desiredState: noDesiredState, history: noHistory,
    portalUrl: () => 'https://entra.microsoft.com',
    setContext: () => Promise.resolve(),
    switchCloud: () => Promise.resolve(),
    focused: () => undefined,
  };
  emu.clearLog();
  picks.plans.length = 0;
});
afterEach(() => {
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

const writes = () => emu.log.filter((e) => e.method !== 'GET' && e.path.startsWith('/v1.0'));

/** The directory as a comparable snapshot: every group with its members. */
function snapshot(): string {
  return JSON.stringify([...emu.state.groups()].map((g) => [g.id, g.displayName, emu.state.membersOf(g.id)]));
}

/** A fresh plain security group with two members, so each test has its own victim. */
function victim(): GroupRecord {
  const id = crypto.randomUUID();
  const members = [...emu.state.users()].filter((u) => u.accountEnabled).slice(0, 2);
  const template = emu.state.findGroup((g) => g.securityEnabled && !g.mailEnabled && !g.groupTypes.includes('DynamicMembership') && g.onPremisesSyncEnabled !== true);
  assert.ok(template);
  emu.state.addGroup({ ...template, id, displayName: `Victim ${id.slice(0, 8)}`, mailNickname: `victim-${id.slice(0, 8)}`, isAssignableToRole: null });
  for (const m of members) emu.state.addMember(id, m.id);
  return emu.state.group(id) as GroupRecord;
}

/** The group's row in the Groups view, and a member row under it, as the real tree builds them. */
async function rows(group: GroupRecord): Promise<{ groupRow: GroupNode; memberRow: UserNode }> {
  const tree = deps.trees.groups;
  const top = await tree.getChildren();
  let groupRow = top.find((n): n is GroupNode => n instanceof GroupNode && n.group.id === group.id);
  if (!groupRow) groupRow = new GroupNode(undefined, { id: group.id, displayName: group.displayName, groupTypes: group.groupTypes }, tree);
  const folders = await tree.getChildren(groupRow);
  for (const folder of folders) {
    const children: DirectoryNode[] = await tree.getChildren(folder);
    const memberRow = children.find((n): n is UserNode => n instanceof UserNode && n.memberOf === group.id);
    if (memberRow) return { groupRow, memberRow };
  }
  throw new Error('no member row');
}

/** Runs `act`, answering the modal with `answer` (undefined: dismissed), and checks what was asked and what changed. */
async function declined(act: () => Promise<unknown>, answer: string | undefined, expectModal: RegExp): Promise<void> {
  const before = snapshot();
  vscode.fakeUi.messageAnswers.push(answer);
  await act();
  assert.equal(vscode.shown.warnings.length, 1, 'one confirmation was asked');
  assert.match(vscode.shown.warnings[0] ?? '', expectModal);
  assert.deepEqual(writes(), [], 'no write reached Graph');
  assert.deepEqual(changes, [], 'no change was announced');
  assert.equal(snapshot(), before, 'the directory is unchanged');
}

describe('destructive commands ask first', () => {
  it('palette: delete group, dismissed at the confirmation', async () => {
    const g = victim();
    picks.plans.push({ choose: g.id });
    await declined(() => groupCommands.deleteGroup(deps, undefined), undefined, new RegExp(`Delete the group "${g.displayName}"`));
    assert.equal(picks.opened.at(-1)?.title, 'Delete which group?');
  });

  it('palette: delete group, answered with anything but Delete', async () => {
    const g = victim();
    picks.plans.push({ choose: g.id });
    await declined(() => groupCommands.deleteGroup(deps, undefined), 'Cancel', /Delete the group/);
  });

  it('palette: dismissing the group pick asks nothing and changes nothing', async () => {
    const before = snapshot();
    picks.plans.push('dismiss');
    await groupCommands.deleteGroup(deps, undefined);
    assert.deepEqual(vscode.shown.warnings, []);
    assert.deepEqual(writes(), []);
    assert.equal(snapshot(), before);
  });

  it('tree row: delete group, dismissed', async () => {
    const g = victim();
    const { groupRow } = await rows(g);
    emu.clearLog();
    await declined(() => groupCommands.deleteGroup(deps, groupRow), undefined, /Delete the group/);
  });

  it('an id from another command or a webview: delete group, dismissed (the name is read first)', async () => {
    const g = victim();
    await declined(() => groupCommands.deleteGroup(deps, g.id), undefined, new RegExp(g.displayName));
  });

  it('the registered command: delete group, dismissed', async () => {
    const g = victim();
    const disposables = registerCommands(() => deps);
    try {
      await declined(() => vscode.commands.executeCommand(CommandIds.groupDelete, g.id), undefined, /Delete the group/);
    } finally {
      for (const d of disposables) d.dispose();
    }
  });

  it('tree row: remove member, dismissed', async () => {
    const g = victim();
    const { memberRow } = await rows(g);
    emu.clearLog();
    await declined(() => groupCommands.removeMember(deps, memberRow), undefined, /Remove ".*" from ".*"\?/);
  });

  it('palette: remove member, picked group and member, dismissed', async () => {
    const g = victim();
    const [member = ''] = emu.state.membersOf(g.id);
    picks.plans.push({ choose: g.id }, { choose: member } satisfies PickPlan);
    await declined(() => groupCommands.removeMember(deps, undefined), undefined, /Remove/);
  });

  it('palette: remove member, answered with anything but Remove', async () => {
    const g = victim();
    const [member = ''] = emu.state.membersOf(g.id);
    picks.plans.push({ choose: g.id }, { choose: member });
    await declined(() => groupCommands.removeMember(deps, undefined), 'Delete', /Remove/);
  });

  it('and do it once confirmed (the control case)', async () => {
    const g = victim();
    const { groupRow, memberRow } = await rows(g);
    vscode.fakeUi.messageAnswers.push('Remove');
    await groupCommands.removeMember(deps, memberRow);
    assert.ok(!emu.state.isMember(g.id, memberRow.user.id));
    vscode.fakeUi.messageAnswers.push('Delete');
    await groupCommands.deleteGroup(deps, groupRow);
    assert.equal(emu.state.group(g.id), undefined);
    assert.deepEqual(writes().map((e) => e.method), ['DELETE', 'DELETE']);
  });
});

describe('Language Model write tools ask first', () => {
  const WRITE_TOOLS = Object.entries(LM_TOOLS).filter(([, def]) => def.write).map(([name]) => name as LmToolName);

  function inputFor(tool: LmToolName, g: GroupRecord): unknown {
    const member = emu.state.membersOf(g.id)[0] ?? '';
    const user = [...emu.state.users()].find((u) => u.accountEnabled && !emu.state.isMember(g.id, u.id))?.id ?? '';
    switch (tool) {
      case LmToolNames.createGroup: return { displayName: 'From chat', kind: 'security' };
      case LmToolNames.updateGroup: return { groupId: g.id, changes: { displayName: 'Renamed from chat' } };
      case LmToolNames.deleteGroup: return { groupId: g.id };
      case LmToolNames.addMemberToGroup: return { groupId: g.id, memberId: user };
      case LmToolNames.removeMemberFromGroup: return { groupId: g.id, memberId: member };
      case LmToolNames.updateUser: return { userId: user, changes: { jobTitle: 'Set from chat' } };
      default: return {};
    }
  }

  it('every write tool (and only those) returns a confirmation, and preparing it writes nothing', async () => {
    assert.deepEqual([...WRITE_TOOLS].sort(), [
      LmToolNames.addMemberToGroup, LmToolNames.createGroup, LmToolNames.deleteGroup, LmToolNames.removeMemberFromGroup, LmToolNames.updateGroup, LmToolNames.updateUser,
    ].sort());
    const client = emulatorClient(emu);
    const h = makeHarness(() => client);
    const g = victim();
    const before = snapshot();
    for (const tool of WRITE_TOOLS) {
      const prepared = await prepare(h, tool, inputFor(tool, g));
      assert.ok(prepared.confirmationMessages, `${tool} asks for confirmation`);
      assert.ok(prepared.confirmationMessages.title.length > 0);
    }
    for (const tool of Object.keys(LM_TOOLS) as LmToolName[]) {
      if (LM_TOOLS[tool].write) continue;
      assert.equal((await prepare(h, tool, {})).confirmationMessages, undefined, `${tool} reads only`);
    }
    assert.deepEqual(writes(), []);
    assert.equal(snapshot(), before);
  });

  it('a write tool still asks when its confirmation cannot be built', async () => {
    const h = makeHarness(() => {
      throw new Error('no client');
    });
    for (const tool of WRITE_TOOLS) {
      const prepared = await prepare(h, tool, inputFor(tool, victim()));
      assert.ok(prepared.confirmationMessages, `${tool} falls back to a generic confirmation`);
    }
  });

  it('a cancelled invocation (the confirmation declined while it ran) changes nothing', async () => {
    const client = emulatorClient(emu);
    const h = makeHarness(() => client);
    const g = victim();
    const before = snapshot();
    for (const tool of WRITE_TOOLS) {
      const source = new vscode.CancellationTokenSource();
      source.cancel();
      const r = await invoke(h, tool, inputFor(tool, g), source.token);
      assert.equal(r.json.success, false, tool);
      assert.equal(r.json.error?.code, 'Cancelled', tool);
    }
    assert.deepEqual(writes(), []);
    assert.equal(snapshot(), before);
    assert.deepEqual(h.fired, []);
  });
});
