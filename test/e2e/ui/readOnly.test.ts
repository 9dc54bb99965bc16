/**
 * Read-only mode in the real workbench (`entraId.readOnly` in the user settings of a code-server of its own): the
 * context key hides every write from the tree's context menus, the view title, the command palette and the keyboard,
 * the profile page shows no change buttons, and the status bar says so. Browsing still works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { e2e } from '../harness/context';
import { DirectoryUi, distinctUsers, freshTag, groupRowName, OwnCodeServer, requests, lastSeq, seedGroup, until, userRowName } from './directoryUi';

/** The titles of the commands that change the directory (package.nls.json). */
const WRITE_TITLES = ['Edit User', 'Add User to Group…', 'Set Manager…', 'Clear Manager…', 'Create Group', 'Edit Group', 'Delete Group…', 'Add Member to Group…', 'Remove Member from Group…'];

describe('read-only mode', function () {
  this.timeout(240_000);
  let own: OwnCodeServer | undefined;
  let ui: DirectoryUi | undefined;

  before(async () => {
    const { emulator } = e2e();
    own = await OwnCodeServer.create(emulator);
    ui = await DirectoryUi.open(await own.start(emulator, { 'entraId.readOnly': true }));
  });

  after(async () => {
    await ui?.close();
    await own?.dispose();
  });

  it('browses, but offers no write in menus, view title, palette or keyboard, and the status bar says read-only', async () => {
    assert.ok(ui);
    const { emulator } = e2e();
    const user = distinctUsers(emulator)[0];
    assert.ok(user);
    const tag = freshTag();
    const group = seedGroup(emulator, `Readonly ${tag}`, { memberIds: [user.id] });
    const since = lastSeq(emulator);

    const userRow = await ui.waitForRow('Users', userRowName(user));
    await until('the status bar to say read-only', async () => ((await ui?.statusBar().getAttribute('aria-label')) ?? '').includes('(read-only mode)'));

    const userMenu = await ui.contextMenuEntries(userRow);
    assert.ok(userMenu.includes('Show User Profile'), `the user menu still reads: ${userMenu.join(', ')}`);
    for (const title of WRITE_TITLES) assert.ok(!userMenu.includes(title), `user menu offers ${title}`);

    await ui.search('Groups', `Readonly ${tag}`);
    const groupRow = await ui.waitForRow('Groups', groupRowName(group));
    const groupMenu = await ui.contextMenuEntries(groupRow);
    assert.ok(groupMenu.includes('Show Group'), `the group menu still reads: ${groupMenu.join(', ')}`);
    for (const title of WRITE_TITLES) assert.ok(!groupMenu.includes(title), `group menu offers ${title}`);
    await ui.pane('Groups').locator('.pane-header').hover();
    assert.equal(await ui.viewActionLocator('Groups', 'Search Groups').count(), 1, 'the view title still has its read actions');
    assert.equal(await ui.viewActionLocator('Groups', 'Create Group').count(), 0, 'no Create Group in the view title');

    // The palette: Check Access is there, no write command is.
    await ui.workbench.openQuickInput('>Entra ID: Check Access');
    await ui.workbench.quickPickRows().filter({ hasText: 'Entra ID: Check Access' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    for (const title of WRITE_TITLES) {
      await ui.workbench.quickInput().fill(`>Entra ID: ${title}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const offered = await ui.workbench.quickPickRows().allInnerTexts();
      assert.ok(!offered.some((row) => row.includes(`Entra ID: ${title}`)), `the palette offers ${title}: ${offered.join(' | ')}`);
    }
    await ui.page.keyboard.press('Escape');

    // F2 and Delete on the selected, focused row do nothing: no form, no confirmation.
    // (A click on a row opens its profile: what is open then must stay all that is open.)
    await (await ui.waitForRow('Users', userRowName(user))).click();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const tabs = await ui.workbench.editorTabs();
    await (await ui.waitForRow('Users', userRowName(user))).click();
    await ui.page.keyboard.press('F2');
    await ui.page.keyboard.press('Delete');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(await ui.workbench.editorTabs(), tabs, 'no form opened');
    assert.equal(await ui.workbench.dialog().count(), 0, 'no confirmation asked');
    assert.deepEqual(requests(emulator, 'PATCH', /\/v1\.0\//, since).concat(requests(emulator, 'POST', /\/v1\.0\//, since), requests(emulator, 'DELETE', /\/v1\.0\//, since)), [], 'no write sent');
  });

  it('the profile page shows no Edit User and no manager change', async () => {
    assert.ok(ui);
    const user = distinctUsers(e2e().emulator)[0];
    assert.ok(user);
    await ui.contextMenu(await ui.waitForRow('Users', userRowName(user)), 'Show User Profile');
    const page = ui.webview();
    await page.locator('#copy-id').waitFor({ state: 'visible', timeout: 30_000 });
    await until('the manager section to load', async () => !/Loading/.test(await page.locator('#manager-heading').locator('xpath=..').innerText()));
    assert.equal(await page.locator('#edit-user').count(), 0);
    assert.equal(await page.locator('#set-manager, #clear-manager').count(), 0);
  });
});
