/**
 * Tenant profiles: which settings a profile overrides and what is refused, per-profile secrets and token caches,
 * Switch Profile (sign out, switch, sign in with the new settings), the production guard on the one write path,
 * and the status bar's production mark.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { SignInManager } from '../../src/auth/signInManager';
import { SECRET_KEYS, type SignedInAccount } from '../../src/auth/types';
import { registerCommands } from '../../src/commands';
import { switchProfile } from '../../src/commands/switchProfile';
import { CommandIds } from '../../src/contributions';
import type { GraphClient } from '../../src/core';
import { Settings, type SettingName } from '../../src/settings';
import { SettingKeys } from '../../src/shared/settingKeys';
import { AccountStatus } from '../../src/statusBar';
import { isExtensionMessage, type ExtensionMessage } from '../../src/webviews/protocol';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { commandDeps, readyDeps } from '../support/commandDeps';
import { panelsOf } from '../support/panels';
import { emulatorServices, FakeAuth, servicesWith } from '../support/services';
import * as vscode from '../support/vscodeFake';
import { fakeDeps, FakeLog, httpsNetworkClient, rawGet, session } from './authFakes';

const APP = '11111111-2222-3333-4444-555555555555';
const OTHER_APP = '66666666-7777-8888-9999-000000000000';
const FABRIKAM_TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

/** A Graph that cannot name the tenant (the identity then shows its id); these tests make no other request. */
const noTenantName = (): GraphClient => ({ getOrganization: () => Promise.resolve({ success: false, error: { code: 'NetworkError', message: 'offline' } }) }) as unknown as GraphClient;

afterEach(() => {
  vscode.settings.clear();
  vscode.workspaceSettings.clear();
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

function useProfiles(profiles: unknown, active?: string): void {
  vscode.settings.set(SettingKeys.profiles, profiles);
  if (active !== undefined) vscode.settings.set(SettingKeys.activeProfile, active);
}

describe('profiles: settings resolution', () => {
  it('the active profile overrides method, app, tenant, cloud and read-only mode; the other settings stay', () => {
    vscode.settings.set(SettingKeys.authMethod, 'vscode');
    vscode.settings.set(SettingKeys.tenantId, 'contoso.com');
    vscode.settings.set(SettingKeys.readOnly, false);
    vscode.settings.set(SettingKeys.pageSize, 50);
    useProfiles([{ name: 'Fabrikam', method: 'authorizationCode', clientId: APP, tenantId: FABRIKAM_TENANT, cloud: 'usGovernment', readOnly: true }], 'Fabrikam');
    const settings = new Settings(new FakeLog());
    const auth = settings.auth;
    assert.equal(auth.method, 'authorizationCode');
    assert.equal(auth.clientId, APP);
    assert.equal(auth.tenantId, FABRIKAM_TENANT);
    assert.equal(auth.cloudName, 'usGovernment');
    assert.equal(auth.profile, 'Fabrikam');
    assert.equal(settings.readOnly, true);
    assert.equal(settings.pageSize, 50, 'a profile does not touch what it has no field for');
    assert.deepEqual(auth.problems, []);
    settings.dispose();
  });

  it('fields a profile leaves out come from the settings; no active profile means the plain settings', () => {
    vscode.settings.set(SettingKeys.tenantId, 'contoso.com');
    vscode.settings.set(SettingKeys.readOnly, true);
    useProfiles([{ name: 'Only app', clientId: APP }]);
    const settings = new Settings(new FakeLog());
    assert.equal(settings.auth.profile, undefined);
    assert.equal(settings.auth.clientId, undefined);
    vscode.settings.set(SettingKeys.activeProfile, 'only APP');
    const auth = settings.auth;
    assert.equal(auth.profile, 'Only app', 'names match whatever the case');
    assert.equal(auth.clientId, APP);
    assert.equal(auth.tenantId, 'contoso.com');
    assert.equal(settings.readOnly, true);
    settings.dispose();
  });

  it('refuses unusable profiles as a whole, each with a message, and keeps the usable ones', () => {
    useProfiles([
      { name: '' },
      { name: ' padded' },
      { name: 'a/b' },
      { name: 'x'.repeat(65) },
      { clientId: APP },
      'not an object',
      { name: 'Good', clientId: APP },
      { name: 'GOOD', clientId: OTHER_APP },
      { name: 'Typed', production: 'yes' },
      { name: 'Tenant', tenantId: 42 },
    ], 'Typed');
    const settings = new Settings(new FakeLog());
    const { profiles, active, problems } = settings.profiles;
    assert.deepEqual(profiles.map((p) => p.name), ['Good']);
    assert.equal(active, undefined, 'a refused profile is never half-applied');
    assert.equal(problems.length, 10);
    for (const index of [0, 1, 2, 3, 4]) assert.match(problems[index] ?? '', new RegExp(`^entraId\\.profiles\\[${index}\\] has no usable name: a name is 1 to 64 letters`));
    assert.match(problems[5] ?? '', /^entraId\.profiles\[5\] is not an object/);
    assert.match(problems[6] ?? '', /^entraId\.profiles\[7\]: the name "GOOD" is used by an earlier profile/);
    assert.match(problems[7] ?? '', /^entraId\.profiles\[8\] \("Typed"\): production must be true or false/);
    assert.match(problems[8] ?? '', /^entraId\.profiles\[9\] \("Tenant"\): tenantId must be text/);
    assert.equal(problems[9], 'entraId.activeProfile "Typed" names no usable profile in entraId.profiles; using the plain settings.');
    assert.equal(settings.auth.clientId, undefined, 'the plain settings are in effect');
    assert.deepEqual(settings.auth.problems.slice(0, 10), problems, 'sign-in logs them');
    settings.dispose();
  });

  it('refuses a profiles setting that is not a list, and an active profile that is not a name', () => {
    useProfiles({ name: 'Good' }, undefined);
    vscode.settings.set(SettingKeys.activeProfile, 7);
    const settings = new Settings(new FakeLog());
    assert.deepEqual(settings.profiles.problems, ['entraId.profiles must be a list of profiles; ignoring it.', "entraId.activeProfile must be a profile's name; using the plain settings."]);
    settings.dispose();
  });

  it('ignores profiles and the active profile from a folder\'s settings', () => {
    vscode.workspaceSettings.set(SettingKeys.profiles, [{ name: 'evil', clientId: APP, readOnly: false }]);
    vscode.workspaceSettings.set(SettingKeys.activeProfile, 'evil');
    vscode.settings.set(SettingKeys.readOnly, true);
    const settings = new Settings(new FakeLog());
    assert.equal(settings.auth.profile, undefined);
    assert.equal(settings.auth.clientId, undefined);
    assert.equal(settings.readOnly, true);
    settings.dispose();
  });

  it('a change of the active profile is announced as a change of every setting a profile overrides', () => {
    useProfiles([{ name: 'Good', clientId: APP }]);
    const settings = new Settings(new FakeLog());
    const seen: Array<ReadonlySet<SettingName>> = [];
    settings.onDidChange((names) => seen.push(names));
    void settings.setActiveProfile('Good');
    assert.equal(seen.length, 1);
    assert.deepEqual([...(seen[0] ?? [])].sort(), ['activeProfile', 'authMethod', 'clientId', 'cloud', 'readOnly', 'tenantId']);
    assert.equal(vscode.settings.get(SettingKeys.activeProfile), 'Good');
    settings.dispose();
  });
});

describe('profiles: secrets and token caches', () => {
  it('keeps the keys used before profiles for "no profile", and gives each profile its own', () => {
    // Written out: these are the keys existing users' secrets and caches are stored under.
    assert.equal(SECRET_KEYS.clientSecret(APP), `entraId.clientSecret/${APP}`);
    assert.equal(SECRET_KEYS.msalCache(APP), `entraId.msalCache/${APP}`);
    assert.equal(SECRET_KEYS.clientSecret(APP, 'Prod EU'), `entraId.clientSecret/${APP}/profile/prod%20eu`);
    assert.equal(SECRET_KEYS.msalCache(APP, 'Prod EU'), `entraId.msalCache/${APP}/profile/prod%20eu`);
    assert.equal(SECRET_KEYS.msalCache(APP, 'PROD eu'), SECRET_KEYS.msalCache(APP, 'Prod EU'), 'names match whatever the case');
  });

  it('stores the client secret per profile, and sign-out deletes only the active profile\'s token cache', async () => {
    vscode.settings.set(SettingKeys.authMethod, 'authorizationCode');
    vscode.settings.set(SettingKeys.clientId, APP);
    useProfiles([{ name: 'Prod' }, { name: 'Test' }], 'Prod');
    const settings = new Settings(new FakeLog());
    const typed = ['prod-secret', 'test-secret', 'plain-secret'];
    const deps = fakeDeps({ readConfig: () => settings.auth, showInputBox: () => Promise.resolve(typed.shift()) });
    const manager = new SignInManager(deps);
    settings.onDidChange(() => manager.reloadConfig());
    for (const key of [`entraId.msalCache/${APP}`, `entraId.msalCache/${APP}/profile/prod`, `entraId.msalCache/${APP}/profile/test`]) deps.secrets.values.set(key, '{}');

    await manager.setClientSecret();
    await settings.setActiveProfile('Test');
    await manager.setClientSecret();
    await settings.setActiveProfile(undefined);
    await manager.setClientSecret();
    assert.equal(deps.secrets.values.get(`entraId.clientSecret/${APP}/profile/prod`), 'prod-secret');
    assert.equal(deps.secrets.values.get(`entraId.clientSecret/${APP}/profile/test`), 'test-secret');
    assert.equal(deps.secrets.values.get(`entraId.clientSecret/${APP}`), 'plain-secret');

    await settings.setActiveProfile('Test');
    await manager.signOut();
    assert.deepEqual([...deps.secrets.values.keys()].filter((k) => k.startsWith('entraId.msalCache/')).sort(), [`entraId.msalCache/${APP}`, `entraId.msalCache/${APP}/profile/prod`]);
    manager.dispose();
    settings.dispose();
  });

  it('the environment\'s secret is used for the profile active at start only, not for another with the same app', async () => {
    vscode.settings.set(SettingKeys.authMethod, 'clientCredentials');
    useProfiles([{ name: 'Prod', clientId: APP, tenantId: FABRIKAM_TENANT }, { name: 'Test', clientId: APP, tenantId: FABRIKAM_TENANT }], 'Prod');
    const settings = new Settings(new FakeLog());
    const deps = fakeDeps({ readConfig: () => settings.auth, environmentSecret: 'from-env' });
    const asked: string[] = [];
    const manager = new SignInManager({ ...deps, loadMsal: () => Promise.reject(new Error('not loaded in this test')) });
    settings.onDidChange(() => manager.reloadConfig());
    // Prod has the environment's secret: the sign-in gets as far as loading msal (refused here on purpose).
    await assert.rejects(manager.signIn(), (e: Error) => (asked.push(e.message), /could not be loaded/.test(e.message)));
    await settings.setActiveProfile('Test');
    // Test has none: the password box is offered (and cancelled).
    assert.equal(await manager.signIn(), undefined);
    assert.deepEqual(asked.length, 1);
    manager.dispose();
    settings.dispose();
  });
});

describe('profiles: Switch Profile', () => {
  /** A FakeAuth that records each call and the sign-in settings in effect when it signs in. */
  function recordingAuth(settings: Settings, calls: string[]): FakeAuth {
    const auth = new FakeAuth({ method: 'vscode', label: 'megan@contoso.com', appOnly: false });
    const signIn = auth.signIn.bind(auth);
    const signOut = auth.signOut.bind(auth);
    const disconnect = auth.disconnect.bind(auth);
    auth.signOut = () => { calls.push('signOut'); return signOut(); };
    auth.disconnect = () => { calls.push('disconnect'); return disconnect(); };
    auth.signIn = () => {
      const { profile, tenantId } = settings.auth;
      calls.push(`signIn:${profile ?? '-'}:${tenantId ?? '-'}`);
      return signIn();
    };
    return auth;
  }

  it('lets go of the account (keeping its cache), closes the pages, makes the chosen profile active and signs in with its settings', async () => {
    useProfiles([{ name: 'Contoso', tenantId: 'contoso.com' }, { name: 'Fabrikam', tenantId: FABRIKAM_TENANT, production: true }], 'Contoso');
    const calls: string[] = [];
    const log = vscode.window.createOutputChannel('switch', { log: true });
    const base = servicesWith(noTenantName, new FakeAuth(undefined), log);
    const auth = recordingAuth(base.settings, calls);
    const services = { ...base, auth };
    const deps = commandDeps(services);
    deps.panels.showProfile(undefined);
    assert.equal(panelsOf(services).size, 1);
    let offered: string[] = [];
    vscode.fakeUi.quickPickAnswers.push((items) => {
      const choices = items as Array<{ label: string; description?: string }>;
      offered = choices.map((c) => `${c.label}|${c.description ?? ''}`);
      return choices.find((c) => c.label === 'Fabrikam');
    });
    await switchProfile(deps);
    assert.deepEqual(offered, ['Contoso|active · contoso.com', `Fabrikam|production · ${FABRIKAM_TENANT}`, 'No profile — use the settings|']);
    assert.deepEqual(calls, ['disconnect', `signIn:Fabrikam:${FABRIKAM_TENANT}`], 'a switch is no sign-out');
    assert.equal(vscode.settings.get(SettingKeys.activeProfile), 'Fabrikam');
    assert.equal(panelsOf(services).size, 0, 'the pages of the tenant left behind are closed');

    // Back to the plain settings.
    vscode.fakeUi.quickPickAnswers.push((items) => (items as Array<{ profile?: string }>).find((c) => c.profile === undefined));
    await switchProfile(deps);
    assert.deepEqual(calls.slice(2), ['disconnect', 'signIn:-:-']);
    assert.equal(vscode.settings.get(SettingKeys.activeProfile), undefined);
  });

  it('says why a refused profile is not offered', async () => {
    useProfiles([{ name: 'Contoso' }, { name: 'a/b' }, { name: 'contoso' }]);
    const log = vscode.window.createOutputChannel('switch', { log: true });
    const deps = commandDeps({ ...servicesWith(noTenantName, new FakeAuth(undefined), log) });
    let offered: string[] = [];
    vscode.fakeUi.quickPickAnswers.push((items) => void (offered = (items as Array<{ label: string }>).map((c) => c.label)));
    await switchProfile(deps);
    assert.deepEqual(offered, ['Contoso', 'No profile — use the settings']);
    assert.deepEqual(vscode.shown.warnings, ['entraId.profiles[1] has no usable name: a name is 1 to 64 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit; ignoring the profile. (1 more in the log)']);
    assert.ok(log.lines.some((l) => l.includes('entraId.profiles[2]: the name "contoso" is used by an earlier profile')));
  });

  it('choosing the profile in use, or nothing, changes nothing; with no profiles it says where to add them', async () => {
    useProfiles([{ name: 'Contoso' }], 'Contoso');
    const calls: string[] = [];
    const log = vscode.window.createOutputChannel('switch', { log: true });
    const base = servicesWith(noTenantName, new FakeAuth(undefined), log);
    const deps = commandDeps({ ...base, auth: recordingAuth(base.settings, calls) });
    vscode.fakeUi.quickPickAnswers.push((items) => (items as Array<{ label: string }>).find((c) => c.label === 'Contoso'));
    await switchProfile(deps);
    await switchProfile(deps); // cancelled: no answer queued
    assert.deepEqual(calls, []);
    vscode.settings.delete(SettingKeys.profiles);
    await switchProfile(deps);
    assert.deepEqual(vscode.shown.info, ['No profiles are set up. Add them to the setting entraId.profiles in your user settings.']);
  });

  it('with the real sign-in manager, the sign-in after a switch asks VS Code for the new profile\'s tenant', async () => {
    useProfiles([{ name: 'Contoso', tenantId: 'contoso.com' }, { name: 'Fabrikam', tenantId: FABRIKAM_TENANT }], 'Contoso');
    const log = vscode.window.createOutputChannel('switch', { log: true });
    const settings = new Settings(log);
    const deps = fakeDeps({ readConfig: () => settings.auth });
    deps.sessions.session = session('megan@contoso.com', { tid: 'contoso-tid' });
    const manager = new SignInManager(deps);
    settings.onDidChange(() => manager.reloadConfig());
    const base = servicesWith(noTenantName, manager, log);
    const services = { ...base, settings, auth: manager };
    assert.ok(await manager.signIn());
    deps.sessions.calls.length = 0;
    deps.sessions.session = session('adele@fabrikam.com', { tid: FABRIKAM_TENANT });
    const accounts: Array<SignedInAccount | undefined> = [];
    manager.onDidChangeAccount((a) => accounts.push(a));
    // As the views do: they restart when the account goes, and ask for a silent sign-in (DirectoryTree.getChildren).
    const silent: Array<Promise<unknown>> = [];
    manager.onDidChangeAccount((a) => void (a === undefined && silent.push(manager.trySilentSignIn())));
    // Writing the user settings takes a while in the editor; the views' sign-in runs meanwhile.
    const setActiveProfile = settings.setActiveProfile.bind(settings);
    settings.setActiveProfile = async (name) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await setActiveProfile(name);
    };
    vscode.fakeUi.quickPickAnswers.push((items) => (items as Array<{ label: string }>).find((c) => c.label === 'Fabrikam'));
    await switchProfile(commandDeps(services));
    await Promise.all(silent);
    assert.deepEqual(accounts.map((a) => a?.label), [undefined, 'adele@fabrikam.com'], 'the old account leaves first, then the new one signs in');
    const tenants = deps.sessions.calls.map((c) => `${c.scopes.find((s) => s.startsWith('VSCODE_TENANT:')) ?? '-'}${c.options.clearSessionPreference ? ' (sign-out)' : ''}`);
    // The old profile's account choice is kept (no sign-out); every request after the switch is for the new tenant:
    // the views' silent sign-in between leaving Contoso and Fabrikam's settings taking effect does not sign Contoso in again.
    assert.ok(tenants.length > 0);
    assert.ok(tenants.every((t) => t === `VSCODE_TENANT:${FABRIKAM_TENANT}`), tenants.join());
    manager.dispose();
    settings.dispose();
  });
});

describe('profiles: switching keeps the token cache of the profile left behind', () => {
  let emu: Emulator;
  let ca: string;
  before(async () => {
    emu = await startEmulator({ https: true, users: 4, groups: 2, seed: 22 });
    ca = emu.caCert ?? assert.fail('the emulator serves HTTPS');
  });
  after(() => emu.close());

  it('switching back signs in silently from the kept cache; only Sign Out deletes a cache, and then the browser is needed again', async () => {
    const app = emu.consent.registerApp({ displayName: 'Entra ID Directory (profiles)', requiredScopes: ['User.Read', 'User.Read.All', 'GroupMember.Read.All'] });
    emu.consent.grantAdminConsent(app.clientId, ['User.Read', 'User.Read.All', 'GroupMember.Read.All']);
    vscode.settings.set(SettingKeys.authMethod, 'authorizationCode');
    vscode.settings.set(SettingKeys.clientId, app.clientId);
    vscode.settings.set(SettingKeys.tenantId, emu.tenantId);
    vscode.settings.set(SettingKeys.cloud, 'custom');
    vscode.settings.set(SettingKeys.customGraphEndpoint, emu.graphUrl);
    vscode.settings.set(SettingKeys.customAuthorityHost, emu.authorityHost);
    useProfiles([{ name: 'Alpha' }, { name: 'Beta' }], 'Alpha');
    const log = vscode.window.createOutputChannel('switch-cache', { log: true });
    const settings = new Settings(log);
    const visits: string[] = [];
    const deps = fakeDeps({
      readConfig: () => settings.auth,
      msalNetworkClient: httpsNetworkClient(ca),
      signInTimeoutMs: 10_000,
      // The browser: follows the authorize URL to its redirect (the emulator consents for a user already consented).
      openExternal: async (url) => {
        visits.push(url);
        const page = await rawGet(url, ca);
        if (page.location) await rawGet(page.location);
        return true;
      },
    });
    const secret = app.clientSecret ?? assert.fail('a confidential client');
    await deps.secrets.store(SECRET_KEYS.clientSecret(app.clientId, 'Alpha'), secret);
    await deps.secrets.store(SECRET_KEYS.clientSecret(app.clientId, 'Beta'), secret);
    const manager = new SignInManager(deps);
    settings.onDidChange(() => manager.reloadConfig());
    const services = { ...servicesWith(noTenantName, manager, log), settings, auth: manager };
    const cacheKeys = (): string[] => [...deps.secrets.values.keys()].filter((k) => k.startsWith('entraId.msalCache/')).sort();
    const choose = (name: string): void => void vscode.fakeUi.quickPickAnswers.push((items) => (items as Array<{ label: string }>).find((c) => c.label === name));
    const tokenRequests = (grant: string): number => emu.log.filter((e) => e.method === 'POST' && e.path.endsWith('/oauth2/v2.0/token') && (e.body as Record<string, unknown> | undefined)?.['grant_type'] === grant).length;
    try {
      assert.ok(await manager.signIn());
      assert.equal(visits.length, 1, 'the first sign-in of Alpha uses the browser');
      choose('Beta');
      await switchProfile(commandDeps(services));
      assert.equal(settings.auth.profile, 'Beta');
      assert.ok(manager.account, 'signed in with Beta');
      assert.equal(visits.length, 2, 'Beta had no cache: the browser');
      assert.deepEqual(cacheKeys(), [SECRET_KEYS.msalCache(app.clientId, 'Alpha'), SECRET_KEYS.msalCache(app.clientId, 'Beta')], 'Alpha\'s cache outlives the switch');

      emu.clearLog();
      choose('Alpha');
      await switchProfile(commandDeps(services));
      assert.equal(settings.auth.profile, 'Alpha');
      assert.ok(manager.account, 'signed in with Alpha again');
      assert.equal(visits.length, 2, 'switching back opens no browser');
      assert.equal(tokenRequests('authorization_code'), 0, 'and redeems no new code');

      await manager.signOut();
      assert.deepEqual(cacheKeys(), [SECRET_KEYS.msalCache(app.clientId, 'Beta')], 'Sign Out deletes the active profile\'s cache only');
      assert.ok(await manager.signIn());
      assert.equal(visits.length, 3, 'after Sign Out the browser is needed again');
    } finally {
      manager.dispose();
      settings.dispose();
    }
  });
});

describe('profiles: the production guard', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ users: 4, groups: 2, seed: 21, tenantName: 'Woodgrove Production' });
  });
  after(() => emu.close());

  const writeRequests = (): string[] => emu.log.filter((e) => e.path.startsWith('/v1.0/') && e.method !== 'GET').map((e) => `${e.method} ${e.path}`);

  function seedGroup(): string {
    const id = randomUUID();
    emu.state.addGroup(makeGroup({ id, displayName: `Prod group ${id.slice(0, 8)}`, mailNickname: `prod-${id.slice(0, 8)}` }));
    return id;
  }

  async function productionServices(): Promise<ReturnType<typeof emulatorServices>> {
    useProfiles([{ name: 'Woodgrove', production: true }], 'Woodgrove');
    const services = emulatorServices(emu);
    // A new sign-in makes the identity read the tenant's name.
    await services.auth.signOut();
    await services.auth.signIn();
    await services.identity.settled();
    emu.clearLog();
    return services;
  }

  it('a write with its own confirmation asks twice, the production question naming the tenant, then sends', async () => {
    const services = await productionServices();
    const groupId = seedGroup();
    const registrations = registerCommands(readyDeps(commandDeps(services)));
    try {
      vscode.fakeUi.messageAnswers.push('Delete', 'Change Production Tenant');
      await vscode.commands.executeCommand(CommandIds.groupDelete, groupId);
      assert.deepEqual(vscode.shown.modals.map((m) => m.items.at(-1)), ['Delete', 'Change Production Tenant']);
      assert.equal(vscode.shown.modals[1]?.text, 'This changes the production tenant Woodgrove Production. Go ahead?');
      assert.match(vscode.shown.modals[1]?.detail ?? '', /The profile "Woodgrove" is marked production/);
      assert.deepEqual(writeRequests(), [`DELETE /v1.0/groups/${groupId}`]);
    } finally {
      for (const r of registrations) r.dispose();
    }
  });

  it('declining the production question sends nothing and reports no failure', async () => {
    const services = await productionServices();
    const groupId = seedGroup();
    const registrations = registerCommands(readyDeps(commandDeps(services)));
    try {
      vscode.fakeUi.messageAnswers.push('Delete', undefined);
      await vscode.commands.executeCommand(CommandIds.groupDelete, groupId);
      assert.equal(vscode.shown.modals.length, 2);
      assert.deepEqual(writeRequests(), []);
      assert.deepEqual(vscode.shown.errors, []);
      assert.ok(emu.state.group(groupId), 'the group is still there');
    } finally {
      for (const r of registrations) r.dispose();
    }
  });

  it('guards the write path itself: a write with no confirmation of its own is asked once, and declined is a cancellation', async () => {
    const services = await productionServices();
    const groupId = seedGroup();
    const result = await services.writes.updateGroup(groupId, { description: 'changed' }, { surface: 'command' });
    assert.equal(vscode.shown.modals.length, 1);
    assert.equal(result.success, false);
    assert.equal(result.success ? undefined : result.error.code, 'Cancelled');
    assert.match(result.success ? '' : result.error.message, /^Nothing was changed in the production tenant Woodgrove Production/);
    assert.deepEqual(writeRequests(), []);
  });

  /** A group with three user members, for actions of several writes. */
  function seedGroupWithMembers(): { groupId: string; members: string[] } {
    const groupId = seedGroup();
    const members = [1, 2, 3].map((n) => {
      const id = randomUUID();
      emu.state.addUser(makeUser({ id, userPrincipalName: `m${n}-${id.slice(0, 8)}@${emu.domain}`, displayName: `Member ${n} ${id.slice(0, 8)}` }));
      emu.state.addMember(groupId, id);
      return id;
    });
    return { groupId, members };
  }

  const productionQuestions = (): number => vscode.shown.modals.filter((m) => m.items.at(-1) === 'Change Production Tenant').length;

  it('three removals in one action ask once and send all three', async () => {
    const services = await productionServices();
    const { groupId, members } = seedGroupWithMembers();
    const action = services.writes.action();
    vscode.fakeUi.messageAnswers.push('Change Production Tenant');
    for (const id of members) assert.ok((await services.writes.removeMember(groupId, id, { action, surface: 'command' })).success);
    assert.equal(productionQuestions(), 1);
    assert.deepEqual(writeRequests().sort(), members.map((id) => `DELETE /v1.0/groups/${groupId}/members/${id}/$ref`).sort());
    for (const id of members) assert.ok(!emu.state.isMember(groupId, id));
  });

  it('the group page\'s "Remove selected" of three members asks its own question and the production one, once each', async () => {
    const services = await productionServices();
    const { groupId, members } = seedGroupWithMembers();
    panelsOf(services).showGroup(groupId);
    const panel = vscode.webviewPanels.at(-1) ?? assert.fail('no page');
    try {
      panel.receive({ type: 'ready' });
      await panel.waitFor((m): m is ExtensionMessage => isExtensionMessage(m) && m.type === 'init' && m.state.view === 'group' && !m.state.loading && m.state.members.rows.length === 3);
      emu.clearLog();
      vscode.fakeUi.messageAnswers.push('Remove', 'Change Production Tenant');
      panel.receive({ type: 'listRemove', requestId: 1, list: 'members', ids: members });
      const answer = await panel.waitFor((m): m is ExtensionMessage => isExtensionMessage(m) && m.type === 'result' && m.requestId === 1);
      assert.equal(answer.type === 'result' && answer.ok && answer.message, 'Removed 3 of 3.');
      assert.deepEqual(vscode.shown.modals.map((m) => m.items.at(-1)), ['Remove', 'Change Production Tenant']);
      assert.equal(writeRequests().filter((r) => r.startsWith('DELETE ')).length, 3);
    } finally {
      panel.dispose();
    }
  });

  it('two separate actions ask twice', async () => {
    const services = await productionServices();
    const { groupId, members } = seedGroupWithMembers();
    vscode.fakeUi.messageAnswers.push('Change Production Tenant', 'Change Production Tenant');
    assert.ok((await services.writes.removeMember(groupId, members[0] ?? '', { action: services.writes.action(), surface: 'command' })).success);
    assert.ok((await services.writes.removeMember(groupId, members[1] ?? '', { surface: 'command' })).success, 'a write without an action is an action of its own');
    assert.equal(productionQuestions(), 2);
    assert.equal(writeRequests().length, 2);
  });

  it('declining the production question of an action of three removals sends none of them and asks no more', async () => {
    const services = await productionServices();
    const { groupId, members } = seedGroupWithMembers();
    const action = services.writes.action();
    vscode.fakeUi.messageAnswers.push(undefined);
    const results = [];
    for (const id of members) results.push(await services.writes.removeMember(groupId, id, { action, surface: 'command' }));
    assert.equal(productionQuestions(), 1);
    assert.deepEqual(results.map((r) => (r.success ? 'sent' : r.error.code)), ['Cancelled', 'Cancelled', 'Cancelled']);
    assert.deepEqual(writeRequests(), [], 'the emulator saw no write');
    for (const id of members) assert.ok(emu.state.isMember(groupId, id));
  });

  it('outside a production profile nothing more is asked', async () => {
    useProfiles([{ name: 'Woodgrove test' }], 'Woodgrove test');
    const services = emulatorServices(emu);
    emu.clearLog();
    const groupId = seedGroup();
    const result = await services.writes.updateGroup(groupId, { description: 'changed' }, { surface: 'command' });
    assert.ok(result.success);
    assert.deepEqual(vscode.shown.modals, []);
    assert.deepEqual(writeRequests(), [`PATCH /v1.0/groups/${groupId}`]);
  });

  it('before the tenant\'s name is known, the question names the profile\'s tenant id', async () => {
    useProfiles([{ name: 'Woodgrove', production: true, tenantId: emu.tenantId }], 'Woodgrove');
    const services = emulatorServices(emu);
    emu.clearLog();
    const result = await services.writes.updateGroup(seedGroup(), { description: 'changed' }, { surface: 'command' });
    assert.equal(result.success, false);
    assert.equal(vscode.shown.modals[0]?.text, `This changes the production tenant ${emu.tenantId}. Go ahead?`);
    assert.deepEqual(writeRequests(), []);
  });
});

describe('profiles: the status bar', () => {
  function statusItem(): { status: AccountStatus; item: { text: string; tooltip: unknown; accessibilityInformation?: { label: string } } } {
    const original = vscode.window.createStatusBarItem;
    let item: ReturnType<typeof original> | undefined;
    vscode.window.createStatusBarItem = () => (item = original());
    try {
      const status = new AccountStatus();
      return { status, item: item ?? assert.fail('no item') };
    } finally {
      vscode.window.createStatusBarItem = original;
    }
  }

  it('marks a production profile with PROD, says so in the tooltip and the accessible name, and drops it again', () => {
    const { status, item } = statusItem();
    const megan = { account: { method: 'vscode' as const, label: 'megan@woodgrove.com', appOnly: false }, organization: { id: 't', displayName: 'Woodgrove' } };
    status.update(megan);
    assert.ok(!item.text.includes('PROD'));
    status.setProduction('Woodgrove');
    assert.ok(item.text.startsWith('$(warning) PROD $(organization) Woodgrove'), item.text);
    // The tooltip is Markdown with every punctuation character escaped: read it as plain text.
    const tooltip = (item.tooltip as { value: string }).value.replace(/\\(.)/g, '$1');
    assert.ok(tooltip.includes('Production profile "Woodgrove": every change asks for one more confirmation naming the tenant.'), tooltip);
    assert.match(item.accessibilityInformation?.label ?? '', /\(production\)$/);
    status.update(undefined);
    assert.ok(item.text.startsWith('$(warning) PROD $(sign-in)'), item.text);
    assert.match(String(item.tooltip), /Production profile "Woodgrove"/);
    status.setProduction(undefined);
    status.update(megan);
    assert.ok(!item.text.includes('PROD'));
    status.dispose();
  });
});
