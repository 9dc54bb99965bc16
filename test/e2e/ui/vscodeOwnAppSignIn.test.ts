/**
 * Signing in with method `vscode` and VS Code's own app, through VS Code's built-in Microsoft provider (code-server
 * 1.139's extensions/microsoft-authentication), as a user in a remote window meets it. The provider runs its protocol
 * handler flow: the browser tab asks the identity platform (routed to the emulator, as DNS would send it to Microsoft)
 * for browsing's scopes, which VS Code's app is not pre-authorised for, and the sign-in page shows AADSTS65002 with
 * no way back to VS Code. The user cancels the provider's progress and declines its device-code offer; the
 * extension then says what the page meant and offers the guided setup.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { Page } from 'playwright-core';
import { VSCODE_CLIENT_ID } from '../../emulator';
import { e2e } from '../harness/context';
import { repoRoot } from '../harness/paths';
import { DirectoryUi, lastSeq, OwnCodeServer, requests, until } from './directoryUi';

/** The guided setup walkthrough's title, as package.nls.json gives it to VS Code. */
const SETUP_TITLE = (JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>)['walkthrough.setup.title'] ?? '';

describe("sign-in with VS Code's own app in a remote window", function () {
  this.timeout(420_000);
  let own: OwnCodeServer | undefined;
  let ui: DirectoryUi | undefined;
  let signInPage: Page | undefined;

  before(async () => {
    own = await OwnCodeServer.create(e2e().emulator);
  });

  after(async () => {
    await signInPage?.close().catch(() => undefined);
    await ui?.close();
    await own?.dispose();
  });

  it('the sign-in page shows AADSTS65002; after Cancel and No, the notification explains it and opens the guided setup', async () => {
    const { emulator } = e2e();
    assert.ok(own);
    assert.ok(SETUP_TITLE, 'package.nls.json names the walkthrough');
    const workbench = await own.start(emulator, { 'entraId.auth.method': 'vscode', 'entraId.auth.clientId': undefined, 'entraId.auth.tenantId': undefined });
    ui = await DirectoryUi.open(workbench);
    const page = workbench.page;
    // The identity platform's host reaches the emulator, as DNS would reach Microsoft; nothing else is changed.
    await page.context().route(/^https:\/\/login\.microsoftonline\.com\//, async (route) => {
      const url = new URL(route.request().url());
      const response = await route.fetch({ url: `${emulator.url}${url.pathname}${url.search}`, maxRedirects: 0 });
      await route.fulfill({ response });
    });
    await ui.welcome('Users').waitFor({ state: 'visible', timeout: 90_000 });

    const since = lastSeq(emulator);
    const opened = page.context().waitForEvent('page', { timeout: 120_000 });
    await workbench.runCommand('Entra ID: Sign In', 30_000);
    // VS Code asks whether the extension may sign in with Microsoft (and, in some versions, whether to open the site).
    const dialog = workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await dialog.innerText(), /Microsoft/);
    await dialog.getByRole('button', { name: 'Allow' }).click();
    const tab = await Promise.race([
      opened,
      (async (): Promise<Page> => {
        await dialog.getByRole('button', { name: /^Open/ }).first().click({ timeout: 120_000 });
        return opened;
      })(),
    ]);
    signInPage = tab;

    // The sign-in page: VS Code's app, browsing's scopes, and the identity platform's refusal shown as a page.
    const authorize = await until(
      'the authorize request of VS Code\'s app',
      () => requests(emulator, 'GET', /\/oauth2\/v2\.0\/authorize$/, since).find((e) => e.status !== 0 && e.query['client_id'] === VSCODE_CLIENT_ID),
      120_000,
    );
    assert.equal(authorize.status, 400);
    assert.equal(authorize.query['redirect_uri'], 'https://vscode.dev/redirect', 'the provider\'s protocol handler flow');
    const asked = (authorize.query['scope'] ?? '').split(' ');
    assert.ok(asked.includes('User.Read.All') && asked.includes('GroupMember.Read.All'), `browsing's scopes: ${asked.join(' ')}`);
    const refusal = tab.locator('#error');
    await refusal.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await refusal.innerText(), new RegExp(`^AADSTS65002: Consent between first party application '${VSCODE_CLIENT_ID}'`));

    // Nothing comes back to VS Code: the user cancels the provider's progress, then declines the device-code offer.
    const progress = page.locator('.notifications-toasts .notification-toast', { hasText: 'Signing in to Microsoft' }).first();
    await progress.waitFor({ state: 'visible', timeout: 60_000 });
    await progress.hover();
    await progress.getByRole('button', { name: /Cancel/ }).click({ timeout: 30_000 });
    const offer = page.locator('.notifications-toasts .notification-toast', { hasText: 'different way' }).first();
    await offer.waitFor({ state: 'visible', timeout: 60_000 });
    await offer.getByRole('button', { name: 'No', exact: true }).click({ timeout: 30_000 });

    const ours = page.locator('.notifications-toasts .notification-toast', { hasText: 'AADSTS65002' }).first();
    await ours.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await ours.locator('.notification-list-item-message').innerText();
    assert.match(text, /^Entra ID: Sign-in was cancelled\. If the sign-in page showed the error AADSTS65002:/);
    assert.match(text, /VS Code's own sign-in app cannot be given permission to read your directory/);
    assert.deepEqual(
      (await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()).filter((t) => t.startsWith('Entra ID:')),
      [text],
      'one notification',
    );
    await ours.hover();
    await ours.getByRole('button', { name: 'Open Guided Setup' }).click({ timeout: 30_000 });
    await page.locator('.part.editor').getByText(SETUP_TITLE).first().waitFor({ state: 'visible', timeout: 60_000 });
  });
});
