/**
 * The directory table, as an admin uses it: "List All Users (Table)" opens every user in a table; sort by name, filter
 * to the disabled Finance users, select the ten shown, add them to a group picked in the searchable picker, and read an
 * outcome on each row. The users and the group are added to the emulator before the window opens.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { makeUser } from '../../emulator/directory/factories';
import { e2e } from '../harness/context';
import { answered, DirectoryUi, freshTag, lastSeq, seedGroup, until, userRowName } from './directoryUi';

describe('the directory table', function () {
  this.timeout(240_000);
  let ui: DirectoryUi;
  const tag = freshTag();
  const people: UserRecord[] = [];
  let target: GroupRecord;

  function seedUser(name: string, enabled: boolean): UserRecord {
    const alias = `${name}.${tag}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
    const user = makeUser({ id: randomUUID(), userPrincipalName: `${alias}@contoso.onmicrosoft.com`, displayName: `${name} ${tag}`, department: 'Finance', accountEnabled: enabled });
    e2e().emulator.state.addUser(user);
    people.push(user);
    return user;
  }

  before(async () => {
    for (let i = 0; i < 10; i++) seedUser(`Aab Ledger${String(i).padStart(2, '0')}`, false);
    const visible = seedUser('Aaa Treasurer', true);
    target = seedGroup(e2e().emulator, `Table target ${tag}`);
    ui = await DirectoryUi.open();
    await ui.waitForRow('Users', userRowName(visible));
  });

  after(async () => {
    await ui?.close();
    for (const u of people) e2e().emulator.state.deleteObject(u.id);
    e2e().emulator.state.deleteObject(target.id);
  });

  it('opens every user, sorts, filters to the disabled Finance users, and adds the ten selected to a group with an outcome per row', async () => {
    const { emulator } = e2e();
    const total = [...emulator.state.users()].length;
    await ui.workbench.runCommand('Entra ID: List All Users (Table)');
    const table = ui.webview();
    const count = table.locator('#table-count');
    await until('every user in the table', async () => /^\S+ of (\S+) shown/.exec(await count.innerText())?.[1]?.replace(/\D/g, '') === String(total), 90_000);

    await table.locator('#sort-displayName').click();
    await until('the sort by name', async () => (await table.locator('[role="columnheader"][aria-sort="ascending"]').count()) === 1);
    const firstNames = await table.locator('.table-body .table-row:not([hidden]) [role="gridcell"]:first-child').allInnerTexts();
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    for (let i = 1; i < Math.min(firstNames.length, 10); i++) assert.ok(collator.compare(firstNames[i - 1] ?? '', firstNames[i] ?? '') <= 0, `sorted: ${firstNames.slice(0, 10).join(' | ')}`);

    await table.locator('#table-filter-enabled').selectOption('disabled');
    await table.locator('#table-filter-department').fill('finance');
    await table.locator('#table-filter-text').fill(tag);
    await until('the ten disabled Finance users', async () => (await count.innerText()).startsWith('10 of '));

    await table.locator('.table-body .table-row:not([hidden])').first().click();
    await table.locator('#table-grid').press('ControlOrMeta+a');
    await until('ten selected', async () => (await count.innerText()).endsWith('10 selected'));

    const since = lastSeq(emulator);
    await table.locator('#table-add-to-group').click();
    const input = ui.workbench.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill(`Table target ${tag}`);
    await ui.workbench.chooseQuickPickRow(target.displayName ?? '');
    await answered(emulator, 'the bulk add', 'PATCH', `/v1.0/groups/${target.id}`, since, 60_000);
    await until('the summary', async () => (await table.locator('#table-message').innerText()) === `Added 10 of 10 to "${target.displayName ?? ''}".`, 60_000);
    const outcomes = await table.locator('.table-body .table-row:not([hidden]) .table-outcome').allInnerTexts();
    assert.equal(outcomes.length, 10);
    assert.ok(outcomes.every((o) => o === 'Done: Added.'), outcomes.join(' | '));
    for (const u of people.filter((p) => !p.accountEnabled)) assert.ok(emulator.state.isMember(target.id, u.id), `${u.displayName ?? u.id} is a member`);
  });
});
