/**
 * PROBE, not a check (it asserts nothing and is not picked up by run.ts, which runs only *.test.ts): VS Code's
 * built-in Microsoft provider (code-server 4.139.1, extensions/microsoft-authentication) signing in with VS Code's own
 * client id against the emulator, each step logged. Run it by copying it to a *.test.ts name:
 *   cp test/e2e/ui/vscodeBuiltInProvider.probe.ts test/e2e/ui/zzProbe.test.ts
 *   node --import tsx test/e2e/run.ts --ui-only --grep "vscode provider probe"; rm test/e2e/ui/zzProbe.test.ts
 *
 * What it showed (see the change's report): the provider uses its "protocol handler" flow (redirect_uri
 * https://vscode.dev/redirect, response_mode form_post); the browser tab is routed to the emulator. Its state is the
 * code-server callback URI, appended unescaped (`&state=${encodeURI(callbackUri)}`), so the callback's own
 * vscode-scheme / vscode-authority parameters travel as separate authorize parameters and never come back; code-server's
 * callback page then fails with "Missing scheme" and no answer reaches the provider (attempt 1). Attempt 2 re-attaches
 * those parameters — something no real redirect page can do — to see the rest of the chain. Either attempt reaches the
 * extension only if the authorize endpoint sends AADSTS65002 back to the redirect URI; the emulator shows it as a page.
 */
import { after, before, describe, it } from 'mocha';
import type { Page } from 'playwright-core';
import { e2e } from '../harness/context';
import { log } from '../harness/log';
import { DirectoryUi, lastSeq, OwnCodeServer } from './directoryUi';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('vscode provider probe', function () {
  this.timeout(600_000);
  let own: OwnCodeServer | undefined;
  let ui: DirectoryUi | undefined;

  before(async () => {
    own = await OwnCodeServer.create(e2e().emulator);
  });

  after(async () => {
    if (own) {
      const { execSync } = await import('node:child_process');
      log('probe', execSync(`find ${own.profile.root} -name '*.log' -path '*exthost*' \\( -name 'Microsoft*' -o -name 'Entra*' \\) -exec sh -c 'echo "== $1"; tail -c 8000 "$1"' _ {} \\;`, { encoding: 'utf8', maxBuffer: 50_000_000 }));
    }
    await ui?.close();
    await own?.dispose();
  });

  it('probe', async () => {
    const { emulator } = e2e();
    if (!own) throw new Error('no server');
    const workbench = await own.start(emulator, { 'entraId.auth.method': 'vscode', 'entraId.auth.clientId': undefined, 'entraId.auth.tenantId': undefined });
    ui = await DirectoryUi.open(workbench);
    const context = workbench.page.context();
    let reattach = false;
    let lost: [string, string][] = [];
    await context.route(/^https:\/\/login\.microsoftonline\.com\//, async (route) => {
      const url = new URL(route.request().url());
      lost = [...url.searchParams].filter(([k]) => k.startsWith('vscode-'));
      const target = `${emulator.url}${url.pathname}${url.search}`;
      log('probe', `browser ${route.request().method()} ${route.request().url()}`);
      const response = await route.fetch({ url: target, maxRedirects: 0 });
      await route.fulfill({ response });
    });
    await context.route(/^https:\/\/vscode\.dev\/redirect/, async (route) => {
      const request = route.request();
      const params = new URLSearchParams(request.method() === 'POST' ? request.postData() ?? '' : new URL(request.url()).search);
      log('probe', `vscode.dev/redirect ${request.method()} state=${params.get('state') ?? ''} keys=${[...params.keys()].join(',')}`);
      const target = new URL(decodeURIComponent(params.get('state') ?? ''));
      for (const [k, v] of params) if (k !== 'state') target.searchParams.append(k, v);
      if (reattach) for (const [k, v] of lost) target.searchParams.set(k, v);
      log('probe', `redirect stand-in (reattach=${reattach}) -> ${target.href.slice(0, 300)}`);
      await route.fulfill({ status: 302, headers: { location: target.href } });
    });
    context.on('page', (p: Page) => {
      p.on('pageerror', (e) => log('probe', `pageerror in ${p.url().slice(0, 120)}: ${e.message}`));
      p.on('console', (m) => { if (m.type() === 'error') log('probe', `console error in ${p.url().slice(0, 120)}: ${m.text()}`); });
    });
    await ui.welcome('Users').waitFor({ state: 'visible', timeout: 60_000 });

    for (const attempt of [false, true]) {
      reattach = attempt;
      const since = lastSeq(emulator);
      const popup = context.waitForEvent('page', { timeout: 60_000 });
      await workbench.runCommand('Entra ID: Sign In');
      const dialog = workbench.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      log('probe', `dialog: ${(await dialog.innerText()).replace(/\n/g, ' | ')}`);
      await dialog.getByRole('button', { name: 'Allow' }).click();
      await sleep(4000);
      if (await dialog.isVisible()) {
        log('probe', `second dialog: ${(await dialog.innerText()).replace(/\n/g, ' | ').slice(0, 200)}`);
        await dialog.getByRole('button', { name: /Open/ }).first().click();
      }
      const tab: Page = await popup;
      await sleep(8000);
      log('probe', `tab url: ${tab.url().slice(0, 200)}`);
      log('probe', `tab text: ${(await tab.locator('body').innerText().catch((e: unknown) => String(e))).slice(0, 300)}`);
      log('probe', `workbench localStorage callbacks: ${await workbench.page.evaluate(() => JSON.stringify(Object.entries(localStorage).filter(([k]) => k.includes('url-callbacks'))))}`);
      for (const e of emulator.log.filter((x) => x.seq > since)) log('probe', `emulator: ${e.method} ${e.path} ${e.status} client_id=${e.query['client_id'] ?? ''} scope=${e.query['scope'] ?? ''}`);
      log('probe', `toasts: ${JSON.stringify(await workbench.notifications())}`);
      const toast = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'Signing in to Microsoft' }).first();
      if (await toast.isVisible()) {
        await toast.hover();
        await toast.getByRole('button', { name: /Cancel/ }).click().catch((e: unknown) => log('probe', `cancel click failed ${String(e)}`));
        await sleep(4000);
        log('probe', `toasts after cancel: ${JSON.stringify(await workbench.notifications())}`);
        const other = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'different way' }).first();
        if (await other.isVisible()) {
          await other.getByRole('button', { name: 'No', exact: true }).click();
          await sleep(4000);
          log('probe', `toasts after No: ${JSON.stringify(await workbench.notifications())}`);
        }
      }
      const ours = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'Entra ID:' }).first();
      if (await ours.isVisible()) {
        log('probe', `our toast: ${await ours.innerText()}`);
        const setup = ours.getByRole('button', { name: 'Open Guided Setup' });
        log('probe', `guided setup button visible: ${await setup.isVisible()}`);
        if (await setup.isVisible()) {
          await setup.click();
          await sleep(5000);
          log('probe', `editor tabs: ${JSON.stringify(await workbench.page.locator('.tabs-container .tab').allInnerTexts())}`);
        }
      }
      await tab.close().catch(() => undefined);
    }
  });
});
