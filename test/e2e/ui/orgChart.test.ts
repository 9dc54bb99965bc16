/**
 * The org chart and the group-nesting graph, as an admin uses them, on the demo tenant and on the 5,000-user one: "Show
 * Org Chart" on a user row draws the chain to the top and the user's reports; three levels are expanded by clicking; a
 * click on a card opens the profile. "Why Is This User in a Group?" shows the path through two nested groups and marks
 * the cycle the seed closes. The people and groups are added to the tenant before the window opens, with names that
 * sort to the top.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { FrameLocator } from 'playwright-core';
import type { GroupRecord, UserRecord } from '../../emulator';
import { type DirectoryUi, freshTag, lastSeq, seedGroup, seedUser, until, userRowName } from './directoryUi';
import { emulatorOf, tenantFixtures, tenantRequests, type TenantFixture } from './tenantFixtures';

function orgChartChecks(fixture: TenantFixture): void {
  describe(`org chart and group nesting on ${fixture.label}`, function () {
    this.timeout(240_000);
    let opened: DirectoryUi | undefined;
    const tag = freshTag();
    const people: UserRecord[] = [];
    const groups: GroupRecord[] = [];

    function view(): DirectoryUi {
      assert.ok(opened, 'the window is open');
      return opened;
    }

    function seedPerson(first: string, last: string, manager?: UserRecord, department = 'Finance'): UserRecord {
      const tenant = fixture.tenant();
      const user = seedUser(tenant, `${first}.${last}.${tag}`, { displayName: `${first} ${last} ${tag}`, givenName: first, surname: last, jobTitle: 'Analyst', department });
      if (manager) tenant.state.setManager(user.id, manager.id);
      people.push(user);
      return user;
    }

    let top: UserRecord;
    let mid: UserRecord;
    let focus: UserRecord;
    let report: UserRecord;
    let deep: UserRecord;
    let deepest: UserRecord;
    let sibling: UserRecord;

    before(async () => {
      top = seedPerson('Aabe', 'Top');
      mid = seedPerson('Aabf', 'Middle', top);
      sibling = seedPerson('Aabg', 'Sibling', top);
      focus = seedPerson('Aaba', 'Focus', mid);
      report = seedPerson('Aabh', 'Report', focus);
      deep = seedPerson('Aabi', 'Deep', report);
      deepest = seedPerson('Aabj', 'Deepest', deep);
      opened = await fixture.open();
      await opened.waitForRow('Users', userRowName(focus), 120_000);
    });

    after(async () => {
      await opened?.closeEditors().catch(() => undefined);
      await fixture.close(opened);
      const { state } = fixture.tenant();
      for (const g of groups) state.deleteObject(g.id);
      for (const u of people) state.deleteObject(u.id);
    });

    const card = (page: FrameLocator, user: UserRecord) => page.locator(`[id="person-${user.id}"]`);

    it('"Show Org Chart" draws the chain to the top and the reports, expands three levels on click, and opens a profile', async () => {
      const ui = view();
      const since = lastSeq(emulatorOf());
      await ui.contextMenu(await ui.waitForRow('Users', userRowName(focus)), 'Show Org Chart');
      const chart = ui.webview();
      await card(chart, top).waitFor({ state: 'visible', timeout: 60_000 });
      for (const u of [mid, focus, report]) await card(chart, u).waitFor({ state: 'visible' });
      assert.equal(await chart.locator('#chart-note').innerText(), 'Top of the organisation: no manager is set.');
      assert.equal(await card(chart, sibling).count(), 0, 'the top\'s other reports are not read until asked for');
      await until('the tab title', async () => (await ui.workbench.editorTabs()).some((t) => t.includes(`Org Chart: ${focus.displayName ?? ''}`)));

      // Level 1: the top's reports (the sibling appears); levels 2 and 3: below the focus's report.
      await card(chart, top).locator('.expander').click();
      await card(chart, sibling).waitFor({ state: 'visible', timeout: 30_000 });
      await card(chart, report).locator('.expander').click();
      await card(chart, deep).waitFor({ state: 'visible', timeout: 30_000 });
      await card(chart, deep).locator('.expander').click();
      await card(chart, deepest).waitFor({ state: 'visible', timeout: 30_000 });
      for (const u of [top, report, deep]) {
        assert.equal(tenantRequests(fixture, 'GET', new RegExp(`/users/${u.id}/directReports/microsoft\\.graph\\.user$`), since).length, 1, `one read of ${u.displayName ?? ''}'s reports`);
      }
      // Nothing ever asks Graph twice for the chain: one /manager read per person above the focus, and one for the top.
      assert.equal(tenantRequests(fixture, 'GET', /\/manager$/, since).length, 3);

      await card(chart, deepest).locator('.name').click();
      const profile = ui.webview();
      await until('the profile of the clicked person', async () => {
        const h1 = profile.locator('h1');
        return (await h1.count()) > 0 && (await h1.innerText()) === deepest.displayName;
      }, 60_000);
      await ui.closeEditors();
    });

    it('"Why Is This User in a Group?" shows the path through two nested groups and marks the cycle', async () => {
      const ui = view();
      const tenant = fixture.tenant();
      const member = focus;
      const inner = seedGroup(tenant, `Aa Nest Inner ${tag}`, { memberIds: [member.id] });
      const middle = seedGroup(tenant, `Aa Nest Middle ${tag}`, { memberIds: [inner.id] });
      const outer = seedGroup(tenant, `Aa Nest Outer ${tag}`, { memberIds: [middle.id] });
      // outer ⊂ inner closes a cycle: inner ⊂ middle ⊂ outer ⊂ inner.
      tenant.state.addMember(inner.id, outer.id);
      groups.push(inner, middle, outer);

      await ui.contextMenu(await ui.waitForRow('Users', userRowName(member)), 'Why Is This User in a Group?');
      const page = ui.webview();
      const select = page.locator('#why-group');
      await until('the user\'s groups, including the outer one through nesting', async () => (await select.locator(`option[value="${outer.id}"]`).count()) === 1, 60_000);
      assert.equal(await page.locator('#member-of-section li.cycle').count() >= 1, true, 'the tree marks the cycle');
      await select.selectOption(outer.id);
      await page.locator('#why-show').click();
      const steps = page.locator('#why-paths .path-steps li');
      await steps.first().waitFor({ state: 'visible', timeout: 60_000 });
      assert.deepEqual(await steps.allInnerTexts(), [inner.displayName, middle.displayName, outer.displayName].map((n) => n.trim()));
      assert.equal(await page.locator('#why-cycles li').count(), 1);
      assert.match(await page.locator('#why-cycles li').innerText(), new RegExp(`${outer.displayName} → ${inner.displayName}`));
      await ui.closeEditors();
    });
  });
}

for (const fixture of tenantFixtures()) orgChartChecks(fixture);
