/**
 * The directory cache against the emulator's delta query: a cold start, warm starts that apply only what changed
 * (added, updated, removed users and groups), Graph's resync answer, our own writes, and saved snapshots.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { normaliseChange } from '../../src/changes';
import { DirectoryCache, GraphClient, type CacheSnapshot } from '../../src/core';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { ALL_DELEGATED } from '../support/services';

const ID = (n: number): string => `7c000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

let emu: Emulator;
let graph: GraphClient;

before(async () => {
  emu = await startEmulator({ users: 450, groups: 30, seed: 15 });
  graph = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED })) });
});
after(() => emu.close());

function graphPaths(): string[] {
  return emu.log.filter((e) => e.path.startsWith('/v1.0/')).map((e) => decodeURIComponent(e.rawUrl.slice('/v1.0'.length)));
}

function tenantUserIds(): string[] {
  return [...emu.state.users()].map((u) => u.id.toLowerCase()).sort();
}

async function synced(): Promise<DirectoryCache> {
  const cache = new DirectoryCache();
  const report = await cache.sync(graph);
  assert.ok(report.success, report.success ? '' : report.error.message);
  return cache;
}

describe('directory cache: cold and warm starts', () => {
  beforeEach(() => emu.clearLog());

  it('a cold start asks for delta links first, then reads every user and group at 999 a page', async () => {
    const cache = await synced();
    assert.deepEqual([...cache.users.keys()].sort(), tenantUserIds());
    assert.equal(cache.groups.size, [...emu.state.groups()].length);
    const paths = graphPaths();
    assert.match(paths[0] ?? '', /^\/users\/delta\?.*\$deltatoken=latest/);
    assert.match(paths[1] ?? '', /^\/groups\/delta\?.*\$deltatoken=latest/);
    const lists = paths.filter((p) => /^\/users\?/.test(p));
    assert.equal(lists.length, 1, '450 users fit one page of 999');
    assert.match(lists[0] ?? '', /\$top=999/);
    assert.ok(cache.isComplete);
    const ada = [...emu.state.users()][5];
    assert.ok(ada);
    assert.equal(cache.users.get(ada.id.toLowerCase())?.userPrincipalName, ada.userPrincipalName);
  });

  it('a warm start with nothing changed costs one request per kind', async () => {
    const cache = await synced();
    emu.clearLog();
    const report = await cache.sync(graph);
    assert.ok(report.success);
    assert.deepEqual(report.data, { mode: 'warm', changed: 0, removed: 0 });
    assert.equal(graphPaths().length, 2);
  });

  it('applies added, updated and removed users and groups; a removed user disappears', async () => {
    const cache = await synced();
    const added = makeUser({ id: ID(1), userPrincipalName: 'new.hire@contoso.test', displayName: 'Néstor New', jobTitle: 'Analyst' });
    emu.state.addUser(added);
    const updated = [...emu.state.users()][7];
    const removed = [...emu.state.users()][9];
    assert.ok(updated && removed);
    assert.ok((await graph.updateUser(updated.id, { jobTitle: 'Chief Cartographer' })).success);
    emu.state.deleteObject(removed.id);
    emu.state.addGroup(makeGroup({ id: ID(2), displayName: 'Delta Watchers', mailNickname: 'deltawatchers' }));
    const goneGroup = [...emu.state.groups()][3];
    assert.ok(goneGroup);
    emu.state.deleteObject(goneGroup.id);

    const report = await cache.sync(graph);
    assert.ok(report.success);
    assert.equal(report.data.mode, 'warm');
    assert.equal(report.data.removed, 2);
    assert.equal(cache.users.get(ID(1))?.displayName, 'Néstor New');
    assert.equal(cache.users.get(updated.id.toLowerCase())?.jobTitle, 'Chief Cartographer');
    assert.equal(cache.users.has(removed.id.toLowerCase()), false);
    assert.equal(cache.groups.get(ID(2))?.displayName, 'Delta Watchers');
    assert.equal(cache.groups.has(goneGroup.id.toLowerCase()), false);
    assert.deepEqual([...cache.users.keys()].sort(), tenantUserIds());
  });

  it('answers Graph\'s resync code for a delta link it no longer knows with a full read', async () => {
    const cache = await synced();
    emu.state.journal.reset();
    const gone = [...emu.state.users()][11];
    assert.ok(gone);
    emu.state.deleteObject(gone.id);
    emu.clearLog();
    const report = await cache.sync(graph);
    assert.ok(report.success, report.success ? '' : report.error.message);
    assert.equal(report.data.mode, 'resync');
    assert.ok(emu.log.some((e) => e.status === 400 && /\/delta/.test(e.path)), 'the old link was refused');
    assert.deepEqual([...cache.users.keys()].sort(), tenantUserIds());
  });

  it('a failure other than resync leaves the cache as it was', async () => {
    const cache = await synced();
    const before = cache.users.size;
    const broken = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve('not-a-token'), maxRetries: 0 });
    const report = await cache.sync(broken);
    assert.equal(report.success, false);
    assert.equal(cache.users.size, before);
    assert.ok(cache.isComplete);
  });
});

describe('directory cache: our own writes', () => {
  it('applies the changes the one write path announces, at once', async () => {
    const cache = await synced();
    const user = [...cache.users.values()][2];
    const group = [...cache.groups.values()][1];
    assert.ok(user && group);
    const revision = cache.revision;
    cache.apply(normaliseChange({ kind: 'userUpdated', userId: user.id.toUpperCase(), changes: { department: 'Mapping', displayName: 'Renamed Person' } }));
    cache.apply(normaliseChange({ kind: 'groupCreated', group: { id: ID(3).toUpperCase(), displayName: 'Fresh Group', groupTypes: [] }, memberKeys: [] }));
    cache.apply(normaliseChange({ kind: 'groupUpdated', groupId: group.id, changes: { description: 'Now described' } }));
    cache.apply(normaliseChange({ kind: 'memberAdded', group: { id: group.id }, member: { id: user.id } }));
    const toDelete = [...cache.groups.values()][4];
    assert.ok(toDelete);
    cache.apply(normaliseChange({ kind: 'groupDeleted', groupId: toDelete.id }));
    assert.equal(cache.users.get(user.id.toLowerCase())?.department, 'Mapping');
    assert.equal(cache.users.get(user.id.toLowerCase())?.displayName, 'Renamed Person');
    assert.equal(cache.groups.get(ID(3))?.displayName, 'Fresh Group');
    assert.equal(cache.groups.get(group.id.toLowerCase())?.description, 'Now described');
    assert.equal(cache.groups.has(toDelete.id.toLowerCase()), false);
    assert.ok(cache.revision > revision);
  });
});

describe('directory cache: snapshots', () => {
  it('a snapshot round-trips and resumes with a warm start', async () => {
    const cache = await synced();
    const snapshot = JSON.parse(JSON.stringify(cache.snapshot())) as CacheSnapshot;
    assert.equal(JSON.stringify(snapshot).includes('Bearer'), false);
    const loaded = DirectoryCache.fromSnapshot(snapshot, emu.graphUrl);
    assert.ok('cache' in loaded);
    assert.deepEqual([...loaded.cache.users.keys()].sort(), [...cache.users.keys()].sort());
    const one = [...cache.users.values()][0];
    assert.ok(one);
    assert.deepEqual(loaded.cache.users.get(one.id.toLowerCase())?.userPrincipalName, one.userPrincipalName);
    emu.clearLog();
    const report = await loaded.cache.sync(graph);
    assert.ok(report.success);
    assert.equal(report.data.mode, 'warm');
    assert.equal(graphPaths().length, 2);
  });

  it('refuses snapshots it cannot trust, saying why', async () => {
    const cache = await synced();
    const good = cache.snapshot();
    assert.ok(good);
    const problems = [
      DirectoryCache.fromSnapshot('{"version":1', emu.graphUrl),
      DirectoryCache.fromSnapshot({ ...good, version: 99 }, emu.graphUrl),
      DirectoryCache.fromSnapshot({ ...good, userDeltaLink: 'https://attacker.example/v1.0/users/delta?$deltatoken=x' }, emu.graphUrl),
      DirectoryCache.fromSnapshot({ ...good, users: [[42, 'x']] }, emu.graphUrl),
      DirectoryCache.fromSnapshot({ ...good, groups: undefined }, emu.graphUrl),
    ];
    for (const p of problems) assert.ok('problem' in p && p.problem.length > 0);
    assert.match((problems[1] as { problem: string }).problem, /version 99/);
    assert.match((problems[2] as { problem: string }).problem, /not on/);
  });

  it('a cache never synchronised has no snapshot to save', () => {
    assert.equal(new DirectoryCache().snapshot(), undefined);
  });
});
