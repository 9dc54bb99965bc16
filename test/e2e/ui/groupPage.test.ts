/**
 * A group's own page, as an admin uses it: Enter on a group row opens it; a group of 142 members shows 142 (Graph's
 * count) and pages its list "(100 of 142)"; three members selected and removed after one confirmation each report
 * their outcome and are gone (the emulator agrees); two users found through the page's search are added at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { makeUser } from '../../emulator/directory/factories';
import { randomUUID } from 'node:crypto';
import { e2e } from '../harness/context';
import { answered, DirectoryUi, distinctUsers, freshTag, groupRowName, lastSeq, seedGroup, until } from './directoryUi';

describe('the group page', function () {
  this.timeout(180_000);
  const tag = freshTag();
  let ui: DirectoryUi | undefined;
  let group: GroupRecord;
  let members: UserRecord[];
  const added: string[] = [];

  function view(): DirectoryUi {
    assert.ok(ui, 'the workbench is open');
    return ui;
  }

  before(async () => {
    const { emulator } = e2e();
    members = distinctUsers(emulator).slice(0, 142);
    assert.equal(members.length, 142, 'the seed has 142 users to make members');
    group = seedGroup(emulator, `Page Crew ${tag}`, { memberIds: members.map((u) => u.id) });
    for (const i of [0, 1]) {
      const id = randomUUID();
      emulator.state.addUser(makeUser({ id, userPrincipalName: `newcomer${i}.${tag}@${emulator.domain}`, displayName: `Newcomer ${tag} ${i === 0 ? 'Avery' : 'Blake'}` }));
      added.push(id);
    }
    ui = await DirectoryUi.open();
    await view().search('Groups', tag);
    await view().waitForRow('Groups', groupRowName(group));
  });

  after(async () => {
    if (ui) {
      await ui.closeEditors().catch(() => undefined);
      await ui.viewAction('Groups', 'Clear Group Search').catch(() => undefined);
      await ui.close();
    }
    const { state } = e2e().emulator;
    if (group) state.deleteObject(group.id);
    for (const id of added) state.deleteObject(id);
  });

  it('Enter on a group row opens its page', async () => {
    const row = await view().waitForRow('Groups', groupRowName(group));
    await view().focusRowAt('Groups', Number(await row.getAttribute('data-index')));
    await view().page.keyboard.press('Enter');
    const page = view().webview();
    await page.locator('h1').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator('h1').innerText(), group.displayName);
    await until('the tab title', async () => (await view().workbench.editorTabs()).some((t) => t.includes(`Group: ${group.displayName}`)));
  });

  it('shows 142 members, and "(100 of 142)" on its list', async () => {
    const page = view().webview();
    await until('the member count', async () => (await page.locator('#members-count').innerText().catch(() => '')) === '142');
    assert.equal(await page.locator('#members-heading').innerText(), 'Members (142)');
    assert.equal(await page.locator('#members-rows li').count(), 100);
    assert.equal(await page.locator('#members-more').innerText(), 'Load more (100 of 142)');
  });

  it('removes three selected members after one confirmation; each row reports its outcome', async () => {
    const { emulator } = e2e();
    const page = view().webview();
    const rows = page.locator('#members-rows li');
    const ids = await Promise.all([0, 1, 2].map(async (i) => (await rows.nth(i).getAttribute('data-id')) ?? ''));
    assert.ok(ids.every((id) => emulator.state.isMember(group.id, id)), 'three members are shown first');
    for (const id of ids) await page.locator(`[id="members-sel-${id}"]`).check();
    assert.equal(await page.locator('#members-remove').innerText(), 'Remove selected (3)');
    const since = lastSeq(emulator);

    await page.locator('#members-remove').click();
    const dialog = view().workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Remove 3 members from "${group.displayName}"\\?`));
    await view().workbench.clickDialogButton('Remove');

    for (const id of ids) assert.equal((await answered(emulator, 'a removal', 'DELETE', `/v1.0/groups/${group.id}/members/${id}/$ref`, since)).status, 204);
    const outcomes = page.locator('#members-outcomes li');
    await until('three outcomes', async () => (await outcomes.count()) === 3);
    for (const text of await outcomes.allInnerTexts()) assert.match(text, /— Removed\.$/);
    assert.deepEqual(ids.map((id) => emulator.state.isMember(group.id, id)), [false, false, false], 'the emulator agrees');
    await until('the count to follow', async () => (await page.locator('#members-count').innerText()) === '139');
    for (const id of ids) assert.equal(await page.locator(`#members-rows li[data-id="${id}"]`).count(), 0, 'the removed rows are gone');
  });

  it('adds two users at once, found through the page\'s search', async () => {
    const { emulator } = e2e();
    const page = view().webview();
    const input = page.locator('#f-members-add');
    for (const name of ['Avery', 'Blake']) {
      await input.fill(`Newcomer ${tag} ${name}`);
      // The new users reach Graph's search index after replication: search again until they are offered.
      const option = page.locator('#f-members-add-list [role="option"]', { hasText: name });
      await until(`${name} to be offered`, async () => {
        if (await option.count()) return true;
        await input.fill('');
        await input.fill(`Newcomer ${tag} ${name}`);
        await new Promise((r) => setTimeout(r, 1000));
        return (await option.count()) > 0;
      }, 60_000);
      await option.first().click();
    }
    assert.equal(await page.locator('.chips .chip').count(), 2);
    const since = lastSeq(emulator);
    await page.locator('#members-add-button').click();
    await answered(emulator, 'the bulk add', 'PATCH', `/v1.0/groups/${group.id}`, since);
    const outcomes = page.locator('#members-outcomes li');
    await until('two outcomes', async () => (await outcomes.count()) === 2 && (await outcomes.allInnerTexts()).every((t) => /— Added\.$/.test(t)), 60_000);
    assert.ok(added.every((id) => emulator.state.isMember(group.id, id)), 'the emulator agrees');
    await until('the count to follow', async () => (await page.locator('#members-count').innerText()) === '141');
  });
});
