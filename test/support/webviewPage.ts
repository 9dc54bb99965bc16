/**
 * The browser bundle in a real Chromium (Debian's, or CHROMIUM_PATH), under the page skeleton and CSP the panels serve,
 * with a recording stand-in for `acquireVsCodeApi`. Shared by the webview UI tests and the chart and table benchmarks.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { newNonce, renderPage } from '../../src/webviews/page';
import { UI_STRING_KEYS, type UiStrings, type ViewKind, type WebviewMessage } from '../../src/webviews/protocol';

export const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => p && existsSync(p));
const ORIGIN = 'https://webview.test';
/** Each label is its key in brackets, so a test can tell which one is shown. */
export const STRINGS = Object.fromEntries(UI_STRING_KEYS.map((k) => [k, `[${k}]`])) as UiStrings;
/** The same, with the table's templates keeping their placeholders, so counts can be read. */
export const TABLE_STRINGS: UiStrings = {
  ...STRINGS, rowsShown: '{0} of {1} shown · {2} selected', loadedOf: '{0} of {1} loaded', loadedSoFar: '{0} loaded', sortBy: 'Sort by {0}', selectionTooLarge: 'At most {0}',
};


export interface WebviewBrowser {
  browser: Browser;
  context: BrowserContext;
  bundle: string;
}

/** Builds the bundle from source (as esbuild.mjs does), or takes `bundlePath` (a built one), and starts Chromium. */
export async function startWebviewBrowser(viewport?: { width: number; height: number }, bundlePath?: string): Promise<WebviewBrowser> {
  if (!CHROMIUM) throw new Error('Chromium is needed (apt-get install chromium, or set CHROMIUM_PATH).');
  const bundle = bundlePath
    ? readFileSync(bundlePath, 'utf8')
    : ((await build({ entryPoints: ['src/webview-ui/main.ts'], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent' })).outputFiles[0]?.text ?? '');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const context = await browser.newContext(viewport ? { viewport } : {});
  return { browser, context, bundle };
}

/** A page like the panels' own: same skeleton and CSP, the bundle, a recording host API (`window.__posted`). */
export async function openView(at: WebviewBrowser, view: ViewKind): Promise<Page> {
  const page = await at.context.newPage();
  await page.addInitScript({
    content: `window.__posted = []; window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });`,
  });
  const html = renderPage({ cspSource: ORIGIN, nonce: newNonce(), scriptUri: `${ORIGIN}/main.js`, styleUri: `${ORIGIN}/webview.css`, view, title: 'Test', lang: 'en' });
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/main.js') return route.fulfill({ body: at.bundle, contentType: 'text/javascript' });
    if (path === '/webview.css') return route.fulfill({ body: readFileSync('media/webview.css', 'utf8'), contentType: 'text/css' });
    return route.fulfill({ body: html, contentType: 'text/html' });
  });
  await page.goto(`${ORIGIN}/`);
  return page;
}

/** Posts like the extension and resolves once the page has handled it (message events are dispatched later). */
export const postToPage = (page: Page, message: unknown): Promise<unknown> =>
  page.evaluate(`new Promise((done) => { window.addEventListener('message', () => done(), { once: true }); window.postMessage(${JSON.stringify(message)}, '*'); })`);

export const postedBy = (page: Page): Promise<WebviewMessage[]> => page.evaluate('window.__posted');

/** Polls from outside: the page's CSP rightly forbids the eval that `waitForFunction` would need. */
export async function untilPosted(page: Page, match: (m: WebviewMessage) => boolean, from = 0): Promise<WebviewMessage> {
  for (let i = 0; i < 100; i++) {
    const found = (await postedBy(page)).slice(from).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the page did not post the expected message');
}

/** No CSP violation, and no directory text ran as markup (the hostile names set `window.__pwned` if they did). */
export async function assertPageClean(page: Page): Promise<void> {
  assert.deepEqual(await page.evaluate('window.__violations'), [], 'no CSP violations');
  assert.equal(await page.evaluate('window.__pwned'), undefined, 'directory data never ran as markup');
}

/**
 * Rows of a users table made in the page (posting 100,000 through the test driver would measure the driver):
 * every 7th disabled, departments and titles from short lists, creation dates spread over 2020–2024.
 */
export const MAKE_USER_ROWS = `(count) => {
  const departments = ['Finance', 'Sales', 'Engineering', 'Marketing', 'Legal', 'Support', ''];
  const titles = ['Analyst', 'Manager', 'Engineer', 'Director', 'Associate', ''];
  const rows = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(6, '0');
    const id = '00000000-0000-4000-8000-' + String(i).padStart(12, '0');
    const day = new Date(Date.UTC(2020, 0, 1) + (i % 1800) * 86400000).toISOString().replace('.000Z', 'Z');
    rows.push(['Person ' + n + ' Ålvarez', 'p' + n + '@contoso.test', 'p' + n + '@contoso.test', titles[i % titles.length], departments[i % departments.length],
      i % 7 === 0 ? '0' : '1', i % 11 === 0 ? 'Guest' : 'Member', day, id]);
  }
  return rows;
}`;
