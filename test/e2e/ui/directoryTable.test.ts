/**
 * The directory table, as an admin uses it, on the demo tenant and on the 5,000-user one: "List All Users (Table)"
 * opens every user in a table; sort by name, filter to the disabled Finance users, select the ten shown, add them to a
 * group picked in the searchable picker, and read an outcome on each row. The users and the group are added to the
 * tenant before the window opens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { type DirectoryUi, freshTag, lastSeq, seedGroup, seedUser, until, userRowName } from './directoryUi';
import { emulatorOf, tenantAnswered, tenantFixtures, type TenantFixture } from './tenantFixtures';

function directoryTableChecks(fixture: TenantFixture): void {
  describe(`the directory table on ${fixture.label}`, function () {
    this.timeout(300_000);
    let opened: DirectoryUi | undefined;
    const tag = freshTag();
    const people: UserRecord[] = [];
    let target: GroupRecord | undefined;

    function view(): DirectoryUi {
      assert.ok(opened, 'the window is open');
      return opened;
    }

    function seedFinance(name: string, enabled: boolean): UserRecord {
      const user = seedUser(fixture.tenant(), `${name}.${tag}`, { displayName: `${name} ${tag}`, department: 'Finance', accountEnabled: enabled });
      people.push(user);
      return user;
    }

    before(async () => {
      for (let i = 0; i < 10; i++) seedFinance(`Aab Ledger${String(i).padStart(2, '0')}`, false);
      const visible = seedFinance('Aaa Treasurer', true);
      target = seedGroup(fixture.tenant(), `Table target ${tag}`);
      opened = await fixture.open();
      await opened.waitForRow('Users', userRowName(visible), 120_000);
    });

    after(async () => {
      await fixture.close(opened);
      const { state } = fixture.tenant();
      for (const u of people) state.deleteObject(u.id);
      if (target) state.deleteObject(target.id);
    });

    it('opens every user, sorts, filters to the disabled Finance users, and adds the ten selected to a group with an outcome per row', async () => {
      const ui = view();
      const { state } = fixture.tenant();
      const group = target;
      assert.ok(group);
      // Every user, enabled or disabled, as the tenant's directory holds them: the table loads them all before it filters.
      const total = [...state.users()].length;
      await ui.workbench.runCommand('Entra ID: List All Users (Table)');
      const table = ui.webview();
      const count = table.locator('#table-count');
      await until(`all ${total} users in the table`, async () => /^\S+ of (\S+) shown/.exec(await count.innerText())?.[1]?.replace(/\D/g, '') === String(total), 180_000);

      await table.locator('#sort-displayName').click();
      await until('the sort by name', async () => (await table.locator('[role="columnheader"][aria-sort="ascending"]').count()) === 1, 60_000);
      const firstNames = await table.locator('.table-body .table-row:not([hidden]) [role="gridcell"]:first-child').allInnerTexts();
      const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
      for (let i = 1; i < Math.min(firstNames.length, 10); i++) assert.ok(collator.compare(firstNames[i - 1] ?? '', firstNames[i] ?? '') <= 0, `sorted: ${firstNames.slice(0, 10).join(' | ')}`);

      await table.locator('#table-filter-enabled').selectOption('disabled');
      await table.locator('#table-filter-department').fill('finance');
      await table.locator('#table-filter-text').fill(tag);
      await until('the ten disabled Finance users', async () => (await count.innerText()).startsWith('10 of '), 60_000);

      await table.locator('.table-body .table-row:not([hidden])').first().click();
      await table.locator('#table-grid').press('ControlOrMeta+a');
      await until('ten selected', async () => (await count.innerText()).endsWith('10 selected'));

      const since = lastSeq(emulatorOf());
      await table.locator('#table-add-to-group').click();
      const input = ui.workbench.quickInput();
      await input.waitFor({ state: 'visible' });
      await input.fill(`Table target ${tag}`);
      await ui.workbench.chooseQuickPickRow(group.displayName ?? '');
      await tenantAnswered(fixture, 'the bulk add', 'PATCH', `/v1.0/groups/${group.id}`, since, 60_000);
      await until('the summary', async () => (await table.locator('#table-message').innerText()) === `Added 10 of 10 to "${group.displayName ?? ''}".`, 60_000);
      const outcomes = await table.locator('.table-body .table-row:not([hidden]) .table-outcome').allInnerTexts();
      assert.equal(outcomes.length, 10);
      assert.ok(outcomes.every((o) => o === 'Done: Added.'), outcomes.join(' | '));
      for (const u of people.filter((p) => !p.accountEnabled)) assert.ok(state.isMember(group.id, u.id), `${u.displayName ?? u.id} is a member`);
    });
  });
}

for (const fixture of tenantFixtures()) directoryTableChecks(fixture);
