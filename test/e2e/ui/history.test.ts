/**
 * The change journal in a real workbench: removing a member from a group (the tree's context menu) appears in the
 * History view; Undo on that entry, after its confirmation, adds the member back — the emulator's state is the oracle
 * — and the group's open Members folder shows the member again. The undo is itself a History entry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { DirectoryUi, plainMembers, freshTag, groupRowName, seedGroup, until, userRowName } from './directoryUi';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('History and Undo of a membership change', function () {
  this.timeout(240_000);
  const tag = freshTag();
  let ui: DirectoryUi | undefined;
  let group: GroupRecord;
  let stays: UserRecord;
  let leaves: UserRecord;

  function view(): DirectoryUi {
    assert.ok(ui, 'the workbench is open');
    return ui;
  }

  before(async () => {
    const { emulator } = e2e();
    [stays, leaves] = plainMembers(emulator).slice(3, 5) as [UserRecord, UserRecord];
    assert.ok(stays && leaves, 'two plainly named users');
    group = seedGroup(emulator, `Lock Keepers ${tag}`, { memberIds: [stays.id, leaves.id] });
    ui = await DirectoryUi.openOnGroups(tag, group);
  });

  after(async () => {
    await ui?.closeAfterGroups();
    if (group) e2e().emulator.state.deleteObject(group.id);
  });

  it('shows a removed membership in History, and Undo there adds the member back (directory and tree)', async () => {
    const { state } = e2e().emulator;
    await view().workbench.expandRow(view().row('Groups', groupRowName(group)));
    const members = await until('the Members folder', async () => (await view().renderedRows('Groups')).find((r) => /^Members( \(\d+\))?$/.test(r.name)));
    await view().workbench.expandRow(view().rowAt('Groups', members.index));
    await view().waitForRow('Groups', userRowName(leaves));

    await view().contextMenu(view().row('Groups', userRowName(leaves)), 'Remove Member from Group…');
    await view().workbench.clickDialogButton('Remove', 30_000);
    await view().workbench.waitForNotification(new RegExp(`Removed "${escape(leaves.displayName ?? '')}" from "${escape(group.displayName)}"`), 60_000);
    assert.equal(state.isMember(group.id, leaves.id), false, 'the emulator no longer has the membership');
    await until('the member to leave the tree', async () => (await view().row('Groups', userRowName(leaves)).count()) === 0);

    // History lists the change, newest first (the view is in the panel: focusing it opens the panel).
    await view().workbench.runCommand('Entra ID History: Focus on History View');
    const removedRow = view().row('History', new RegExp(`^Removed "${escape(leaves.displayName ?? '')}" from "${escape(group.displayName)}"`));
    await removedRow.waitFor({ state: 'visible', timeout: 60_000 });
    const first = await view().nameAt('History', 0);
    assert.match(first ?? '', new RegExp(`^Removed "${escape(leaves.displayName ?? '')}"`), 'the newest entry is on top');

    await view().contextMenu(removedRow, 'Undo Change');
    const dialog = view().workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Undo: add "${escape(leaves.displayName ?? '')}" back to "${escape(group.displayName)}"\\?`));
    await view().workbench.clickDialogButton('Undo', 30_000);
    await view().workbench.waitForNotification(/^Undone: /, 60_000);

    assert.deepEqual(new Set(state.membersOf(group.id)), new Set([stays.id, leaves.id]), 'the emulator has the membership back');
    await view().waitForRow('Groups', userRowName(leaves));
    // The undo is journaled too, on top.
    await until('the undo entry on top of History', async () => /^Added "/.test((await view().nameAt('History', 0)) ?? ''));
  });
});
