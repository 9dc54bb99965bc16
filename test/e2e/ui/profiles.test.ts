/**
 * Tenant profiles in the real workbench (`entraId.profiles` in the user settings of a code-server of its own):
 * Switch Profile from the status bar's account menu signs in with the chosen profile, and switching back to a profile
 * signed in before is silent (its token cache was kept); a production profile's write asks twice — the action's own
 * question, then the production one naming the tenant — and declining the second sends nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Page } from 'playwright-core';
import { e2e } from '../harness/context';
import { answered, DirectoryUi, freshTag, groupRowName, lastSeq, OwnCodeServer, requests, routeSignInPages, seedGroup, until } from './directoryUi';

const APP_NAME = 'Entra ID Directory (emulator demo)';


describe('tenant profiles', function () {
  this.timeout(300_000);
  let own: OwnCodeServer | undefined;
  let ui: DirectoryUi | undefined;

  before(async () => {
    own = await OwnCodeServer.create(e2e().emulator);
  });

  after(async () => {
    await ui?.close();
    await own?.dispose();
  });

  function view(): DirectoryUi {
    assert.ok(ui);
    return ui;
  }

  /**
   * Clicks the offered row containing `text` and waits for it to go. (Each of these picks is followed at once by another
   * quick input — the profile list, the secret's password box — so the widget may never close in between.)
   */
  async function pick(text: string): Promise<void> {
    const row = view().workbench.quickPickRows().filter({ hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 }).catch(async (error: unknown) => {
      await view().workbench.screenshot('profiles-pick');
      throw new Error(`no "${text}" among ${JSON.stringify(await view().workbench.quickPickRows().allInnerTexts())}: ${String(error)}`);
    });
    await row.click();
    await row.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** The status bar's account menu → "Switch Profile…" → `profile`. */
  async function switchTo(profile: string): Promise<void> {
    await view().statusBar().getByRole('button').click();
    await pick('Switch Profile…');
    await pick(profile);
  }

  it('Switch Profile in the account menu signs in with the chosen profile; switching back to it later is silent', async () => {
    assert.ok(own);
    const { emulator } = e2e();
    const admin = emulator.state.usersById.get(emulator.state.adminUserId);
    assert.ok(admin);
    emulator.setSignedInUser(admin.id);
    await ui?.close();
    // The plain settings sign in app-only (the run's demo app); the profile signs a user in through the browser.
    const workbench = await own.start(emulator, { 'entraId.profiles': [{ name: 'Contoso users', method: 'authorizationCode' }] });
    await routeSignInPages(workbench, emulator);
    ui = await DirectoryUi.open(workbench);
    const asApp = `${emulator.tenantName} · ${APP_NAME}`;
    const asUser = `${emulator.tenantName} · ${admin.userPrincipalName}`;
    await until('the app-only sign-in', async () => (await view().statusBar().innerText()).trim() === asApp, 60_000);

    // To the profile: its own secret is asked for once (a password box), then the browser signs the user in.
    let since = lastSeq(emulator);
    const tab = view().page.context().waitForEvent('page', { timeout: 60_000 });
    await switchTo('Contoso users');
    const secretBox = view().workbench.quickInput();
    await secretBox.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await secretBox.getAttribute('type'), 'password');
    await secretBox.fill(emulator.apps.demo.clientSecret);
    await secretBox.press('Enter');
    const browserTab: Page = await tab;
    await browserTab.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?code=/, { timeout: 30_000 });
    await until('the status bar to show the profile\'s user', async () => (await view().statusBar().innerText()).trim() === asUser, 60_000);
    await browserTab.close();
    assert.equal(requests(emulator, 'GET', `/${emulator.tenantId}/oauth2/v2.0/authorize`, since).length, 1, 'one browser sign-in');

    // Back to the plain settings: app-only again, no browser.
    since = lastSeq(emulator);
    await switchTo('No profile — use the settings');
    await until('the app-only sign-in again', async () => (await view().statusBar().innerText()).trim() === asApp, 60_000);

    // And to the profile once more: its token cache outlived the switches, so nothing is asked and no browser opens.
    await switchTo('Contoso users');
    await until('the profile\'s user again', async () => (await view().statusBar().innerText()).trim() === asUser, 60_000);
    assert.deepEqual(requests(emulator, 'GET', `/${emulator.tenantId}/oauth2/v2.0/authorize`, since), [], 'no browser sign-in');
    const tokens = requests(emulator, 'POST', `/${emulator.tenantId}/oauth2/v2.0/token`, since).map((t) => (t.body as Record<string, string> | undefined)?.grant_type);
    assert.ok(!tokens.includes('authorization_code'), `no code redeemed: ${tokens.join(', ')}`);
    assert.equal(await view().workbench.quickInput().isVisible(), false, 'no secret asked again');
  });

  it('a production profile\'s change asks twice, the second time naming the tenant; declined, nothing is sent', async () => {
    assert.ok(own);
    const { emulator } = e2e();
    await ui?.close();
    const workbench = await own.start(emulator, {
      'entraId.profiles': [{ name: 'Contoso production', production: true }],
      'entraId.activeProfile': 'Contoso production',
    });
    ui = await DirectoryUi.open(workbench);
    await until('the status bar to show PROD', async () => (await view().statusBar().innerText()).includes('PROD'), 60_000);
    await until('the tenant to be named', async () => (await view().statusBar().innerText()).includes(emulator.tenantName), 60_000);
    const tag = freshTag();
    const group = seedGroup(emulator, `Prod ${tag}`);

    // Declined at the production question: no request.
    let since = lastSeq(emulator);
    await view().search('Groups', `Prod ${tag}`);
    await view().contextMenu(await view().waitForRow('Groups', groupRowName(group)), 'Delete Group…');
    const dialog = view().workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Delete the group "Prod ${tag}"\\?`));
    await view().workbench.clickDialogButton('Delete');
    await until('the production question', async () => (await dialog.innerText()).includes(`This changes the production tenant ${emulator.tenantName}. Go ahead?`), 30_000);
    assert.match(await dialog.innerText(), /The profile "Contoso production" is marked production/);
    await view().workbench.clickDialogButton('Cancel');
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(requests(emulator, 'DELETE', /^\/v1\.0\//, since), [], 'nothing was sent');
    assert.ok(emulator.state.group(group.id), 'the group is still there');

    // Confirmed twice: deleted.
    since = lastSeq(emulator);
    await view().contextMenu(await view().waitForRow('Groups', groupRowName(group)), 'Delete Group…');
    await view().workbench.clickDialogButton('Delete', 30_000);
    await until('the production question', async () => (await dialog.innerText()).includes('This changes the production tenant'), 30_000);
    await view().workbench.clickDialogButton('Change Production Tenant');
    const del = await answered(emulator, 'the delete request', 'DELETE', `/v1.0/groups/${group.id}`, since, 60_000);
    assert.equal(del.status, 204);
    assert.equal(requests(emulator, 'DELETE', /^\/v1\.0\//, since).length, 1, 'one request');
  });
});
