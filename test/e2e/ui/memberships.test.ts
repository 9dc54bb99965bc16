/**
 * One membership, seen from both of its ends at once. A user is shown in the Users view with its "Microsoft 365 groups"
 * and "All groups" folders open, and two fresh groups (a security group, a Microsoft 365 group) in the Groups view.
 * "Add User to Group…" on the user's row and "Remove Member from Group…" on a member row must change every open
 * folder that shows the membership — rows and counts — without collapsing the folders and without reading them again
 * from Graph (the emulator's request log is checked after each write).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord, UserRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { answered, directoryCacheReady, DirectoryUi, distinctUsers, freshTag, graphGet, groupRowName, lastSeq, requests, searchRequests, seedGroup, until, userRowName, type TreeRow } from './directoryUi';

/** Plain names only: the rows are compared with the oracle's names, and hostile text has a suite of its own. */
const PLAIN = /^[A-Za-z][\w' &-]*$/;

describe('a membership seen from the user and from the group', function () {
  this.timeout(180_000);
  const tag = freshTag();
  let ui: DirectoryUi | undefined;
  let user: UserRecord;
  let security: GroupRecord;
  let m365: GroupRecord;
  /** The user's groups before the test adds any, as the "All groups" and "Microsoft 365 groups" folders name them. */
  let allBefore: string[];
  let m365Before: string[];

  function view(): DirectoryUi {
    assert.ok(ui, 'the workbench is open');
    return ui;
  }

  before(async () => {
    const { emulator } = e2e();
    const state = emulator.state;
    const groupsOf = (ids: string[]): GroupRecord[] => ids.map((id) => state.group(id)).filter((g): g is GroupRecord => g !== undefined);
    // The user in the fewest groups (at least two, all plainly named, one a direct Microsoft 365 membership), so that
    // its open folders fit on screen.
    const count = (u: UserRecord): number => state.transitiveMemberOf(u.id).length;
    const candidate = distinctUsers(emulator)
      .filter((u) => {
        const all = groupsOf(state.transitiveMemberOf(u.id));
        const direct = groupsOf(state.memberOfGroups(u.id));
        return all.length >= 2 && direct.some((g) => g.groupTypes.includes('Unified')) && all.every((g) => PLAIN.test(g.displayName));
      })
      .sort((a, b) => count(a) - count(b))[0];
    assert.ok(candidate && count(candidate) <= 6, `a user in two to six plainly named groups, directly in a Microsoft 365 group (${candidate ? count(candidate) : 'none'})`);
    user = candidate;
    allBefore = groupsOf(state.transitiveMemberOf(user.id)).map(groupRowName).sort();
    m365Before = groupsOf(state.memberOfGroups(user.id))
      .filter((g) => g.groupTypes.includes('Unified'))
      .map(groupRowName)
      .sort();
    security = seedGroup(emulator, `Night Shift ${tag}`);
    m365 = seedGroup(emulator, `Harbour Crew ${tag}`, { microsoft365: true });
    ui = await DirectoryUi.open();
    // Each view lists only what this test works on, so every row it looks at is on screen.
    await view().search('Users', user.userPrincipalName);
    await view().waitForRow('Users', userRowName(user));
    await view().search('Groups', tag);
    await view().waitForRow('Groups', groupRowName(security));
    await view().waitForRow('Groups', groupRowName(m365));
  });

  after(async () => {
    if (ui) {
      await ui.viewAction('Users', 'Clear User Search').catch(() => undefined);
      await ui.viewAction('Groups', 'Clear Group Search').catch(() => undefined);
      await ui.close();
    }
    const { state } = e2e().emulator;
    for (const group of [security, m365]) if (group) state.deleteObject(group.id);
  });

  /** The rendered row named `name` directly under `parent` (or at the top level). */
  function child(rows: readonly TreeRow[], parent: TreeRow | undefined, name: string): TreeRow | undefined {
    const level = parent ? DirectoryUi.childrenOf(rows, parent.index) : rows.filter((r) => r.level === 1);
    return level.find((r) => r.name === name);
  }

  /** A folder row directly under `parent`, by its label without the count ("All groups" for "All groups (3)"). */
  function folderUnder(rows: readonly TreeRow[], parent: TreeRow | undefined, label: string): TreeRow | undefined {
    return parent && DirectoryUi.childrenOf(rows, parent.index).find((r) => r.name.replace(/ \(\d+\)$/, '') === label);
  }

  /** The count after a folder's label — "All groups (3)" — or undefined while it shows none. */
  function folderCount(folder: TreeRow): number | undefined {
    const count = / \((\d+)\)$/.exec(folder.name);
    return count ? Number(count[1]) : undefined;
  }

  /** The user's row and its two group folders, as rendered now. */
  async function userFolders(): Promise<{ rows: TreeRow[]; m365Folder: TreeRow; allFolder: TreeRow }> {
    const rows = await view().renderedRows('Users');
    const userRow = child(rows, undefined, userRowName(user));
    const m365Folder = folderUnder(rows, userRow, 'Microsoft 365 groups');
    const allFolder = folderUnder(rows, userRow, 'All groups');
    assert.ok(userRow && m365Folder && allFolder, `the user and its group folders are shown: ${rows.map((r) => r.name).join(' | ')}`);
    return { rows, m365Folder, allFolder };
  }

  /** What an open folder shows: its rows (sorted by name), the count after its label, whether it is still open. */
  interface FolderState {
    names: string[];
    count: number | undefined;
    expanded: boolean | undefined;
  }

  function folderState(rows: readonly TreeRow[], folder: TreeRow): FolderState {
    const names = DirectoryUi.childrenOf(rows, folder.index)
      .map((r) => r.name)
      .sort();
    return { names, count: folderCount(folder), expanded: folder.expanded };
  }

  /** An open folder listing `names` (or, empty, the message it shows instead) and counting them. */
  function listing(names: readonly string[], empty: string): FolderState {
    return { names: names.length ? [...names].sort() : [empty], count: names.length, expanded: true };
  }

  /** Polls until `read` equals `expected`; fails with the difference. */
  async function expectState(what: string, read: () => Promise<unknown>, expected: unknown): Promise<void> {
    let seen: unknown;
    try {
      await until(what, async () => {
        seen = await read();
        return JSON.stringify(seen) === JSON.stringify(expected);
      });
    } catch (error) {
      assert.deepEqual(seen, expected);
      throw error;
    }
  }

  /** Waits until both of the user's folders are still open and list and count exactly these groups. */
  async function expectUserFolders(m365Names: readonly string[], allNames: readonly string[]): Promise<void> {
    const expected = { m365: listing(m365Names, 'No Microsoft 365 groups'), all: listing(allNames, 'No groups') };
    await expectState('the user\'s group folders', async () => {
      const { rows, m365Folder, allFolder } = await userFolders();
      return { m365: folderState(rows, m365Folder), all: folderState(rows, allFolder) };
    }, expected);
  }

  /** The group's row and its Members folder in the Groups view, expanding both when they are closed. */
  async function membersFolder(group: GroupRecord): Promise<void> {
    const groupName = groupRowName(group);
    const groupRow = child(await view().renderedRows('Groups'), undefined, groupName);
    assert.ok(groupRow, `${groupName} is listed`);
    await view().workbench.expandRow(view().rowAt('Groups', groupRow.index));
    const folder = await until('the Members folder', async () => {
      const rows = await view().renderedRows('Groups');
      return folderUnder(rows, child(rows, undefined, groupName), 'Members');
    });
    await view().workbench.expandRow(view().rowAt('Groups', folder.index));
  }

  /** Waits until the group's open Members folder lists and counts exactly `names`. */
  async function expectMembers(group: GroupRecord, names: readonly string[]): Promise<void> {
    await expectState(`the members of ${group.displayName}`, async () => {
      const rows = await view().renderedRows('Groups');
      const folder = folderUnder(rows, child(rows, undefined, groupRowName(group)), 'Members');
      return folder && folderState(rows, folder);
    }, listing(names, 'No members'));
  }

  /** The member row of the user under the group's Members folder. */
  async function memberRow(group: GroupRecord): Promise<TreeRow | undefined> {
    const rows = await view().renderedRows('Groups');
    return child(rows, folderUnder(rows, child(rows, undefined, groupRowName(group)), 'Members'), userRowName(user));
  }

  /** GET requests for the folders a write must not make anyone read again. */
  function folderReads(since: number, groups: readonly GroupRecord[]): string[] {
    const { emulator } = e2e();
    const paths = [
      new RegExp(`^/v1\\.0/users/${user.id}/(transitiveMemberOf|memberOf)(/|$)`, 'i'),
      ...groups.map((g) => new RegExp(`^/v1\\.0/groups/${g.id}/members$`, 'i')),
    ];
    return paths.flatMap((p) => requests(emulator, 'GET', p, since)).map((e) => e.rawUrl);
  }

  /**
   * "Add User to Group…" on the user's row, choosing `group` in the quick pick after typing its name: the directory
   * cache answers (the picker's opening reads the delta, which tells the group seeded since; no `$search`).
   */
  async function addUserTo(group: GroupRecord): Promise<number> {
    await clearToasts();
    const { emulator } = e2e();
    await directoryCacheReady(emulator);
    const since = lastSeq(emulator);
    const { rows } = await userFolders();
    const userRow = child(rows, undefined, userRowName(user));
    assert.ok(userRow);
    await view().contextMenu(view().rowAt('Users', userRow.index), 'Add User to Group…');
    const input = view().workbench.quickInput();
    await input.waitFor({ state: 'visible' });
    await answered(emulator, 'the delta round the picker starts', 'GET', '/v1.0/groups/delta', since);
    await input.fill(group.displayName);
    await view().workbench.chooseQuickPickRow(group.displayName);
    assert.deepEqual(searchRequests(emulator, '/v1.0/groups', since), [], 'the keystrokes were answered from the cache, not by $search');

    const post = await answered(emulator, 'the add request', 'POST', `/v1.0/groups/${group.id}/members/$ref`, since);
    assert.equal(post.status, 204);
    assert.deepEqual(post.body, { '@odata.id': `${emulator.graphUrl}/directoryObjects/${user.id}` });
    assert.ok(emulator.state.isMember(group.id, user.id), 'the emulator has the membership');
    await view().workbench.waitForNotification(`Added "${user.displayName ?? ''}" to "${group.displayName}".`);
    return post.seq;
  }

  /**
   * The workbench shows at most three toasts while the page has no focus to time them out: earlier results are
   * cleared so the one this step waits for is shown.
   */
  async function clearToasts(): Promise<void> {
    await view().workbench.runCommand('Notifications: Clear All Notifications');
    await until('the toasts to be cleared', async () => (await view().workbench.notifications()).length === 0);
  }

  /** "Remove Member from Group…" on the user's row under the group's Members folder, confirmed in the modal. */
  async function removeUserFrom(group: GroupRecord): Promise<number> {
    await clearToasts();
    const { emulator } = e2e();
    const member = await memberRow(group);
    assert.ok(member, 'the member row is shown');
    const since = lastSeq(emulator);
    await view().contextMenu(view().rowAt('Groups', member.index), 'Remove Member from Group…');
    const dialog = view().workbench.dialog();
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Remove "${user.displayName ?? ''}" from "${group.displayName}"\\?`));
    await view().workbench.clickDialogButton('Remove');
    const del = await answered(emulator, 'the remove request', 'DELETE', `/v1.0/groups/${group.id}/members/${user.id}/$ref`, since);
    assert.equal(del.status, 204);
    assert.equal(emulator.state.isMember(group.id, user.id), false, 'the membership is gone');
    assert.ok(emulator.state.usersById.has(user.id), 'the user is not');
    await view().workbench.waitForNotification(`Removed "${user.displayName ?? ''}" from "${group.displayName}".`);
    return del.seq;
  }

  it('opening the user\'s "Microsoft 365 groups" and "All groups" folders lists its groups and their number', async () => {
    const { emulator } = e2e();
    const since = lastSeq(emulator);
    const userRow = child(await view().renderedRows('Users'), undefined, userRowName(user));
    assert.ok(userRow);
    await view().workbench.expandRow(view().rowAt('Users', userRow.index));
    await until('the folders of the user', async () => DirectoryUi.childrenOf(await view().renderedRows('Users'), userRow.index).length === 4);
    // The lower folder first, so that the upper one keeps its position.
    await view().workbench.expandRow(view().rowAt('Users', (await userFolders()).allFolder.index));
    await view().workbench.expandRow(view().rowAt('Users', (await userFolders()).m365Folder.index));
    await expectUserFolders(m365Before, allBefore);
    const transitive = await answered(emulator, 'the All groups request', 'GET', new RegExp(`^/v1\\.0/users/${user.id}/transitiveMemberOf/microsoft\\.graph\\.group$`, 'i'), since);
    assert.equal(transitive.status, 200);
    const direct = await answered(emulator, 'the Microsoft 365 groups request', 'GET', new RegExp(`^/v1\\.0/users/${user.id}/memberOf/microsoft\\.graph\\.group$`, 'i'), since);
    assert.equal(direct.query.$filter, "groupTypes/any(c:c eq 'Unified')");
  });

  it('"Add User to Group…" with a security group: it appears in the open "All groups" folder and the group\'s open "Members", unread', async () => {
    await membersFolder(security);
    await expectMembers(security, []);
    const writtenAt = await addUserTo(security);

    await expectUserFolders(m365Before, [...allBefore, groupRowName(security)]);
    await expectMembers(security, [userRowName(user)]);
    assert.deepEqual(folderReads(writtenAt, [security]), [], 'no folder was read again after the write');
  });

  it('"Add User to Group…" with a Microsoft 365 group: it appears in both of the user\'s folders; the group\'s Members list the user', async () => {
    const writtenAt = await addUserTo(m365);
    await expectUserFolders([...m365Before, groupRowName(m365)], [...allBefore, groupRowName(security), groupRowName(m365)]);
    assert.deepEqual(folderReads(writtenAt, []), [], 'the user\'s folders were not read again after the write');

    // Opened after the write, the group's Members folder reads Graph, which has the membership once it has replicated
    // (as it has by the time an admin opens the folder): wait for Graph's reads to list it.
    await until('Graph to list the new member', async () =>
      (await graphGet<{ id: string }>(e2e().emulator, `/v1.0/groups/${m365.id}/members?$select=id`)).value.some((m) => m.id === user.id));
    const since = lastSeq(e2e().emulator);
    await membersFolder(m365);
    await expectMembers(m365, [userRowName(user)]);
    await answered(e2e().emulator, 'the members of the Microsoft 365 group', 'GET', `/v1.0/groups/${m365.id}/members`, since);
  });

  it('"Remove Member from Group…" on the member row: the user leaves the group\'s Members and the user\'s "All groups", unread', async () => {
    const writtenAt = await removeUserFrom(security);
    await expectMembers(security, []);
    await expectUserFolders([...m365Before, groupRowName(m365)], [...allBefore, groupRowName(m365)]);
    assert.deepEqual(folderReads(writtenAt, [security, m365]), [], 'no folder was read again after the write');
  });

  it('removing the Microsoft 365 membership takes the group out of both of the user\'s folders, unread', async () => {
    const writtenAt = await removeUserFrom(m365);
    await expectMembers(m365, []);
    await expectUserFolders(m365Before, allBefore);
    assert.deepEqual(folderReads(writtenAt, [security, m365]), [], 'no folder was read again after the write');
  });
});
