/**
 * "Export as Desired-State File…" on the group page: the page posts a checked message, the host runs the same command
 * the tree row runs, and that command (given only the group's id) reads the group and writes a file that names it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { exportDesiredState } from '../../src/commands/groupCommands';
import { CommandIds } from '../../src/contributions';
import { parseDesiredState } from '../../src/shared/desiredState';
import { isExtensionMessage, isWebviewMessage, type GroupPageState } from '../../src/webviews/protocol';
import { startEmulator, type Emulator, type GroupRecord } from '../emulator';
import { makeGroup } from '../emulator/directory/factories';
import { commandDeps } from '../support/commandDeps';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ users: 30, groups: 6, seed: 4 });
});
after(() => emu.close());
afterEach(() => {
  vscode.shown.reset();
  vscode.fakeUi.reset();
  vscode.executed.length = 0;
});

function seed(o: Partial<GroupRecord> = {}): GroupRecord {
  const tag = randomUUID().slice(0, 8);
  const group = makeGroup({ id: randomUUID(), displayName: `Export ${tag}`, mailNickname: `export-${tag}`, ...o });
  emu.state.addGroup(group);
  const member = [...emu.state.users()][3];
  assert.ok(member);
  emu.state.addMember(group.id, member.id);
  return group;
}

async function openPage(services: ReturnType<typeof emulatorServices>, groupId: string): Promise<{ panel: vscode.FakeWebviewPanel; state: GroupPageState }> {
  panelsOf(services).showGroup(groupId);
  const panel = vscode.webviewPanels.at(-1);
  assert.ok(panel);
  panel.receive({ type: 'ready' });
  const m = await panel.waitFor((x): x is Extract<typeof x, object> => isExtensionMessage(x) && x.type === 'init' && x.state.view === 'group' && !x.state.loading && x.state.group !== undefined);
  return { panel, state: (m as unknown as { state: GroupPageState }).state };
}

describe('export from the group page', () => {
  it('the message is checked: only the known actions pass', () => {
    assert.ok(isWebviewMessage({ type: 'groupAction', action: 'exportDesiredState' }));
    assert.equal(isWebviewMessage({ type: 'groupAction', action: 'exportDesiredState', path: '/etc/passwd' }), false);
    assert.equal(isWebviewMessage({ type: 'groupAction', action: 'exportDesiredStateNow' }), false);
  });

  it('runs the Export command for the page\'s group, which writes a file naming the group and its members', async () => {
    const services = emulatorServices(emu);
    const group = seed();
    const { panel } = await openPage(services, group.id);
    panel.receive({ type: 'groupAction', action: 'exportDesiredState' });
    const ran = await new Promise<{ id: string; args: unknown[] }>((resolve, reject) => {
      const started = Date.now();
      const poll = (): void => {
        const hit = vscode.executed.find((e) => e.id === CommandIds.groupExportDesiredState);
        if (hit) return resolve(hit);
        if (Date.now() - started > 5000) return reject(new Error('the export command was not run'));
        setTimeout(poll, 10);
      };
      poll();
    });
    assert.deepEqual(ran.args, [group.id]);

    // What that command does with the id the page gave it.
    const target = vscode.Uri.file(`/tmp/${group.id}.entra-group.json`);
    vscode.fakeUi.saveAnswers.push(target);
    await exportDesiredState(commandDeps(services), ran.args[0]);
    const bytes = vscode.files.get(target.toString());
    assert.ok(bytes, 'the file was written');
    const parsed = parseDesiredState(new TextDecoder().decode(bytes));
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.groupId?.value, group.id);
    assert.equal(parsed.displayName?.value, group.displayName);
    assert.deepEqual(parsed.members?.map((m) => m.value), [[...emu.state.users()][3]?.userPrincipalName]);
    assert.equal(vscode.shownDocuments.at(-1), target.toString(), 'the file is opened');
  });

  it('refuses for a group whose membership cannot be managed (dynamic), without running the command', async () => {
    const services = emulatorServices(emu);
    const group = seed({ groupTypes: ['DynamicMembership'], membershipRule: 'user.department -eq "Nobody"', membershipRuleProcessingState: 'On' });
    const { panel } = await openPage(services, group.id);
    panel.receive({ type: 'groupAction', action: 'exportDesiredState' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(vscode.executed.some((e) => e.id === CommandIds.groupExportDesiredState), false);
  });
});
