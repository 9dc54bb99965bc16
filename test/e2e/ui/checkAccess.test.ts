/**
 * "Entra ID: Check Access" in the real workbench: run from the command palette, the access report opens in VS Code's
 * Markdown preview and names the tenant, the app and its application permissions (the run signs in app-only with the
 * emulator's demo app), and has one row per action with an answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { e2e } from '../harness/context';
import { DirectoryUi, until } from './directoryUi';

/** The twelve actions, then the manager and owner writes, as the report names them. */
const ACTIONS = [
  'get_organization_users', 'get_organization_groups', 'get_profile', 'get_manager', 'get_ms365_groups', 'search_groups',
  'create_group', 'update_group', 'delete_group', 'add_member_to_group', 'remove_member_from_group', 'update_user',
  'set_manager', 'add_owner', 'remove_owner',
];
/** What the emulator's demo app was granted (test/emulator/identity/apps.ts, DEFAULT_APP_ROLES). */
const APP_ROLES = ['Directory.ReadWrite.All', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All'];

describe('Check Access', function () {
  this.timeout(180_000);
  let ui: DirectoryUi | undefined;

  before(async () => {
    // Opening the container signs in (app-only, the run's settings).
    ui = await DirectoryUi.open();
  });

  after(async () => {
    await ui?.close();
  });

  it('shows the tenant, the app, its permissions and a row per action in a Markdown preview', async () => {
    assert.ok(ui);
    const { emulator } = e2e();
    await until('the status bar to name the tenant', async () => (await ui?.statusBar().innerText())?.includes(emulator.tenantName));
    await ui.workbench.runCommand('Entra ID: Check Access');
    const preview = ui.workbench.webview();
    const body = preview.locator('body');
    await until('the report to name the tenant', async () => (await body.innerText({ timeout: 5_000 }).catch(() => '')).includes(emulator.tenantName), 60_000);
    const text = await body.innerText();
    assert.ok(text.includes(emulator.apps.demo.clientId), 'the app by its client id');
    assert.match(text, /Application permissions \(app roles\)/);
    for (const role of APP_ROLES) assert.ok(text.includes(role), `the app role ${role}`);
    assert.match(text, /Read-only mode\s+off/);

    const rows = await preview.locator('table').nth(1).locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, ACTIONS.length, 'one row per action');
    ACTIONS.forEach((action, i) => {
      const row = rows[i] ?? '';
      assert.ok(row.startsWith(action), `row ${i} is ${action}: ${row}`);
      assert.match(row, /Yes|Depends|No|Probably/, `${action} has an answer`);
    });
    // The app holds Group.ReadWrite.All: listing users works now; editing a group depends on the group.
    assert.match(rows[0] ?? '', /Yes/);
    assert.match(rows[7] ?? '', /Depends.*depends on the group/s);
    // No link or image from the report: the text policy escapes every value.
    assert.equal(await preview.locator('a[href], img').count(), 0);
  });
});
