/**
 * Setting and clearing a user's manager, as an admin does it: "Set Manager…" on a user row with a search-as-you-type
 * picker, and "Clear Manager…" on the profile page after a confirmation that names the manager. The users are added
 * to the emulator before the window opens, with names that sort to the top of the Users view.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { UserRecord } from '../../emulator';
import { makeUser } from '../../emulator/directory/factories';
import { e2e } from '../harness/context';
import { answered, DirectoryUi, freshTag, lastSeq, requests, until, userRowName } from './directoryUi';

describe('a user\'s manager', function () {
  this.timeout(120_000);
  let ui: DirectoryUi;
  const tag = freshTag();
  const people: UserRecord[] = [];
  let report: UserRecord;
  let lead: UserRecord;
  let boss: UserRecord;

  function seedUser(first: string, last: string): UserRecord {
    const alias = `${first}.${last}.${tag}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
    const user = makeUser({ id: randomUUID(), userPrincipalName: `${alias}@contoso.onmicrosoft.com`, displayName: `${first} ${last} ${tag}`, givenName: first, surname: last, accountEnabled: true });
    e2e().emulator.state.addUser(user);
    people.push(user);
    return user;
  }

  before(async () => {
    report = seedUser('Aabel', 'Report');
    lead = seedUser('Aaliyah', 'Lead');
    boss = seedUser('Aamir', 'Boss');
    e2e().emulator.state.setManager(lead.id, boss.id);
    ui = await DirectoryUi.open();
    await ui.waitForRow('Users', userRowName(report));
  });

  after(async () => {
    await ui?.close();
    for (const u of people) e2e().emulator.state.deleteObject(u.id);
  });

  it('"Set Manager…" on a user row searches for the manager, sets it with one PUT and shows it under "Manager"', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    const row = await ui.waitForRow('Users', userRowName(report));
    await ui.contextMenu(row, 'Set Manager…');
    const input = ui.workbench.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill('Aamir');
    await ui.workbench.chooseQuickPickRow(boss.userPrincipalName);

    const put = await answered(emulator, 'the manager request', 'PUT', `/v1.0/users/${report.id}/manager/$ref`, since);
    assert.equal(put.status, 204);
    assert.deepEqual(put.body, { '@odata.id': `${emulator.graphUrl}/directoryObjects/${boss.id}` });
    assert.equal(emulator.state.managerOf(report.id)?.id, boss.id);
    await ui.workbench.waitForNotification(`"${report.displayName ?? ''}" now reports to ${boss.displayName ?? ''} (${boss.userPrincipalName}).`);

    // The Manager folder shows the new manager at once (Graph's replicas may still answer with the old one).
    await ui.workbench.expandRow(row);
    const userIndex = Number(await row.getAttribute('data-index'));
    const folder = await until('the Manager folder', async () => DirectoryUi.childrenOf(await ui.renderedRows('Users'), userIndex).find((r) => r.name === 'Manager'));
    await ui.workbench.expandRow(ui.rowAt('Users', folder.index));
    await until('the new manager under "Manager"', async () => (await ui.nameAt('Users', folder.index + 1)) === userRowName(boss));
    await ui.viewAction('Users', 'Collapse All');
  });

  it('"Clear Manager…" on the profile page names the manager in a confirmation, then removes it with one DELETE', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    // A click on a user row opens the profile.
    await (await ui.waitForRow('Users', userRowName(lead))).click();
    const profile = ui.webview();
    try {
      const managerName = profile.locator('section[aria-labelledby="manager-heading"] .person .name');
      await until('the profile to show the manager', async () => (await managerName.count()) > 0 && (await managerName.innerText()) === boss.displayName);
      await profile.getByRole('button', { name: 'Clear Manager…' }).click();
      const dialog = ui.workbench.dialog();
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await dialog.innerText(), new RegExp(`Remove ${boss.displayName ?? ''} \\(${boss.userPrincipalName.replace(/\./g, '\\.')}\\) as the manager of "${lead.displayName ?? ''}"\\?`));
      assert.deepEqual(requests(emulator, 'DELETE', /\/manager\/\$ref$/, since), [], 'nothing is sent before the confirmation');
      await ui.workbench.clickDialogButton('Clear Manager');

      const del = await answered(emulator, 'the clear request', 'DELETE', `/v1.0/users/${lead.id}/manager/$ref`, since);
      assert.equal(del.status, 204);
      assert.equal(emulator.state.managerOf(lead.id), undefined);
      await until('the profile to say there is no manager', async () => (await profile.locator('section[aria-labelledby="manager-heading"]').innerText()).includes('No manager is set.'));
      await ui.workbench.waitForNotification(`"${lead.displayName ?? ''}" no longer has a manager.`);
    } finally {
      await ui.closeEditors();
    }
  });
});
