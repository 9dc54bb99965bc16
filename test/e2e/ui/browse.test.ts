/**
 * Browsing the directory in the Users and Groups views: paging, disabled accounts, a user's manager and
 * Microsoft 365 groups, group search, the profile webview, and riding out throttling.
 * One workbench for the file; every test names the emulator objects it expects to see.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { answered, DirectoryUi, distinctUsers, freshTag, groupRowName, lastSeq, plainName, requests, seedGroup, until, userRowName } from './directoryUi';

const PAGE = 100;

describe('browsing the directory', function () {
  this.timeout(120_000);
  let ui: DirectoryUi;
  const seeded: GroupRecord[] = [];

  before(async () => {
    // Opened on an empty log: the first test counts the requests the window makes to fill the Users view.
    e2e().emulator.clearLog();
    ui = await DirectoryUi.open();
  });

  afterEach(() => e2e().emulator.scriptFaults([]));

  after(async () => {
    await ui?.close();
    for (const group of seeded) e2e().emulator.state.deleteObject(group.id);
  });

  /** Users in the order Graph lists them. */
  function allUsers(): UserRecord[] {
    return [...e2e().emulator.state.users()];
  }

  it('the Users view shows the first 100 enabled users and "Load more…" after one request; "Load more…" appends the next page', async () => {
    const { emulator } = e2e();
    const enabled = allUsers().filter((u) => u.accountEnabled);
    const firstName = userRowName(enabled[0] as UserRecord);
    await ui.row('Users', firstName).waitFor({ state: 'visible', timeout: 60_000 });

    const rows = await ui.expectRows('Users', [...enabled.slice(0, PAGE).map(userRowName), 'Load more']);
    assert.ok(rows.every((r) => r.level === 1 && r.setSize === PAGE + 1));
    const lists = requests(emulator, 'GET', '/v1.0/users');
    assert.equal(lists.length, 1, `one users request, got ${lists.map((l) => l.rawUrl).join(', ')}`);
    assert.equal(lists[0]?.query.$top, String(PAGE));
    assert.equal(lists[0]?.status, 200);

    const since = lastSeq(emulator);
    await ui.row('Users', 'Load more').click();
    await until('the second page', async () => (await ui.renderedRows('Users')).some((r) => r.setSize === 2 * PAGE + 1));
    await ui.expectRows('Users', [...enabled.slice(0, 2 * PAGE).map(userRowName), 'Load more']);
    const next = requests(emulator, 'GET', '/v1.0/users', since);
    assert.equal(next.length, 1, 'one more users request');
    assert.ok(next[0]?.query.$skiptoken, 'it follows the next link');
    assert.equal(next[0]?.status, 200);
  });

  it('hides disabled users until "Show Disabled Users" is chosen in the view title', async () => {
    const { emulator } = e2e();
    const users = allUsers();
    const enabledNames = new Set(users.filter((u) => u.accountEnabled).map(userRowName));
    const disabledOnly = users.filter((u) => !u.accountEnabled && !enabledNames.has(plainName(u)));
    assert.ok(disabledOnly.length > 0, 'the directory has disabled users');
    const firstName = userRowName(users.find((u) => u.accountEnabled) as UserRecord);
    await ui.waitForRow('Users', firstName);

    const hidden = (await ui.allRows('Users')).filter((r) => r.level === 1).map((r) => r.name);
    assert.deepEqual(hidden.filter((n) => n.endsWith(', disabled')), []);
    for (const user of disabledOnly) assert.ok(!hidden.includes(plainName(user)), `${user.displayName ?? user.id} is not listed`);
    const filtered = requests(emulator, 'GET', '/v1.0/users')
      .filter((e) => e.query.$skiptoken === undefined)
      .at(-1);
    assert.equal(filtered?.query.$filter, 'accountEnabled eq true');

    const since = lastSeq(emulator);
    try {
      await ui.viewAction('Users', 'Show Disabled Users');
      const unfiltered = await answered(emulator, 'the users list with disabled users', 'GET', '/v1.0/users', since);
      assert.equal(unfiltered.query.$filter, undefined, 'no accountEnabled filter');
      await ui.viewActionLocator('Users', 'Hide Disabled Users').waitFor({ state: 'attached', timeout: 15_000 });
      const expected = users.slice(0, PAGE).map(userRowName);
      await ui.expectRows('Users', [...expected, 'Load more']);
      assert.ok(expected.some((n) => n.endsWith(', disabled')), 'the first page has disabled users');
    } finally {
      // The choice is a user setting: put it back for the windows that follow.
      if ((await ui.viewActionLocator('Users', 'Hide Disabled Users').count()) > 0) {
        const back = lastSeq(emulator);
        await ui.viewAction('Users', 'Hide Disabled Users');
        await answered(emulator, 'the users list without disabled users', 'GET', '/v1.0/users', back);
        await ui.viewActionLocator('Users', 'Show Disabled Users').waitFor({ state: 'attached', timeout: 15_000 });
      }
    }
    const again = requests(emulator, 'GET', '/v1.0/users').at(-1);
    assert.equal(again?.query.$filter, 'accountEnabled eq true');
  });

  it('expanding a user shows the manager and, under "Microsoft 365 groups", exactly the user\'s Microsoft 365 groups', async () => {
    const { emulator } = e2e();
    const state = emulator.state;
    const m365 = (u: UserRecord): GroupRecord[] =>
      state
        .memberOfGroups(u.id)
        .map((id) => state.group(id))
        .filter((g): g is GroupRecord => g !== undefined && g.groupTypes.includes('Unified'));
    const user = distinctUsers(emulator)
      .slice(0, 8)
      .find((u) => state.managerOf(u.id) !== undefined && m365(u).length >= 2 && m365(u).length <= 6);
    assert.ok(user, 'a user near the top with a manager and a few Microsoft 365 groups');
    const manager = state.managerOf(user.id) as UserRecord;
    const groups = m365(user);
    const since = lastSeq(emulator);

    const row = await ui.waitForRow('Users', userRowName(user));
    await ui.workbench.expandRow(row);
    const userIndex = Number(await row.getAttribute('data-index'));
    const folders = await until('the folders of the user', async () => {
      const children = DirectoryUi.childrenOf(await ui.renderedRows('Users'), userIndex);
      return children.length === 4 && children;
    });
    assert.deepEqual(
      folders.map((f) => f.name),
      ['Manager', 'Direct reports', 'Microsoft 365 groups', 'All groups'],
    );

    const [managerFolder, , groupsFolder] = folders;
    assert.ok(managerFolder && groupsFolder);
    // Expanding the lower folder first keeps the upper folder's position.
    await ui.workbench.expandRow(ui.rowAt('Users', groupsFolder.index));
    await ui.workbench.expandRow(ui.rowAt('Users', managerFolder.index));
    await answered(emulator, 'the Microsoft 365 groups request', 'GET', `/v1.0/users/${user.id}/memberOf/microsoft.graph.group`, since);
    await answered(emulator, 'the manager request', 'GET', `/v1.0/users/${user.id}/manager`, since);
    const [managerRows, groupRows] = await until('the manager and the groups', async () => {
      const rows = await ui.allRows('Users');
      const managers = DirectoryUi.childrenOf(rows, managerFolder.index);
      const folder = DirectoryUi.childrenOf(rows, userIndex).find((r) => r.name === 'Microsoft 365 groups');
      const listed = folder ? DirectoryUi.childrenOf(rows, folder.index) : [];
      return managers.length > 0 && listed.length > 0 && ([managers, listed] as const);
    });
    assert.deepEqual(
      managerRows.map((r) => r.name),
      [userRowName(manager)],
    );
    assert.deepEqual(groupRows.map((r) => r.name).sort(), groups.map(groupRowName).sort());

    const managerRequest = await answered(emulator, 'the manager request', 'GET', `/v1.0/users/${user.id}/manager`, since);
    assert.equal(managerRequest.status, 200);
    const memberOf = await answered(emulator, 'the Microsoft 365 groups request', 'GET', `/v1.0/users/${user.id}/memberOf/microsoft.graph.group`, since);
    assert.equal(memberOf.query.$filter, "groupTypes/any(c:c eq 'Unified')");
    assert.equal(memberOf.headers.consistencylevel, 'eventual');
    await ui.viewAction('Users', 'Collapse All');
  });

  it('searching groups by a word of the description shows the matching group (server-side $search)', async () => {
    const { emulator } = e2e();
    const word = `Quillmark${freshTag()}`;
    const group = seedGroup(emulator, `Search Target ${freshTag()}`, { description: `Owns the ${word} release train` });
    seeded.push(group);
    const since = lastSeq(emulator);

    await ui.viewAction('Groups', 'Search Groups');
    const input = ui.workbench.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill(word.toLowerCase());
    await input.press('Enter');

    const search = await answered(emulator, 'the group search', 'GET', '/v1.0/groups', since);
    assert.match(search.query.$search ?? '', new RegExp(`"description:${word.toLowerCase()}"`));
    assert.equal(search.headers.consistencylevel, 'eventual');
    assert.equal(search.status, 200);
    try {
      const rows = await until('the search result', async () => {
        const rendered = await ui.renderedRows('Groups');
        return rendered.length === 1 && rendered;
      });
      assert.deepEqual(
        rows.map((r) => r.name),
        [groupRowName(group)],
      );
    } finally {
      await ui.viewAction('Groups', 'Clear Group Search');
    }
    const first = emulator.state.groups().next().value as GroupRecord;
    await ui.waitForRow('Groups', groupRowName(first));
  });

  it('"Show User Profile" on a user row opens a profile with the name, UPN, job title and manager', async () => {
    const { emulator } = e2e();
    const state = emulator.state;
    const user = distinctUsers(emulator)
      .slice(1, 16)
      .reverse()
      .find((u) => u.jobTitle && state.managerOf(u.id));
    assert.ok(user, 'a user with a job title and a manager');
    const manager = state.managerOf(user.id) as UserRecord;
    const since = lastSeq(emulator);

    await ui.contextMenu(await ui.waitForRow('Users', userRowName(user)), 'Show User Profile');
    const profile = ui.webview();
    await profile.locator('h1').waitFor({ state: 'visible', timeout: 30_000 });
    try {
      assert.equal(await profile.locator('h1').innerText(), user.displayName);
      assert.equal(await profile.locator('header p.subtle').first().innerText(), user.userPrincipalName);
      const jobTitle = profile.locator('dl.details dt', { hasText: /^Job title$/ }).locator('xpath=following-sibling::dd[1]');
      assert.equal(await jobTitle.innerText(), user.jobTitle);
      const managerName = profile.locator('section[aria-labelledby="manager-heading"] .person .name');
      await managerName.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await managerName.innerText(), manager.displayName);
      assert.ok(await ui.workbench.editorTabs().then((tabs) => tabs.some((t) => t.includes(`Profile: ${user.displayName ?? ''}`))));
      const read = await answered(emulator, 'the profile request', 'GET', `/v1.0/users/${user.id}`, since);
      assert.match(read.query.$select ?? '', /jobTitle/);
    } finally {
      await ui.closeEditors();
    }
  });

  it('rides out a storm of 429s: the Users view still fills, with no error row', async () => {
    const { emulator } = e2e();
    const enabled = allUsers().filter((u) => u.accountEnabled);
    await ui.waitForRow('Users', userRowName(enabled[0] as UserRecord));
    emulator.scriptFaults([{ kind: '429', count: 5, retryAfter: '0.2', match: { method: 'GET', pathIncludes: '/v1.0/users' } }]);
    const since = lastSeq(emulator);

    await ui.viewAction('Users', 'Refresh Users');
    await until('the users list to succeed', () => requests(emulator, 'GET', '/v1.0/users', since).some((e) => e.status === 200), 60_000);
    const rows = await ui.expectRows('Users', [...enabled.slice(0, PAGE).map(userRowName), 'Load more']);
    assert.deepEqual(rows.filter((r) => r.name.startsWith('Error')), []);
    assert.deepEqual(
      requests(emulator, 'GET', '/v1.0/users', since).map((e) => e.status),
      [429, 429, 429, 429, 429, 200],
    );
  });
});
