/**
 * Deleted groups in a real workbench: a group deleted from its row appears under "Recently deleted" in the Groups view
 * with its days left; Restore (after a confirmation naming it) brings it back to the Groups view, and the emulator's
 * directory agrees: the same id, with its members.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { answered, DirectoryUi, distinctUsers, freshTag, groupRowName, lastSeq, seedGroup, until } from './directoryUi';

describe('restoring a deleted group from "Recently deleted"', function () {
  this.timeout(240_000);
  const tag = freshTag();
  let ui: DirectoryUi | undefined;
  let group: GroupRecord;
  let members: UserRecord[];

  function view(): DirectoryUi {
    assert.ok(ui, 'the workbench is open');
    return ui;
  }
  const deletedRowName = (): RegExp => new RegExp(`^Lantern Keepers ${tag}, Security, deleted \\d{4}-\\d\\d-\\d\\d · 30 days left$`);

  before(async () => {
    const { emulator } = e2e();
    members = distinctUsers(emulator).filter((u) => u.id !== emulator.signedInUserId).slice(0, 2);
    assert.equal(members.length, 2);
    group = seedGroup(emulator, `Lantern Keepers ${tag}`, { memberIds: members.map((m) => m.id) });
    ui = await DirectoryUi.openOnGroups(tag, group);
  });

  after(async () => {
    await ui?.closeAfterGroups();
    const { state } = e2e().emulator;
    if (state.group(group.id)) state.deleteObject(group.id);
    state.deletedItems.purge(group.id);
  });

  it('Delete says the group can be restored for 30 days, and the deleted group is listed under "Recently deleted"', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    await view().contextMenu(view().row('Groups', groupRowName(group)), 'Delete Group…');
    const dialog = view().workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /For 30 days the group, with its members and owners, can be restored from "Recently deleted"/);
    await view().workbench.clickDialogButton('Delete');
    assert.equal((await answered(emulator, 'the delete request', 'DELETE', `/v1.0/groups/${group.id}`, since)).status, 204);
    assert.ok(emulator.state.deletedItems.group(group.id), 'the emulator keeps it in deleted items');

    // "Recently deleted" sits below the whole list (not while searching): clear the search, go to the last row.
    await view().viewAction('Groups', 'Clear Group Search');
    const folder = view().row('Groups', /^Recently deleted( \(\d+\))?$/);
    await until('the "Recently deleted" row', async () => {
      await view().focusView('Groups');
      await view().page.keyboard.press('End');
      return folder.isVisible();
    }, 60_000);
    await folder.click();
    await until('the folder to expand', async () => (await folder.getAttribute('aria-expanded')) === 'true');
    // Its rows arrive after the expansion: keep the last row in view until the deleted group's row is drawn.
    await until('the deleted group under "Recently deleted"', async () => {
      await view().page.keyboard.press('End');
      return view().row('Groups', deletedRowName()).isVisible();
    });
  });

  it('Restore asks, brings the group back to the Groups view, and the directory has it again with its members', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    const deleted = view().row('Groups', deletedRowName());
    await view().contextMenu(deleted, 'Restore Deleted Group…');
    const dialog = view().workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Restore the group "Lantern Keepers ${tag}"\\?`));
    await view().workbench.clickDialogButton('Restore');

    const post = await answered(emulator, 'the restore request', 'POST', `/v1.0/directory/deletedItems/${group.id}/restore`, since);
    assert.equal(post.status, 200);
    assert.ok(emulator.state.group(group.id), 'the group exists again');
    assert.deepEqual(emulator.state.membersOf(group.id).sort(), members.map((m) => m.id).sort(), 'with its members');
    await view().workbench.waitForNotification(`Restored the group "Lantern Keepers ${tag}".`);
    await deleted.waitFor({ state: 'detached', timeout: 30_000 });
    // Back at the top of the list, without a re-read.
    await view().focusView('Groups');
    await view().page.keyboard.press('Home');
    await view().row('Groups', groupRowName(group)).waitFor({ state: 'visible', timeout: 30_000 });
  });
});
