/**
 * The views never mislead with numbers or order: totals are Graph's counts (not the loaded page), lists are sorted by
 * name, a search is visible in the title area, and a failed refresh keeps what was shown.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { MembersFolder } from '../../src/tree/folders';
import { ErrorNode, GroupNode, LoadAllNode, LoadMoreNode, UserNode, type DirectoryNode } from '../../src/tree/nodes';
import { describeList } from '../../src/tree/viewTitle';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

let emu: Emulator;
let big: string;
const BIG_SIZE = 142;

before(async () => {
  emu = await startEmulator({ users: 180, groups: 12, seed: 5 });
  big = randomUUID();
  emu.state.addGroup(makeGroup({ id: big, displayName: 'Zz big group', mailNickname: 'zz-big', securityEnabled: true, mailEnabled: false, groupTypes: [] }));
  const members = [...emu.state.users()].slice(0, BIG_SIZE);
  assert.equal(members.length, BIG_SIZE);
  for (const u of members) emu.state.addMember(big, u.id);
});
after(() => emu.close());
afterEach(() => {
  vscode.shown.reset();
  emu.scriptFaults([]);
});

function label(node: DirectoryNode): string {
  const l = node.getTreeItem().label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

/**
 * Whether the list reads alphabetically, as an admin checks it: among names whose first two characters are plain
 * letters, those two letters (ignoring case) never go backwards. Accented and other scripts are left to the sort.
 */
function readsAlphabetically(all: string[]): boolean {
  const heads = all.filter((n) => /^[A-Za-z]{2}/.test(n)).map((n) => n.slice(0, 2).toLowerCase());
  return heads.length > 1 && heads.every((h, i) => i === 0 || (heads[i - 1] ?? '') <= h);
}

describe('true numbers and stable order', () => {
  it('lists groups sorted by display name, counted in the title area, in one request', async () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('groups', services);
    emu.clearLog();
    const rows = await tree.getChildren();
    assert.equal(emu.log.length, 1, 'sorted and counted with one request');
    assert.equal(emu.log[0]?.query.$orderby, 'displayName');
    // Graph sorts; the rows keep its order.
    const names = rows.filter((n): n is GroupNode => n instanceof GroupNode).map((n) => n.group.displayName ?? '');
    assert.ok(readsAlphabetically(names), `rows in name order: ${names.join(' | ')}`);
    const all = [...emu.state.groups()].length;
    assert.equal(tree.summary.total, all);
    assert.deepEqual(describeList('groups', tree.summary), { description: `${all} groups`, message: undefined });
  });

  it('shows a group\'s true member count, not the loaded page, and "Load more (100 of 142)"; Load all reads the rest', async () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('groups', services);
    const row = (await tree.getChildren()).find((n): n is GroupNode => n instanceof GroupNode && n.group.id === big);
    assert.ok(row, 'the big group is on the first page');
    const members = (await tree.getChildren(row)).find((n): n is MembersFolder => n instanceof MembersFolder);
    assert.ok(members);
    let rows = await tree.getChildren(members);
    assert.equal(label(members), `Members (${BIG_SIZE})`);
    const more = rows.find((n) => n instanceof LoadMoreNode);
    assert.ok(more);
    assert.equal(label(more), `Load more (100 of ${BIG_SIZE})`);
    const all = rows.find((n): n is LoadAllNode => n instanceof LoadAllNode);
    assert.ok(all, 'a list of 142 offers "Load all"');
    assert.equal(label(all), `Load all ${BIG_SIZE}`);
    const names = rows.filter((n): n is UserNode => n instanceof UserNode).map((n) => n.user.displayName ?? n.user.userPrincipalName ?? '');
    assert.ok(readsAlphabetically(names), `loaded members shown by name: ${names.join(' | ')}`);

    await tree.loadAll(all.owner);
    rows = await tree.getChildren(members);
    assert.equal(rows.filter((n) => n instanceof UserNode).length, BIG_SIZE);
    assert.ok(!rows.some((n) => n instanceof LoadMoreNode || n instanceof LoadAllNode), 'nothing left to load');
    assert.equal(label(members), `Members (${BIG_SIZE})`);
  });

  it('shows an active search in the title area, with its count and how to clear it', async () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('users', services);
    const someone = [...emu.state.users()].find((u) => u.accountEnabled && /^[A-Za-z]{3,}/.test(u.displayName ?? ''));
    assert.ok(someone);
    const word = (someone.displayName ?? '').split(/\s+/)[0] ?? '';
    tree.setSearch(word);
    await tree.getChildren();
    const summary = tree.summary;
    assert.equal(summary.search, word);
    assert.ok(summary.total !== undefined && summary.total > 0);
    const shown = describeList('users', summary);
    assert.equal(shown.description, `"${word}": ${summary.total} users`);
    assert.match(shown.message ?? '', new RegExp(`matching "${word}".*Clear the search`));

    tree.setSearch('zzzz-nobody-has-this-name');
    await tree.getChildren();
    assert.match(describeList('users', tree.summary).message ?? '', /^No users match "zzzz-nobody-has-this-name"/);
  });

  it('keeps what is shown when a refresh fails, adds a retry row and says so once', async () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('users', services);
    const before = (await tree.getChildren()).filter((n) => n instanceof UserNode).length;
    assert.equal(before, 100);
    emu.scriptFaults([{ kind: '503', count: 50, match: { method: 'GET', pathIncludes: '/users' } }]);
    tree.refresh();
    const after = await tree.getChildren();
    assert.equal(after.filter((n) => n instanceof UserNode).length, before, 'the loaded users are still shown');
    assert.ok(after.at(-1) instanceof ErrorNode, 'a retry row follows them');
    assert.equal(vscode.shown.errors.length, 1);
    assert.match(vscode.shown.errors[0] ?? '', /^Could not load the users: /);
    await tree.getChildren();
    assert.equal(vscode.shown.errors.length, 1, 'a redraw does not say it again');

    emu.scriptFaults([]);
    const retry = after.at(-1) as ErrorNode;
    await tree.loadMore(retry.owner);
    const recovered = await tree.getChildren();
    assert.equal(recovered.filter((n) => n instanceof UserNode).length, 100);
    assert.ok(!recovered.some((n) => n instanceof ErrorNode));
  });

  it('keeps counts in step with changes made here', async () => {
    const services = emulatorServices(emu);
    const tree = new DirectoryTreeProvider('groups', services);
    const id = randomUUID();
    emu.state.addGroup(makeGroup({ id, displayName: 'Aa small group', mailNickname: 'aa-small', securityEnabled: true, mailEnabled: false, groupTypes: [] }));
    const user = makeUser({ id: randomUUID(), userPrincipalName: `count-${id.slice(0, 6)}@${emu.domain}`, displayName: 'Counted Person' });
    emu.state.addUser(user);
    const row = (await tree.getChildren()).find((n): n is GroupNode => n instanceof GroupNode && n.group.id === id);
    assert.ok(row);
    const members = (await tree.getChildren(row)).find((n): n is MembersFolder => n instanceof MembersFolder);
    assert.ok(members);
    await tree.getChildren(members);
    assert.equal(label(members), 'Members (0)');
    const total = tree.summary.total ?? -1;
    const added = await services.writes.addMember(row.group, { id: user.id, displayName: 'Counted Person', '@odata.type': '#microsoft.graph.user' }, { surface: 'command' });
    assert.equal(added.success, true);
    assert.equal(label(members), 'Members (1)');
    const deleted = await services.writes.deleteGroup(id, { surface: 'command' });
    assert.equal(deleted.success, true);
    assert.equal(tree.summary.total, total - 1, 'the view\'s total follows a delete');
  });
});
