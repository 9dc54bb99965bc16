/**
 * Group membership as a file, in a real workbench: "Export as Desired-State File…" on a group row writes the file in
 * the workspace; after an edit, Plan opens the diff editor and says what will change; Apply changes the directory
 * (the emulator's state is the oracle) and the group's open Members folder follows.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { DirectoryUi, plainMembers, freshTag, groupRowName, seedGroup, until, userRowName } from './directoryUi';

/** Plain names and UPNs only: hostile text has a suite of its own. */

describe('a group membership as a desired-state file', function () {
  this.timeout(240_000);
  const tag = freshTag();
  let ui: DirectoryUi | undefined;
  let group: GroupRecord;
  let stays: UserRecord;
  let leaves: UserRecord;
  let joins: UserRecord;
  let file: string;

  function view(): DirectoryUi {
    assert.ok(ui, 'the workbench is open');
    return ui;
  }

  before(async () => {
    const { emulator } = e2e();
    [stays, leaves, joins] = plainMembers(emulator).slice(0, 3) as [UserRecord, UserRecord, UserRecord];
    assert.ok(stays && leaves && joins, 'three plainly named users');
    group = seedGroup(emulator, `Harbour Pilots ${tag}`, { memberIds: [stays.id, leaves.id] });
    file = path.join(e2e().profile.workspaceFolder, `Harbour-Pilots-${tag}.entra-group.json`);
    ui = await DirectoryUi.openOnGroups(tag, group);
  });

  after(async () => {
    await ui?.closeAfterGroups();
    if (group) e2e().emulator.state.deleteObject(group.id);
  });

  it('exports the group to a sorted file with names as comments', async () => {
    await view().contextMenu(view().row('Groups', groupRowName(group)), 'Export as Desired-State File…');
    // The save dialog proposes the file in the workspace folder: accept it.
    const input = view().workbench.quickInput();
    await until('the save dialog to propose the file', async () => (await input.inputValue().catch(() => '')).endsWith('.entra-group.json'));
    await input.press('Enter');
    await until('the file to be written', () => existsSync(file));
    const text = readFileSync(file, 'utf8');
    const entries = [stays, leaves].map((u) => u.userPrincipalName).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    assert.deepEqual([...text.matchAll(/^ {4}"([^"]+)"/gm)].map((m) => m[1]), entries);
    for (const u of [stays, leaves]) assert.ok(text.includes(`// ${u.displayName}`), `${u.displayName} named in a comment`);
    assert.ok(text.includes(`"id": "${group.id}"`));
  });

  it('plans the edited file as a diff with a summary, and Apply changes the directory and the tree', async () => {
    const edited = readFileSync(file, 'utf8').replace(/"members": \[[\s\S]*?\n {2}\]/, `"members": [\n    "${stays.userPrincipalName}",\n    "${joins.userPrincipalName}"\n  ]`);
    assert.ok(edited.includes(joins.userPrincipalName), 'the edit took');
    writeFileSync(file, edited);
    // The open editor reloads the file from disk.
    await until('the editor to show the edit', async () => (await view().page.locator('.editor-instance .view-lines').first().innerText()).includes(joins.userPrincipalName));

    // Open the Members folder first, to see it follow the change.
    const groupRow = view().row('Groups', groupRowName(group));
    await view().workbench.expandRow(groupRow);
    const members = await until('the Members folder', async () => (await view().renderedRows('Groups')).find((r) => /^Members( \(\d+\))?$/.test(r.name)));
    await view().workbench.expandRow(view().rowAt('Groups', members.index));
    await view().waitForRow('Groups', userRowName(leaves));

    await view().workbench.runCommand('Entra ID: Plan Group Membership from File');
    const summary = /1 to add, 1 to remove, 0 unresolved, 1 unchanged/;
    await view().workbench.waitForNotification(summary, 60_000);
    await until('the diff editor', async () => (await view().workbench.editorTabs()).some((t) => t.includes('directory ↔ desired')));
    const notification = view().page.locator('.notifications-toasts .notification-toast', { hasText: summary });
    await notification.getByRole('button', { name: 'Apply', exact: true }).click();
    await view().workbench.clickDialogButton('Apply', 30_000);
    await view().workbench.waitForNotification(/2 done, 0 already so, 0 failed/, 60_000);

    assert.deepEqual(new Set(e2e().emulator.state.membersOf(group.id)), new Set([stays.id, joins.id]));
    await view().waitForRow('Groups', userRowName(joins));
    await until('the removed member to leave the tree', async () => (await view().row('Groups', userRowName(leaves)).count()) === 0);
  });
});
