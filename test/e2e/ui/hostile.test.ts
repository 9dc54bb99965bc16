/**
 * Hostile directory data in the real workbench: users and groups whose names and fields are payloads from
 * test/hardening/payloads.ts are shown in the tree, a profile webview, the edit forms and notifications. They must
 * appear as literal text: no script runs (the payloads set `window.__pwned` / `document.title`, checked in the page
 * and in every frame), and no link, image or command appears.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { GroupRecord, UserRecord } from '../../emulator';
import { makeGroup, makeUser } from '../../emulator/directory/factories';
import { PAYLOADS, PWNED_TITLE, type Payload } from '../../hardening/payloads';
import type { Workbench } from '../harness/browser';
import { e2e } from '../harness/context';
import { extensionId } from '../harness/manifest';
import { settled } from './directoryUi';

const CONTAINER = { id: 'entraId', title: 'Entra ID' };
/** One search word for every seeded object (a single lower-case token, so Graph's `$search` finds them all). */
const WORD = `Zqhostile${randomUUID().replace(/[^a-z]/g, '').slice(0, 6)}`;
const CHOSEN = ['script-tag', 'img-onerror', 'close-title', 'dq-attr', 'md-command-link', 'notify-https', 'md-autolink', 'js-url', 'style-block', 'rlo'];
/** Elements no directory value may turn into. */
const INJECTED = 'img, a[href], iframe, svg, object, embed, style, details, math, video, audio, link, meta, form[action], script:not([nonce])';

function payload(id: string): Payload {
  const found = PAYLOADS.find((p) => p.id === id);
  assert.ok(found, id);
  return found;
}

/** How the tree names a row: one line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t\u2028\u2029\u0085]+/g, ' ').trim();
}

/** Waits, in polls bounded by `timeoutMs`, for `probe` to hold. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `window.__pwned` and the title in the page and in every frame (webviews included). */
async function pwned(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const frame of page.frames()) {
    const state = await frame
      .evaluate(() => ({ marker: (window as unknown as { __pwned?: unknown }).__pwned, title: document.title }))
      .catch(() => undefined);
    if (state && (state.marker !== undefined || state.title === 'PWNED')) found.push(`${frame.url().slice(0, 80)}: ${JSON.stringify(state)}`);
  }
  return found;
}

describe('hostile directory data in the workbench', function () {
  this.timeout(240_000);
  let workbench: Workbench | undefined;
  const users: UserRecord[] = [];
  const groups: GroupRecord[] = [];

  before(async () => {
    const { emulator } = e2e();
    for (const [i, id] of CHOSEN.entries()) {
      const p = payload(id);
      const user = makeUser({
        id: randomUUID(),
        userPrincipalName: `${WORD.toLowerCase()}${i}@${emulator.domain}`,
        displayName: `${WORD} ${p.value}`,
        jobTitle: p.value,
        department: p.value,
        officeLocation: p.value,
        city: p.value,
        mobilePhone: p.value,
      });
      emulator.state.addUser(user);
      users.push(user);
      const group = makeGroup({ id: randomUUID(), displayName: `${WORD} ${p.value}`, description: p.value, mailNickname: `${WORD}${i}`, groupTypes: [], mailEnabled: false, securityEnabled: true });
      emulator.state.addGroup(group);
      emulator.state.addMember(group.id, user.id);
      groups.push(group);
    }
    workbench = await e2e().openWorkbench();
    await workbench.openViewContainer(CONTAINER.title, CONTAINER.id, 60_000);
  });

  after(async () => {
    await workbench?.close();
    const { emulator } = e2e();
    for (const o of [...users, ...groups]) emulator.state.deleteObject(o.id);
  });

  const page = (): Page => {
    assert.ok(workbench);
    return workbench.page;
  };
  const pane = (view: 'Users' | 'Groups'): Locator =>
    page().locator(`[id="workbench.view.extension.${CONTAINER.id}"] .pane`, { has: page().locator('.pane-header h3.title', { hasText: new RegExp(`^${view}$`, 'i') }) });
  const rowOf = (view: 'Users' | 'Groups', name: string): Locator =>
    pane(view).locator('.monaco-list-row[role="treeitem"]').filter({ has: page().locator('.label-name', { hasText: name }) }).first();
  const webview = (): FrameLocator => {
    assert.ok(workbench);
    return workbench.webview(extensionId(e2e().manifest));
  };

  async function search(command: string, view: 'Users' | 'Groups'): Promise<void> {
    assert.ok(workbench);
    await pane(view).locator('.monaco-list-row[role="treeitem"]').first().waitFor({ state: 'visible', timeout: 60_000 });
    // The directory copy is built in the background after sign-in; once it is ready the views draw their rows from it
    // again. Rows that move under the pointer, or a redraw while the search box is open, are not what is checked here.
    await settled(e2e().emulator);
    await workbench.runCommand(command);
    const input = workbench.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill(WORD);
    await input.press('Enter');
    await until(`${view} to list the seeded objects`, async () => (await rowOf(view, WORD).count()) > 0);
    await settled(e2e().emulator);
  }

  async function contextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    const entry = page().getByRole('menuitem', { name: item, exact: true });
    await entry.waitFor({ state: 'visible', timeout: 15_000 });
    await entry.hover();
    await until(`"${item}" to be focused`, () => entry.evaluate((e) => e.closest('.action-item')?.classList.contains('focused') ?? false));
    await page().keyboard.press('Enter');
    await entry.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** What the webview's page holds: its text, its field values, and elements data must never become. */
  async function webviewContent(): Promise<{ text: string; values: string[]; injected: string[] }> {
    const body = webview().locator('body');
    return body.evaluate((el, selector) => ({
      text: (el as HTMLElement).innerText,
      values: [...el.querySelectorAll('input, textarea')].map((i) => (i as HTMLInputElement).value),
      injected: [...el.querySelectorAll(selector)].map((e) => e.outerHTML.slice(0, 120)),
    }), INJECTED);
  }

  it('lists the users as literal one-line names, with no markup in the rows or their tooltip', async () => {
    await search('Entra ID: Search Users', 'Users');
    const rows = pane('Users').locator('.monaco-list-row[role="treeitem"]');
    const labels = await rows.locator('.label-name').allInnerTexts();
    for (const user of users.filter((u) => /^[\x20-\x7e]*$/.test(u.displayName ?? ''))) {
      assert.ok(labels.includes(oneLine(user.displayName ?? '')), `"${user.displayName ?? ''}" among ${JSON.stringify(labels)}`);
    }
    assert.equal(await pane('Users').locator('.monaco-list-row').locator(INJECTED).count(), 0);

    for (const id of ['md-command-link', 'md-autolink']) {
      const value = payload(id).value;
      // A hover left open by an earlier test (the pointer resting on another row) would stay in front of this one.
      await page().mouse.move(5, 5);
      await until('no hover to be open', async () => (await page().locator('.monaco-hover:visible, .workbench-hover:visible').count()) === 0, 15_000);
      await rowOf('Users', `${WORD} ${value}`).hover();
      const hover = page().locator('.monaco-hover, .workbench-hover').filter({ hasText: value }).first();
      await hover.waitFor({ state: 'visible', timeout: 15_000 });
      assert.ok((await hover.innerText()).includes(value), `${id}: the tooltip shows the text as it is`);
      assert.equal(await hover.locator('a').count(), 0, `${id}: no link in the tooltip`);
      await page().mouse.move(5, 5);
      await hover.waitFor({ state: 'hidden', timeout: 15_000 });
    }
    assert.deepEqual(await pwned(page()), []);
  });

  it('shows a profile with every field as text, and a notification naming the user without a link', async () => {
    const user = users[CHOSEN.indexOf('md-command-link')];
    assert.ok(user);
    await contextMenu(rowOf('Users', user.displayName ?? ''), 'Show User Profile');
    await webview().locator('#copy-id').waitFor({ state: 'visible', timeout: 30_000 });
    const content = await webviewContent();
    assert.ok(content.text.includes(user.displayName ?? ''), 'the name as it is');
    assert.ok(content.text.includes(payload('md-command-link').value), 'the job title as it is');
    assert.deepEqual(content.injected, []);

    await webview().locator('#copy-id').click();
    const toast = page().locator('.notifications-toasts .notification-toast', { hasText: 'Copied the object ID' }).first();
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await toast.innerText(), /\[Open me\]/);
    assert.equal(await toast.locator('.notification-list-item-message a').count(), 0, 'the name is no link in the notification');
    assert.deepEqual(await pwned(page()), []);
  });

  it('opens the user edit form with the payloads as field values', async () => {
    await webview().locator('#edit-user').click();
    await until('the user form', async () => (await webviewContent()).values.length > 5);
    const content = await webviewContent();
    for (const id of ['md-command-link']) assert.ok(content.values.includes(payload(id).value), `${id} is a field value as it is`);
    assert.deepEqual(content.injected, []);
    assert.deepEqual(await pwned(page()), []);
  });

  it('shows script, markup and attribute payloads in profiles without running them', async () => {
    for (const id of ['script-tag', 'img-onerror', 'close-title', 'dq-attr', 'js-url']) {
      const user = users[CHOSEN.indexOf(id)];
      assert.ok(user);
      await contextMenu(rowOf('Users', oneLine(user.displayName ?? '')), 'Show User Profile');
      await until(`the profile of ${id}`, async () => (await webviewContent()).text.includes(payload(id).value));
      assert.deepEqual((await webviewContent()).injected, [], id);
    }
    assert.deepEqual(await pwned(page()), []);
    assert.notEqual(await page().title(), PWNED_TITLE);
  });

  it('lists the groups and opens their edit form with the payloads as values', async () => {
    await search('Entra ID: Search Groups', 'Groups');
    assert.equal(await pane('Groups').locator('.monaco-list-row').locator(INJECTED).count(), 0);
    for (const id of ['img-onerror', 'md-command-link']) {
      const group = groups[CHOSEN.indexOf(id)];
      assert.ok(group);
      await contextMenu(rowOf('Groups', group.displayName), 'Edit Group');
      await until(`the group form of ${id}`, async () => (await webviewContent()).values.includes(group.displayName));
      const content = await webviewContent();
      assert.ok(content.values.includes(payload(id).value), 'the description as it is');
      assert.deepEqual(content.injected, []);
    }
    assert.deepEqual(await pwned(page()), []);
  });
});
