/**
 * Browsing the directory in the Users and Groups views: paging, disabled accounts, a user's manager and
 * Microsoft 365 groups, group search, the profile webview, and riding out throttling.
 * One workbench for the file; every test names the emulator objects it expects to see. The views list from the
 * directory cache once it is built (what is true here after the first test waits for it): the rows are Graph's pages,
 * read by the test as a second client, while the window reads no page of /users. The server path, with the cache
 * turned off, is pinned in directoryCache.test.ts.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { answered, directoryCacheReady, DirectoryUi, freshTag, graphGet, groupRowName, lastSeq, moreRows, plainName, requests, searchRequests, seedGroup, until, userRowName } from './directoryUi';

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

  /** Every user of the directory. */
  function allUsers(): UserRecord[] {
    return [...e2e().emulator.state.users()];
  }

  /** A page of users as Graph lists it to a second client (`pathAndQuery` or a next link), with Graph's count. */
  async function graphUsers(pathAndQuery: string): Promise<{ users: UserRecord[]; total: number; next: string | undefined }> {
    const { emulator } = e2e();
    const page = await graphGet<{ id: string }>(emulator, pathAndQuery);
    const users = page.value.map((u) => emulator.state.usersById.get(u.id)).filter((u): u is UserRecord => u !== undefined);
    assert.equal(users.length, page.value.length, 'every listed user is in the directory');
    return { users, total: page['@odata.count'] ?? -1, next: page['@odata.nextLink'] };
  }

  /** The Users view's list as Graph's server path gives it: sorted by name, counted, 100 a page. */
  const USERS_LIST = `/v1.0/users?$top=${PAGE}&$orderby=displayName&$count=true`;
  const ENABLED_USERS_LIST = `${USERS_LIST}&$filter=${encodeURIComponent('accountEnabled eq true')}`;

  /** The first page of enabled users the Users view shows, as Graph lists it. */
  async function firstPage(): Promise<UserRecord[]> {
    return (await graphUsers(ENABLED_USERS_LIST)).users;
  }

  /** Users near the top of the view with plain names (letters, spaces, apostrophes) that no other user of the page shares. */
  async function topUsers(count: number): Promise<UserRecord[]> {
    const page = await firstPage();
    const names = page.map(plainName);
    return page
      .filter((u, i) => /^\p{L}[\p{L}\p{M}' .-]*$/u.test(u.displayName ?? '') && names.indexOf(names[i] ?? '') === names.lastIndexOf(names[i] ?? ''))
      .slice(0, count);
  }

  it('with the directory cache built, the Users view shows Graph\'s first 100 enabled users, sorted by name, and "Load more" without reading a page of /users; "Load more" appends the next page', async () => {
    const { emulator } = e2e();
    // Built by this window (a cold start reads the tenant once), or brought up to date (a copy saved earlier).
    await directoryCacheReady(emulator, 0, 120_000);
    const since = lastSeq(emulator);
    await ui.viewAction('Users', 'Refresh Users');
    const delta = await answered(emulator, 'the delta the refresh reads', 'GET', '/v1.0/users/delta', since);
    assert.equal(delta.status, 200);
    assert.ok(delta.query.$deltatoken && delta.query.$deltatoken !== 'latest', 'the changes since the copy, not a new enumeration');

    const first = await graphUsers(ENABLED_USERS_LIST);
    assert.equal(first.users.length, PAGE);
    assert.ok(first.next, 'Graph has more');
    assert.deepEqual(first.users.filter((u) => !u.accountEnabled), [], 'Graph listed enabled users only');
    const rows = await ui.expectRows('Users', [...first.users.map(userRowName), ...moreRows(PAGE, first.total)]);
    assert.ok(rows.every((r) => r.level === 1 && r.setSize === rows.length));

    await ui.row('Users', /^Load more \(/).click();
    const second = await graphUsers(first.next);
    const shown = [...first.users, ...second.users];
    await ui.expectRows('Users', [...shown.map(userRowName), ...(second.next ? moreRows(shown.length, first.total) : [])]);
    assert.deepEqual(requests(emulator, 'GET', '/v1.0/users', since), [], 'no page of /users was read: the copy answered');
  });

  it('hides disabled users until "Show Disabled Users" is chosen in the view title', async () => {
    const { emulator } = e2e();
    const users = allUsers();
    const enabledNames = new Set(users.filter((u) => u.accountEnabled).map(userRowName));
    const disabledOnly = users.filter((u) => !u.accountEnabled && !enabledNames.has(plainName(u)));
    assert.ok(disabledOnly.length > 0, 'the directory has disabled users');
    await ui.waitForRow('Users', userRowName((await firstPage())[0] as UserRecord));

    const hidden = (await ui.allRows('Users')).filter((r) => r.level === 1).map((r) => r.name);
    assert.deepEqual(hidden.filter((n) => n.endsWith(', disabled')), []);
    for (const user of disabledOnly) assert.ok(!hidden.includes(plainName(user)), `${user.displayName ?? user.id} is not listed`);

    const since = lastSeq(emulator);
    try {
      await ui.viewAction('Users', 'Show Disabled Users');
      await ui.viewActionLocator('Users', 'Hide Disabled Users').waitFor({ state: 'attached', timeout: 15_000 });
      const page = await graphUsers(USERS_LIST);
      const expected = page.users.map(userRowName);
      await ui.expectRows('Users', [...expected, ...moreRows(PAGE, page.total)]);
      assert.ok(expected.some((n) => n.endsWith(', disabled')), 'the first page has disabled users');
      assert.deepEqual(requests(emulator, 'GET', '/v1.0/users', since), [], 'listed from the directory cache');
    } finally {
      // The choice is a user setting: put it back for the windows that follow.
      if ((await ui.viewActionLocator('Users', 'Hide Disabled Users').count()) > 0) {
        await ui.viewAction('Users', 'Hide Disabled Users');
        await ui.viewActionLocator('Users', 'Show Disabled Users').waitFor({ state: 'attached', timeout: 15_000 });
      }
    }
    await ui.expectRows('Users', [...(await firstPage()).map(userRowName), ...moreRows(PAGE, (await graphUsers(ENABLED_USERS_LIST)).total)]);
  });

  it('expanding a user shows the manager and, under "Microsoft 365 groups", exactly the user\'s Microsoft 365 groups', async () => {
    const { emulator } = e2e();
    const state = emulator.state;
    const m365 = (u: UserRecord): GroupRecord[] =>
      state
        .memberOfGroups(u.id)
        .map((id) => state.group(id))
        .filter((g): g is GroupRecord => g !== undefined && g.groupTypes.includes('Unified'));
    const user = (await topUsers(20)).find((u) => state.managerOf(u.id) !== undefined && m365(u).length >= 2 && m365(u).length <= 6);
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
      folders.map((f) => f.name.replace(/ \(\d+\)$/, '')),
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
      const folder = DirectoryUi.childrenOf(rows, userIndex).find((r) => r.name.startsWith('Microsoft 365 groups'));
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

  it('searching groups by a word of the description shows the matching group, added since the cache was built, from the directory cache (its delta, no $search)', async () => {
    const { emulator } = e2e();
    await directoryCacheReady(emulator);
    const word = `Quillmark${freshTag()}`;
    const group = seedGroup(emulator, `Search Target ${freshTag()}`, { description: `Owns the ${word} release train` });
    seeded.push(group);
    const since = lastSeq(emulator);

    await ui.viewAction('Groups', 'Search Groups');
    const input = ui.workbench.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill(word.toLowerCase());
    await input.press('Enter');

    const delta = await answered(emulator, 'the delta round the search starts', 'GET', '/v1.0/groups/delta', since);
    assert.equal(delta.status, 200);
    try {
      const rows = await until('the search result', async () => {
        const rendered = await ui.renderedRows('Groups');
        return rendered.length === 1 && rendered;
      });
      assert.deepEqual(
        rows.map((r) => r.name),
        [groupRowName(group)],
      );
      assert.deepEqual(searchRequests(emulator, '/v1.0/groups', since), [], 'the cache answered, not $search');
    } finally {
      await ui.viewAction('Groups', 'Clear Group Search');
    }
    const first = emulator.state.groups().next().value as GroupRecord;
    await ui.waitForRow('Groups', groupRowName(first));
  });

  it('"Show User Profile" on a user row opens a profile with the name, UPN, job title and manager', async () => {
    const { emulator } = e2e();
    const state = emulator.state;
    const user = (await topUsers(16))
      .slice(1)
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

  it('rides out a storm of 429s: Refresh Users brings the directory cache up to date through them, with no error row', async () => {
    const { emulator } = e2e();
    const top = await graphUsers(ENABLED_USERS_LIST);
    await ui.waitForRow('Users', userRowName(top.users[0] as UserRecord));
    emulator.scriptFaults([{ kind: '429', count: 5, retryAfter: '0.2', match: { method: 'GET', pathIncludes: '/v1.0/users' } }]);
    const since = lastSeq(emulator);

    await ui.viewAction('Users', 'Refresh Users');
    await until('the delta to succeed', () => requests(emulator, 'GET', '/v1.0/users/delta', since).find((e) => e.status === 200), 60_000);
    const rows = await ui.expectRows('Users', [...top.users.map(userRowName), ...moreRows(PAGE, top.total)]);
    assert.deepEqual(rows.filter((r) => r.name.startsWith('Error')), []);
    assert.deepEqual(
      requests(emulator, 'GET', /^\/v1\.0\/users/, since).map((e) => `${e.path} ${e.status}`),
      [...Array.from({ length: 5 }, () => '/v1.0/users/delta 429'), '/v1.0/users/delta 200'],
    );
  });
});
