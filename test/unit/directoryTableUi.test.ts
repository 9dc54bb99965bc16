/**
 * The directory table's page in a real Chromium, under the panels' skeleton and CSP: only the rows on screen are in
 * the DOM, directory text stays text, and the mouse and keyboard select and act as the admin expects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { WebviewMessage } from '../../src/webviews/protocol';
import { MAKE_USER_ROWS, openView, startWebviewBrowser, TABLE_STRINGS, type WebviewBrowser } from '../support/webviewPage';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const ROWS = 5_000;
let browser: WebviewBrowser;
let page: Page;

const posted = (): Promise<WebviewMessage[]> => page.evaluate<WebviewMessage[]>('window.__posted');
const count = (): Promise<string> => page.locator('#table-count').innerText();
async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('directory table page in Chromium', () => {
  before(async () => {
    browser = await startWebviewBrowser({ width: 1200, height: 700 });
    page = await openView(browser, 'table');
    await page.evaluate(`(() => {
      const rows = (${MAKE_USER_ROWS})(${ROWS});
      rows[0][0] = ${JSON.stringify(HOSTILE)};
      const columns = ['displayName', 'userPrincipalName', 'department', 'accountEnabled'];
      window.postMessage({ type: 'init', state: { view: 'table', strings: ${JSON.stringify(TABLE_STRINGS)}, kind: 'users', loading: true, columns, loaded: 0, total: ${ROWS}, lang: 'en' } }, '*');
      for (let at = 0; at < rows.length; at += 1000) window.postMessage({ type: 'tableRows', reset: at === 0, rows: rows.slice(at, at + 1000) }, '*');
      window.postMessage({ type: 'tableProgress', loading: false, loaded: ${ROWS}, total: ${ROWS} }, '*');
    })()`);
    await until('every row', async () => (await count()).startsWith('5,000 of 5,000'));
  });
  after(async () => {
    await browser?.browser.close();
  });

  it('keeps only the rows on screen in the DOM and shows directory text as text', async () => {
    const inDom = await page.locator('.table-body .table-row').count();
    assert.ok(inDom > 10 && inDom < 100, `${inDom} rows in the DOM for ${ROWS}`);
    assert.equal(await page.locator('.table-body .table-row').first().locator('[role="gridcell"]').first().innerText(), HOSTILE);
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.deepEqual(await page.evaluate('window.__violations'), []);
    assert.equal(await page.locator('#table-grid').getAttribute('aria-activedescendant'), null);
  });

  it('shift-click selects a range, the keyboard extends it, and Enter opens the focused row', async () => {
    const rows = page.locator('.table-body .table-row:not([hidden])');
    await rows.nth(1).click();
    await rows.nth(3).click({ modifiers: ['Shift'] });
    assert.ok((await count()).endsWith('3 selected'));
    await page.keyboard.press('Shift+ArrowDown');
    assert.ok((await count()).endsWith('4 selected'), 'rows 1 to 4');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    assert.ok((await count()).endsWith('5 selected'), 'space adds the focused row');
    await page.keyboard.press('Enter');
    const open = (await posted()).filter((m) => m.type === 'tableOpen').at(-1);
    assert.deepEqual(open, { type: 'tableOpen', id: `00000000-0000-4000-8000-${String(5).padStart(12, '0')}` });
  });

  it('sends the selection for an action and shows each row\'s outcome', async () => {
    await page.locator('#table-add-to-group').click();
    const run = (await posted()).filter((m): m is Extract<WebviewMessage, { type: 'tableRun' }> => m.type === 'tableRun').at(-1);
    assert.ok(run);
    assert.equal(run.action, 'addToGroup');
    assert.equal(run.ids.length, 5);
    assert.equal(run.more, false);
    assert.ok(await page.locator('#table-add-to-group').isDisabled(), 'one action at a time');
    const [first, second] = run.ids;
    await page.evaluate(`window.postMessage(${JSON.stringify({
      type: 'tableDone', requestId: run.requestId, message: 'Added 1 of 2.',
      outcomes: [{ id: first, displayName: 'x', done: true, message: 'Added.' }, { id: second, displayName: 'y', done: false, message: 'Already a member.' }],
    })}, '*')`);
    await until('the outcomes', async () => (await page.locator('#table-message').innerText()) === 'Added 1 of 2.');
    const outcomes = await page.locator('.table-body .table-row:not([hidden]) .table-outcome').allInnerTexts();
    assert.ok(outcomes.includes('[outcomeDone]: Added.'));
    assert.ok(outcomes.includes('[outcomeFailed]: Already a member.'));
    assert.ok(await page.locator('#table-add-to-group').isEnabled());
  });

  it('filters and sorts in the page; a filter lets go of rows it hides', async () => {
    await page.locator('#table-filter-enabled').selectOption('disabled');
    // Rows 1–5 are enabled (every 7th is disabled): the selection goes with them.
    await until('the disabled rows', async () => (await count()).startsWith(`${Math.ceil(ROWS / 7).toLocaleString('en')} of 5,000 shown · 0 selected`));
    await page.locator('#sort-displayName').click();
    await page.locator('#sort-displayName').click();
    assert.equal(await page.locator('[role="columnheader"][aria-sort="descending"]').count(), 1);
    const names = await page.locator('.table-body .table-row:not([hidden]) [role="gridcell"]:first-child').allInnerTexts();
    assert.ok(names[0]?.startsWith('Person 004998'), `highest disabled first: ${names[0]}`);
  });
});
