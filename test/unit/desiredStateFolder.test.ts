/**
 * Plan for a folder: every desired-state file under it is planned against the directory, one summary lists each
 * file's counts (or why it was not planned), and the diff of a planned file opens on demand.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { DesiredStateEditor } from '../../src/desiredStateEditor';
import { planFolder } from '../../src/desiredStateFolder';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup } from '../emulator/directory/factories';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ users: 40, groups: 6, seed: 17 });
});
after(() => emu.close());
afterEach(() => {
  vscode.fakeUi.reset();
  vscode.shown.reset();
  vscode.openedDocuments.length = 0;
});

describe('plan for a folder', () => {
  it('summarises each file, and opens the diff of the file picked', async () => {
    const users = [...emu.state.users()].filter((u) => u.userType === 'Member' && u.accountEnabled);
    const [stays, joins, leaves] = users;
    assert.ok(stays && joins && leaves);
    const group = makeGroup({ id: randomUUID(), displayName: 'Net Menders', mailNickname: `net-${randomUUID().slice(0, 6)}` });
    emu.state.addGroup(group);
    emu.state.addMember(group.id, stays.id);
    emu.state.addMember(group.id, leaves.id);

    const folder = vscode.Uri.file('/work/groups');
    const good = vscode.Uri.file('/work/groups/teams/net-menders.entra-group.json');
    const missing = vscode.Uri.file('/work/groups/a-gone.entra-group.json');
    const texts = new Map([
      [good.toString(), JSON.stringify({ group: { id: group.id, displayName: 'Net Menders' }, members: [stays.userPrincipalName, joins.userPrincipalName] })],
      [missing.toString(), JSON.stringify({ group: { id: randomUUID(), displayName: 'Gone' }, members: [] })],
    ]);
    const editor = new DesiredStateEditor(emulatorServices(emu), vscode.Uri.file('/tmp/entra-folder-tests'));
    const diffs: string[] = [];
    vscode.fakeUi.quickPickAnswers.push((items) => {
      assert.deepEqual((items as Array<{ label: string }>).map((i) => i.label), ['net-menders.entra-group.json'], 'only planned files are offered');
      return items[0];
    });
    const before = emu.state.membersOf(group.id);
    await planFolder({
      planFile: (doc, signal) => editor.planFile(doc, signal),
      plan: (uri) => Promise.resolve(void diffs.push(uri.toString())),
      find: (f) => Promise.resolve(f.toString() === folder.toString() ? [good, missing] : []),
      open: (uri) => Promise.resolve(vscode.textDocument(uri, texts.get(uri.toString()) ?? '') as never),
    }, folder);

    const summary = vscode.openedDocuments[0];
    assert.equal(summary?.language, 'plaintext');
    const lines = (summary?.content ?? '').split('\n');
    assert.equal(lines[0], 'Plan for /work/groups');
    assert.match(lines[2] ?? '', /^- a-gone\.entra-group\.json: not planned: Could not read the group [0-9a-f-]+: /);
    assert.equal(lines[3], '- teams/net-menders.entra-group.json (Net Menders): 1 to add, 1 to remove, 0 unresolved, 1 unchanged');
    assert.equal(lines[5], '2 files: 1 to add, 1 to remove in all; 1 not planned.');
    assert.deepEqual(diffs, [good.toString()]);
    assert.deepEqual(emu.state.membersOf(group.id), before, 'planning changes nothing');
    emu.state.deleteObject(group.id);
  });

  it('a cancelled plan says how many files it reached, and its totals cover only those', async () => {
    const editor = new DesiredStateEditor(emulatorServices(emu), vscode.Uri.file('/tmp/entra-folder-tests'));
    const folder = vscode.Uri.file('/work/many');
    const files = ['a', 'b', 'c'].map((n) => vscode.Uri.file(`/work/many/${n}.entra-group.json`));
    let planned = 0;
    await planFolder({
      planFile: async (doc, signal) => {
        planned++;
        vscode.fakeUi.progress.at(-1)?.cancel(); // Cancel pressed while the first file is planned.
        return editor.planFile(doc, signal);
      },
      plan: () => Promise.resolve(),
      find: () => Promise.resolve(files),
      open: (uri) => Promise.resolve(vscode.textDocument(uri, JSON.stringify({ group: { id: randomUUID(), displayName: 'Gone' }, members: [] })) as never),
    }, folder);
    assert.equal(planned, 1, 'no file is planned after Cancel');
    const lines = (vscode.openedDocuments[0]?.content ?? '').split('\n');
    assert.equal(lines[2], 'Cancelled: 1 of the 3 files were planned; the totals below cover those only.');
    assert.equal(lines.filter((l) => l.startsWith('- ')).length, 1);
  });

  it('says so when the folder has no group files', async () => {
    const editor = new DesiredStateEditor(emulatorServices(emu), vscode.Uri.file('/tmp/entra-folder-tests'));
    await planFolder({ planFile: (doc, signal) => editor.planFile(doc, signal), plan: () => Promise.resolve(), find: () => Promise.resolve([]) }, vscode.Uri.file('/work/empty'));
    assert.match(vscode.openedDocuments[0]?.content ?? '', /No desired-state group files \(…\.entra-group\.json\) in this folder\./);
    assert.equal(vscode.fakeUi.quickPickOptions.length, 0, 'nothing to pick');
  });
});
