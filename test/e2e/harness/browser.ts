/**
 * Drives the VS Code web workbench in the machine's Chromium through playwright-core.
 * Selectors are the ones checked on VS Code 1.139 (checked on VS Code 1.139 / code-server 4.139.1).
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { log } from './log';
import { resultsDir } from './paths';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface E2EBrowser {
  /** A fresh page (tab); closed by `close()` if the caller does not close it first. */
  newPage(): Promise<Page>;
  /** Pages currently open, e.g. to screenshot them when a test fails. */
  pages(): Page[];
  close(): Promise<void>;
}

/**
 * Launches Chromium with a profile inside `profileDir` (so the run's temporary folder appears in its command line
 * and a leftover browser is easy to find). Never downloads a browser: the executable is the system one.
 */
export async function launchBrowser(
  profileDir: string,
  options: { headless?: boolean; env?: Record<string, string>; /** Accept self-signed certificates (e.g. the emulator's sign-in pages). */ ignoreHTTPSErrors?: boolean } = {},
): Promise<E2EBrowser> {
  mkdirSync(profileDir, { recursive: true });
  const context: BrowserContext = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    ...(options.ignoreHTTPSErrors ? { ignoreHTTPSErrors: true } : {}),
    // E.g. HOME/XDG folders inside the run's profile: Chromium writes crash reports and caches there.
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    // The harness owns signal handling (harness/processes.ts); Playwright's own handler would exit mid-cleanup.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // A persistent context opens with one blank tab; reuse it for the first page.
  let spare: Page | undefined = context.pages()[0];
  let closed = false;
  return {
    newPage: async () => {
      const page = spare ?? (await context.newPage());
      spare = undefined;
      return page;
    },
    pages: () => context.pages().filter((p) => !p.isClosed() && p.url() !== 'about:blank'),
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close();
    },
  };
}

/** Saves a full-page screenshot into test-results/e2e/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name.replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    log('browser', `screenshot ${path.relative(process.cwd(), file)}`);
    return file;
  } catch (error) {
    log('browser', `screenshot failed: ${String(error)}`);
    return undefined;
  }
}

/** A loaded workbench page and the interactions the tests need. */
export class Workbench {
  private constructor(readonly page: Page) {}

  /** Opens `url` in a new page and waits for the workbench to render. */
  static async open(browser: E2EBrowser, url: string, timeoutMs = 60_000): Promise<Workbench> {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
    return new Workbench(page);
  }

  /** Runs a command from the palette by its title (as shown, e.g. "Entra ID: Refresh"). */
  async runCommand(title: string, timeoutMs = 10_000): Promise<void> {
    const input = await this.openQuickInput('>' + title, timeoutMs);
    const row = this.page.locator('.quick-input-widget .monaco-list-row[role="option"]', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.press('Enter');
  }

  /** Opens the command palette and types `text`; returns the input. Quick picks shown later use the same widget. */
  async openQuickInput(text: string, timeoutMs = 10_000): Promise<Locator> {
    await this.page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, timeout: timeoutMs }).catch(() => undefined);
    await this.page.keyboard.press('F1');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(text);
    return input;
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget input.input');
  }

  /** Options currently offered by the quick input (command palette or a quick pick). */
  quickPickRows(): Locator {
    return this.page.locator('.quick-input-widget .monaco-list-row[role="option"]');
  }

  /**
   * Chooses the offered row that contains `text`. A search-as-you-type pick replaces its rows when an answer arrives,
   * which can swallow a click aimed at the row it replaced: so wait until the pick is no longer busy, and click again
   * while the pick stays open.
   */
  async chooseQuickPickRow(text: string, timeoutMs = 30_000): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const busy = widget.locator('.monaco-progress-container.active, .monaco-progress-container.infinite');
    const row = this.quickPickRows().filter({ hasText: text }).first();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await row.waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) });
      await busy.first().waitFor({ state: 'hidden', timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
      await row.click({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
      const closed = await widget.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false);
      if (closed) return;
      if (Date.now() > deadline) throw new Error(`The quick pick stayed open after choosing "${text}"`);
    }
  }

  /** The activity-bar entry of a view container, by its title. */
  activityBarEntry(title: string): Locator {
    return this.page.locator(`.activitybar li[role="tab"]:has(a[aria-label="${cssString(title)}"])`);
  }

  /** The side-bar pane of a view container contributed by an extension. */
  viewContainer(containerId: string): Locator {
    return this.page.locator(`[id="workbench.view.extension.${cssString(containerId)}"]`);
  }

  /** Opens a view container from the activity bar (a no-op if it is already open) and returns its pane. */
  async openViewContainer(title: string, containerId: string, timeoutMs = 20_000): Promise<Locator> {
    const container = this.viewContainer(containerId);
    if (await container.isVisible()) return container;
    const entry = this.activityBarEntry(title);
    await entry.waitFor({ state: 'visible', timeout: timeoutMs });
    await entry.click();
    await container.waitFor({ state: 'visible', timeout: timeoutMs });
    return container;
  }

  /** Header of a view (pane) inside the side bar, by the view's name. */
  viewHeader(name: string, within: Locator = this.page.locator('.sidebar')): Locator {
    return within.locator('.pane-header', { has: this.page.locator('h3.title', { hasText: new RegExp(`^${escapeRegExp(name)}$`, 'i') }) });
  }

  /** A tree row by its accessible name (tooltip, or `accessibilityInformation.label`, or "label description"). */
  treeRow(name: string | RegExp, within: Locator | Page = this.page): Locator {
    return within.getByRole('treeitem', { name, exact: typeof name === 'string' }).first();
  }

  /** All rows of the tree inside `within` (a view's pane body, say). */
  treeRows(within: Locator | Page = this.page): Locator {
    return within.locator('.monaco-list-row[role="treeitem"]');
  }

  /** Expands a collapsed row (clicking its twistie) and waits until it reports expanded. */
  async expandRow(row: Locator, timeoutMs = 15_000): Promise<void> {
    if ((await row.getAttribute('aria-expanded')) === 'true') return;
    await row.locator('.monaco-tl-twistie').click();
    await this.page.waitForFunction(
      (el) => el?.getAttribute('aria-expanded') === 'true',
      await row.elementHandle({ timeout: timeoutMs }),
      { timeout: timeoutMs },
    );
  }

  /** Texts of the notification toasts currently shown. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
  }

  /** Waits for a notification toast whose text matches. */
  async waitForNotification(text: string | RegExp, timeoutMs = 15_000): Promise<Locator> {
    const toast = this.page.locator('.notifications-toasts .notification-toast .notification-list-item-message', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return toast;
  }

  /** The modal dialog, if one is shown. */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Clicks a button of the modal dialog. */
  async clickDialogButton(name: string | RegExp, timeoutMs = 10_000): Promise<void> {
    const dialog = this.dialog();
    await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
    await dialog.getByRole('button', { name, exact: typeof name === 'string' }).click({ timeout: timeoutMs });
  }

  /** The content frame of a webview; with `extensionId`, only that extension's webviews count. */
  webview(extensionId?: string): FrameLocator {
    const outer = extensionId ? `iframe.webview.ready[src*="extensionId=${cssString(extensionId)}"]` : 'iframe.webview.ready';
    return this.page.frameLocator(`${outer}:visible`).frameLocator('iframe#active-frame');
  }

  /** Editor tab titles. */
  /**
   * Hides the panel (its own Hide/Close Panel button) when it shows. The layout is kept per workspace across windows:
   * a panel one file opened would otherwise take the editor's height in every later window.
   */
  async hidePanel(timeoutMs = 10_000): Promise<void> {
    const panel = this.page.locator('.part.panel');
    if (!(await panel.isVisible())) return;
    await panel.locator('.title-actions .action-label[aria-label^="Hide Panel"], .title-actions .action-label[aria-label^="Close Panel"], .global-actions .action-label[aria-label^="Hide Panel"], .global-actions .action-label[aria-label^="Close Panel"]').first().click({ timeout: timeoutMs });
    await panel.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  async editorTabs(): Promise<string[]> {
    return this.page.locator('.tabs-container .tab').allInnerTexts();
  }

  screenshot(name: string): Promise<string | undefined> {
    return screenshot(this.page, name);
  }

  async close(): Promise<void> {
    if (!this.page.isClosed()) await this.page.close();
  }
}

function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
