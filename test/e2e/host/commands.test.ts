/**
 * Every command of the extension, run inside the real extension host against the Graph emulator: arguments as the
 * commands accept them (an object id or UPN, words to search for, tree rows), assertions on what the extension sent
 * and on the emulator's directory afterwards. Modal confirmations are refused under the test driver, so deleting a
 * group and removing a member are asserted to change nothing without one (the UI suite confirms them).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EmulatorControl, isGraphRequest, type GraphObject, type LogEntry } from './emulatorControl';
import {
  acceptQuickInputUntil,
  activateExtension,
  closeAllEditors,
  dismissQuickInputUntilSettled,
  invokeTool,
  occurrences,
  productLog,
  runOnTreeItem,
  setUserSetting,
  track,
  treeItem,
  waitForProductLog,
  waitForTreeRow,
  webviewTabs,
} from './workbench';
import { waitFor, within } from './wait';

const USERS_VIEW = 'entraId.users';
const GROUPS_VIEW = 'entraId.groups';
/** The first page the user and group pickers show. */
const PICKER_PAGE = 25;

const em = EmulatorControl.fromEnvironment();
const cleanups: Array<() => Promise<unknown>> = [];

function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

async function fixtureGroup(name: string, options: { members?: string[]; owners?: string[] } = {}): Promise<GraphObject> {
  const group = await em.createSecurityGroup(name, options);
  cleanups.push(() => em.deleteGroup(group.id));
  return group;
}

async function fixtureUser(name: string): Promise<GraphObject & { userPrincipalName: string }> {
  const user = await em.createUser(name);
  cleanups.push(() => em.deleteUser(user.id));
  return user;
}

function enabledUsers(extra = ''): Promise<Array<GraphObject & { userPrincipalName: string }>> {
  return em.graphAll(`/users?$filter=accountEnabled eq true&$select=id,displayName,userPrincipalName${extra}&$top=999`);
}

/** The page a logged request of the extension read, read again as a fixture (same URL, same advanced-query header). */
async function samePage(request: LogEntry): Promise<GraphObject[]> {
  const headers: Record<string, string> = request.headers['consistencylevel'] ? { consistencylevel: request.headers['consistencylevel'] } : {};
  return (await em.graph<{ value: GraphObject[] }>('GET', request.rawUrl.slice('/v1.0'.length), undefined, headers)).value;
}

/** A POST to Graph (not to the token endpoint, which a first command of the run also calls). */
function isGraphPost(entry: LogEntry): boolean {
  return entry.method === 'POST' && entry.path.startsWith('/v1.0/');
}

function searchOf(entry: LogEntry): string | undefined {
  return entry.query['$search'];
}

describe('commands against the emulator', function () {
  this.timeout(60_000);

  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('notifications.clearAll');
    while (cleanups.length > 0) await cleanups.pop()?.();
    await closeAllEditors();
  });

  describe('Users and Groups views', () => {
    // These checks pin the server path: what the views and tables ask Graph. With the directory cache on they answer
    // from the copy once it is built; that path is checked in test/e2e/ui/directoryCache.test.ts.
    before(async () => {
      await setUserSetting('directoryCache.enabled', false);
    });
    after(async () => {
      await vscode.commands.executeCommand('entraId.users.clearSearch');
      await vscode.commands.executeCommand('entraId.groups.clearSearch');
      await setUserSetting('users.showDisabled', undefined);
      await setUserSetting('directoryCache.enabled', undefined);
    });

    it('Search Users (words as argument) lists the matching user; Clear Search and Refresh read the whole list again', async () => {
      const word = unique('Zephyrine').replace(' ', '');
      const user = await fixtureUser(`${word} Quillfeather`);

      let since = await em.mark();
      await vscode.commands.executeCommand('entraId.users.search', word);
      const search = await em.waitForRequest(since, 'the users search', (e) => isGraphRequest(e, 'GET', '/users') && searchOf(e) !== undefined);
      assert.match(searchOf(search) ?? '', new RegExp(`"displayName:${word}"`), 'Graph $search on the display name');
      assert.equal(search.headers['consistencylevel'], 'eventual', '$search needs ConsistencyLevel: eventual');
      await waitForTreeRow(USERS_VIEW, `user:${user.id}`, user.id);

      since = await em.mark();
      await vscode.commands.executeCommand('entraId.users.clearSearch');
      const all = await em.waitForRequest(since, 'the users list after Clear Search', (e) => isGraphRequest(e, 'GET', '/users'));
      assert.equal(searchOf(all), undefined, 'no $search after Clear Search');
      assert.equal(all.query['$filter'], 'accountEnabled eq true', 'enabled users only');

      since = await em.mark();
      await vscode.commands.executeCommand('entraId.users.refresh');
      const again = await em.waitForRequest(since, 'the users list after Refresh', (e) => isGraphRequest(e, 'GET', '/users'));
      assert.equal(searchOf(again), undefined);
    });

    it('Search Groups (words as argument) lists the matching group; Clear Search and Refresh read the whole list again', async () => {
      const name = unique('Halcyon Orchard');
      const group = await fixtureGroup(name);

      let since = await em.mark();
      await vscode.commands.executeCommand('entraId.groups.search', name);
      const search = await em.waitForRequest(since, 'the groups search', (e) => isGraphRequest(e, 'GET', '/groups') && searchOf(e) !== undefined);
      assert.equal(searchOf(search), `"displayName:${name}" OR "description:${name}"`);
      await waitForTreeRow(GROUPS_VIEW, `group:${group.id}`, group.id);

      since = await em.mark();
      await vscode.commands.executeCommand('entraId.groups.clearSearch');
      const all = await em.waitForRequest(since, 'the groups list after Clear Search', (e) => isGraphRequest(e, 'GET', '/groups'));
      assert.equal(searchOf(all), undefined, 'no $search after Clear Search');

      since = await em.mark();
      await vscode.commands.executeCommand('entraId.groups.refresh');
      const again = await em.waitForRequest(since, 'the groups list after Refresh', (e) => isGraphRequest(e, 'GET', '/groups'));
      assert.equal(searchOf(again), undefined);
    });

    it('Show Disabled Users / Hide Disabled Users switch the user setting and re-read the list with or without disabled accounts', async () => {
      const setting = (): boolean | undefined => vscode.workspace.getConfiguration('entraId').inspect<boolean>('users.showDisabled')?.globalValue;
      await vscode.commands.executeCommand('entraId.users.focus');

      let since = await em.mark();
      await vscode.commands.executeCommand('entraId.users.showDisabled');
      assert.equal(setting(), true, 'entraId.users.showDisabled is on in user settings');
      const withDisabled = await em.waitForRequest(since, 'the users list with disabled accounts', (e) => isGraphRequest(e, 'GET', '/users'));
      assert.equal(withDisabled.query['$filter'], undefined, 'no accountEnabled filter');

      since = await em.mark();
      await vscode.commands.executeCommand('entraId.users.hideDisabled');
      assert.equal(setting(), false, 'entraId.users.showDisabled is off in user settings');
      const enabledOnly = await em.waitForRequest(since, 'the users list without disabled accounts', (e) => isGraphRequest(e, 'GET', '/users'));
      assert.equal(enabledOnly.query['$filter'], 'accountEnabled eq true');
    });

    it('List Users and List Groups open the users and groups tables, which read every page with $top=999 (CSV export is one of their actions)', async () => {
      for (const [command, path, title] of [['entraId.users.list', '/users', 'Users'], ['entraId.groups.list', '/groups', 'Groups']] as const) {
        const since = await em.mark();
        await vscode.commands.executeCommand(command);
        await waitFor(`the ${title} table`, () => webviewTabs('table').some((t) => t.label === title));
        const read = await em.waitForRequest(since, `the ${title} table's first page`, (e) => isGraphRequest(e, 'GET', path) && e.query['$top'] === '999');
        assert.equal(read.status, 200, `${path} answered`);
      }
    });
  });

  describe('user commands (object id or UPN as argument)', () => {
    it('Show Profile opens the profile of the user named by UPN', async () => {
      const [user] = await enabledUsers();
      assert.ok(user);
      const since = await em.mark();
      await vscode.commands.executeCommand('entraId.user.showProfile', user.userPrincipalName);
      await em.waitForRequest(since, 'the profile read', (e) => isGraphRequest(e, 'GET', `/users/${user.userPrincipalName}`));
      await waitFor('the profile tab', () => webviewTabs('profile').some((t) => t.label === `Profile: ${user.displayName ?? user.userPrincipalName}`));
    });

    it('Show Manager reads the manager, and its "Show Profile" button opens the manager\'s profile', async () => {
      const users = await enabledUsers();
      let managed: { id: string; manager: string } | undefined;
      for (const u of users) {
        const manager = (await em.user(u.id))?.manager;
        if (manager) {
          managed = { id: u.id, manager };
          break;
        }
      }
      assert.ok(managed, 'the directory has a user with a manager');
      const since = await em.mark();
      const command = track(vscode.commands.executeCommand('entraId.user.showManager', managed.id));
      const read = await em.waitForRequest(since, 'the manager read', (e) => isGraphRequest(e, 'GET', `/users/${managed.id}/manager`));
      assert.equal(read.status, 200);
      // The message with the manager's name offers "Show Profile" as its only button.
      await waitFor('the manager\'s profile', async () => {
        await vscode.commands.executeCommand('notification.acceptPrimaryAction');
        return (await em.extensionRequests(since)).some((e) => isGraphRequest(e, 'GET', `/users/${managed.manager}`));
      });
      await within('Show Manager', 10_000, command.result);
      const manager = await em.user(managed.manager);
      assert.ok(manager);
      await waitFor('the manager\'s profile tab', () => webviewTabs('profile').some((t) => t.label === `Profile: ${manager.displayName ?? manager.userPrincipalName}`));
    });

    it('Show Manager of a user without a manager reads it and opens nothing', async () => {
      const user = await fixtureUser(unique('Solitary'));
      const since = await em.mark();
      await within('Show Manager', 15_000, vscode.commands.executeCommand('entraId.user.showManager', user.id));
      const read = await em.waitForRequest(since, 'the manager read', (e) => isGraphRequest(e, 'GET', `/users/${user.id}/manager`));
      assert.equal(read.status, 404, 'Graph answers 404 when no manager is set');
      assert.equal(webviewTabs('profile').length, 0, 'no profile opened');
    });

    it('Show Microsoft 365 Groups lists the user\'s Microsoft 365 groups and opens the chosen one\'s page', async () => {
      const [user] = await enabledUsers();
      assert.ok(user);
      const memberOf = (await em.user(user.id))?.memberOf ?? [];
      const unified = new Set<string>();
      for (const id of memberOf) if ((await em.group(id))?.groupTypes.includes('Unified')) unified.add(id);
      assert.ok(unified.size > 0, 'the user is in a Microsoft 365 group');

      const since = await em.mark();
      const command = track(vscode.commands.executeCommand('entraId.user.showMs365Groups', user.id));
      const list = await em.waitForRequest(since, 'the groups of the user', (e) => isGraphRequest(e, 'GET', `/users/${user.id}/memberOf/microsoft.graph.group`));
      assert.equal(list.query['$filter'], "groupTypes/any(c:c eq 'Unified')", 'only Microsoft 365 groups');
      let opened: LogEntry | undefined;
      await acceptQuickInputUntil('a group to be chosen', async () => {
        opened = (await em.extensionRequests(list.seq)).find((e) => isGraphRequest(e, 'GET', /^\/groups\/[0-9a-f-]{36}$/i));
        return opened !== undefined;
      });
      await within('Show Microsoft 365 Groups', 10_000, command.result);
      const chosen = opened?.path.split('/').at(-1) ?? '';
      assert.ok(unified.has(chosen), `the opened group ${chosen} is one of the user's Microsoft 365 groups`);
      const group = await em.group(chosen);
      await waitFor('the group page', () => webviewTabs('group').some((t) => t.label === `Group: ${group?.displayName ?? ''}`));
    });

    it('Show Microsoft 365 Groups of a user in no group says so without a list', async () => {
      const user = await fixtureUser(unique('Groupless'));
      const since = await em.mark();
      // A list would wait for a choice; with none to show the command finishes on its own.
      await within('Show Microsoft 365 Groups', 15_000, vscode.commands.executeCommand('entraId.user.showMs365Groups', user.id));
      await em.waitForRequest(since, 'the groups of the user', (e) => isGraphRequest(e, 'GET', `/users/${user.id}/memberOf/microsoft.graph.group`));
      assert.equal(webviewTabs('group').length, 0);
    });

    it('Edit User opens the edit form of the user', async () => {
      const user = await fixtureUser(unique('Editable'));
      const since = await em.mark();
      await vscode.commands.executeCommand('entraId.user.edit', user.id);
      await em.waitForRequest(since, 'the user read', (e) => isGraphRequest(e, 'GET', `/users/${user.id}`));
      await waitFor('the user form', () => webviewTabs('userForm').some((t) => t.label === `Edit User: ${user.displayName ?? ''}`));
    });

    it('Add to Group adds the user to the group chosen from the list', async () => {
      const user = await fixtureUser(unique('Joiner'));
      const since = await em.mark();
      const command = track(vscode.commands.executeCommand('entraId.user.addToGroup', user.id));
      const read = await em.waitForRequest(since, 'the groups for the picker', (e) => isGraphRequest(e, 'GET', '/groups'));
      assert.equal(read.query['$top'], String(PICKER_PAGE));
      // The picker lists that page without the groups whose members nobody can change by hand (dynamic ones, and the
      // mail-enabled security groups and distribution lists Exchange manages); the first row is active.
      const page = await samePage(read);
      const first = page.find((g) => !(g.groupTypes ?? []).includes('DynamicMembership') && ((g.groupTypes ?? []).includes('Unified') || g.mailEnabled === false));
      assert.ok(first, 'the page offers a group');
      await acceptQuickInputUntil('the membership to be added', async () => (await em.extensionRequests(since)).some(isGraphPost));
      await within('Add to Group', 10_000, command.result);
      const add = (await em.extensionRequests(since)).find(isGraphPost);
      assert.ok(add && isGraphRequest(add, 'POST', `/groups/${first.id}/members/$ref`), `POST to the members of ${first.displayName ?? first.id}`);
      assert.equal(add.status, 204);
      assert.match(JSON.stringify(add.body), new RegExp(`directoryObjects/${user.id}"`), 'the user is the new member');
      assert.ok((await em.group(first.id))?.members.includes(user.id), 'the emulator has the membership');
    });
  });

  describe('group commands (object id as argument)', () => {
    it('New Group opens the create form', async () => {
      await vscode.commands.executeCommand('entraId.group.create');
      await waitFor('the create form', () => webviewTabs('groupForm').some((t) => t.label === 'New Group'));
    });

    it('Edit Group opens the edit form of the group', async () => {
      const name = unique('Editable Group');
      const group = await fixtureGroup(name);
      const since = await em.mark();
      await vscode.commands.executeCommand('entraId.group.edit', group.id);
      await em.waitForRequest(since, 'the group read', (e) => isGraphRequest(e, 'GET', `/groups/${group.id}`));
      await waitFor('the edit form', () => webviewTabs('groupForm').some((t) => t.label === `Edit Group: ${name}`));
    });

    it('Add Member adds the user chosen from the list to the group', async () => {
      const group = await fixtureGroup(unique('Growing Group'));
      const since = await em.mark();
      const command = track(vscode.commands.executeCommand('entraId.group.addMember', group.id));
      const read = await em.waitForRequest(since, 'the users for the picker', (e) => isGraphRequest(e, 'GET', '/users') && e.query['$top'] === String(PICKER_PAGE));
      // The first user of that page is the active row.
      const first = (await samePage(read))[0];
      assert.ok(first, 'the page lists a user');
      await acceptQuickInputUntil('the member to be added', async () => (await em.extensionRequests(since)).some(isGraphPost));
      await within('Add Member', 10_000, command.result);
      const add = (await em.extensionRequests(since)).find(isGraphPost);
      assert.ok(add && isGraphRequest(add, 'POST', `/groups/${group.id}/members/$ref`));
      assert.equal(add.status, 204);
      assert.deepEqual((await em.group(group.id))?.members, [first.id], 'the first user listed is the only member');
    });

    it('Delete Group asks first: without a confirmation nothing is deleted', async () => {
      const group = await fixtureGroup(unique('Doomed Group'));
      const failures = occurrences(await productLog(), 'entraId.group.delete failed');
      const since = await em.mark();
      await within('Delete Group', 15_000, vscode.commands.executeCommand('entraId.group.delete', group.id));
      // It reads the group to name it in the question; the question is refused under the test driver.
      assert.deepEqual((await em.extensionRequests(since)).filter((e) => e.method === 'DELETE'), [], 'no DELETE was sent');
      assert.ok(await em.group(group.id), 'the group still exists');
      await em.waitForRequest(since, 'the group read', (e) => isGraphRequest(e, 'GET', `/groups/${group.id}`));
      await waitForProductLog('the refused question', (log) => occurrences(log, 'entraId.group.delete failed') > failures);
    });

    it('Remove Member lists the members and asks first: without a confirmation nobody is removed', async () => {
      const members = (await enabledUsers()).slice(0, 2).map((u) => u.id);
      const group = await fixtureGroup(unique('Steady Group'), { members });
      const failures = occurrences(await productLog(), 'entraId.group.removeMember failed');
      const since = await em.mark();
      const command = track(vscode.commands.executeCommand('entraId.group.removeMember', group.id));
      await em.waitForRequest(since, 'the members for the picker', (e) => isGraphRequest(e, 'GET', `/groups/${group.id}/members`));
      await acceptQuickInputUntil('a member to be chosen', () => command.settled());
      await command.result;
      assert.deepEqual((await em.extensionRequests(since)).filter((e) => e.method === 'DELETE'), [], 'no DELETE was sent');
      assert.deepEqual(new Set((await em.group(group.id))?.members), new Set(members), 'the members are unchanged');
      await waitForProductLog('the refused question', (log) => occurrences(log, 'entraId.group.removeMember failed') > failures);
    });
  });

  describe('tree row commands (run on rows as the context menu does)', function () {
    const name = unique('Trellis Group');
    let group: GraphObject = { id: '' };
    let memberIds: string[] = [];
    let members: Array<GraphObject & { userPrincipalName: string }> = [];
    const membersFolder = (): string => `group:${group.id}/members`;
    const memberRow = (id: string): string => `${membersFolder()}/user:${id}`;

    before(async function () {
      this.timeout(60_000);
      members = (await enabledUsers()).slice(0, 3);
      group = await em.createSecurityGroup(name, { members: members.map((m) => m.id) });
      // The order Graph lists them in decides which rows the first page shows.
      memberIds = (await em.graph<{ value: GraphObject[] }>('GET', `/groups/${group.id}/members?$select=id`)).value.map((m) => m.id);
      await setUserSetting('pageSize', 2);
      await vscode.commands.executeCommand('entraId.groups.search', name);
      await waitForTreeRow(GROUPS_VIEW, `group:${group.id}`, group.id);
      // Expand the group; its Members folder row then exists, and Load More on it reads the first page.
      const since = await em.mark();
      await waitFor('the group to be expanded', async () => {
        await vscode.commands.executeCommand(`${GROUPS_VIEW}.focus`);
        await vscode.commands.executeCommand('list.focusFirst');
        await vscode.commands.executeCommand('list.expand');
        await runOnTreeItem('entraId.node.loadMore', treeItem(GROUPS_VIEW, membersFolder()));
        return (await em.extensionRequests(since)).some((e) => isGraphRequest(e, 'GET', `/groups/${group.id}/members`));
      }, { intervalMs: 200 });
      // Expand the Members folder (the row below the group) so that its member rows are shown.
      const [first] = memberIds;
      assert.ok(first);
      await waitFor('the Members folder to be expanded', async () => {
        await vscode.commands.executeCommand(`${GROUPS_VIEW}.focus`);
        await vscode.commands.executeCommand('list.focusFirst');
        await vscode.commands.executeCommand('list.focusDown');
        await vscode.commands.executeCommand('list.expand');
        await vscode.env.clipboard.writeText('');
        await runOnTreeItem('entraId.node.copyId', treeItem(GROUPS_VIEW, memberRow(first)));
        return (await vscode.env.clipboard.readText()) === first;
      }, { intervalMs: 200 });
    });

    after(async () => {
      await setUserSetting('pageSize', undefined);
      await vscode.commands.executeCommand('entraId.groups.clearSearch');
      if (group.id) await em.deleteGroup(group.id);
    });

    it('Copy Object ID and Copy UPN copy the row\'s values; Copy UPN does nothing on a group row', async () => {
      const id = memberIds[0] ?? '';
      const upn = members.find((m) => m.id === id)?.userPrincipalName;
      assert.ok(upn);
      await vscode.env.clipboard.writeText('');
      await runOnTreeItem('entraId.node.copyId', treeItem(GROUPS_VIEW, memberRow(id)));
      assert.equal(await vscode.env.clipboard.readText(), id);
      await runOnTreeItem('entraId.node.copyUpn', treeItem(GROUPS_VIEW, memberRow(id)));
      assert.equal(await vscode.env.clipboard.readText(), upn);
      await runOnTreeItem('entraId.node.copyUpn', treeItem(GROUPS_VIEW, `group:${group.id}`));
      assert.equal(await vscode.env.clipboard.readText(), upn, 'a group has no UPN: the clipboard is unchanged');
      await runOnTreeItem('entraId.node.copyId', treeItem(GROUPS_VIEW, `group:${group.id}`));
      assert.equal(await vscode.env.clipboard.readText(), group.id);
    });

    it('Load More reads the next page of members into the folder', async () => {
      const third = memberIds[2] ?? '';
      await vscode.env.clipboard.writeText('');
      await runOnTreeItem('entraId.node.copyId', treeItem(GROUPS_VIEW, memberRow(third)));
      assert.equal(await vscode.env.clipboard.readText(), '', 'with a page size of 2 the third member is not shown yet');

      const since = await em.mark();
      await runOnTreeItem('entraId.node.loadMore', treeItem(GROUPS_VIEW, membersFolder()));
      const next = await em.waitForRequest(since, 'the next page of members', (e) => isGraphRequest(e, 'GET', `/groups/${group.id}/members`));
      assert.ok(next.query['$skiptoken'], 'the next page is read with the skip token Graph gave');
      await waitForTreeRow(GROUPS_VIEW, memberRow(third), third);
    });

    it('Refresh on a folder reads it again from the first page', async () => {
      const since = await em.mark();
      await runOnTreeItem('entraId.node.refresh', treeItem(GROUPS_VIEW, membersFolder()));
      const read = await em.waitForRequest(since, 'the members read again', (e) => isGraphRequest(e, 'GET', `/groups/${group.id}/members`));
      assert.equal(read.query['$skiptoken'], undefined, 'from the first page');
      assert.equal(read.query['$top'], '2', 'with the configured page size');
    });

    it('Remove Member on a member row asks first: without a confirmation nobody is removed', async () => {
      const id = memberIds[0] ?? '';
      await waitForTreeRow(GROUPS_VIEW, memberRow(id), id);
      const failures = occurrences(await productLog(), 'entraId.group.removeMember failed');
      const since = await em.mark();
      await runOnTreeItem('entraId.group.removeMember', treeItem(GROUPS_VIEW, memberRow(id)));
      assert.deepEqual((await em.extensionRequests(since)).filter((e) => e.method === 'DELETE'), [], 'no DELETE was sent');
      assert.ok((await em.group(group.id))?.members.includes(id), 'the member is still in the group');
      // The row names its member and sits under its group: no picker and no read; the question is refused.
      await waitForProductLog('the refused question', (log) => occurrences(log, 'entraId.group.removeMember failed') > failures);
      assert.deepEqual((await em.extensionRequests(since)).map((e) => `${e.method} ${e.path}`), [], 'the question needed no Graph request');
    });
  });

  describe('sign-in, secret, cloud and log', () => {
    afterEach(async () => {
      // Whatever happened, leave the extension signed in for the tests that follow.
      await vscode.commands.executeCommand('entraId.signIn');
    });

    it('Sign Out stops every Graph request; Sign In gets a new token and the tools work again', async () => {
      await within('Sign Out', 10_000, vscode.commands.executeCommand('entraId.signOut'));
      let since = await em.mark();
      await vscode.commands.executeCommand('entraId.users.refresh');
      const signedOut = await invokeTool('entra_get_organization_users', { maxItems: 1 });
      assert.equal(signedOut.payload.success, false);
      assert.equal(signedOut.payload.error?.code, 'NotSignedIn');
      assert.deepEqual(await em.extensionRequests(since), [], 'nothing was sent while signed out');

      since = await em.mark();
      await within('Sign In', 15_000, vscode.commands.executeCommand('entraId.signIn'));
      const token = await em.waitForRequest(since, 'the token request', (e) => e.method === 'POST' && e.path.endsWith('/oauth2/v2.0/token'));
      assert.equal(token.status, 200);
      assert.equal((token.body as Record<string, string> | undefined)?.['grant_type'], 'client_credentials');
      const signedIn = await invokeTool('entra_get_organization_users', { maxItems: 1 });
      assert.equal(signedIn.payload.success, true, signedIn.summary);
    });

    it('Set Client Secret, cancelled, keeps the stored secret', async () => {
      await dismissQuickInputUntilSettled('the secret prompt to be cancelled', vscode.commands.executeCommand('entraId.setClientSecret'));
      // A fresh sign-in needs the stored secret.
      await vscode.commands.executeCommand('entraId.signOut');
      const since = await em.mark();
      await within('Sign In', 15_000, vscode.commands.executeCommand('entraId.signIn'));
      const token = await em.waitForRequest(since, 'the token request', (e) => e.method === 'POST' && e.path.endsWith('/oauth2/v2.0/token'));
      assert.equal(token.status, 200, 'the secret still signs in');
    });

    it('Settings that pick an endpoint, an app or a permission cannot be written to workspace settings', async () => {
      const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('entraId');
      const userLevelOnly = ['auth.method', 'auth.clientId', 'auth.tenantId', 'cloud', 'customGraphEndpoint', 'customAuthorityHost', 'lm.enableWriteTools'];
      for (const k of userLevelOnly) {
        const value = typeof config().inspect(k)?.defaultValue === 'boolean' ? true : 'x';
        await assert.rejects(Promise.resolve(config().update(k, value, vscode.ConfigurationTarget.Workspace)), `${k} refused at workspace level`);
        assert.equal(config().inspect(k)?.workspaceValue, undefined, `${k} has no workspace value`);
      }
    });

    it('Switch Cloud with "Custom endpoints…" keeps the cloud, endpoints and tenant in user settings and signs in', async () => {
      const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('entraId');
      const keys = ['cloud', 'customGraphEndpoint', 'customAuthorityHost', 'auth.tenantId'] as const;
      const saved = new Map(keys.map((k) => [k, config().inspect(k)?.globalValue]));
      for (const k of keys) assert.notEqual(saved.get(k), undefined, `${k} is set in user settings`);
      await vscode.commands.executeCommand('entraId.signOut');
      const since = await em.mark();
      const command = track(vscode.commands.executeCommand('entraId.switchCloud'));
      // The cloud list (last row: custom endpoints), then the Graph URL, sign-in host and tenant, each prefilled.
      await acceptQuickInputUntil('the cloud and tenant to be chosen', () => command.settled(), { last: true, timeoutMs: 30_000 });
      await command.result;
      for (const k of keys) assert.equal(config().inspect(k)?.globalValue, saved.get(k), `${k} in user settings`);
      const token = await em.waitForRequest(since, 'the sign-in', (e) => e.method === 'POST' && e.path.endsWith('/oauth2/v2.0/token'));
      assert.equal(token.status, 200, 'signed in again');
    });

    it('Show Log shows the extension\'s log with the Graph requests it made', async () => {
      const since = await em.mark();
      const listed = await invokeTool('entra_get_organization_groups', { maxItems: 1 });
      assert.equal(listed.payload.success, true);
      const read = await em.waitForRequest(since, 'the groups read', (e) => isGraphRequest(e, 'GET', '/groups'));
      const log = await waitForProductLog('the groups request', (text) => /GET \S*\/groups\?\S* → 200/.test(text));
      assert.ok(!/Bearer|eyJ[A-Za-z0-9_-]{10,}/.test(log), 'no token in the log');
      assert.ok(read.status === 200);
    });
  });
});
