/**
 * Changing the directory from the views and forms: creating groups (with a rejected mail nickname), editing a
 * group and a user, adding and removing members, deleting a group (and cancelling that). Each test works on
 * objects of its own, added to the emulator before the window opens; what the user sees is checked together
 * with the requests Graph received and the directory afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Locator } from 'playwright-core';
import type { GroupRecord, UserRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { answered, directoryCacheReady, DirectoryUi, distinctUsers, freshTag, groupRowName, lastSeq, requests, searchRequests, seedGroup, until, userRowName } from './directoryUi';

describe('changing the directory', function () {
  this.timeout(120_000);
  let ui: DirectoryUi;
  const tag = freshTag();
  /** Groups this file created or added; removed from the directory afterwards. */
  const groups: string[] = [];
  const restoreUsers: Array<() => void> = [];
  let editGroup: GroupRecord;
  let addTo: GroupRecord;
  let removeFrom: GroupRecord;
  let cancelDelete: GroupRecord;
  let toDelete: GroupRecord;
  let member: UserRecord;
  let removed: UserRecord;

  before(async () => {
    const { emulator } = e2e();
    const people = distinctUsers(emulator).filter((u) => u.displayName && /^[A-Za-z][\w' -]+$/.test(u.displayName));
    member = people[5] as UserRecord;
    removed = people[6] as UserRecord;
    assert.ok(member && removed, 'two users with plain names');
    editGroup = seedGroup(emulator, `Edit Me ${tag}`, { description: 'Before the edit' });
    addTo = seedGroup(emulator, `Add To ${tag}`);
    removeFrom = seedGroup(emulator, `Remove From ${tag}`, { memberIds: [removed.id] });
    cancelDelete = seedGroup(emulator, `Keep Me ${tag}`);
    toDelete = seedGroup(emulator, `Delete Me ${tag}`);
    groups.push(...[editGroup, addTo, removeFrom, cancelDelete, toDelete].map((g) => g.id));
    ui = await DirectoryUi.open();
    await ui.waitForRow('Groups', groupRowName(emulator.state.groups().next().value as GroupRecord));
  });

  after(async () => {
    await ui?.close();
    const { state } = e2e().emulator;
    for (const id of groups) state.deleteObject(id);
    for (const restore of restoreUsers) restore();
  });

  /** Opens the create form from the command palette. */
  async function openCreateForm(): Promise<void> {
    await ui.workbench.runCommand('Entra ID: Create Group');
    await ui.webview().locator('#f-displayName').waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok((await ui.workbench.editorTabs()).some((t) => t.includes('New Group')));
  }

  /** Expands a group row and its "Members" folder, keeping the folder's first rows in view; returns the group's position. */
  async function expandMembers(groupRow: Locator): Promise<number> {
    const groupIndex = Number(await groupRow.getAttribute('data-index'));
    await ui.workbench.expandRow(groupRow);
    await ui.focusRowAt('Groups', groupIndex + 2);
    await until('the Members folder', async () => (await ui.nameAt('Groups', groupIndex + 1)) === 'Members');
    await ui.workbench.expandRow(ui.rowAt('Groups', groupIndex + 1));
    await ui.focusRowAt('Groups', groupIndex + 3);
    return groupIndex;
  }

  function groupNamed(displayName: string): GroupRecord | undefined {
    return e2e().emulator.state.findGroup((g) => g.displayName === displayName);
  }

  it('refuses a mail nickname with a space in the form, without calling Graph, then creates the security group', async () => {
    const { emulator } = e2e();
    const name = `Security Made ${tag}`;
    const nickname = `securitymade${tag}`;
    const since = lastSeq(emulator);
    await openCreateForm();
    const form = ui.webview();
    try {
      assert.equal(await form.locator('#f-kind').inputValue(), 'security');
      await form.locator('#f-displayName').fill(name);
      await form.locator('#f-mailNickname').fill('bad nick');
      await until('the nickname error', async () => (await form.locator('#f-mailNickname-error').innerText()).includes('spaces'));
      assert.equal(await form.locator('#f-mailNickname').getAttribute('aria-invalid'), 'true');
      await form.getByRole('button', { name: 'Create' }).click();
      await until('the form to ask for corrections', async () => (await form.locator('.form-alert').innerText()) === 'Check the highlighted fields.');
      assert.match(await form.locator('#f-mailNickname-error').innerText(), /^Mail nickname may not contain spaces\.$/);
      assert.deepEqual(requests(emulator, 'POST', '/v1.0/groups', since), [], 'nothing was sent to Graph');
      assert.equal(groupNamed(name), undefined);

      await form.locator('#f-mailNickname').fill(nickname);
      await until('the nickname error to clear', async () => (await form.locator('#f-mailNickname-error').innerText()) === '');
      await form.locator('#f-description').fill('Made from the form');
      await form.getByRole('button', { name: 'Create' }).click();
    } catch (error) {
      await ui.closeEditors();
      throw error;
    }

    const post = await answered(emulator, 'the create request', 'POST', '/v1.0/groups', since);
    assert.equal(post.status, 201);
    assert.deepEqual(post.body, { displayName: name, mailNickname: nickname, mailEnabled: false, securityEnabled: true, groupTypes: [], description: 'Made from the form' });
    const created = groupNamed(name);
    assert.ok(created, 'the group exists');
    groups.push(created.id);
    assert.deepEqual(created.groupTypes, []);
    assert.equal(created.mailNickname, nickname);
    assert.equal(created.securityEnabled, true);
    assert.equal(created.mailEnabled, false);

    const afterPost = post.seq;
    await ui.waitForRow('Groups', `${name}, Security`, 30_000);
    assert.equal((await ui.allRows('Groups'))[0]?.name, `${name}, Security`, 'the new group is listed first');
    assert.deepEqual(requests(emulator, 'GET', '/v1.0/groups', afterPost), [], 'the view was not read again');
    await ui.workbench.waitForNotification(`Created group "${name}".`);
    await until('the form to close', async () => !(await ui.workbench.editorTabs()).some((t) => t.includes('New Group')));
  });

  it('creates a Microsoft 365 group with the mail nickname derived from its name', async () => {
    const { emulator } = e2e();
    const name = `Team Room ${tag}`;
    const since = lastSeq(emulator);
    await openCreateForm();
    const form = ui.webview();
    try {
      await form.locator('#f-kind').selectOption('microsoft365');
      await form.locator('#f-displayName').fill(name);
      await until('the derived nickname', async () => (await form.locator('#f-mailNickname').inputValue()) === `TeamRoom${tag}`);
      await form.getByRole('button', { name: 'Create' }).click();
    } catch (error) {
      await ui.closeEditors();
      throw error;
    }

    const post = await answered(emulator, 'the create request', 'POST', '/v1.0/groups', since);
    assert.equal(post.status, 201);
    const created = groupNamed(name);
    assert.ok(created, 'the group exists');
    groups.push(created.id);
    assert.deepEqual(created.groupTypes, ['Unified']);
    assert.equal(created.mailNickname, `TeamRoom${tag}`);
    assert.equal(created.mailEnabled, true);
    assert.equal(created.securityEnabled, false);
    await ui.waitForRow('Groups', `${name}, Microsoft 365`, 30_000);
    assert.deepEqual(requests(emulator, 'GET', '/v1.0/groups', post.seq), [], 'the view was not read again');
  });

  it('"Edit Group" changes the description: the PATCH carries only it and the row\'s tooltip shows it', async () => {
    const { emulator } = e2e();
    const description = `After the edit ${tag}`;
    const since = lastSeq(emulator);
    const row = await ui.waitForRow('Groups', groupRowName(editGroup));
    await ui.contextMenu(row, 'Edit Group');
    const form = ui.webview();
    try {
      await until('the form to show the group', async () => (await form.locator('#f-description').inputValue()) === 'Before the edit');
      assert.equal(await form.locator('#f-displayName').inputValue(), editGroup.displayName);
      await form.locator('#f-description').fill(description);
      await form.getByRole('button', { name: 'Save' }).click();
      const patch = await answered(emulator, 'the update request', 'PATCH', `/v1.0/groups/${editGroup.id}`, since);
      assert.equal(patch.status, 204);
      assert.deepEqual(patch.body, { description });
      assert.equal(emulator.state.group(editGroup.id)?.description, description);
      await until('the form to confirm', async () => (await form.locator('.form-status').innerText()) === 'Saved.');
    } finally {
      await ui.closeEditors();
    }

    const updated = await ui.revealRow('Groups', groupRowName(editGroup));
    await updated.hover();
    const hover = ui.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: `Description: ${description}` });
    await hover.first().waitFor({ state: 'visible', timeout: 15_000 });
    await ui.page.mouse.move(700, 450);
  });

  it('"Add Member to Group…" on a group row offers the user from the directory cache (no $search) and adds them, who then appear under "Members"', async () => {
    const { emulator } = e2e();
    const groupRow = await ui.waitForRow('Groups', groupRowName(addTo));
    const groupIndex = await expandMembers(groupRow);
    await until('the empty Members folder', async () => (await ui.nameAt('Groups', groupIndex + 2)) === 'No members');
    await directoryCacheReady(emulator);
    const since = lastSeq(emulator);

    await ui.contextMenu(groupRow, 'Add Member to Group…');
    const input = ui.workbench.quickInput();
    await input.waitFor({ state: 'visible' });
    // Opening the picker brings the cache up to date: one delta round.
    await answered(emulator, 'the delta round the picker starts', 'GET', '/v1.0/users/delta', since);
    const typed = (member.displayName ?? '').split(' ').at(-1) ?? '';
    await input.fill(typed);
    await ui.workbench.chooseQuickPickRow(member.userPrincipalName);
    assert.deepEqual(searchRequests(emulator, '/v1.0/users', since), [], 'the keystrokes were answered from the cache, not by $search');

    const post = await answered(emulator, 'the add request', 'POST', `/v1.0/groups/${addTo.id}/members/$ref`, since);
    assert.equal(post.status, 204);
    assert.deepEqual(post.body, { '@odata.id': `${emulator.graphUrl}/directoryObjects/${member.id}` });
    assert.ok(emulator.state.isMember(addTo.id, member.id), 'the user is a member');
    await until('the member row', async () => (await ui.nameAt('Groups', groupIndex + 2)) === userRowName(member));
    assert.deepEqual(requests(emulator, 'GET', `/v1.0/groups/${addTo.id}/members`, since), [], 'the folder was not read again');
    await ui.workbench.waitForNotification(`Added "${member.displayName ?? ''}" to "${addTo.displayName}".`);
  });

  it('"Remove Member from Group…" on a member row removes the membership after the modal, not the user', async () => {
    const { emulator } = e2e();
    const groupIndex = await expandMembers(await ui.waitForRow('Groups', groupRowName(removeFrom)));
    const memberRow = ui.rowAt('Groups', groupIndex + 2);
    await until('the member row', async () => (await ui.nameAt('Groups', groupIndex + 2)) === userRowName(removed));
    const since = lastSeq(emulator);

    await ui.contextMenu(memberRow, 'Remove Member from Group…');
    const dialog = ui.workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Remove "${removed.displayName ?? ''}" from "${removeFrom.displayName}"\\?`));
    await ui.workbench.clickDialogButton('Remove');

    const del = await answered(emulator, 'the remove request', 'DELETE', `/v1.0/groups/${removeFrom.id}/members/${removed.id}/$ref`, since);
    assert.equal(del.status, 204);
    assert.equal(emulator.state.isMember(removeFrom.id, removed.id), false, 'no longer a member');
    assert.ok(emulator.state.usersById.has(removed.id), 'the user still exists');
    await until('the member row to go', async () => (await ui.nameAt('Groups', groupIndex + 2)) === 'No members');
    await ui.workbench.waitForNotification(`Removed "${removed.displayName ?? ''}" from "${removeFrom.displayName}".`);
  });

  it('cancelling "Delete Group…" keeps the group', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    await ui.contextMenu(await ui.waitForRow('Groups', groupRowName(cancelDelete)), 'Delete Group…');
    const dialog = ui.workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Delete the group "${cancelDelete.displayName}"\\?`));
    await ui.workbench.clickDialogButton('Cancel');
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });

    assert.ok(emulator.state.group(cancelDelete.id), 'the group still exists');
    assert.deepEqual(requests(emulator, 'DELETE', /^\/v1\.0\/groups\//, since), [], 'no delete was sent');
    assert.ok(await ui.row('Groups', groupRowName(cancelDelete)).isVisible(), 'the row stays');
  });

  it('"Delete Group…" deletes the group after the modal confirmation and its row goes', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    const row = await ui.waitForRow('Groups', groupRowName(toDelete));
    await ui.contextMenu(row, 'Delete Group…');
    const dialog = ui.workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Delete the group "${toDelete.displayName}"\\?`));
    await ui.workbench.clickDialogButton('Delete');

    const del = await answered(emulator, 'the delete request', 'DELETE', `/v1.0/groups/${toDelete.id}`, since);
    assert.equal(del.status, 204);
    assert.equal(emulator.state.group(toDelete.id), undefined, 'the group is gone');
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    await ui.workbench.waitForNotification(`Deleted the group "${toDelete.displayName}".`);
  });

  it('"Edit User" changes the job title: the PATCH carries only jobTitle', async () => {
    const { emulator } = e2e();
    const user = distinctUsers(emulator)
      .slice(2, 12)
      .find((u) => u.jobTitle);
    assert.ok(user, 'a user with a job title near the top');
    const previous = user.jobTitle;
    restoreUsers.push(() => {
      user.jobTitle = previous;
    });
    const jobTitle = `Principal Cartographer ${tag}`;
    const since = lastSeq(emulator);

    await ui.contextMenu(await ui.waitForRow('Users', userRowName(user)), 'Edit User');
    const form = ui.webview();
    try {
      await until('the form to show the user', async () => (await form.locator('#f-jobTitle').inputValue()) === previous);
      await form.locator('#f-jobTitle').fill(jobTitle);
      await form.getByRole('button', { name: 'Save' }).click();
      const patch = await answered(emulator, 'the update request', 'PATCH', `/v1.0/users/${user.id}`, since);
      assert.equal(patch.status, 204);
      assert.deepEqual(patch.body, { jobTitle });
      assert.equal(emulator.state.usersById.get(user.id)?.jobTitle, jobTitle);
      await until('the form to confirm', async () => (await form.locator('.form-status').innerText()) === 'Saved.');
      await ui.workbench.waitForNotification(`Saved user "${user.displayName ?? ''}".`);
    } finally {
      await ui.closeEditors();
    }
  });
});
