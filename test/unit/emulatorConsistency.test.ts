import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator, GroupRecord } from '../emulator/index';
import { TestClient, bindUrl, errorCode, errorMessage } from '../emulator/testClient';

/** Every change reaches reads exactly this long after it is made (a window of one value keeps the tests exact). */
const LAG_MS = 1000;
const REFERENCED_MISSING = "The source resource object or one of the objects being referenced don't exist.";

const ids = (a: { json: unknown }): string[] => ((a.json as { value?: Array<{ id: string }> }).value ?? []).map((x) => x.id);

describe('emulator: eventual consistency', () => {
  let em: Emulator;
  let c: TestClient;
  let plain: GroupRecord;
  const users: string[] = [];

  before(async () => {
    em = await startEmulator({ users: 120, groups: 20, seed: 8, consistency: { replicationDelayMs: [LAG_MS, LAG_MS], seed: 4 } });
    c = new TestClient(em, em.issueToken({ kind: 'app' }));
    const g = em.state.groupsOfKind('security').find((x) => x.isAssignableToRole !== true && x.onPremisesSyncEnabled !== true);
    assert.ok(g);
    plain = g;
    users.push(...[...em.state.users()].filter((u) => u.userType === 'Member' && u.onPremisesSyncEnabled !== true && !em.state.isMember(g.id, u.id)).slice(0, 8).map((u) => u.id));
  });
  after(() => em.close());

  const createGroup = async (nick: string, memberIds: string[] = []): Promise<string> => {
    const r = await c.call('/groups', {
      method: 'POST',
      body: { displayName: `Group ${nick}`, mailNickname: nick, mailEnabled: false, securityEnabled: true, ...(memberIds.length ? { 'members@odata.bind': memberIds.map((m) => bindUrl(m)) } : {}) },
    });
    assert.equal(r.status, 201, r.text);
    return (r.json as { id: string }).id;
  };

  it('shows a new group to reads, lists, $filter, $search, $count and memberOf only once it has replicated', async () => {
    const before = Number((await c.getAdvanced('/groups/$count')).text);
    const member = users[0] ?? '';
    const id = await createGroup('lagging', [member]);
    const probes = async (): Promise<Record<string, unknown>> => ({
      get: (await c.get(`/groups/${id}`)).status,
      filter: ids(await c.get(`/groups?$filter=mailNickname eq 'lagging'`)),
      search: ids(await c.getAdvanced(`/groups?$search="displayName:lagging"&$count=true`)),
      count: Number((await c.getAdvanced('/groups/$count')).text) - before,
      memberOf: ids(await c.get(`/users/${member}/memberOf`)).includes(id),
      members: (await c.get(`/groups/${id}/members`)).status,
    });
    assert.deepEqual(await probes(), { get: 404, filter: [], search: [], count: 0, memberOf: false, members: 404 });
    // The primary copy has it at once.
    assert.ok(em.state.group(id));
    await delay(LAG_MS + 100);
    assert.deepEqual(await probes(), { get: 200, filter: [id], search: [id], count: 1, memberOf: true, members: 200 });
  });

  it('answers writes to a group not yet replicated as Graph does: 400 for links, 404 for the rest', async () => {
    const id = await createGroup('fresh-writes');
    const ref = await c.call(`/groups/${id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(users[1] ?? '') } });
    assert.equal(ref.status, 400);
    assert.equal(errorCode(ref), 'Request_BadRequest');
    assert.equal(errorMessage(ref), REFERENCED_MISSING);
    const bind = await c.call(`/groups/${id}`, { method: 'PATCH', body: { 'members@odata.bind': [bindUrl(users[1] ?? '')] } });
    assert.equal(bind.status, 400);
    assert.equal(errorMessage(bind), REFERENCED_MISSING);
    const patch = await c.call(`/groups/${id}`, { method: 'PATCH', body: { description: 'too early' } });
    assert.equal(patch.status, 404);
    assert.equal(errorCode(patch), 'Request_ResourceNotFound');
    assert.equal((await c.call(`/groups/${id}`, { method: 'DELETE' })).status, 404);
    // Nothing of it was applied.
    assert.deepEqual(em.state.membersOf(id), []);
    assert.equal(em.state.group(id)?.description, null);
    // Referencing the new group from another group's links is refused the same way.
    const nest = await c.call(`/groups/${plain.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(id) } });
    assert.equal(nest.status, 400);
    assert.equal(errorMessage(nest), REFERENCED_MISSING);
    await delay(LAG_MS + 100);
    assert.equal((await c.call(`/groups/${id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(users[1] ?? '') } })).status, 204);
    assert.equal((await c.call(`/groups/${id}`, { method: 'PATCH', body: { description: 'in time' } })).status, 204);
  });

  it('shows a changed property, a new member and a deleted group late, and a write by id at once', async () => {
    const oldName = plain.displayName;
    const member = users[2] ?? '';
    assert.equal((await c.call(`/groups/${plain.id}`, { method: 'PATCH', body: { displayName: 'Renamed just now' } })).status, 204);
    assert.equal((await c.call(`/groups/${plain.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(member) } })).status, 204);
    const doomed = [...em.state.groupsOfKind('security')].find((g) => g.id !== plain.id && g.isAssignableToRole !== true && g.onPremisesSyncEnabled !== true);
    assert.ok(doomed);
    assert.equal((await c.call(`/groups/${doomed.id}`, { method: 'DELETE' }).then((r) => r.status)), 204);

    const seen = async (): Promise<Record<string, unknown>> => ({
      name: ((await c.get(`/groups/${plain.id}?$select=displayName`)).json as { displayName: string }).displayName,
      member: ids(await c.get(`/groups/${plain.id}/members?$top=999`)).includes(member),
      memberOf: ids(await c.getAdvanced(`/users/${member}/transitiveMemberOf/microsoft.graph.group?$count=true`)).includes(plain.id),
      deleted: (await c.get(`/groups/${doomed.id}`)).status,
      listed: ids(await c.get(`/groups?$top=999`)).includes(doomed.id),
    });
    assert.deepEqual(await seen(), { name: oldName, member: false, memberOf: false, deleted: 200, listed: true });
    // A second write goes to the primary copy, where the group is already gone.
    assert.equal((await c.call(`/groups/${doomed.id}`, { method: 'DELETE' })).status, 404);
    await delay(LAG_MS + 100);
    assert.deepEqual(await seen(), { name: 'Renamed just now', member: true, memberOf: true, deleted: 404, listed: false });
  });

  it('refuses a bind to a user created a moment ago', async () => {
    const created = await c.call('/users', {
      method: 'POST',
      body: { accountEnabled: true, displayName: 'New Hire', mailNickname: 'newhire', userPrincipalName: `newhire@${em.domain}`, passwordProfile: { password: 'x7!Yq2#pLm' } },
    });
    assert.equal(created.status, 201, created.text);
    const userId = (created.json as { id: string }).id;
    const bind = await c.call(`/groups/${plain.id}`, { method: 'PATCH', body: { 'members@odata.bind': [bindUrl(userId)] } });
    assert.equal(bind.status, 400);
    assert.equal(errorMessage(bind), REFERENCED_MISSING);
    assert.equal((await c.get(`/users/newhire@${em.domain}`)).status, 404);
    await delay(LAG_MS + 100);
    assert.equal((await c.call(`/groups/${plain.id}`, { method: 'PATCH', body: { 'members@odata.bind': [bindUrl(userId)] } })).status, 204);
  });

  it('shows a new manager, and the direct reports that follow from it, only once the link has replicated', async () => {
    const [worker, boss] = [users[5] ?? '', users[6] ?? ''];
    const before = em.state.managers.get(worker);
    const seen = async (): Promise<{ manager: string | number; reports: boolean; expanded: string | undefined }> => {
      const m = await c.get(`/users/${worker}/manager`);
      const expanded = (await c.get(`/users/${worker}?$expand=manager($select=id)`)).json as { manager?: { id: string } };
      return { manager: m.status === 200 ? (m.json as { id: string }).id : m.status, reports: ids(await c.get(`/users/${boss}/directReports`)).includes(worker), expanded: expanded.manager?.id };
    };
    const old = await seen();
    assert.equal((await c.call(`/users/${worker}/manager/$ref`, { method: 'PUT', body: { '@odata.id': bindUrl(boss) } })).status, 204);
    assert.deepEqual(await seen(), old, 'a replica still shows the manager as it was');
    assert.equal(em.state.managers.get(worker), boss, 'the primary copy has the new link at once');
    await delay(LAG_MS + 100);
    assert.deepEqual(await seen(), { manager: boss, reports: true, expanded: boss });
    // Removing it: the replica answers with the manager a moment longer, then 404.
    assert.equal((await c.call(`/users/${worker}/manager/$ref`, { method: 'DELETE' })).status, 204);
    assert.equal((await c.get(`/users/${worker}/manager`)).status, 200);
    await delay(LAG_MS + 100);
    assert.equal((await c.get(`/users/${worker}/manager`)).status, 404);
    assert.equal(ids(await c.get(`/users/${boss}/directReports`)).includes(worker), false);
    if (before) em.state.setManager(worker, before);
  });

  it('runs and answers $batch items in a seeded order, keeping dependsOn sequences', async () => {
    const requests = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, method: 'GET', url: `/users?$top=1&$select=id&x=${i}` }));
    const order = async (): Promise<{ answered: string[]; ran: string[] }> => {
      em.clearLog();
      const r = await c.call('/$batch', { method: 'POST', body: { requests } });
      assert.equal(r.status, 200);
      const answered = (r.json as { responses: Array<{ id: string; status: number }> }).responses.map((x) => x.id);
      const ran = em.log.filter((e) => e.batchParent !== undefined).map((e) => `r${e.query['x'] ?? ''}`);
      return { answered, ran };
    };
    const first = await order();
    const inOrder = requests.map((r) => r.id);
    assert.deepEqual([...first.answered].sort(), [...inOrder].sort());
    assert.notDeepEqual(first.answered, inOrder, 'answers in another order than asked');
    assert.notDeepEqual(first.ran, inOrder, 'items run in another order than asked');
    // The same seed gives the same orders.
    em.setConsistency({ replicationDelayMs: [LAG_MS, LAG_MS], seed: 4 });
    const again = await order();
    em.setConsistency({ replicationDelayMs: [LAG_MS, LAG_MS], seed: 4 });
    assert.deepEqual(await order(), again);

    em.clearLog();
    const chain = await c.call('/$batch', {
      method: 'POST',
      body: {
        requests: [
          { id: 'a', method: 'GET', url: '/users?$top=1&step=1' },
          { id: 'b', method: 'GET', url: '/users?$top=1&step=2', dependsOn: ['a'] },
          { id: 'c', method: 'GET', url: '/users?$top=1&step=3', dependsOn: ['b'] },
        ],
      },
    });
    assert.equal(chain.status, 200);
    assert.deepEqual(em.log.filter((e) => e.batchParent !== undefined).map((e) => e.query['step']), ['1', '2', '3']);
  });

  it('can be switched off and on through the control route, making earlier changes visible', async () => {
    const id = await createGroup('switched');
    assert.equal((await c.get(`/groups/${id}`)).status, 404);
    const status = (await fetch(`${em.url}/_emulator/consistency`).then((r) => r.json())) as { config: unknown; pending: number };
    assert.deepEqual(status.config, { replicationDelayMs: [LAG_MS, LAG_MS] });
    assert.ok(status.pending > 0);
    assert.equal((await fetch(`${em.url}/_emulator/consistency`, { method: 'POST', body: 'false' })).status, 204);
    assert.equal(em.consistency, undefined);
    assert.equal((await c.get(`/groups/${id}`)).status, 200);
    const on = await fetch(`${em.url}/_emulator/consistency`, { method: 'POST', body: JSON.stringify({ replicationDelayMs: [LAG_MS, LAG_MS], seed: 4 }) });
    assert.equal(on.status, 204);
    assert.deepEqual(em.consistency, { replicationDelayMs: [LAG_MS, LAG_MS] });
    const bad = await fetch(`${em.url}/_emulator/consistency`, { method: 'POST', body: JSON.stringify({ replicationDelayMs: [5] }) });
    assert.equal(bad.status, 400);
  });
});

describe('emulator: without the consistency model', () => {
  let em: Emulator;
  let c: TestClient;
  before(async () => {
    em = await startEmulator({ users: 40, groups: 5, seed: 2 });
    c = new TestClient(em, em.issueToken({ kind: 'app' }));
  });
  after(() => em.close());

  it('is off unless asked for: writes are read back at once and $batch answers in order', async () => {
    assert.equal(em.consistency, undefined);
    const r = await c.call('/groups', { method: 'POST', body: { displayName: 'Instant', mailNickname: 'instant', mailEnabled: false, securityEnabled: true } });
    const id = (r.json as { id: string }).id;
    assert.equal((await c.get(`/groups/${id}`)).status, 200);
    assert.equal((await c.call(`/groups/${id}`, { method: 'PATCH', body: { description: 'now' } })).status, 204);
    const requests = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, method: 'GET', url: '/users?$top=1' }));
    const batch = await c.call('/$batch', { method: 'POST', body: { requests } });
    assert.deepEqual((batch.json as { responses: Array<{ id: string }> }).responses.map((x) => x.id), requests.map((x) => x.id));
  });

  it('spends server time per object returned or written, and a $batch as long as its slowest item', async () => {
    const timed = async <T>(f: () => Promise<T>): Promise<{ ms: number; answer: T }> => {
      const t = performance.now();
      const answer = await f();
      return { ms: performance.now() - t, answer };
    };
    const list = (): Promise<{ json: unknown; status: number }> => c.get('/users?$top=30&$select=id');
    em.setServerTime({ perItemMs: 20 });
    try {
      const read = await timed(list);
      assert.equal(ids(read.answer).length, 30);
      assert.ok(read.ms >= 30 * 20, `30 users returned in ${read.ms} ms`);
      const members = [...em.state.users()].filter((u) => u.userType === 'Member').slice(0, 10).map((u) => u.id);
      const body = { displayName: 'Timed', mailNickname: 'timed', mailEnabled: false, securityEnabled: true, 'members@odata.bind': members.map((u) => bindUrl(u)) };
      const write = await timed(() => c.call('/groups', { method: 'POST', body }));
      assert.equal(write.answer.status, 201);
      // The group, its 10 member links and the one object returned.
      assert.ok(write.ms >= 12 * 20, `a group with 10 members written in ${write.ms} ms`);
      const two = { requests: [{ id: '1', method: 'GET', url: '/users?$top=30&$select=id' }, { id: '2', method: 'GET', url: '/users?$top=30&$select=id' }] };
      const batch = await timed(() => c.call('/$batch', { method: 'POST', body: two }));
      assert.ok(batch.ms >= 30 * 20, `${batch.ms} ms`);
    } finally {
      em.setServerTime(false);
    }
    const untimed = await timed(list);
    assert.ok(untimed.ms < 30 * 20, `${untimed.ms} ms without server time`);
  });
});
