import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator, GroupRecord } from '../emulator/index';
import { OpenApiValidator } from '../emulator/openapiValidator';
import { TestClient, errorCode } from '../emulator/testClient';

const DAY_MS = 24 * 60 * 60 * 1000;
const UNKNOWN_ID = '11111111-2222-4333-8444-555555555555';

/**
 * Deleted items and restore as Microsoft documents them: group-delete (Microsoft 365 and security groups go to deleted
 * items for 30 days), directory-deleteditems-list/-get/-restore/-delete.
 */
describe('emulator: deleted groups and restore', () => {
  let em: Emulator;
  let c: TestClient;
  const v = OpenApiValidator.fromFile();
  const clock = { offset: 0 };

  const pick = (kind: 'security' | 'microsoft365', skip: readonly string[] = []): GroupRecord => {
    const g = em.state.groupsOfKind(kind).find((x) => x.isAssignableToRole !== true && x.onPremisesSyncEnabled !== true && x.displayName !== 'All Staff' && !skip.includes(x.id) && em.state.membersOf(x.id).length > 0);
    assert.ok(g, `a ${kind} group with members`);
    return g;
  };
  const deletedIds = async (): Promise<string[]> => {
    const a = await c.get('/directory/deletedItems/microsoft.graph.group?$select=id,displayName,deletedDateTime');
    assert.equal(a.status, 200, a.text);
    return (a.json as { value: Array<{ id: string }> }).value.map((g) => g.id);
  };
  const conformsTo = (pathTemplate: string, method: string, body: unknown): void => {
    assert.deepEqual(v.validate(v.responseSchema(pathTemplate, method, '2XX'), body), [], `${method.toUpperCase()} ${pathTemplate}`);
  };

  before(async () => {
    em = await startEmulator({ users: 200, groups: 40, seed: 11 });
    em.state.deletedItems.now = () => Date.now() + clock.offset;
    c = new TestClient(em, em.issueToken({ kind: 'app' }));
  });
  after(() => em.close());

  it('a deleted security or Microsoft 365 group is gone from /groups and listed in deleted items with its deletion date', async () => {
    for (const kind of ['security', 'microsoft365'] as const) {
      const g = pick(kind);
      const before = Date.now();
      assert.equal((await c.call(`/groups/${g.id}`, { method: 'DELETE' })).status, 204);
      assert.equal(em.state.group(g.id), undefined);
      const list = await c.get('/directory/deletedItems/microsoft.graph.group');
      assert.equal(list.status, 200, list.text);
      conformsTo('/directory/deletedItems/microsoft.graph.group', 'get', list.json);
      const item = (list.json as { value: Array<Record<string, unknown>> }).value.find((x) => x['id'] === g.id);
      assert.ok(item, `${kind} group listed`);
      assert.equal(item['@odata.type'], '#microsoft.graph.group');
      assert.equal(item['displayName'], g.displayName);
      const at = Date.parse(String(item['deletedDateTime']));
      assert.ok(at >= before - 1000 && at <= Date.now() + 1000, `deletedDateTime ${String(item['deletedDateTime'])} is the deletion time`);

      const one = await c.get(`/directory/deletedItems/${g.id}`);
      assert.equal(one.status, 200);
      conformsTo('/directory/deletedItems/{directoryObject-id}', 'get', one.json);
      assert.equal((one.json as Record<string, unknown>)['id'], g.id);
    }
  });

  it('restore brings the group back with its id, members, owners and its own memberships; a second restore is 404', async () => {
    const g = pick('security');
    const members = em.state.membersOf(g.id);
    const parent = pick('security', [g.id]);
    em.state.addMember(parent.id, g.id);
    const owner = em.state.findUser((u) => u.userType === 'Member' && !em.state.isOwner(g.id, u.id));
    assert.ok(owner);
    em.state.addOwner(g.id, owner.id);
    const owners = em.state.ownersOf(g.id);

    assert.equal((await c.call(`/groups/${g.id}`, { method: 'DELETE' })).status, 204);
    assert.ok(!em.state.isMember(parent.id, g.id), 'a deleted group leaves the groups it was in');
    const restored = await c.call(`/directory/deletedItems/${g.id}/restore`, { method: 'POST' });
    assert.equal(restored.status, 200, restored.text);
    conformsTo('/directory/deletedItems/{directoryObject-id}/restore', 'post', restored.json);
    const body = restored.json as Record<string, unknown>;
    assert.equal(body['@odata.type'], '#microsoft.graph.group');
    assert.equal(body['id'], g.id);
    assert.equal(body['displayName'], g.displayName);
    assert.deepEqual(em.state.membersOf(g.id).sort(), [...members].sort());
    assert.deepEqual(em.state.ownersOf(g.id).sort(), [...owners].sort());
    assert.ok(em.state.isMember(parent.id, g.id));
    assert.ok(!(await deletedIds()).includes(g.id), 'no longer in deleted items');

    const again = await c.call(`/directory/deletedItems/${g.id}/restore`, { method: 'POST' });
    assert.equal(again.status, 404);
    assert.equal(errorCode(again), 'Request_ResourceNotFound');
    assert.equal((await c.call(`/directory/deletedItems/${UNKNOWN_ID}/restore`, { method: 'POST' })).status, 404);
    assert.equal((await c.get(`/directory/deletedItems/${UNKNOWN_ID}`)).status, 404);
  });

  it('a member deleted meanwhile is not brought back with the group', async () => {
    const g = pick('security');
    const gone = em.state.membersOf(g.id)[0];
    assert.ok(gone);
    assert.equal((await c.call(`/groups/${g.id}`, { method: 'DELETE' })).status, 204);
    em.state.deleteObject(gone);
    assert.equal((await c.call(`/directory/deletedItems/${g.id}/restore`, { method: 'POST' })).status, 200);
    assert.ok(!em.state.membersOf(g.id).includes(gone));
  });

  it('an item stays restorable for 30 days and then is gone for good', async () => {
    const g = pick('microsoft365');
    assert.equal((await c.call(`/groups/${g.id}`, { method: 'DELETE' })).status, 204);
    clock.offset = 29 * DAY_MS;
    assert.ok((await deletedIds()).includes(g.id), 'still there after 29 days');
    clock.offset = 30 * DAY_MS + 1000;
    assert.ok(!(await deletedIds()).includes(g.id), 'gone after 30 days');
    assert.equal((await c.call(`/directory/deletedItems/${g.id}/restore`, { method: 'POST' })).status, 404);
    clock.offset = 0;
  });

  it('permanent delete removes the item: it can no longer be restored', async () => {
    const g = pick('security');
    assert.equal((await c.call(`/groups/${g.id}`, { method: 'DELETE' })).status, 204);
    const purge = await c.call(`/directory/deletedItems/${g.id}`, { method: 'DELETE' });
    assert.equal(purge.status, 204);
    assert.equal((await c.call(`/directory/deletedItems/${g.id}/restore`, { method: 'POST' })).status, 404);
    assert.ok(!(await deletedIds()).includes(g.id));
  });

  it('refuses a list without the type cast, and callers without Group.Read.All or a write permission', async () => {
    const untyped = await c.get('/directory/deletedItems');
    assert.equal(untyped.status, 400);
    const g = pick('security');
    assert.equal((await c.call(`/groups/${g.id}`, { method: 'DELETE' })).status, 204);
    const browse = em.issueToken({ kind: 'delegated', scopes: ['User.Read', 'User.Read.All', 'GroupMember.Read.All'] });
    assert.equal((await c.call('/directory/deletedItems/microsoft.graph.group', { token: browse })).status, 403);
    const reader = em.issueToken({ kind: 'delegated', scopes: ['Group.Read.All'] });
    assert.equal((await c.call('/directory/deletedItems/microsoft.graph.group', { token: reader })).status, 200);
    assert.equal((await c.call(`/directory/deletedItems/${g.id}/restore`, { method: 'POST', token: reader })).status, 403);
    assert.ok((await deletedIds()).includes(g.id), 'a refused restore changes nothing');
  });

  it('orders by deletedDateTime only as an advanced query, and pages with $top', async () => {
    const plain = await c.get('/directory/deletedItems/microsoft.graph.group?$orderby=deletedDateTime desc');
    assert.equal(plain.status, 400);
    const sorted = await c.call('/directory/deletedItems/microsoft.graph.group?$count=true&$orderby=deletedDateTime desc&$select=id,deletedDateTime', { headers: { consistencylevel: 'eventual' } });
    assert.equal(sorted.status, 200, sorted.text);
    const body = sorted.json as { value: Array<{ deletedDateTime: string }>; '@odata.count': number };
    assert.equal(body['@odata.count'], body.value.length);
    const dates = body.value.map((x) => Date.parse(x.deletedDateTime));
    assert.deepEqual(dates, [...dates].sort((a, b) => b - a));
    const paged = await c.all('/directory/deletedItems/microsoft.graph.group?$top=1');
    assert.equal(paged.items.length, body.value.length);
    assert.equal(paged.pages, body.value.length);
  });
});
