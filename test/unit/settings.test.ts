/** The one reader of `entraId.*`: user-level-only keys, one change event, one validated cloud for sign-in and Graph. */
import * as assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type * as vscodeTypes from 'vscode';
import { endpointProblem, resolveCloud } from '../../src/auth/clouds';
import { SignInManager } from '../../src/auth/signInManager';
import { AuthError } from '../../src/auth/types';
import { switchCloudAndTenant } from '../../src/commands/switchCloud';
import { GraphClients } from '../../src/graphClients';
import { Settings, SettingKeys, USER_LEVEL_ONLY, type SettingName } from '../../src/settings';
import * as vscode from '../support/vscodeFake';
import { FakeLog, fakeDeps } from './authFakes';

const CONTOSO_GRAPH = 'https://graph.contoso.example/v1.0';
const CONTOSO_LOGIN = 'https://login.contoso.example';

afterEach(() => {
  vscode.settings.clear();
  vscode.workspaceSettings.clear();
  vscode.fakeUi.reset();
});

function userCustomCloud(graph = CONTOSO_GRAPH, login = CONTOSO_LOGIN): void {
  vscode.settings.set(SettingKeys.cloud, 'custom');
  vscode.settings.set(SettingKeys.customGraphEndpoint, graph);
  vscode.settings.set(SettingKeys.customAuthorityHost, login);
}

describe('Settings: levels', () => {
  it('ignores workspace values of every endpoint, app and permission key, and logs each once without its value', () => {
    userCustomCloud();
    const hostile: Record<SettingName, unknown> = {
      authMethod: 'clientCredentials',
      clientId: '99999999-9999-9999-9999-999999999999',
      tenantId: 'evil.example',
      cloud: 'global',
      customGraphEndpoint: 'https://graph.evil.example/v1.0',
      customAuthorityHost: 'https://login.evil.example',
      // A repository trying to turn the write tools on for the agent it ships prompts for.
      writeTools: true,
      // Read-only mode is the user's own choice: a folder can neither turn it on nor (below) off.
      readOnly: true,
      showDisabled: true,
      pageSize: 7,
      // A folder shipping a profile that points sign-in at another app, and making it the active one.
      profiles: [{ name: 'evil', clientId: '99999999-9999-9999-9999-999999999999', readOnly: false }],
      activeProfile: 'evil',
      // A repository deciding that the directory be written to disk (or not) on the user's machine.
      directoryCache: false,
    };
    for (const name of USER_LEVEL_ONLY) vscode.workspaceSettings.set(SettingKeys[name], hostile[name]);
    const log = new FakeLog();
    const settings = new Settings(log);

    for (let i = 0; i < 3; i++) {
      const auth = settings.auth;
      assert.equal(auth.method, 'vscode');
      assert.equal(auth.clientId, undefined);
      assert.equal(auth.tenantId, undefined);
      assert.equal(auth.cloudName, 'custom');
      assert.ok(auth.cloud.ok && auth.cloud.cloud.graphBaseUrl === CONTOSO_GRAPH && auth.cloud.cloud.authorityHost === CONTOSO_LOGIN);
      assert.equal(settings.writeToolsEnabled, false, 'the write tools stay off: only user settings turn them on');
      assert.equal(settings.readOnly, false, 'read-only mode follows the user settings only');
      assert.equal(settings.directoryCacheEnabled, true, 'the directory cache follows the user settings only');
    }
    for (const name of USER_LEVEL_ONLY) {
      const lines = log.lines.filter((l) => l.includes(`Ignored ${SettingKeys[name]} `));
      assert.equal(lines.length, 1, `${name} logged once`);
    }
    assert.ok(!/evil|9999/.test(log.text()), 'the ignored values are not logged');
    settings.dispose();
  });

  it('keeps read-only mode on when the user turned it on and a folder says false', () => {
    vscode.settings.set(SettingKeys.readOnly, true);
    vscode.workspaceSettings.set(SettingKeys.readOnly, false);
    const settings = new Settings(new FakeLog());
    assert.equal(settings.readOnly, true);
    settings.dispose();
  });

  it('keeps the directory cache off when the user turned it off and a folder says true', () => {
    vscode.settings.set(SettingKeys.directoryCache, false);
    vscode.workspaceSettings.set(SettingKeys.directoryCache, true);
    const settings = new Settings(new FakeLog());
    assert.equal(settings.directoryCacheEnabled, false);
    settings.dispose();
  });

  it('honours workspace values of the keys that steer no token (page size, disabled accounts)', () => {
    vscode.workspaceSettings.set(SettingKeys.pageSize, 50);
    vscode.workspaceSettings.set(SettingKeys.showDisabled, true);
    const log = new FakeLog();
    const settings = new Settings(log);
    assert.equal(settings.pageSize, 50);
    assert.equal(settings.showDisabled, true);
    assert.deepEqual(log.lines, []);
    assert.ok(!USER_LEVEL_ONLY.has('pageSize') && !USER_LEVEL_ONLY.has('showDisabled'));
    settings.dispose();
  });

  it('fires one change event naming every changed key, and none for other extensions’ settings', () => {
    const changes = new vscode.EventEmitter<vscodeTypes.ConfigurationChangeEvent>();
    const settings = new Settings(new FakeLog(), undefined, changes.event);
    const seen: Array<ReadonlySet<SettingName>> = [];
    settings.onDidChange((names) => seen.push(names));
    const changed = new Set([SettingKeys.cloud, SettingKeys.customGraphEndpoint, SettingKeys.pageSize]);
    changes.fire({ affectsConfiguration: (section: string) => [...changed].some((k) => k === section || k.startsWith(`${section}.`)) });
    changes.fire({ affectsConfiguration: (section: string) => section === 'editor.fontSize' || section === 'editor' });
    assert.equal(seen.length, 1);
    assert.deepEqual([...(seen[0] ?? [])].sort(), ['cloud', 'customGraphEndpoint', 'pageSize']);
    settings.dispose();
  });
});

describe('Settings: one cloud for sign-in and Graph', () => {
  it('an invalid cloud gives sign-in and Graph the same message, and Graph asks for no token', async () => {
    vscode.settings.set(SettingKeys.cloud, 'mars');
    const settings = new Settings(new FakeLog());
    const expected = settings.auth.cloud.ok ? assert.fail('mars is no cloud') : settings.auth.cloud.message;
    assert.match(expected, /entraId\.cloud "mars" is not one of/);

    const manager = new SignInManager(fakeDeps({ readConfig: () => settings.auth }));
    const signIn = await manager.signIn().then(() => assert.fail('sign-in should fail'), (e: unknown) => e);
    assert.ok(signIn instanceof AuthError && signIn.code === 'Configuration');
    assert.equal(signIn.message, expected);

    let tokens = 0;
    const clients = new GraphClients(() => settings.auth.cloud, () => (tokens++, Promise.resolve('token')), new FakeLog());
    const result = await clients.get().getProfile();
    assert.ok(!result.success);
    assert.equal(result.error.message, `Could not get an access token: ${expected}`);
    assert.equal(tokens, 0, 'the sign-in was not even asked');
    assert.equal(clients.cloud(), undefined);
    manager.dispose();
    settings.dispose();
  });
});

describe('custom endpoint URLs', () => {
  const refused: Array<[string, RegExp]> = [
    ['https://admin:hunter2@graph.contoso.example/v1.0', /must not contain a user name or password/],
    ['https://admin@graph.contoso.example/v1.0', /must not contain a user name or password/],
    ['https://graph.contoso.example/v1.0?code=x', /must not contain a query \(\?…\) or fragment \(#…\)/],
    ['https://graph.contoso.example/v1.0?', /must not contain a query/],
    ['https://graph.contoso.example/v1.0#frag', /must not contain a query/],
    ['https://graph.contoso.example/v1.0#', /must not contain a query/],
    ['http://graph.contoso.example/v1.0', /must use https/],
    ['graph.contoso.example', /is not a valid URL/],
  ];

  it('are refused with a message that names the setting and repeats no credentials', () => {
    for (const [url, message] of refused) {
      for (const setting of [SettingKeys.customGraphEndpoint, SettingKeys.customAuthorityHost]) {
        const problem = endpointProblem(url, setting);
        assert.match(problem ?? '', message, url);
        assert.ok(problem?.startsWith(setting), `${url}: names ${setting}`);
        assert.ok(!problem?.includes('hunter2') && !problem?.includes('admin'), `${url}: no credentials in the message`);
      }
    }
    assert.equal(endpointProblem(CONTOSO_GRAPH, SettingKeys.customGraphEndpoint), undefined);
    assert.equal(endpointProblem('http://127.0.0.1:8080/v1.0', SettingKeys.customGraphEndpoint), undefined);
  });

  it('the settings refuse them for sign-in and Graph alike, for either endpoint', () => {
    for (const [url, message] of refused) {
      userCustomCloud(url, CONTOSO_LOGIN);
      const graph = new Settings(new FakeLog()).auth.cloud;
      assert.ok(!graph.ok && message.test(graph.message) && graph.message.startsWith(SettingKeys.customGraphEndpoint), url);
      userCustomCloud(CONTOSO_GRAPH, url);
      const login = new Settings(new FakeLog()).auth.cloud;
      assert.ok(!login.ok && message.test(login.message) && login.message.startsWith(SettingKeys.customAuthorityHost), url);
    }
    assert.ok(resolveCloud('custom', { graphEndpoint: CONTOSO_GRAPH, authorityHost: CONTOSO_LOGIN }).ok);
  });

  it('Switch Cloud refuses them as they are typed, with the same messages', async () => {
    const validators: Array<(value: string) => unknown> = [];
    const original = vscode.window.showInputBox;
    vscode.window.showInputBox = (options?: unknown) => {
      const validate = (options as { validateInput?: (value: string) => unknown } | undefined)?.validateInput;
      if (validate) validators.push(validate);
      // The first box (the Graph URL) is cancelled once its check was captured.
      return Promise.resolve(undefined);
    };
    try {
      vscode.fakeUi.quickPickAnswers.push((items) => (items as Array<{ cloud: string }>).find((i) => i.cloud === 'custom'));
      const settings = new Settings(new FakeLog());
      assert.equal(await switchCloudAndTenant(settings), false);
      const validate = validators[0] ?? assert.fail('the Graph URL box has a check');
      for (const [url, message] of refused) assert.match(String(validate(url)), message, url);
      assert.equal(validate(CONTOSO_GRAPH), undefined);
      assert.equal(vscode.settings.has(SettingKeys.customGraphEndpoint), false, 'nothing was written');
      settings.dispose();
    } finally {
      vscode.window.showInputBox = original;
    }
  });
});
