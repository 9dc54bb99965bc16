/**
 * Forms that cannot lose or hang work, driven as an admin would: a save Graph never answers leaves Cancel usable and
 * ends honestly, a member typed but not chosen blocks Create (and Enter then picks the highlighted suggestion), and
 * unchecking "Account enabled" asks first, naming the user. The edit comes first: a new group moves the tree's rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { isPrivilegedTarget } from '../../emulator/graph/permissions';
import { e2e } from '../harness/context';
import { answered, DirectoryUi, distinctUsers, freshTag, groupRowName, lastSeq, requests, seedGroup, until, userRowName } from './directoryUi';

describe('forms that cannot lose or hang work', function () {
  this.timeout(120_000);
  let ui: DirectoryUi;
  const tag = freshTag();
  const groups: string[] = [];
  const restore: Array<() => void> = [];
  let first: UserRecord;
  let second: UserRecord;
  let toDisable: UserRecord;
  let hangGroup: GroupRecord;

  before(async () => {
    const { emulator } = e2e();
    const people = distinctUsers(emulator).filter((u) => u.displayName && /^[A-Za-z]+ [A-Za-z]+$/.test(u.displayName));
    [first, second] = [people[9], people[10]] as [UserRecord, UserRecord];
    // Near the top of the Users view (sorted by name), so its row is on the first page; not an administrator, whom
    // only a higher role may disable (the emulator refuses that, as Graph does), nor synced from on-premises.
    const ordinary = people.filter((u) => !isPrivilegedTarget(emulator.state, u.id) && u.onPremisesSyncEnabled !== true && u !== first && u !== second);
    toDisable = ordinary.sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? ''))[0] as UserRecord;
    assert.ok(first && second && toDisable, 'three users with plain names, one of them neither an administrator nor synced');
    hangGroup = seedGroup(emulator, `Hung Save ${tag}`, { description: 'Before' });
    groups.push(hangGroup.id);
    ui = await DirectoryUi.open();
    await ui.waitForRow('Groups', groupRowName(hangGroup));
  });

  after(async () => {
    const { emulator } = e2e();
    emulator.scriptFaults([]);
    await ui?.close();
    for (const id of groups) emulator.state.deleteObject(id);
    for (const undo of restore) undo();
  });

  /** Types in a people picker and chooses `user` from the suggestions with the keyboard; the first is highlighted. */
  async function choose(field: 'f-ownerIds' | 'f-memberIds', user: UserRecord): Promise<void> {
    const form = ui.webview();
    await form.locator(`#${field}`).fill(user.displayName ?? '');
    await until('the suggestions', async () => (await form.locator(`#${field}`).getAttribute('aria-activedescendant')) === `${field}-opt-0`);
    const options = await form.locator(`#${field}-list [role="option"]`).allInnerTexts();
    const index = options.findIndex((o) => o.includes(user.userPrincipalName));
    assert.ok(index >= 0, `${user.userPrincipalName} among the suggestions: ${options.join(' | ')}`);
    for (let i = 0; i < index; i++) await form.locator(`#${field}`).press('ArrowDown');
    await form.locator(`#${field}`).press('Enter');
    await until('the chosen person', async () => (await form.locator('.chip .detail').allInnerTexts()).includes(user.userPrincipalName));
  }

  it('a save Graph never answers leaves Cancel usable; Cancel says the change may have been applied and keeps the input', async () => {
    const { emulator } = e2e();
    const typed = `Typed while hung ${tag}`;
    await ui.contextMenu(await ui.waitForRow('Groups', groupRowName(hangGroup)), 'Edit Group');
    const form = ui.webview();
    try {
      await until('the form to show the group', async () => (await form.locator('#f-description').inputValue()) === 'Before');
      await form.locator('#f-description').fill(typed);
      emulator.scriptFaults([{ kind: 'hang', match: { method: 'PATCH', pathIncludes: hangGroup.id } }]);
      const since = lastSeq(emulator);
      await form.getByRole('button', { name: 'Save' }).click();
      await until('the PATCH to reach Graph', () => requests(emulator, 'PATCH', `/v1.0/groups/${hangGroup.id}`, since).length === 1);
      assert.equal(await form.getByRole('button', { name: 'Save' }).isDisabled(), true, 'Save waits');
      const cancel = form.getByRole('button', { name: 'Cancel', exact: true });
      assert.equal(await cancel.isEnabled(), true, 'Cancel stays usable');
      await cancel.click();
      await until('the honest answer', async () => (await form.locator('.form-alert').innerText()).startsWith('Cancelled. The change may already have been applied. Refresh to see the current values'));
      assert.doesNotMatch(await form.locator('.form-alert').innerText(), /PATCH|\/groups\//);
      assert.equal(await form.locator('#f-description').inputValue(), typed, 'the typed value is kept');
      assert.ok((await ui.workbench.editorTabs()).some((t) => t.includes('Edit Group')), 'the form stays open');

      const beforeRefresh = lastSeq(emulator);
      await form.getByRole('button', { name: 'Refresh' }).click();
      await until('the group read again', () => requests(emulator, 'GET', new RegExp(`^/v1\\.0/groups/${hangGroup.id}$`, 'i'), beforeRefresh).length === 1);
      await form.locator('#f-description').waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      emulator.scriptFaults([]);
      await ui.closeEditors();
    }
  });

  it('a member typed but not chosen blocks Create on that field; Enter then picks the suggestion and Create adds both members', async () => {
    const { emulator } = e2e();
    const name = `Two Members ${tag}`;
    const since = lastSeq(emulator);
    await ui.workbench.runCommand('Entra ID: Create Group');
    const form = ui.webview();
    try {
      await form.locator('#f-displayName').waitFor({ state: 'visible', timeout: 30_000 });
      await form.locator('#f-displayName').fill(name);
      await choose('f-memberIds', first);
      const typed = (second.displayName ?? '').split(' ')[0] ?? '';
      await form.locator('#f-memberIds').fill(typed);
      // The admin sees the suggestions, moves on without choosing one, and clicks Create.
      await until('the suggestions', async () => (await form.locator('#f-memberIds').getAttribute('aria-expanded')) === 'true');
      await form.locator('#f-memberIds').press('Tab');
      await form.getByRole('button', { name: 'Create' }).click();
      await until('the message on the Members field', async () =>
        (await form.locator('#f-memberIds-error').innerText()) === `You typed '${typed}' but did not choose a person. Choose one from the list or clear the box.`);
      assert.equal(await form.locator('.form-alert').innerText(), 'Check the highlighted fields.');
      assert.deepEqual(requests(emulator, 'POST', '/v1.0/groups', since), [], 'no create reached Graph');

      await choose('f-memberIds', second);
      await until('the message to clear', async () => (await form.locator('#f-memberIds-error').innerText()) === '');
      assert.equal(await form.locator('.form-alert').innerText(), '', 'the summary follows the fields');
      await form.getByRole('button', { name: 'Create' }).click();
    } catch (error) {
      await ui.closeEditors();
      throw error;
    }
    const post = await answered(emulator, 'the create request', 'POST', '/v1.0/groups', since);
    assert.equal(post.status, 201);
    const created = emulator.state.findGroup((g) => g.displayName === name);
    assert.ok(created, 'the group exists');
    groups.push(created.id);
    await until('both members', () => emulator.state.isMember(created.id, first.id) && emulator.state.isMember(created.id, second.id));
  });

  it('unchecking Account enabled asks first, naming the user; Keep Enabled sends nothing, Disable Account disables', async () => {
    const { emulator } = e2e();
    restore.push(() => {
      toDisable.accountEnabled = true;
    });
    await ui.contextMenu(await ui.revealRow('Users', userRowName(toDisable)), 'Edit User');
    const form = ui.webview();
    try {
      await until('the form to show the user', async () => (await form.locator('#f-displayName').inputValue()) === toDisable.displayName);
      await form.locator('#f-accountEnabled').uncheck();
      const since = lastSeq(emulator);
      await form.getByRole('button', { name: 'Save' }).click();
      const dialog = ui.workbench.dialog();
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      const text = await dialog.innerText();
      assert.ok(text.includes(`Disable the account of "${toDisable.displayName ?? ''}" (${toDisable.userPrincipalName})?`), text);
      assert.ok(text.includes(`${toDisable.displayName ?? ''} will be unable to sign in`), text);
      const focused = await ui.page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
      assert.notEqual(focused, 'Disable Account', 'Enter does not disable by default');
      await ui.workbench.clickDialogButton('Keep Enabled');
      await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
      await until('the form to say nothing was saved', async () => (await form.locator('.form-status').innerText()).startsWith('Not saved: the account stays enabled.'));
      assert.equal(await form.locator('#f-accountEnabled').isChecked(), false, 'the form keeps what was typed');
      assert.deepEqual(requests(emulator, 'PATCH', `/v1.0/users/${toDisable.id}`, since), [], 'nothing was sent');

      await form.getByRole('button', { name: 'Save' }).click();
      await ui.workbench.clickDialogButton('Disable Account', 30_000);
      const patch = await answered(emulator, 'the update request', 'PATCH', `/v1.0/users/${toDisable.id}`, since);
      assert.equal(patch.status, 204);
      assert.deepEqual(patch.body, { accountEnabled: false });
      assert.equal(emulator.state.usersById.get(toDisable.id)?.accountEnabled, false);
      await ui.workbench.waitForNotification(`Saved user "${toDisable.displayName ?? ''}". The account is disabled: they can no longer sign in.`);
    } finally {
      await ui.closeEditors();
    }
  });
});
