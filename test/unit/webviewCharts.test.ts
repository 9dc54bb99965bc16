/**
 * The org chart and the nesting graph in a real Chromium under the panels' CSP, their messages checked both ways,
 * and the SVG export's escaping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { orgChartSvg } from '../../src/webviews/orgChartSvg';
import { isExtensionMessage, isWebviewMessage, MAX_CHART_REPORTS, UI_STRING_KEYS, type ChartPerson, type UiStrings } from '../../src/webviews/protocol';
import { assertPageClean, openView, postedBy, postToPage, startWebviewBrowser, untilPosted, type WebviewBrowser } from '../support/webviewPage';

const strings = Object.fromEntries(UI_STRING_KEYS.map((k) => [k, `[${k}]`])) as UiStrings;
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const person = (n: number, managerId: string, extra: Partial<ChartPerson> = {}): ChartPerson => ({
  id: id(n), displayName: `Person ${n}`, jobTitle: 'Engineer', department: 'R&D', disabled: false, managerId, reportsRead: false, moreReports: false, ...extra,
});

// Top (1) → Manager (2) → Focus (3, reports read) → reports 4 (hostile name, Finance) and 5 (disabled).
const chain: ChartPerson[] = [
  person(1, '', { displayName: 'Top Boss' }),
  person(2, id(1), { displayName: 'Middle Manager' }),
  person(3, id(2), { displayName: 'Focus Person', reportsRead: true }),
  person(4, id(3), { displayName: HOSTILE, department: 'Finance' }),
  person(5, id(3), { displayName: 'Dana Disabled', disabled: true }),
];
const chartInit = (chainEnd: 'top' | 'cycle' = 'top'): unknown => ({
  type: 'init', state: { view: 'orgChart', strings, loading: false, focusId: id(3), people: chain, chainEnd, ...(chainEnd === 'cycle' ? { chainNote: 'Focus Person' } : {}) },
});

describe('org chart and nesting pages in Chromium', () => {
  let at: WebviewBrowser;
  before(async () => {
    at = await startWebviewBrowser({ width: 1200, height: 800 });
  });
  after(async () => {
    await at?.browser.close();
  });

  const active = (page: Page): Promise<string | null> => page.getAttribute('#chart', 'aria-activedescendant');
  /** The chart marks the person with the keyboard focus when it draws, on the next animation frame. */
  async function expectActive(page: Page, expected: string): Promise<void> {
    for (let i = 0; i < 50 && (await active(page)) !== expected; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await active(page), expected);
  }

  it('in a short editor, first shows the chain from its top when the chain and the focus fit', async () => {
    const page = await openView(at, 'orgChart');
    await page.setViewportSize({ width: 1200, height: 420 });
    await postToPage(page, chartInit());
    await page.locator(`[id="person-${id(3)}"]`).waitFor();
    const viewport = await page.locator('#chart').boundingBox();
    assert.ok(viewport);
    for (const n of [1, 2, 3]) {
      const box = await page.locator(`[id="person-${id(n)}"] > rect`).boundingBox();
      assert.ok(box, `card ${n} drawn`);
      assert.ok(box.y >= viewport.y && box.y + box.height <= viewport.y + viewport.height, `card ${n} in view: ${JSON.stringify(box)} within ${JSON.stringify(viewport)}`);
    }
    await page.close();
  });

  it('draws the chain and the reports, walks them with the keyboard, expands on Enter and opens a profile', async () => {
    const page = await openView(at, 'orgChart');
    await postToPage(page, chartInit());
    await page.locator(`[id="person-${id(3)}"]`).waitFor();
    assert.equal(await page.locator('.chart-canvas .card').count(), 5);
    assert.match((await page.getAttribute(`[id="person-${id(3)}"]`, 'class')) ?? '', /current/);
    assert.match((await page.getAttribute(`[id="person-${id(5)}"]`, 'class')) ?? '', /disabled/);
    assert.equal(await page.locator(`[id="person-${id(5)}"] .badge-text`).textContent(), '[disabled]');
    assert.equal(await page.locator(`[id="person-${id(4)}"] .initials`).textContent(), '<O', 'initials of the first and last word');
    assert.equal(await page.textContent('#chart-note'), '[chartTop]');

    await page.focus('#chart');
    await page.keyboard.press('ArrowUp');
    await expectActive(page, `person-${id(2)}`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expectActive(page, `person-${id(4)}`);
    await page.keyboard.press('ArrowRight');
    await expectActive(page, `person-${id(5)}`);

    // Enter on a person whose reports are unread asks the extension for them.
    const sent = (await postedBy(page)).length;
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const ask = await untilPosted(page, (m) => m.type === 'chartExpand', sent);
    assert.ok(ask.type === 'chartExpand' && ask.userId === id(2));
    await postToPage(page, { type: 'chartReports', requestId: ask.requestId, managerId: id(2), people: [person(6, id(2)), person(7, id(2))], more: false });
    await page.locator(`[id="person-${id(7)}"]`).waitFor();
    assert.equal(await page.locator('.chart-canvas .card').count(), 7);
    // An answer to no request of the page's is ignored.
    await postToPage(page, { type: 'chartReports', requestId: 999, managerId: id(2), people: [person(8, id(2))], more: false });
    assert.equal(await page.locator(`[id="person-${id(8)}"]`).count(), 0);

    // Enter again hides them; P opens the profile of the person at the keyboard's place.
    await page.keyboard.press('Enter');
    await page.locator(`[id="person-${id(7)}"]`).waitFor({ state: 'detached' });
    await page.keyboard.press('p');
    assert.deepEqual((await postedBy(page)).at(-1), { type: 'chartOpen', userId: id(2) });
    await page.click(`[id="person-${id(1)}"] .name`);
    assert.deepEqual((await postedBy(page)).at(-1), { type: 'chartOpen', userId: id(1) });
    await assertPageClean(page);
  });

  it('searches within the chart, zooms, exports, and marks a manager cycle', async () => {
    const page = await openView(at, 'orgChart');
    await postToPage(page, chartInit('cycle'));
    await page.locator(`[id="person-${id(1)}"]`).waitFor();
    assert.equal(await page.textContent('#chart-note'), '[chartCycle]');
    assert.equal(await page.locator(`[id="person-${id(1)}"] .chain-mark`).textContent(), '↻');

    await page.fill('#chart-search', 'finance');
    await expectActive(page, `person-${id(4)}`);
    assert.match((await page.getAttribute(`[id="person-${id(4)}"]`, 'class')) ?? '', /match/);
    await page.fill('#chart-search', 'nobody at all');
    assert.equal(await page.textContent('#chart-search-status'), '[chartNoMatch]');

    const scale = async (): Promise<number> => Number(/scale\(([\d.]+)\)/.exec((await page.getAttribute('.chart-canvas > g', 'transform')) ?? '')?.[1]);
    const before = await scale();
    await page.click('#zoom-in');
    await page.locator(`[id="person-${id(1)}"]`).waitFor();
    assert.ok((await scale()) > before, 'zoomed in');
    await page.click('#export-svg');
    assert.deepEqual((await postedBy(page)).at(-1), { type: 'chartAction', action: 'exportSvg' });
    await assertPageClean(page);
  });

  it('shows a group\'s nested groups both ways with counts and marks a cycle; explains a user\'s membership by paths', async () => {
    const page = await openView(at, 'nesting');
    const g = (n: number): { id: string; displayName: string; kind: string } => ({ id: id(100 + n), displayName: n === 2 ? HOSTILE : `Group ${n}`, kind: 'Security' });
    await postToPage(page, {
      type: 'init', state: {
        view: 'nesting', strings, loading: false, subject: { kind: 'group', id: id(101), displayName: 'Group 1' }, groups: [g(1), g(2), g(3), g(4)],
        down: [{ from: id(101), to: id(102), cycle: false }, { from: id(102), to: id(103), cycle: false }, { from: id(103), to: id(101), cycle: true }],
        up: [{ from: id(101), to: id(104), cycle: false }],
      },
    });
    await page.locator('#nested-section').waitFor();
    assert.equal(await page.textContent('#nested-heading'), '[nestedGroups] ([memberGroupsCount])');
    assert.equal(await page.locator('#nested-section li.cycle').count(), 1);
    assert.equal(await page.locator('#nested-section button.group-link').first().textContent(), HOSTILE);
    assert.equal(await page.locator('#member-of-section button.group-link').count(), 1);
    await page.locator('#member-of-section button.group-link').click();
    assert.deepEqual((await postedBy(page)).at(-1), { type: 'nestingOpen', groupId: id(104) });
    await assertPageClean(page);

    const user = await openView(at, 'nesting');
    await postToPage(user, {
      type: 'init', state: {
        view: 'nesting', strings, loading: false, subject: { kind: 'user', id: id(9), displayName: 'Una User' }, groups: [g(1), g(2), g(3)],
        down: [], up: [{ from: id(9), to: id(103), cycle: false }, { from: id(103), to: id(102), cycle: false }, { from: id(102), to: id(101), cycle: false }],
      },
    });
    await user.locator('#why-group').waitFor();
    await user.selectOption('#why-group', id(101));
    await user.click('#why-show');
    const ask = await untilPosted(user, (m) => m.type === 'nestingExplain');
    assert.ok(ask.type === 'nestingExplain' && ask.groupId === id(101));
    await postToPage(user, {
      type: 'nestingPaths', requestId: ask.requestId, groupId: id(101), member: true, paths: [[id(103), id(102), id(101)]], more: false,
      cycles: [{ from: id(101), to: id(103), cycle: true }], groups: [],
    });
    await user.locator('#why-paths').waitFor();
    assert.deepEqual(await user.locator('#why-paths .path-steps li').allTextContents(), ['Group 3', HOSTILE, 'Group 1']);
    assert.equal(await user.locator('#why-cycles li').count(), 1);
    await assertPageClean(user);
  });
});

describe('chart and nesting messages', () => {
  it('accepts the pages\' requests and refuses malformed ones', () => {
    assert.ok(isWebviewMessage({ type: 'chartExpand', requestId: 1, userId: id(1) }));
    assert.ok(isWebviewMessage({ type: 'chartOpen', userId: id(1) }));
    assert.ok(isWebviewMessage({ type: 'chartAction', action: 'exportSvg' }));
    assert.ok(isWebviewMessage({ type: 'nestingExplain', requestId: 2, groupId: id(1) }));
    assert.ok(isWebviewMessage({ type: 'nestingOpen', groupId: id(1) }));
    assert.equal(isWebviewMessage({ type: 'chartExpand', userId: id(1) }), false, 'no request id');
    assert.equal(isWebviewMessage({ type: 'chartOpen', userId: '' }), false, 'empty id');
    assert.equal(isWebviewMessage({ type: 'chartOpen', userId: 'x'.repeat(129) }), false, 'id too long');
    assert.equal(isWebviewMessage({ type: 'chartAction', action: 'deleteEveryone' }), false);
    assert.equal(isWebviewMessage({ type: 'nestingExplain', requestId: 1, groupId: id(1), extra: true }), false, 'unknown field');
  });

  it('accepts the extension\'s answers and refuses malformed ones', () => {
    assert.ok(isExtensionMessage({ type: 'chartReports', requestId: 1, managerId: id(1), people: [person(2, id(1))], more: false }));
    assert.ok(isExtensionMessage(chartInit()));
    const { disabled: _dropped, ...noFlag } = person(2, id(1));
    assert.equal(isExtensionMessage({ type: 'chartReports', requestId: 1, managerId: id(1), people: [noFlag], more: false }), false);
    const many = Array.from({ length: MAX_CHART_REPORTS + 1 }, (_, i) => person(i + 10, id(1)));
    assert.equal(isExtensionMessage({ type: 'chartReports', requestId: 1, managerId: id(1), people: many, more: true }), false);
    assert.ok(isExtensionMessage({ type: 'nestingPaths', requestId: 1, groupId: id(1), member: true, paths: [[id(2), id(1)]], more: false, cycles: [], groups: [] }));
    assert.equal(isExtensionMessage({ type: 'nestingPaths', requestId: 1, groupId: id(1), member: true, paths: [[7]], more: false, cycles: [], groups: [] }), false);
    assert.equal(isExtensionMessage({ type: 'init', state: { view: 'nesting', strings, loading: false, groups: [], down: [{ from: id(1), to: id(2) }], up: [] } }), false, 'edge without cycle flag');
  });
});

describe('SVG export', () => {
  it('writes names as escaped text, marks disabled people, and leaves out people not under the top', () => {
    const out = orgChartSvg([...chain, person(9, id(99), { displayName: 'Orphan' })], { title: 'Chart & <co>', disabled: 'Disabled' });
    assert.ok(out.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(!out.includes('<img'), 'no markup from a name');
    assert.ok(out.includes('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;'.slice(0, 24)));
    assert.ok(out.includes('<title>Chart &amp; &lt;co&gt;</title>'));
    assert.equal((out.match(/class="card disabled"/g) ?? []).length, 1);
    assert.equal((out.match(/class="card/g) ?? []).length, 5);
    assert.ok(!out.includes('Orphan'));
    assert.ok(!/<script|href=/i.test(out));
  });
});
