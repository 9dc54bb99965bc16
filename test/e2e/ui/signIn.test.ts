/**
 * Signing in and out as a user does it: app-only with client credentials, the browser sign-in with an
 * authorization code and PKCE, and "Entra ID: Sign Out". These run on a code-server of their own, so that
 * switching the sign-in method and signing out leave the shared workbench's settings and session alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Page } from 'playwright-core';
import { e2e } from '../harness/context';
import { answered, DirectoryUi, distinctUsers, lastSeq, OwnCodeServer, requests, routeSignInPages, settled, until, userRowName } from './directoryUi';

describe('sign-in', function () {
  this.timeout(180_000);
  let own: OwnCodeServer | undefined;
  let ui: DirectoryUi | undefined;

  before(async () => {
    own = await OwnCodeServer.create(e2e().emulator);
  });

  after(async () => {
    await ui?.close();
    await own?.dispose();
  });

  /** A window of the own code-server, signed in with client credentials (the run's settings). */
  async function clientCredentialsWindow(): Promise<DirectoryUi> {
    assert.ok(own);
    await ui?.close();
    ui = await DirectoryUi.open(await own.start(e2e().emulator));
    return ui;
  }

  it('with clientCredentials: the status bar names the tenant and the app, and the Users view fills', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    const view = await clientCredentialsWindow();
    const first = distinctUsers(emulator)[0];
    assert.ok(first);

    await view.row('Users', userRowName(first)).waitFor({ state: 'visible', timeout: 60_000 });
    const clientId = emulator.apps.demo.clientId;
    // The tenant by its display name (GET /organization) and the app by its name (the token's app_displayname).
    const appName = 'Entra ID Directory (emulator demo)';
    await until('the status bar to name the tenant and the app', async () => (await view.statusBar().innerText()).trim() === `${emulator.tenantName} · ${appName}`);
    assert.equal(await view.statusBar().getAttribute('aria-label'), `Entra ID: signed in as ${appName} to ${emulator.tenantName}`);
    const organization = requests(emulator, 'GET', '/v1.0/organization', since);
    assert.equal(organization.length, 1, 'the tenant is read once per sign-in');
    assert.equal(organization[0]?.status, 200);

    const tokens = requests(emulator, 'POST', `/${emulator.tenantId}/oauth2/v2.0/token`, since);
    assert.equal(tokens.length, 1, 'one token request');
    const form = tokens[0]?.body as Record<string, string>;
    assert.equal(form.grant_type, 'client_credentials');
    assert.equal(form.client_id, clientId);
    assert.equal(form.client_secret, '<redacted>', 'the secret was sent (the log masks it)');
    assert.equal(tokens[0]?.status, 200);
    const list = await answered(emulator, 'the users list', 'GET', '/v1.0/users', since);
    assert.equal(list.status, 200);
    assert.equal(list.headers.authorization, 'Bearer <redacted>');
  });

  it('"Entra ID: Sign Out" shows the sign-in welcome in both views and "Entra ID: Sign in" in the status bar', async () => {
    const { emulator } = e2e();
    const view = ui ?? (await clientCredentialsWindow());
    const first = distinctUsers(emulator)[0];
    assert.ok(first);
    await view.row('Users', userRowName(first)).waitFor({ state: 'visible', timeout: 60_000 });
    // What the directory cache's background build reads before the sign-out is not the sign-out's doing.
    await settled(emulator);
    const since = lastSeq(emulator);

    await view.workbench.runCommand('Entra ID: Sign Out');

    for (const pane of ['Users', 'Groups'] as const) {
      await view.welcome(pane).waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await view.welcome(pane).innerText(), /Sign in to Microsoft Entra ID/);
      await view.welcome(pane).getByRole('button', { name: 'Sign In' }).waitFor({ state: 'visible' });
      assert.equal(await view.pane(pane).locator('.monaco-list-row[role="treeitem"]').count(), 0, `${pane} shows no rows`);
    }
    await until('the status bar to offer sign-in', async () => (await view.statusBar().innerText()).trim() === 'Entra ID: Sign in');
    assert.equal(await view.statusBar().getAttribute('aria-label'), 'Entra ID: signed out. Sign in');
    await view.workbench.waitForNotification('Signed out of Entra ID.');
    assert.deepEqual(
      emulator.log.filter((e) => e.seq > since).map((e) => `${e.method} ${e.path}`),
      [],
      'signing out and showing the empty views asks Graph nothing',
    );
  });

  it('with authorizationCode: the browser signs in with PKCE and the status bar shows the user', async () => {
    assert.ok(own);
    const { emulator } = e2e();
    const admin = emulator.state.usersById.get(emulator.state.adminUserId);
    assert.ok(admin);
    await ui?.close();
    ui = undefined;
    const workbench = await own.start(emulator, { 'entraId.auth.method': 'authorizationCode' });
    const view = await DirectoryUi.open(workbench);
    ui = view;
    await routeSignInPages(workbench, emulator);
    await view.welcome('Users').waitFor({ state: 'visible', timeout: 60_000 });
    await until('the status bar to offer sign-in', async () => (await view.statusBar().innerText()).trim() === 'Entra ID: Sign in');
    const since = lastSeq(emulator);

    const popup = workbench.page.context().waitForEvent('page', { timeout: 30_000 });
    await workbench.runCommand('Entra ID: Sign In');
    const browserTab: Page = await popup;
    await browserTab.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?code=/, { timeout: 30_000 });
    await until('the loopback page to confirm', async () => (await browserTab.locator('body').innerText()).includes('Sign-in complete'));

    const shown = `${emulator.tenantName} · ${admin.userPrincipalName}`;
    await until('the status bar to show the tenant and the signed-in user', async () => (await view.statusBar().innerText()).trim() === shown, 60_000);
    assert.equal(await view.statusBar().getAttribute('aria-label'), `Entra ID: signed in as ${admin.userPrincipalName} to ${emulator.tenantName}`);
    await view.workbench.waitForNotification(`Signed in to ${emulator.tenantName} (${emulator.domain}) as ${admin.displayName}.`);
    const first = distinctUsers(emulator)[0];
    assert.ok(first);
    await view.row('Users', userRowName(first)).waitFor({ state: 'visible', timeout: 60_000 });

    const authorize = requests(emulator, 'GET', `/${emulator.tenantId}/oauth2/v2.0/authorize`, since);
    assert.equal(authorize.length, 1, 'the browser opened the authorize page once');
    const query = authorize[0]?.query ?? {};
    assert.equal(query.client_id, emulator.apps.demo.clientId);
    assert.equal(query.response_type, 'code');
    assert.equal(query.code_challenge_method, 'S256');
    assert.match(query.code_challenge ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(query.redirect_uri ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(authorize[0]?.status, 302);
    assert.equal(new URL(browserTab.url()).origin, new URL(query.redirect_uri ?? 'http://invalid').origin, 'the browser came back to the loopback address');

    const tokens = requests(emulator, 'POST', `/${emulator.tenantId}/oauth2/v2.0/token`, since);
    const exchange = tokens.find((t) => (t.body as Record<string, string> | undefined)?.grant_type === 'authorization_code');
    assert.ok(exchange, `a code exchange among ${tokens.length} token requests`);
    const form = exchange.body as Record<string, string>;
    assert.equal(form.code_verifier, '<redacted>', 'the PKCE verifier was sent (the log masks it)');
    assert.equal(form.code, '<redacted>');
    assert.equal(form.redirect_uri, query.redirect_uri);
    assert.equal(exchange.status, 200);
    await browserTab.close();
  });
});
