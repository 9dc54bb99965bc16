/**
 * Secrets stay secret: representative flows run with canary credentials (access tokens handed to the Graph client,
 * the tokens and refresh tokens the identity platform issues, client secrets), then every place the extension writes
 * text to is scanned — output channels, notifications, results and errors, settings, webview pages and messages,
 * Language Model tool results, the clipboard. SecretStorage is the one place they may be. And the bearer token never
 * travels to another origin: not through a next-page link, a redirect or a bind URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignInManager } from '../../src/auth/signInManager';
import { AuthError, SECRET_KEYS } from '../../src/auth/types';
import { registerCommands, type CommandDeps } from '../../src/commands';
import { CommandIds } from '../../src/contributions';
import { GraphClient, type Result } from '../../src/core';
import { LM_TOOLS } from '../../src/lm/toolSet';
import type { LmToolName } from '../../src/lm/toolTypes';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { GroupNode } from '../../src/tree/nodes';
import { isExtensionMessage } from '../../src/webviews/protocol';
import { startEmulator, type Emulator } from '../emulator';
import {
  canary, canaryTokenFetch, httpsFetch, scan, startForeignServer, startImpostorGraph, stringsIn, tokensInMsalCache, type Canary,
} from '../hardening/secrets';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import { noDesiredState, noHistory } from '../support/commandDeps';
import * as vscode from '../support/vscodeFake';
import { FakeSecrets, fakeDeps, httpsNetworkClient, rawGet } from './authFakes';
import { invoke, makeHarness } from './lmHarness';

/** Text the extension wrote to the editor's surfaces (the fake records them all). */
function editorTexts(): Array<[string, string]> {
  const texts: Array<[string, string]> = [];
  for (const channel of vscode.outputChannels) for (const line of channel.lines) texts.push([`output channel ${channel.name}`, line]);
  for (const [kind, list] of [['info', vscode.shown.info], ['warning', vscode.shown.warnings], ['error', vscode.shown.errors]] as const) for (const m of list) texts.push([`${kind} notification`, m]);
  for (const panel of vscode.webviewPanels) {
    texts.push([`webview ${panel.viewType} html`, panel.webview.html], [`webview ${panel.viewType} title`, panel.title]);
    texts.push(...stringsIn(panel.posted, `webview ${panel.viewType} messages`));
  }
  texts.push(...stringsIn(Object.fromEntries(vscode.settings), 'settings'), ['clipboard', vscode.fakeUi.clipboard], ...stringsIn(vscode.executed, 'executed commands'));
  return texts;
}

const until = async (done: () => boolean, turns = 2000): Promise<void> => {
  for (let i = 0; i < turns && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('canary access tokens through every surface', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ users: 20, groups: 6, seed: 3 });
  });
  after(() => emu.close());

  it('never appear in logs, notifications, results, settings, webviews or tool results', async () => {
    const token = canary('AT');
    const wire = canaryTokenFetch(emu, token, { echoPaths: /echo-user|groups\/0{8}-/ });
    const services = emulatorServices(emu, { getAccessToken: () => Promise.resolve(token), fetch: wire.fetch });
    const results: unknown[] = [];
    const admin = emu.state.user(emu.state.adminUserId);
    const user = emu.state.findUser((u) => u.accountEnabled && u.onPremisesSyncEnabled !== true && u.id !== emu.state.adminUserId);
    const group = emu.state.findGroup((g) => g.securityEnabled && !g.mailEnabled && !g.groupTypes.includes('DynamicMembership') && g.onPremisesSyncEnabled !== true);
    assert.ok(admin && user && group);
    const echoUser = `echo-user@${emu.domain}`;
    const echoGroup = '00000000-0000-4000-8000-00000000e0e0';

    // The core directly, including an answer that repeats the token back.
    const client = services.client;
    results.push(await client.getProfile(user.id), await client.getProfile(echoUser), await client.getGroup(echoGroup), await client.searchGroups('a'));
    results.push(await client.getOrganizationUsers({ maxItems: 5 }), await client.getManager(echoUser));

    // The trees.
    const groups = new DirectoryTreeProvider('groups', services);
    const users = new DirectoryTreeProvider('users', services);
    const top = await groups.getChildren();
    await users.getChildren();
    const row = top.find((n): n is GroupNode => n instanceof GroupNode && n.group.id === group.id) ?? new GroupNode(undefined, { id: group.id, displayName: group.displayName }, groups);
    for (const folder of await groups.getChildren(row)) await groups.getChildren(folder);
    await groups.getChildren(new GroupNode(undefined, { id: echoGroup, displayName: 'Echo' }, groups)).then((folders) => Promise.all(folders.map((f) => groups.getChildren(f))));

    // Commands, through their registration (errors become notifications).
    const deps: CommandDeps = {
      services, trees: { users, groups }, desiredState: noDesiredState, history: noHistory, panels: { showProfile: () => undefined, showGroup: () => undefined, showOrgChart: () => undefined, showNesting: () => undefined, createGroup: () => undefined, editGroup: () => undefined, editUser: () => undefined, showTable: () => undefined, closeAll: () => undefined },
      portalUrl: () => 'https://entra.microsoft.com', setContext: () => Promise.resolve(), switchCloud: () => Promise.resolve(), focused: () => undefined,
    };
    const commands = registerCommands(() => deps);
    try {
      await vscode.commands.executeCommand(CommandIds.userShowManager, echoUser);
      await vscode.commands.executeCommand(CommandIds.userShowManager, user.id);
      vscode.fakeUi.messageAnswers.push('Delete');
      await vscode.commands.executeCommand(CommandIds.groupDelete, echoGroup);
    } finally {
      for (const d of commands) d.dispose();
    }

    // Webviews: a profile, a profile whose read is answered with the token, an edit, a create.
    for (const key of [user.id, echoUser]) {
      panelsOf(services).showProfile(key);
      const panel = vscode.webviewPanels.at(-1);
      panel?.receive({ type: 'ready' });
      await until(() => panel?.posted.some((m) => isExtensionMessage(m) && m.type === 'init' && !m.state.loading) ?? false);
    }
    panelsOf(services).editUser(user.id);
    const form = vscode.webviewPanels.at(-1);
    form?.receive({ type: 'ready' });
    await until(() => form?.posted.some((m) => isExtensionMessage(m) && m.type === 'init' && !m.state.loading) ?? false);
    const init = form?.posted.find((m) => isExtensionMessage(m) && m.type === 'init' && !m.state.loading);
    if (isExtensionMessage(init) && init.type === 'init' && init.state.view === 'userForm') {
      form?.receive({ type: 'submit', requestId: 1, form: 'editUser', values: { ...init.state.values, city: 'Canary Wharf' } });
      await until(() => form?.posted.some((m) => isExtensionMessage(m) && m.type === 'result') ?? false);
    }
    panelsOf(services).createGroup();
    const create = vscode.webviewPanels.at(-1);
    create?.receive({ type: 'ready' });
    create?.receive({ type: 'searchUsers', requestId: 2, term: 'a' });
    create?.receive({ type: 'submit', requestId: 3, form: 'createGroup', values: { kind: 'security', displayName: 'Secret keepers', mailNickname: 'secret-keepers', description: '', visibility: '', ownerIds: [], memberIds: [] } });
    await until(() => create?.disposed === true || (create?.posted.some((m) => isExtensionMessage(m) && m.type === 'result') ?? false));

    // Every Language Model tool, and one whose Graph answer carries the token.
    const h = makeHarness(() => client);
    const inputs: Record<LmToolName, unknown> = {
      entra_get_profile: { userId: user.id },
      entra_get_manager: { userId: echoUser },
      entra_get_ms365_groups: { userId: user.id },
      entra_get_organization_users: { maxItems: 5 },
      entra_get_organization_groups: { maxItems: 5 },
      entra_search_groups: { query: 'a' },
      entra_create_group: { displayName: 'Canary group', kind: 'security' },
      entra_update_group: { groupId: group.id, changes: { description: 'Checked for canaries' } },
      entra_delete_group: { groupId: echoGroup },
      entra_add_member_to_group: { groupId: group.id, memberId: admin.id },
      entra_remove_member_from_group: { groupId: group.id, memberId: admin.id },
      entra_update_user: { userId: echoUser, changes: { jobTitle: 'Canary' } },
    };
    for (const name of Object.keys(LM_TOOLS) as LmToolName[]) results.push(await invoke(h, name, inputs[name]));

    assert.ok(wire.sentWithCanary() > 20, 'the canary token was what the client sent');
    const findings = scan([{ label: 'access token', value: token }], [...editorTexts(), ...h.logLines().map((l): [string, string] => ['LM log', l]), ...stringsIn(results, 'results')]);
    assert.deepEqual(findings, []);
  });
});

describe('sign-in secrets and tokens (msal against the emulator over HTTPS)', () => {
  let emu: Emulator;
  let ca: string;
  before(async () => {
    emu = await startEmulator({ https: true, users: 10, groups: 3 });
    ca = emu.caCert ?? '';
  });
  after(() => emu.close());

  function settingsFor(method: 'authorizationCode' | 'clientCredentials'): Record<string, unknown> {
    return {
      'entraId.auth.method': method, 'entraId.auth.clientId': emu.apps.demo.clientId, 'entraId.auth.tenantId': emu.tenantId, 'entraId.cloud': 'custom',
      'entraId.customGraphEndpoint': emu.graphUrl, 'entraId.customAuthorityHost': emu.authorityHost,
    };
  }

  async function browser(url: string): Promise<boolean> {
    const authorize = await rawGet(url, ca);
    if (!authorize.location) return false;
    await rawGet(authorize.location);
    return true;
  }

  it('never appear in the log, errors, accounts, settings or Graph results', async () => {
    const canaries: Canary[] = [{ label: 'client secret', value: emu.apps.demo.clientSecret }];
    const texts: Array<[string, string]> = [];
    const requestLines: string[] = [];
    const keep = (where: string, value: unknown): void => void texts.push(...stringsIn(value, where));

    for (const method of ['clientCredentials', 'authorizationCode'] as const) {
      const secrets = new FakeSecrets();
      await secrets.store(SECRET_KEYS.clientSecret(emu.apps.demo.clientId), emu.apps.demo.clientSecret);
      const settings = settingsFor(method);
      const deps = fakeDeps({ settings, secrets, msalNetworkClient: httpsNetworkClient(ca), openExternal: browser, signInTimeoutMs: 10_000 });
      const auth = new SignInManager(deps);
      keep(`${method} account`, await auth.signIn());
      const first = await auth.tokenProvider();
      const client = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: auth.tokenProvider, fetch: httpsFetch(ca), onRequest: (i) => requestLines.push(JSON.stringify(i)) });
      const results: Array<Result<unknown>> = [await client.getOrganizationUsers({ maxItems: 3 }), await client.getProfile(method === 'clientCredentials' ? emu.state.adminUserId : undefined)];
      const refreshed = await auth.tokenProvider({ forceRefresh: true });
      results.push(await client.getOrganizationGroups({ maxItems: 3 }));
      keep(`${method} results`, results);
      assert.ok(results.every((r) => r.success), `${method}: Graph answered`);
      canaries.push({ label: `${method} access token`, value: first }, { label: `${method} refreshed token`, value: refreshed });
      const cache = secrets.values.get(SECRET_KEYS.msalCache(emu.apps.demo.clientId));
      const cached = tokensInMsalCache(cache);
      assert.ok(cached.length > 0, 'msal kept its tokens in SecretStorage');
      if (method === 'authorizationCode') assert.ok(cached.some((c) => c.label.startsWith('RefreshToken')), 'a refresh token was issued');
      canaries.push(...cached);
      await auth.signOut();
      keep(`${method} settings`, settings);
      texts.push(...deps.log.lines.map((l): [string, string] => [`${method} log`, l]));
      auth.dispose();
    }

    // A wrong client secret, typed in through the password box: refused, and not repeated anywhere.
    const wrong = canary('SECRET');
    canaries.push({ label: 'wrong client secret', value: wrong });
    const secrets = new FakeSecrets();
    const settings = settingsFor('clientCredentials');
    const deps = fakeDeps({ settings, secrets, msalNetworkClient: httpsNetworkClient(ca), showInputBox: () => Promise.resolve(wrong) });
    const auth = new SignInManager(deps);
    assert.equal(await auth.setClientSecret(), true);
    assert.equal(secrets.values.get(SECRET_KEYS.clientSecret(emu.apps.demo.clientId)), wrong, 'kept in SecretStorage');
    const error = await auth.tokenProvider().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof AuthError, 'the wrong secret is refused');
    keep('auth error', { message: error.message, code: error.code });
    keep('silent sign-in', await auth.trySilentSignIn());
    keep('settings', settings);
    texts.push(...deps.log.lines.map((l): [string, string] => ['wrong-secret log', l]));
    texts.push(...requestLines.map((l): [string, string] => ['Graph request log', l]));
    auth.dispose();

    assert.deepEqual(scan(canaries, texts), []);
    // The scan itself works: the vault holds what the surfaces must not.
    assert.ok(scan(canaries, [['SecretStorage', [...secrets.values.values()].join('\n')]]).length > 0);
  });
});

describe('the Authorization header stays on the Graph origin', () => {
  it('is not sent along foreign next links, redirects or bind URLs', async () => {
    const foreign = await startForeignServer();
    const impostor = await startImpostorGraph(foreign);
    const token = canary('AT');
    try {
      const client = new GraphClient({ baseUrl: `${impostor.url}/v1.0`, getAccessToken: () => Promise.resolve(token), maxRetries: 0 });
      const outcomes: string[] = [];
      const note = (what: string, r: Result<unknown>): void => void outcomes.push(`${what}: ${r.success ? 'ok' : r.error.code}`);
      for (let i = 0; i < 9; i++) note(`list ${i}`, await client.getOrganizationUsers());
      note('crafted cursor', await client.nextPage({ url: `${foreign.url}/v1.0/users`, advanced: false }));
      note('redirected read', await client.getGroup('6b1c5e2a-3f4d-4e8b-9a6c-0d2e4f6a8b10'));
      note('redirected user', await client.getProfile('redirect@contoso.com'));
      note('bind', await client.addMemberToGroup('6b1c5e2a-3f4d-4e8b-9a6c-0d2e4f6a8b10', '7b1c5e2a-3f4d-4e8b-9a6c-0d2e4f6a8b10'));

      assert.deepEqual(foreign.requests, [], `the foreign origin saw nothing (links: ${impostor.links.join(', ')})`);
      assert.ok(impostor.requests.length >= 12 && impostor.requests.every((r) => r.authorization === `Bearer ${token}`), 'the token went to the Graph origin only');
      const bind = impostor.requests.find((r) => r.url.endsWith('/members/$ref'));
      assert.equal((JSON.parse(bind?.body ?? '{}') as Record<string, string>)['@odata.id'], `${impostor.url}/v1.0/directoryObjects/7b1c5e2a-3f4d-4e8b-9a6c-0d2e4f6a8b10`);
      assert.ok(outcomes.filter((o) => o.startsWith('list')).every((o) => o.endsWith('ForeignNextLink')), outcomes.join('\n'));
      assert.ok(outcomes.filter((o) => o.startsWith('redirected')).every((o) => !o.endsWith('ok')), outcomes.join('\n'));
    } finally {
      await impostor.close();
      await foreign.close();
    }
  });
});
