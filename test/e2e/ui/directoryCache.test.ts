/**
 * The directory cache turned off (`entraId.directoryCache.enabled: false` in the user settings of a code-server of its
 * own): the extension reads no delta and keeps nothing, so the pickers ask Graph's `$search` for every search.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { e2e } from '../harness/context';
import { DirectoryUi, distinctUsers, freshTag, lastSeq, OwnCodeServer, requests, searchRequests, seedGroup, until, userRowName } from './directoryUi';

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
