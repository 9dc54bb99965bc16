/**
 * A repository that tries to steer the extension: the opened folder's `.vscode/settings.json` points every endpoint,
 * app and permission setting at a second emulator playing the attacker (its own tenant; the same certificate as the
 * run's emulator, so the extension host would trust it and a request sent there would be answered and logged, not
 * lost to a TLS error; `before` reads its control route over HTTPS from this host to show it). Signing out and in,
 * browsing and the chat tools must keep using the user's own settings: the attacker's emulator receives nothing at
 * all (so no token request and no client secret), the run's emulator serves every request, and the workspace can
 * neither turn the write tools off nor on.
 *
 * VS Code re-reads the folder's settings file when it changes, so the file is written into the running window; a
 * setting that workspaces may set (`entraId.pageSize`) rides along and proves the file is in effect.
 *
 * What VS Code 1.139 (code-server 4.139.1) does with the file, found here: `inspect()` reports no `workspaceValue`
 * (nor `workspaceFolderValue`) for the keys the manifest declares `"scope": "application"` — VS Code drops them when it
 * reads workspace settings — while `entraId.pageSize` (window scope) shows its workspace value. The extension therefore
 * never sees the attacker's values, and its own guard (`Settings.value`, which logs "Ignored <key> from the workspace
 * settings…" when a workspace value does reach it) has nothing to report.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EmulatorControl, isGraphRequest, type EmulatorInfo, type GraphObject, type LogEntry } from './emulatorControl';
import { HOST_ENV } from './protocol';
import { activateExtension, invokeTool, productLog, runOnTreeItem, setUserSetting, treeItem, waitForTreeRow } from './workbench';
import { waitFor, within } from './wait';

const USERS_VIEW = 'entraId.users';
const GROUPS_VIEW = 'entraId.groups';
/** The keys a workspace must not set: they pick the endpoints, the app, the tenant and what chat tools may do. */
const USER_LEVEL_ONLY = ['cloud', 'customGraphEndpoint', 'customAuthorityHost', 'auth.method', 'auth.clientId', 'auth.tenantId', 'lm.enableWriteTools'];

const em = EmulatorControl.fromEnvironment();
const attacker = EmulatorControl.fromEnvironment(HOST_ENV.attackerGraphUrl);

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('entraId');
}

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

function describeRequests(entries: LogEntry[]): string {
  return entries.map((e) => `${e.method} ${e.path} → ${e.status}`).join(', ');
}

describe('a workspace whose settings point at another server', function () {
  this.timeout(90_000);
  let own: EmulatorInfo;
  let evil: EmulatorInfo;
  let dotVscode: vscode.Uri | undefined;
  let group: GraphObject = { id: '' };
  let memberId = '';
  const groupName = unique('Harbor Watch');

  /** Writes the folder's `.vscode/settings.json`: every steering key at the attacker, plus `extra`. */
  async function writeWorkspaceSettings(pageSize: number, extra: Record<string, unknown>): Promise<void> {
    assert.ok(dotVscode);
    const settings = {
      'entraId.cloud': 'custom',
      'entraId.customGraphEndpoint': evil.graphUrl,
      'entraId.customAuthorityHost': evil.authorityHost,
      'entraId.auth.method': 'clientCredentials',
      'entraId.auth.clientId': evil.apps.demo.clientId,
      'entraId.auth.tenantId': evil.tenantId,
      'entraId.pageSize': pageSize,
      ...extra,
    };
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dotVscode, 'settings.json'), new TextEncoder().encode(JSON.stringify(settings, null, 2)));
    await waitFor(`VS Code to read the workspace settings (entraId.pageSize ${pageSize})`, () => config().inspect('pageSize')?.workspaceValue === pageSize);
  }

  /** Nothing, not even a discovery document, was asked of the attacker's emulator since it started. */
  async function assertAttackerUntouched(): Promise<void> {
    const entries = await attacker.log(0);
    assert.deepEqual(entries, [], `the attacker's emulator received: ${describeRequests(entries)}`);
  }

  before(async () => {
    await activateExtension();
    own = await em.info();
    evil = await attacker.info();
    assert.notEqual(new URL(evil.url).origin, new URL(own.url).origin, 'two emulators');
    assert.notEqual(evil.tenantId, own.tenantId, 'two tenants');
    await assertAttackerUntouched();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs with a folder open');
    const settingsFolder = vscode.Uri.joinPath(folder.uri, '.vscode');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(settingsFolder)), 'the folder has no .vscode of its own (the test removes what it writes)');

    const members = await em.graph<{ value: GraphObject[] }>('GET', '/users?$filter=accountEnabled eq true&$select=id&$top=2');
    memberId = members.value[0]?.id ?? '';
    assert.ok(memberId);
    group = await em.createSecurityGroup(groupName, { members: members.value.map((m) => m.id) });

    // The users list below must be the view's own server read, which carries entraId.pageSize; with the directory cache
    // on, the copy's build reads at 999 a page and the view may answer from the copy without asking Graph at all.
    await setUserSetting('directoryCache.enabled', false);
    // The user's own choice, which the workspace will try to reverse.
    await setUserSetting('lm.enableWriteTools', true);
    await vscode.workspace.fs.createDirectory(settingsFolder);
    dotVscode = settingsFolder;
    await writeWorkspaceSettings(7, { 'entraId.lm.enableWriteTools': false });
  });

  after(async () => {
    if (dotVscode) {
      await vscode.workspace.fs.delete(dotVscode, { recursive: true, useTrash: false }).then(undefined, () => undefined);
      await waitFor('VS Code to drop the workspace settings', () => config().inspect('pageSize')?.workspaceValue === undefined);
    }
    await setUserSetting('lm.enableWriteTools', undefined);
    await setUserSetting('directoryCache.enabled', undefined);
    await vscode.commands.executeCommand('entraId.groups.clearSearch');
    if (group.id) await em.deleteGroup(group.id);
  });

  it('VS Code leaves the application-scoped keys out: inspect() shows no workspace value, the user\'s values are in effect', async () => {
    assert.equal(config().inspect('pageSize')?.workspaceValue, 7, 'the file is read: a window-scoped key has its workspace value');
    assert.equal(config().get('pageSize'), 7);
    for (const key of USER_LEVEL_ONLY) {
      const levels = config().inspect(key);
      assert.ok(levels, `${key} is declared`);
      assert.equal(levels.workspaceValue, undefined, `${key}: no workspace value (inspect: ${JSON.stringify(levels)})`);
      assert.equal(levels.workspaceFolderValue, undefined, `${key}: no folder value`);
      assert.deepEqual(config().get(key), levels.globalValue ?? levels.defaultValue, `${key}: the value in effect is the user's (or the default)`);
    }
    assert.equal(config().get('customGraphEndpoint'), em.graphUrl, 'Graph stays at the run\'s emulator');
    assert.equal(config().get('customAuthorityHost'), own.authorityHost);
    assert.equal(config().get('auth.tenantId'), own.tenantId);
    assert.equal(config().get('lm.enableWriteTools'), true);
    await assertAttackerUntouched();
  });

  it('signing out and in, the token, the users list and a group\'s members come from the user\'s emulator; the attacker gets nothing', async () => {
    await within('Sign Out', 10_000, vscode.commands.executeCommand('entraId.signOut'));
    const since = await em.mark();
    await within('Sign In', 15_000, vscode.commands.executeCommand('entraId.signIn'));
    const token = await em.waitForRequest(since, 'the token request', (e) => e.method === 'POST' && e.path.endsWith('/oauth2/v2.0/token'));
    assert.equal(token.path, `/${own.tenantId}/oauth2/v2.0/token`, 'the user\'s tenant');
    assert.equal(token.status, 200);
    const form = token.body as Record<string, string> | undefined;
    assert.equal(form?.['grant_type'], 'client_credentials');
    assert.equal(form?.['client_id'], own.apps.demo.clientId);

    // The users list, read with the page size the workspace may set.
    await vscode.commands.executeCommand(`${USERS_VIEW}.focus`);
    await vscode.commands.executeCommand('entraId.users.refresh');
    const list = await em.waitForRequest(since, 'the users list', (e) => isGraphRequest(e, 'GET', '/users') && e.query['$search'] === undefined);
    assert.equal(list.status, 200);
    assert.equal(list.query['$top'], '7', 'entraId.pageSize from the workspace applies');
    // The first row is the first user of that page: read the same page as a fixture.
    const page = await em.graph<{ value: GraphObject[] }>('GET', list.rawUrl.slice('/v1.0'.length), undefined, { consistencylevel: 'eventual' });
    const first = page.value[0];
    assert.ok(first, 'the page has users');
    await waitForTreeRow(USERS_VIEW, `user:${first.id}`, first.id);

    // A group, expanded down to its members.
    await vscode.commands.executeCommand('entraId.groups.search', groupName);
    await waitForTreeRow(GROUPS_VIEW, `group:${group.id}`, group.id);
    // Expanded, the group shows its Members folder, whose "Load more" reads the first page of members…
    await waitFor('the group to be expanded and its members read', async () => {
      await vscode.commands.executeCommand(`${GROUPS_VIEW}.focus`);
      await vscode.commands.executeCommand('list.focusFirst');
      await vscode.commands.executeCommand('list.expand');
      await runOnTreeItem('entraId.node.loadMore', treeItem(GROUPS_VIEW, `group:${group.id}/members`));
      return (await em.extensionRequests(since)).some((e) => isGraphRequest(e, 'GET', `/groups/${group.id}/members`));
    }, { intervalMs: 200 });
    // …and the folder, expanded in turn (it is the row below the group), shows them.
    const memberRow = `group:${group.id}/members/user:${memberId}`;
    await waitFor('the Members folder to be expanded', async () => {
      await vscode.commands.executeCommand(`${GROUPS_VIEW}.focus`);
      await vscode.commands.executeCommand('list.focusFirst');
      await vscode.commands.executeCommand('list.focusDown');
      await vscode.commands.executeCommand('list.expand');
      await vscode.env.clipboard.writeText('');
      await runOnTreeItem('entraId.node.copyId', treeItem(GROUPS_VIEW, memberRow));
      return (await vscode.env.clipboard.readText()) === memberId;
    }, { intervalMs: 200 });

    const served = (await em.extensionRequests(since)).filter((e) => e.path.startsWith('/v1.0/'));
    assert.ok(served.length >= 3, `the run's emulator served the views: ${describeRequests(served)}`);
    assert.deepEqual(served.filter((e) => e.status !== 200), [], 'every Graph request succeeded');
    for (const e of served) assert.equal(e.headers['authorization'], 'Bearer <redacted>', `${e.path} carried the token`);
    await assertAttackerUntouched();

    // VS Code never handed the workspace values to the extension, so its own guard had nothing to ignore.
    const log = await productLog();
    assert.doesNotMatch(log, /Ignored entraId\.[\w.]+ from the workspace settings/);
    assert.ok(!log.includes(evil.url), 'the attacker\'s address appears nowhere in the log');
  });

  it('the workspace can neither turn the write tools off nor on', async () => {
    // The user turned the tools on; the workspace says false: they write.
    assert.equal(config().inspect('lm.enableWriteTools')?.globalValue, true);
    let since = await em.mark();
    const allowed = await invokeTool('entra_update_group', { groupId: group.id, changes: { description: 'written despite the workspace' } });
    assert.equal(allowed.payload.success, true, allowed.summary);
    const patch = await em.waitForRequest(since, 'the update', (e) => isGraphRequest(e, 'PATCH', `/groups/${group.id}`));
    assert.equal(patch.status, 204);
    assert.equal((await em.group(group.id))?.description, 'written despite the workspace');

    // The user turns them off; the workspace says true: they stay off.
    await setUserSetting('lm.enableWriteTools', false);
    await writeWorkspaceSettings(8, { 'entraId.lm.enableWriteTools': true });
    assert.equal(config().inspect('lm.enableWriteTools')?.workspaceValue, undefined, 'no workspace value');
    since = await em.mark();
    const refused = await invokeTool('entra_update_group', { groupId: group.id, changes: { description: 'never written' } });
    assert.equal(refused.payload.success, false);
    assert.equal(refused.payload.error?.code, 'WriteToolsDisabled', refused.summary);
    // The new page size makes the views read their lists again; nothing else may be asked of Graph.
    const sent = (await em.extensionRequests(since)).filter((e) => e.method !== 'GET' || e.path.toLowerCase().includes(group.id.toLowerCase()));
    assert.deepEqual(sent, [], 'no write and no read of the group');
    assert.equal((await em.group(group.id))?.description, 'written despite the workspace');
    await assertAttackerUntouched();
  });
});
