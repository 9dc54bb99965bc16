/**
 * Least privilege in the real workbench, against the emulator's consent model: an app registration listing read and
 * write permissions, with an administrator's consent for the read ones only, signed in with the authorizationCode
 * method in the browser. A user without a directory role browses users, groups and members with the read permissions
 * alone; the first change asks once for its write permission, and for that user ends on "Need admin approval" with
 * browsing still working; an administrator's first change consents in the browser and succeeds, and a second change
 * asks nothing. Each step is checked on what the admin sees and on the emulator's request log.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { Page } from 'playwright-core';
import type { RegisteredAppInfo, UserRecord } from '../../emulator';
import { makeUser } from '../../emulator/directory/factories';
import { e2e } from '../harness/context';
import { answered, DirectoryUi, freshTag, groupRowName, lastSeq, OwnCodeServer, requests, routeSignInPages, seedGroup, until, userRowName } from './directoryUi';

/** The read permissions README documents for browsing; written out here, not read from the implementation. */
const READ = ['GroupMember.Read.All', 'User.Read', 'User.Read.All'];
const WRITES = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'User.ReadWrite.All'];
const OIDC = ['openid', 'profile', 'offline_access'];

/** The Graph permissions a space-separated `scope` parameter names (the OpenID ones left out), sorted. */
function graphScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter((s) => s !== '' && !OIDC.includes(s)).map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//, '')).sort();
}


describe('least privilege', function () {
  this.timeout(300_000);
  let own: OwnCodeServer | undefined;
  let ui: DirectoryUi | undefined;
  let app: RegisteredAppInfo;
  let member: UserRecord;
  let helpdesk: UserRecord;
  let originalUser: string;
  const tag = freshTag();
  const groupName = `Least ${tag}`;

  before(async () => {
    const { emulator } = e2e();
    originalUser = emulator.signedInUserId;
    app = emulator.consent.registerApp({ displayName: `Entra ID Directory (least privilege ${tag})`, requiredScopes: [...READ, ...WRITES] });
    emulator.consent.grantAdminConsent(app.clientId, READ);
    emulator.consent.setAnswer('accept');
    // A user with no directory role, and one to add to the group.
    helpdesk = makeUser({ id: randomUUID(), userPrincipalName: `helpdesk-${tag.toLowerCase()}@${emulator.domain}`, displayName: `Helpdesk ${tag}`, accountEnabled: true });
    member = makeUser({ id: randomUUID(), userPrincipalName: `joiner-${tag.toLowerCase()}@${emulator.domain}`, displayName: `Joiner ${tag}`, accountEnabled: true });
    emulator.state.addUser(helpdesk);
    emulator.state.addUser(member);
    seedGroup(emulator, groupName, { memberIds: [helpdesk.id] });
    own = await OwnCodeServer.create(emulator, { ENTRA_ID_CLIENT_SECRET: app.clientSecret ?? assert.fail('a confidential client') });
    const workbench = await own.start(emulator, { 'entraId.auth.method': 'authorizationCode', 'entraId.auth.clientId': app.clientId });
    await routeSignInPages(workbench, emulator);
    ui = await DirectoryUi.open(workbench);
  });

  after(async () => {
    e2e().emulator.setSignedInUser(originalUser);
    e2e().emulator.consent.setAnswer('accept');
    await ui?.close();
    await own?.dispose();
  });

  function view(): DirectoryUi {
    assert.ok(ui);
    return ui;
  }

  /** Runs "Entra ID: Sign In", lets the browser tab come back to the loopback address, and waits for the status bar. */
  async function signInAs(user: UserRecord): Promise<void> {
    const { emulator } = e2e();
    emulator.setSignedInUser(user.id);
    await until('the status bar to offer sign-in', async () => (await view().statusBar().innerText()).trim() === 'Entra ID: Sign in', 60_000);
    const tab = view().page.context().waitForEvent('page', { timeout: 30_000 });
    await view().workbench.runCommand('Entra ID: Sign In');
    const browserTab: Page = await tab;
    await browserTab.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?code=/, { timeout: 30_000 });
    const expected = `${emulator.tenantName} · ${user.userPrincipalName}`;
    await until('the status bar to show the user', async () => (await view().statusBar().innerText()).trim() === expected, 60_000).catch(async (error: unknown) => {
      await view().workbench.screenshot('least-privilege-sign-in');
      const seen = `status bar "${(await view().statusBar().innerText()).trim()}", notifications ${JSON.stringify(await view().notifications())}, tab ${browserTab.url()}: ${(await browserTab.locator('body').innerText().catch(() => '')).slice(0, 200)}`;
      throw new Error(`${error instanceof Error ? error.message : String(error)}; ${seen}`);
    });
    await browserTab.close();
  }

  /** Expands the group's row and its Members folder; returns the group row's index. */
  async function expandMembers(): Promise<number> {
    const { emulator } = e2e();
    const group = emulator.state.findGroup((g) => g.displayName === groupName);
    assert.ok(group);
    await view().search('Groups', groupName);
    const row = await view().waitForRow('Groups', groupRowName(group));
    const index = Number(await row.getAttribute('data-index'));
    await view().workbench.expandRow(row);
    await until('the Members folder', async () => (await view().nameAt('Groups', index + 1)) === 'Members');
    await view().workbench.expandRow(view().rowAt('Groups', index + 1));
    return index;
  }

  /** "Add Member to Group…" on the group's row, choosing `who`. */
  async function addMember(who: UserRecord): Promise<void> {
    const { emulator } = e2e();
    const group = emulator.state.findGroup((g) => g.displayName === groupName);
    assert.ok(group);
    await view().contextMenu(await view().waitForRow('Groups', groupRowName(group)), 'Add Member to Group…');
    const input = view().workbench.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill(who.displayName?.split(' ').at(-1) ?? '');
    await view().workbench.chooseQuickPickRow(who.userPrincipalName);
  }

  it('a user without a directory role signs in with the read permissions only and browses users, groups and members', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    await view().welcome('Users').waitFor({ state: 'visible', timeout: 60_000 });
    await signInAs(helpdesk);

    await view().search('Users', `Helpdesk ${tag}`);
    await view().waitForRow('Users', userRowName(helpdesk));
    const index = await expandMembers();
    await until('the member row', async () => (await view().nameAt('Groups', index + 2)) === userRowName(helpdesk));

    const authorize = requests(emulator, 'GET', `/${emulator.tenantId}/oauth2/v2.0/authorize`, since);
    assert.equal(authorize.length, 1, 'one browser sign-in');
    assert.equal(authorize[0]?.query.client_id, app.clientId);
    assert.deepEqual(graphScopes(authorize[0]?.query.scope), READ, 'sign-in asks for the read permissions and nothing else');
    const tokens = requests(emulator, 'POST', `/${emulator.tenantId}/oauth2/v2.0/token`, since);
    assert.ok(tokens.length >= 1);
    for (const t of tokens) {
      assert.equal(t.status, 200);
      assert.deepEqual(graphScopes((t.body as Record<string, string> | undefined)?.scope), READ, 'every token is for the read permissions only');
    }
    // What the emulator granted: the administrator's read consent, and nothing for this user.
    assert.deepEqual(emulator.consent.grants(app.clientId).filter((g) => g.consentType === 'Principal'), [], 'the user consented to nothing');
    for (const path of ['/v1.0/users', '/v1.0/groups', /^\/v1\.0\/groups\/[^/]+\/members$/]) {
      const reads = requests(emulator, 'GET', path, since);
      assert.ok(reads.length > 0 && reads.every((r) => r.status === 200), `${String(path)} answered 200`);
    }
    assert.deepEqual(requests(emulator, 'POST', /^\/v1\.0\//, since).filter((r) => !r.path.endsWith('/$batch')), [], 'no write');
  });

  it('for that user the first change asks once, meets "Need admin approval", names what was refused, and browsing keeps working', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    await addMember(member);

    const dialog = view().workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /Changing group members needs the permission GroupMember\.ReadWrite\.All\. Sign in again to grant it\?/);
    const tab = view().page.context().waitForEvent('page', { timeout: 30_000 });
    await view().workbench.clickDialogButton('Sign In Again');
    const browserTab: Page = await tab;
    // The emulator's "Need admin approval" page: the user can only go back to the application.
    await browserTab.locator('h1', { hasText: 'Need admin approval' }).waitFor({ state: 'visible', timeout: 30_000 });
    await browserTab.locator('a#return').click();

    const shown = await view().workbench.waitForNotification(/GroupMember\.ReadWrite\.All/, 60_000);
    const text = await shown.innerText();
    assert.match(text, /only an administrator can grant it \(AADSTS90094\)/);
    assert.ok(text.includes(app.clientId), `names the app an administrator consents for: ${text}`);
    assert.match(text, /Browsing keeps working/);
    await browserTab.close();

    const authorize = requests(emulator, 'GET', `/${emulator.tenantId}/oauth2/v2.0/authorize`, since);
    assert.equal(authorize.length, 1, 'one consent request');
    assert.deepEqual(graphScopes(authorize[0]?.query.scope), [...READ, 'GroupMember.ReadWrite.All'].sort(), 'for the one write permission the change needs');
    assert.deepEqual(requests(emulator, 'POST', /\/members\/\$ref$/, since), [], 'nothing was sent to Graph');
    assert.equal(emulator.state.isMember(emulator.state.findGroup((g) => g.displayName === groupName)?.id ?? '', member.id), false);

    // Still signed in, still browsing.
    assert.equal((await view().statusBar().innerText()).trim(), `${emulator.tenantName} · ${helpdesk.userPrincipalName}`);
    const before = lastSeq(emulator);
    await view().search('Users', `Joiner ${tag}`);
    await view().waitForRow('Users', userRowName(member));
    // The search reads Graph with the user's token either way: its `$search` while the directory cache is being built,
    // or the delta the cache reads before it answers (a search starts one round).
    const search = await answered(emulator, 'a user search after the refusal', 'GET', /^\/v1\.0\/users(\/delta)?$/, before);
    assert.equal(search.status, 200);
    assert.ok(search.path.endsWith('/delta') || search.query.$search !== undefined, `the search's own read: ${search.rawUrl}`);
  });

  it('an administrator\'s first change consents in the browser once and succeeds; the next change asks nothing', async () => {
    const { emulator } = e2e();
    const admin = emulator.state.usersById.get(emulator.state.adminUserId);
    assert.ok(admin);
    if ((await view().statusBar().innerText()).trim() !== 'Entra ID: Sign in') await view().workbench.runCommand('Entra ID: Sign Out');
    await signInAs(admin);
    const group = emulator.state.findGroup((g) => g.displayName === groupName);
    assert.ok(group);
    const since = lastSeq(emulator);

    await addMember(member);
    const dialog = view().workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /needs the permission GroupMember\.ReadWrite\.All/);
    const tab = view().page.context().waitForEvent('page', { timeout: 30_000 });
    await view().workbench.clickDialogButton('Sign In Again');
    const browserTab: Page = await tab;
    await browserTab.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?code=/, { timeout: 30_000 });
    const post = await answered(emulator, 'the add request', 'POST', `/v1.0/groups/${group.id}/members/$ref`, since, 60_000);
    assert.equal(post.status, 204);
    await view().workbench.waitForNotification(`Added "${member.displayName ?? ''}" to "${groupName}".`, 30_000);
    await browserTab.close();
    const authorize = requests(emulator, 'GET', `/${emulator.tenantId}/oauth2/v2.0/authorize`, since);
    assert.equal(authorize.length, 1, 'exactly one consent');
    assert.deepEqual(graphScopes(authorize[0]?.query.scope), [...READ, 'GroupMember.ReadWrite.All'].sort());
    const grant = emulator.consent.grants(app.clientId).find((g) => g.consentType === 'Principal' && g.principalId === admin.id);
    assert.ok(grant?.scope.includes('GroupMember.ReadWrite.All'), 'the consent the browser recorded');

    // A second change of the same kind: no question, no browser.
    const second = lastSeq(emulator);
    const index = await expandMembers();
    const memberIndex = await until('the new member\'s row', async () => {
      for (let i = index + 2; i < index + 5; i++) if ((await view().nameAt('Groups', i)) === userRowName(member)) return i;
      return undefined;
    });
    await view().contextMenu(view().rowAt('Groups', memberIndex), 'Remove Member from Group…');
    await view().workbench.clickDialogButton('Remove', 30_000);
    const del = await answered(emulator, 'the remove request', 'DELETE', `/v1.0/groups/${group.id}/members/${member.id}/$ref`, second, 60_000);
    assert.equal(del.status, 204);
    assert.deepEqual(requests(emulator, 'GET', `/${emulator.tenantId}/oauth2/v2.0/authorize`, second), [], 'no browser');
    assert.equal(await view().workbench.dialog().count(), 0, 'no second question');
  });
});
