/**
 * "Export as Desired-State File…" on a group's page, in a real workbench: the page's button runs the export, the save
 * dialog proposes the file in the workspace, and the file written names the group and lists its members.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { DirectoryUi, plainMembers, freshTag, groupRowName, seedGroup, until } from './directoryUi';

describe('exporting a desired-state file from the group page', function () {
  this.timeout(180_000);
  const tag = freshTag();
  let ui: DirectoryUi | undefined;
  let group: GroupRecord;
  let members: UserRecord[];
  let file: string;

  function view(): DirectoryUi {
    assert.ok(ui, 'the workbench is open');
    return ui;
  }

  before(async () => {
    const { emulator } = e2e();
    members = plainMembers(emulator).slice(0, 2);
    assert.equal(members.length, 2);
    group = seedGroup(emulator, `Quay Wardens ${tag}`, { memberIds: members.map((m) => m.id) });
    file = path.join(e2e().profile.workspaceFolder, `Quay-Wardens-${tag}.entra-group.json`);
    ui = await DirectoryUi.openOnGroups(tag);
  });

  after(async () => {
    await ui?.closeAfterGroups();
    if (group) e2e().emulator.state.deleteObject(group.id);
    if (file) rmSync(file, { force: true });
  });

  it('the page\'s Export button writes the file for the group', async () => {
    await (await view().waitForRow('Groups', groupRowName(group))).click();
    const page = view().webview();
    await page.locator('h1').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator('h1').innerText(), group.displayName);
    await page.locator('#export-desired-state').click();
    const input = view().workbench.quickInput();
    await until('the save dialog to propose the file', async () => (await input.inputValue().catch(() => '')).endsWith('.entra-group.json'));
    await input.press('Enter');
    await until('the file to be written', () => existsSync(file));
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(`"id": "${group.id}"`));
    assert.ok(text.includes(`"displayName": "${group.displayName}"`));
    const listed = [...text.matchAll(/^ {4}"([^"]+)"/gm)].map((m) => m[1]).sort();
    assert.deepEqual(listed, members.map((m) => m.userPrincipalName).sort());
  });
});
