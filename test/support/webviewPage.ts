/**
 * The browser bundle in a real Chromium (Debian's, or CHROMIUM_PATH), under the page skeleton and CSP the panels serve,
 * with a recording stand-in for `acquireVsCodeApi`. Shared by the webview UI tests and the chart benchmark.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { newNonce, renderPage } from '../../src/webviews/page';
import type { ViewKind, WebviewMessage } from '../../src/webviews/protocol';

export const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => p && existsSync(p));
const ORIGIN = 'https://webview.test';

export interface WebviewBrowser {
  browser: Browser;
  context: BrowserContext;
  bundle: string;
}

/** Builds the bundle from source (as esbuild.mjs does) and starts Chromium. */
export async function startWebviewBrowser(viewport?: { width: number; height: number }): Promise<WebviewBrowser> {
  const out = await build({ entryPoints: ['src/webview-ui/main.ts'], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent' });
  const bundle = out.outputFiles[0]?.text ?? '';
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
