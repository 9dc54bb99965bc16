/**
 * The emulator's delta query on users and groups (https://learn.microsoft.com/graph/delta-query-overview): a full
 * round page by page up to a deltaLink, `$deltatoken=latest`, changes and removals since a token, and the resync answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../emulator/index';
import { OpenApiValidator } from '../emulator/openapiValidator';
import { TestClient } from '../emulator/testClient';

interface DeltaBody {
  value: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

describe('emulator: delta query', () => {
  let em: Emulator;
  let c: TestClient;
  const v = OpenApiValidator.fromFile();

  const read = async (url: string, template: string): Promise<DeltaBody> => {
    const a = await c.get(url);
    assert.equal(a.status, 200, `${url} → ${a.status} ${a.text.slice(0, 200)}`);
    assert.deepEqual(v.validate(v.responseSchema(template, 'get', '2XX'), a.json), [], `${url} does not match ${template}`);
    return a.json as DeltaBody;
  };

  /** Follows nextLinks to the deltaLink; returns every item and the link. */
  const round = async (url: string, template = '/users/delta()'): Promise<{ items: Array<Record<string, unknown>>; deltaLink: string }> => {
    const items: Array<Record<string, unknown>> = [];
    let next: string | undefined = url;
    for (let pages = 0; next !== undefined; pages++) {
      assert.ok(pages < 100, 'the round ends');
      const body: DeltaBody = await read(next, template);
      assert.ok(!(body['@odata.nextLink'] && body['@odata.deltaLink']), 'a page never has both links');
      items.push(...body.value);
      if (body['@odata.deltaLink']) return { items, deltaLink: body['@odata.deltaLink'] };
      next = body['@odata.nextLink'];
    }
    throw new Error('no deltaLink');
  };

  before(async () => {
    em = await startEmulator({ users: 450, groups: 25, seed: 4 });
    c = new TestClient(em, em.issueToken({ kind: 'app' }));
  });
  after(() => em.close());

  it('a first round gives every user, over several pages, then a deltaLink with the same $select', async () => {
    const { items, deltaLink } = await round('/users/delta?$select=id,displayName,userPrincipalName');
    assert.deepEqual(items.map((u) => u['id']).sort(), [...em.state.users()].map((u) => u.id).sort());
    assert.deepEqual(Object.keys(items[0] ?? {}).sort(), ['displayName', 'id', 'userPrincipalName']);
    assert.match(deltaLink, /\/v1\.0\/users\/delta\?\$select=id,displayName,userPrincipalName&\$deltatoken=/);
  });

  it('$deltatoken=latest gives no objects and a link; later changes and removals come after it', async () => {
    const latest = await read('/users/delta?$deltatoken=latest', '/users/delta()');
    assert.deepEqual(latest.value, []);
    assert.ok(latest['@odata.deltaLink']);
    const none = await round(latest['@odata.deltaLink']);
    assert.deepEqual(none.items, []);
    const [changed, removed] = [...em.state.users()].slice(3, 5);
    assert.ok(changed && removed);
    em.state.willChange(changed.id);
    changed.jobTitle = 'Surveyor';
    em.state.deleteObject(removed.id);
    const after = await round(none.deltaLink);
    assert.deepEqual(after.items.find((u) => u['id'] === changed.id)?.['jobTitle'], 'Surveyor');
    assert.deepEqual(after.items.find((u) => u['id'] === removed.id), { id: removed.id, '@removed': { reason: 'changed' } });
    assert.equal(after.items.length, 2);
    const again = await round(after.deltaLink);
    assert.deepEqual(again.items, [], 'each change is told once');
  });

  it('groups have their own delta; a user token is refused there', async () => {
    const { items, deltaLink } = await round('/groups/delta?$select=id,displayName', '/groups/delta()');
    assert.equal(items.length, [...em.state.groups()].length);
    const userLink = (await read('/users/delta?$deltatoken=latest', '/users/delta()'))['@odata.deltaLink'] ?? '';
    const token = new URL(userLink).searchParams.get('$deltatoken') ?? '';
    const wrong = await c.get(`/groups/delta?$deltatoken=${token}`);
    assert.equal(wrong.status, 400);
    assert.ok(deltaLink.includes('/groups/delta'));
  });

  it('a token from before a reset answers 400 syncStateNotFound', async () => {
    const link = (await read('/users/delta?$deltatoken=latest', '/users/delta()'))['@odata.deltaLink'] ?? '';
    em.state.journal.reset();
    const a = await c.get(link);
    assert.equal(a.status, 400);
    assert.equal((a.json as { error: { code: string } }).error.code, 'syncStateNotFound');
  });

  it('refuses query options delta does not take here', async () => {
    for (const q of ['$top=5', '$filter=accountEnabled eq true', '$orderby=displayName']) {
      const a = await c.get(`/users/delta?${q}`);
      assert.equal(a.status, 400, q);
    }
  });
});

describe('emulator: delta query under replication delay', () => {
  it('tells a change only once replicas show it, and never loses it', async () => {
    const em = await startEmulator({ users: 40, groups: 3, seed: 5, consistency: { replicationDelayMs: [150, 250], seed: 2 } });
    try {
      const c = new TestClient(em, em.issueToken({ kind: 'app' }));
      const link = ((await c.get('/users/delta?$deltatoken=latest')).json as DeltaBody)['@odata.deltaLink'] ?? '';
      const target = [...em.state.users()][6];
      assert.ok(target);
      const patched = await c.call(`/users/${target.id}`, { method: 'PATCH', body: { jobTitle: 'Late Replica' } });
      assert.equal(patched.status, 204);
      const early = (await c.get(link)).json as DeltaBody;
      const earlyItem = early.value.find((u) => u['id'] === target.id);
      assert.ok(earlyItem === undefined || earlyItem['jobTitle'] !== 'Late Replica', 'not told before replicas show it');
      await new Promise((r) => setTimeout(r, 400));
      const late = (await c.get(early['@odata.deltaLink'] ?? '')).json as DeltaBody;
      assert.equal(late.value.find((u) => u['id'] === target.id)?.['jobTitle'], 'Late Replica');
    } finally {
      await em.close();
    }
  });
});
