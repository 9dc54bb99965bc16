/**
 * The directory cache on disk: saved and loaded per tenant and cloud, a corrupt file ignored (with a log line) and
 * rebuilt, two windows sharing one file, and sign-out removing every copy.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { DirectoryCacheStore, type CacheKey } from '../../src/cache/cacheStore';
import { CACHE_VERSION, DirectoryCache, GraphClient, type CacheChange } from '../../src/core';
import { startEmulator, type Emulator } from '../emulator';
import { ALL_DELEGATED } from '../support/services';

let emu: Emulator;
let graph: GraphClient;
let dir: string;
let key: CacheKey;
let lines: string[];
const log = { info: (m: string): void => void lines.push(`info ${m}`), warn: (m: string): void => void lines.push(`warn ${m}`) };

before(async () => {
  emu = await startEmulator({ users: 120, groups: 12, seed: 21 });
  graph = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED })) });
  key = { tenantId: emu.tenantId, graphBaseUrl: emu.graphUrl };
});
after(() => emu.close());
beforeEach(async () => {
  lines = [];
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'entra-cache-'));
});

async function synced(): Promise<DirectoryCache> {
  const cache = new DirectoryCache();
  const r = await cache.sync(graph);
  assert.ok(r.success);
  return cache;
}

describe('directory cache store', () => {
  it('saves and loads a cache; the file holds no token', async () => {
    const store = new DirectoryCacheStore(URI.file(dir), log);
    const cache = await synced();
    assert.equal(await store.save(key, cache), true);
    const text = await readFile(store.fileOf(key).fsPath, 'utf8');
    assert.equal(/eyJ[A-Za-z0-9_-]{10,}/.test(text), false, 'no JWT');
    assert.equal(/bearer|access_token|refresh_token/i.test(text), false);
    const loaded = await store.load(key);
    assert.ok(loaded);
    assert.deepEqual([...loaded.users.keys()].sort(), [...cache.users.keys()].sort());
    assert.deepEqual(await readdir(dir), [store.fileOf(key).path.split('/').pop()], 'no temporary file left');
  });

  it('keeps tenants and clouds apart', async () => {
    const store = new DirectoryCacheStore(URI.file(dir), log);
    await store.save(key, await synced());
    assert.equal(await store.load({ ...key, tenantId: '00000000-0000-0000-0000-000000000001' }), undefined);
    assert.notEqual(store.fileOf(key).fsPath, store.fileOf({ ...key, graphBaseUrl: 'https://graph.microsoft.us/v1.0' }).fsPath);
    const hostile = store.fileOf({ ...key, tenantId: '../../etc/passwd' });
    assert.ok(hostile.fsPath.startsWith(dir), 'a key never leaves the storage folder');
  });

  it('ignores a corrupt file with a log line, and a rebuilt cache replaces it', async () => {
    const store = new DirectoryCacheStore(URI.file(dir), log);
    await writeFile(store.fileOf(key).fsPath, '{"version":1,"users":[["trunc');
    assert.equal(await store.load(key), undefined);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^warn .*not valid JSON.*rebuilt/);
    await writeFile(store.fileOf(key).fsPath, JSON.stringify({ version: CACHE_VERSION, userDeltaLink: 'x', groupDeltaLink: 'y', users: [], groups: [] }));
    assert.equal(await store.load(key), undefined);
    assert.match(lines[1] ?? '', /ignored because its delta links are not on/);
    await store.save(key, await synced());
    assert.ok(await store.load(key));
  });

  it('two windows share one file: the last writer wins without corrupting it, and a reload sees the other window\'s changes', async () => {
    const windowA = new DirectoryCacheStore(URI.file(dir), log);
    const windowB = new DirectoryCacheStore(URI.file(dir), log);
    const a = await synced();
    const b = await synced();
    const someone = [...b.users.values()][3];
    assert.ok(someone);
    const change: CacheChange = { kind: 'userUpdated', userId: someone.id, changes: { jobTitle: 'Written by window B' } };
    b.apply(change);
    // Both save many times at once: whatever the interleaving, the file is always one whole snapshot.
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? windowA.save(key, a) : windowB.save(key, b))));
    const whole = await windowA.load(key);
    assert.ok(whole, 'the file is intact');
    await windowB.save(key, b);
    const reloaded = await windowA.load(key);
    assert.equal(reloaded?.users.get(someone.id.toLowerCase())?.jobTitle, 'Written by window B');
    assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.tmp')), []);
  });

  it('heads the file with each view\'s first page, read without the rest; a broken head leaves the copy usable', async () => {
    const store = new DirectoryCacheStore(URI.file(dir), log);
    const cache = await synced();
    await store.save(key, cache, undefined, 7);
    const screen = await store.loadFirstScreen(key);
    assert.ok(screen);
    // The oracle: Graph's own listing, `$orderby=displayName` with its count, enabled users only as the view asks.
    const page = await graph.usersPage({ includeDisabled: false, pageSize: 7 });
    assert.ok(page.success);
    // By name: Graph does not say in which order it lists users of the same name.
    assert.deepEqual(screen.enabledUsers.items.map((u) => u.displayName), page.data.items.map((u) => u.displayName));
    assert.equal(screen.enabledUsers.total, page.data.total);
    assert.equal(screen.enabledUsers.next, 7);
    const everyone = await graph.usersPage({ includeDisabled: true, pageSize: 7 });
    assert.ok(everyone.success);
    assert.equal(screen.allUsers.total, everyone.data.total);
    assert.ok(screen.allUsers.total > screen.enabledUsers.total, 'the tenant has disabled users: the two lists differ');
    const groups = await graph.groupsPage({ pageSize: 7 });
    assert.ok(groups.success);
    assert.deepEqual(screen.groups.items.map((g) => g.displayName), groups.data.items.map((g) => g.displayName));

    // The head alone is broken: the first screen is not used, the copy still loads.
    const text = await readFile(store.fileOf(key).fsPath, 'utf8');
    await writeFile(store.fileOf(key).fsPath, `{"rows":7,"enabledUsers":{"total":3,"rows":[]}}${text.slice(text.indexOf('\n'))}`);
    assert.equal(await store.loadFirstScreen(key), undefined, 'a list cut short of its rows is refused');
    assert.equal((await store.load(key))?.users.size, cache.users.size);
    await writeFile(store.fileOf(key).fsPath, `not json${text.slice(text.indexOf('\n'))}`);
    assert.equal(await store.loadFirstScreen(key), undefined);
    assert.equal(await store.loadFirstScreen({ ...key, tenantId: '00000000-0000-0000-0000-000000000003' }), undefined, 'no file: no first screen');
  });

  it('sign-out removes every saved cache', async () => {
    const store = new DirectoryCacheStore(URI.file(dir), log);
    await store.save(key, await synced());
    await store.save({ ...key, tenantId: '00000000-0000-0000-0000-000000000002' }, await synced());
    await writeFile(join(dir, 'unrelated.json'), '{}');
    await store.clear();
    assert.deepEqual(await readdir(dir), ['unrelated.json']);
    assert.equal(await store.load(key), undefined);
  });
});
