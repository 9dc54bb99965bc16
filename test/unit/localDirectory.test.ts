/**
 * The signed-in tenant's cached directory in the extension: built on first use and saved, searched without Graph by
 * the views' search (Graph's $search while there is no copy), changed by our own writes, and removed on sign-out.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { DirectoryCacheStore } from '../../src/cache/cacheStore';
import { LocalDirectory } from '../../src/cache/localDirectory';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { UserNode } from '../../src/tree/nodes';
import { startEmulator, type Emulator } from '../emulator';
import { makeUser } from '../emulator/directory/factories';
import { emulatorServices } from '../support/services';

let emu: Emulator;
let dir: string;
const ID = (n: number): string => `7e000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const quiet = { info: (): void => undefined, warn: (): void => undefined };

before(async () => {
  emu = await startEmulator({ users: 200, groups: 15, seed: 31 });
  emu.state.addUser(makeUser({ id: ID(1), userPrincipalName: 'renee.lambert@contoso.test', displayName: 'Renée Lambert', department: 'Cartography' }));
  dir = await mkdtemp(join(tmpdir(), 'entra-local-'));
});
after(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

function setUp(enabled: { value: boolean } = { value: true }): { services: ReturnType<typeof emulatorServices>; local: LocalDirectory; store: DirectoryCacheStore; setEnabled: (value: boolean) => void } {
  const base = emulatorServices(emu);
  base.auth.account = { method: 'vscode', label: 'admin', appOnly: false, tenantId: emu.tenantId };
  const store = new DirectoryCacheStore(URI.file(dir), quiet);
  const listeners: Array<() => void> = [];
  const onDidChangeEnabled = (listener: () => void): { dispose(): void } => {
    listeners.push(listener);
    return { dispose: () => undefined };
  };
  const local = new LocalDirectory(
    store,
    () => base.client,
    () => (base.auth.account?.tenantId ? { tenantId: base.auth.account.tenantId, graphBaseUrl: emu.graphUrl } : undefined),
    { onDidChangeAccount: base.auth.onDidChangeAccount, onDidChange: base.changes.onDidChange, onDidChangeEnabled },
    quiet,
    () => enabled.value,
  );
  const setEnabled = (value: boolean): void => {
    enabled.value = value;
    for (const l of listeners) l();
  };
  return { services: { ...base, localDirectory: local }, local, store, setEnabled };
}

const graphReads = (): typeof emu.log => emu.log.filter((e) => e.path.startsWith('/v1.0/'));

describe('local directory', () => {
  it('the views\' search asks Graph while there is no copy, and the copy once it is built', async () => {
    const { services, local } = setUp();
    const tree = new DirectoryTreeProvider('users', services);
    tree.setSearch('renee');
    emu.clearLog();
    await tree.getChildren();
    assert.ok(emu.log.some((e) => e.query.$search !== undefined), 'no copy yet: Graph\'s $search');
    await local.ensure();
    assert.ok(local.search());
    const files = await readdir(dir);
    assert.equal(files.filter((f) => f.endsWith('.json')).length, 1, 'the copy is saved');

    tree.setSearch('rené lamb');
    emu.clearLog();
    const rows = await tree.getChildren();
    assert.deepEqual(rows.filter((n) => n instanceof UserNode).map((n) => (n).user.id.toLowerCase()), [ID(1)]);
    assert.deepEqual(graphReads().filter((e) => !/^\/v1\.0\/(users|groups)\/delta$/.test(e.path)), [], 'the search read only the delta since the copy');
    assert.ok(!graphReads().some((e) => e.query.$search !== undefined), 'no $search');
    local.dispose();
  });

  it('a view\'s search finds what someone else added since the copy was built (one delta round first)', async () => {
    const { services, local } = setUp();
    await local.ensure();
    emu.state.addUser(makeUser({ id: ID(2), userPrincipalName: 'zephyrine.quillfeather@contoso.test', displayName: 'Zéphyrine Quillfeather', jobTitle: 'Surveyor' }));
    const tree = new DirectoryTreeProvider('users', services);
    tree.setSearch('zephyrine quill');
    emu.clearLog();
    const rows = await tree.getChildren();
    assert.deepEqual(rows.filter((n) => n instanceof UserNode).map((n) => n.user.id.toLowerCase()), [ID(2)]);
    assert.ok(graphReads().some((e) => e.path === '/v1.0/users/delta'), 'the delta was read');
    assert.ok(!graphReads().some((e) => e.query.$search !== undefined), 'no $search');
    local.dispose();
  });

  it('a picker\'s keystrokes answer from the copy alone once the round its opening started is done', async () => {
    const { local } = setUp();
    await local.ensure();
    local.refresh(0);
    assert.ok(await local.fresh(60_000), 'the round under way is awaited');
    emu.clearLog();
    const search = await local.fresh(60_000);
    assert.equal(search?.searchUsers('renée', 5)[0]?.id.toLowerCase(), ID(1));
    assert.deepEqual(graphReads(), [], 'a keystroke reads nothing');
    local.dispose();
  });

  it('with the cache turned off, searches ask Graph and nothing is written to disk; turning it off removes the copies', async () => {
    const on = setUp();
    await on.local.ensure();
    assert.ok((await readdir(dir)).some((f) => f.endsWith('.json')), 'a copy was saved while on');
    on.setEnabled(false);
    await delay(50);
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.json')), [], 'turning it off removed the copy');
    assert.equal(on.local.search(), undefined);
    on.local.dispose();

    const { services, local } = setUp({ value: false });
    const tree = new DirectoryTreeProvider('users', services);
    tree.setSearch('renee');
    emu.clearLog();
    await tree.getChildren();
    await local.ensure();
    assert.ok(graphReads().some((e) => e.query.$search !== undefined), 'Graph\'s $search answered');
    assert.ok(!graphReads().some((e) => e.path.endsWith('/delta')), 'no delta query while off');
    assert.equal(await local.fresh(0), undefined);
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.json')), [], 'nothing on disk');
    local.dispose();
  });

  it('applies our own writes at once and saves them', async () => {
    const { services, local, store } = setUp();
    await local.ensure();
    services.changes.fire({ kind: 'userUpdated', userId: ID(1), changes: { department: 'Hydrography' } });
    assert.equal(local.search()?.searchUsers('hydrography', 5)[0]?.id.toLowerCase(), ID(1));
    await delay(1_300);
    const saved = await store.load({ tenantId: emu.tenantId, graphBaseUrl: emu.graphUrl });
    assert.equal(saved?.users.get(ID(1))?.department, 'Hydrography');
    local.dispose();
  });

  it('sign-out drops the copy and removes the saved files', async () => {
    const { services, local } = setUp();
    await local.ensure();
    assert.ok((await readdir(dir)).length > 0);
    await services.auth.signOut();
    await delay(50);
    assert.equal(local.search(), undefined);
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.json')), []);
    local.dispose();
  });

  it('sign-out during a first build stops its reads: no request goes to Graph after it', async () => {
    const { services, local } = setUp();
    emu.setLatency(30);
    try {
      emu.clearLog();
      const building = local.ensure();
      // The build is under way (its first delta link read), far from done.
      for (let i = 0; i < 100 && graphReads().length === 0; i++) await delay(5);
      assert.ok(graphReads().length > 0);
      await services.auth.signOut();
      const at = emu.log.length;
      await building;
      await delay(200);
      assert.deepEqual(emu.log.slice(at).map((e) => `${e.method} ${e.path}`), [], 'nothing after sign-out');
      assert.equal(local.search(), undefined);
    } finally {
      emu.setLatency(0);
      local.dispose();
    }
  });
});
