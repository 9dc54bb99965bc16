/**
 * The directory cache turned off (`entraId.directoryCache.enabled: false` in the user settings of a code-server of its
 * own): the extension reads no delta and keeps nothing, so the Users view lists from Graph page by page and the
 * pickers ask Graph's `$search` for every search.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { e2e } from '../harness/context';
import type { UserRecord } from '../../emulator';
import { answered, DirectoryUi, distinctUsers, freshTag, graphGet, lastSeq, moreRows, OwnCodeServer, requests, searchRequests, seedGroup, until, userRowName } from './directoryUi';

const PAGE = 100;

describe('directory cache turned off', function () {
  this.timeout(240_000);
  let own: OwnCodeServer | undefined;
  let ui: DirectoryUi | undefined;
  let since = 0;

  before(async () => {
    const { emulator } = e2e();
    own = await OwnCodeServer.create(emulator);
    since = lastSeq(emulator);
    ui = await DirectoryUi.open(await own.start(emulator, { 'entraId.directoryCache.enabled': false }));
  });

  after(async () => {
    await ui?.close();
    await own?.dispose();
  });

  it('the Users view lists the first 100 enabled users, sorted by name, from Graph in one request; "Load more" reads the next page', async () => {
    assert.ok(ui);
    const { emulator } = e2e();
    const list = await answered(emulator, 'the users list', 'GET', '/v1.0/users', since, 60_000);
    assert.equal(list.status, 200);
    assert.equal(list.query.$top, String(PAGE));
    assert.equal(list.query.$filter, 'accountEnabled eq true');
    assert.equal(list.query.$orderby, 'displayName');
    const usersOf = async (pathAndQuery: string): Promise<{ users: UserRecord[]; total: number; next: string | undefined }> => {
      const page = await graphGet<{ id: string }>(emulator, pathAndQuery);
      const users = page.value.map((u) => emulator.state.usersById.get(u.id)).filter((u): u is UserRecord => u !== undefined);
      assert.equal(users.length, page.value.length, 'every listed user is in the directory');
      return { users, total: page['@odata.count'] ?? -1, next: page['@odata.nextLink'] };
    };
    const first = await usersOf(list.rawUrl);
    assert.equal(first.users.length, PAGE);
    assert.ok(first.next, 'Graph has more');
    await ui.expectRows('Users', [...first.users.map(userRowName), ...moreRows(PAGE, first.total)]);
    assert.equal(requests(emulator, 'GET', '/v1.0/users', since).length, 1, 'one users request');

    const more = lastSeq(emulator);
    await ui.row('Users', /^Load more \(/).click();
    const next = await answered(emulator, 'the next page', 'GET', '/v1.0/users', more);
    assert.ok(next.query.$skiptoken, 'it follows the next link');
    const second = await usersOf(next.rawUrl);
    const shown = [...first.users, ...second.users];
    await ui.expectRows('Users', [...shown.map(userRowName), ...(second.next ? moreRows(shown.length, first.total) : [])]);
    assert.equal(requests(emulator, 'GET', '/v1.0/users', more).length, 1, 'one more users request');
  });

  it('"Add User to Group…" finds the group with Graph\'s $search, and no delta query is made', async () => {
    assert.ok(ui);
    const { emulator } = e2e();
    const user = distinctUsers(emulator)[2];
    assert.ok(user);
    const group = seedGroup(emulator, `Cacheless ${freshTag()}`);
    try {
      const userRow = await ui.waitForRow('Users', userRowName(user));
      await ui.contextMenu(userRow, 'Add User to Group…');
      const input = ui.workbench.quickInput();
      await input.waitFor({ state: 'visible' });
      await input.fill(group.displayName);
      const search = await until('the group search', () => searchRequests(emulator, '/v1.0/groups', since).find((e) => e.status !== 0));
      assert.match(search.query.$search ?? '', new RegExp(`"displayName:${group.displayName}"`));
      assert.equal(search.headers.consistencylevel, 'eventual');
      await until('the group offered', async () => (await ui?.workbench.quickPickRows().allInnerTexts())?.some((row) => row.includes(group.displayName)));
      await ui.page.keyboard.press('Escape');
      assert.deepEqual(requests(emulator, 'GET', /\/delta$/, since), [], 'no delta query while the cache is off');
    } finally {
      emulator.state.deleteObject(group.id);
    }
  });
});
