/**
 * Tenant profiles in the real workbench (`entraId.profiles` in the user settings of a code-server of its own):
 * Switch Profile from the status bar's account menu signs in with the chosen profile, and switching back to a profile
 * signed in before is silent (its token cache was kept); a profile of another tenant (Fabrikam, served by the same
 * emulator) signs in to that tenant and shows its directory; a production profile's write asks twice — the action's
 * own question, then the production one naming the tenant — and declining the second sends nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { Page } from 'playwright-core';
import type { Emulator, RequestLogEntry, UserRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { FABRIKAM } from '../harness/otherTenant';
import { answered, DirectoryUi, freshTag, graphGet, groupRowName, lastSeq, moreRows, OwnCodeServer, plainName, requests, routeSignInPages, seedGroup, settled, until, userRowName } from './directoryUi';

const APP_NAME = 'Entra ID Directory (emulator demo)';

/**
 * The Users view's own list request (Graph's name order) since `sinceSeq`: the directory cache's build reads /users
 * too (in segments, by `$filter`), and its pages are not what the view shows.
 */
function viewsList(emulator: Emulator, what: string, sinceSeq: number): Promise<RequestLogEntry> {
  return until(what, () => requests(emulator, 'GET', '/v1.0/users', sinceSeq).find((e) => e.status !== 0 && e.query.$orderby === 'displayName' && e.query.$filter?.includes('startswith') !== true), 60_000);
}

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

  /**
   * Switches to `profile`, which has not signed in before: its own secret is asked for once (a password box), then
   * the browser signs the user in; returns when the status bar shows `expected`.
   */
  async function switchWithBrowserSignIn(profile: string, expected: string): Promise<void> {
    const tab = view().page.context().waitForEvent('page', { timeout: 60_000 });
    await switchTo(profile);
    const secretBox = view().workbench.quickInput();
    await secretBox.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await secretBox.getAttribute('type'), 'password');
    await secretBox.fill(e2e().emulator.apps.demo.clientSecret);
    await secretBox.press('Enter');
    const browserTab: Page = await tab;
    await browserTab.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?code=/, { timeout: 30_000 });
    await until(`the status bar to show "${expected}"`, async () => (await view().statusBar().innerText()).trim() === expected, 60_000);
    await browserTab.close();
  }

  /** The grant types of the token requests the extension sent to `tenant`'s token endpoint after `since`. */
  function grantsAt(tenant: string, since: number): string[] {
    return requests(e2e().emulator, 'POST', `/${tenant}/oauth2/v2.0/token`, since).map((t) => (t.body as Record<string, string> | undefined)?.grant_type ?? '');
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
    await switchWithBrowserSignIn('Contoso users', asUser);
    assert.equal(requests(emulator, 'GET', `/${emulator.tenantId}/oauth2/v2.0/authorize`, since).length, 1, 'one browser sign-in');

    // Back to the plain settings: app-only again, no browser.
    since = lastSeq(emulator);
    await switchTo('No profile — use the settings');
    await until('the app-only sign-in again', async () => (await view().statusBar().innerText()).trim() === asApp, 60_000);

    // And to the profile once more: its token cache outlived the switches, so nothing is asked and no browser opens.
    await switchTo('Contoso users');
    await until('the profile\'s user again', async () => (await view().statusBar().innerText()).trim() === asUser, 60_000);
    assert.deepEqual(requests(emulator, 'GET', `/${emulator.tenantId}/oauth2/v2.0/authorize`, since), [], 'no browser sign-in');
    const tokens = grantsAt(emulator.tenantId, since);
    assert.ok(!tokens.includes('authorization_code'), `no code redeemed: ${tokens.join(', ')}`);
    assert.equal(await view().workbench.quickInput().isVisible(), false, 'no secret asked again');
  });

  it('a profile of another tenant signs in to that tenant and lists its users; switching back is silent and shows the first tenant\'s users again', async () => {
    assert.ok(own);
    const { emulator } = e2e();
    const fabrikam = emulator.otherTenants.get(FABRIKAM.tenantId);
    assert.ok(fabrikam, 'the run\'s emulator serves Fabrikam too');
    const contosoAdmin = emulator.state.usersById.get(emulator.state.adminUserId);
    const fabrikamAdmin = fabrikam.state.usersById.get(fabrikam.state.adminUserId);
    assert.ok(contosoAdmin && fabrikamAdmin);
    emulator.setSignedInUser(contosoAdmin.id);
    await ui?.close();
    // Profiles of their own (new names: their token caches are empty), the same method and app in two tenants.
    const workbench = await own.start(emulator, {
      'entraId.profiles': [
        { name: 'Contoso staff', method: 'authorizationCode' },
        { name: 'Fabrikam staff', method: 'authorizationCode', tenantId: FABRIKAM.tenantId },
      ],
    });
    await routeSignInPages(workbench, emulator);
    ui = await DirectoryUi.open(workbench);
    await until('the app-only sign-in', async () => (await view().statusBar().innerText()).trim() === `${emulator.tenantName} · ${APP_NAME}`, 60_000);

    // Contoso: a user of the first page the view shows whose name no Fabrikam user has.
    const fabrikamNames = new Set([...fabrikam.state.users()].map(plainName));
    let since = lastSeq(emulator);
    const asContoso = `${emulator.tenantName} · ${contosoAdmin.userPrincipalName}`;
    await switchWithBrowserSignIn('Contoso staff', asContoso);
    const contosoList = await viewsList(emulator, 'the Contoso users list', since);
    assert.equal(contosoList.tenantId, emulator.tenantId);
    const contosoOnly = (await graphGet<{ id: string }>(emulator, contosoList.rawUrl)).value
      .map((u) => emulator.state.usersById.get(u.id))
      .find((u): u is UserRecord => u !== undefined && /^\p{L}[\p{L}' .-]*$/u.test(u.displayName ?? '') && !fabrikamNames.has(plainName(u)));
    assert.ok(contosoOnly, 'a Contoso user no Fabrikam user is named like');
    await view().waitForRow('Users', userRowName(contosoOnly));

    // Fabrikam: its own secret and browser sign-in, at Fabrikam's endpoints; the view then lists Fabrikam's users only.
    // The Contoso profile's directory cache is built in the background; its reads happen before the switch.
    await settled(emulator);
    since = lastSeq(emulator);
    const asFabrikam = `${FABRIKAM.tenantName} · ${fabrikamAdmin.userPrincipalName}`;
    await switchWithBrowserSignIn('Fabrikam staff', asFabrikam);
    assert.equal(requests(emulator, 'GET', `/${FABRIKAM.tenantId}/oauth2/v2.0/authorize`, since).length, 1, 'one browser sign-in, at Fabrikam');
    assert.deepEqual(requests(emulator, 'GET', /\/oauth2\/v2\.0\/authorize$/, since).map((e) => e.tenantId), [FABRIKAM.tenantId], 'no sign-in at Contoso');
    assert.ok(grantsAt(FABRIKAM.tenantId, since).includes('authorization_code'), 'the code was redeemed at Fabrikam');
    const fabrikamList = await viewsList(emulator, 'the Fabrikam users list', since);
    const trail = (): string => emulator.log.filter((e) => e.seq > since).map((e) => `${e.seq} ${e.method} ${e.rawUrl} ${e.status} ${e.tenantId ?? ''}`).join('\n');
    assert.equal(fabrikamList.tenantId, FABRIKAM.tenantId, `Graph read the users with a Fabrikam token:\n${trail()}`);
    const page = await graphGet<{ id: string }>(emulator, fabrikamList.rawUrl, fabrikam.issueToken({ kind: 'app' }));
    const listed = page.value.map((u) => fabrikam.state.usersById.get(u.id));
    assert.ok(listed.length > 0 && listed.every((u) => u !== undefined), 'every listed user is a Fabrikam user');
    const shown = listed.filter((u): u is UserRecord => u !== undefined);
    const fabrikamRows = await view().expectRows('Users', [...shown.map(userRowName), ...(page['@odata.nextLink'] ? moreRows(shown.length, page['@odata.count'] ?? -1) : [])], 60_000);
    assert.ok(!fabrikamRows.some((r) => r.name === userRowName(contosoOnly)), 'the Contoso user is not listed');
    const contosoNames = new Set([...emulator.state.users()].map(plainName));
    const fabrikamOnly = shown.find((u) => !contosoNames.has(plainName(u)));
    assert.ok(fabrikamOnly, 'a Fabrikam user no Contoso user is named like');
    const fabrikamGraph = requests(emulator, 'GET', /^\/v1\.0\//, since);
    assert.deepEqual(
      fabrikamGraph.filter((e) => e.tenantId !== FABRIKAM.tenantId || e.status === 401).map((e) => `${e.status} ${e.rawUrl} (${e.tenantId ?? '?'})`),
      [],
      'every Graph request after the switch carried a valid Fabrikam token',
    );

    // Back to Contoso: its token cache outlived the switch, so no secret, no browser, no code; Contoso's users again.
    since = lastSeq(emulator);
    await switchTo('Contoso staff');
    await until('the Contoso user again', async () => (await view().statusBar().innerText()).trim() === asContoso, 60_000);
    await view().waitForRow('Users', userRowName(contosoOnly));
    assert.ok(!(await view().allRows('Users')).some((r) => r.name === userRowName(fabrikamOnly)), 'the Fabrikam user is not listed');
    assert.deepEqual(requests(emulator, 'GET', /\/oauth2\/v2\.0\/authorize$/, since), [], 'no browser sign-in');
    const grants = [...grantsAt(emulator.tenantId, since), ...grantsAt(FABRIKAM.tenantId, since)];
    assert.ok(!grants.includes('authorization_code'), `no code redeemed: ${grants.join(', ')}`);
    assert.equal(await view().workbench.quickInput().isVisible(), false, 'no secret asked again');
    const backList = await viewsList(emulator, 'the Contoso users list again', since);
    assert.equal(backList.tenantId, emulator.tenantId);
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
