/**
 * The org chart's and the nesting graph's logic: the layout, cycle detection, path finding, and the walks through
 * Graph (management chain, nested groups) against the emulator, including a manager cycle and a group nested in itself.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GraphClient } from '../../src/core';
import { explainMembership, managementChain, walkGroups } from '../../src/core/hierarchy';
import { cycleEdges, edgeKey, pathsTo } from '../../src/core/nestingPaths';
import { layoutChart, type ChartNode } from '../../src/shared/orgLayout';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { ALL_DELEGATED } from '../support/services';

describe('org chart layout', () => {
  const tree: ChartNode[] = [
    { id: 'ceo', parentId: undefined },
    { id: 'cto', parentId: 'ceo' },
    { id: 'cfo', parentId: 'ceo' },
    { id: 'dev1', parentId: 'cto' },
    { id: 'dev2', parentId: 'cto' },
    { id: 'lead', parentId: 'cfo' },
    { id: 'acct', parentId: 'lead' },
  ];

  it('places every person reachable from the top exactly once, reports below their manager', () => {
    const { placed } = layoutChart('ceo', tree);
    assert.equal(placed.size, tree.length);
    for (const n of tree) {
      if (!n.parentId) continue;
      assert.ok((placed.get(n.id)?.row ?? -1) > (placed.get(n.parentId)?.row ?? Infinity), `${n.id} sits below ${n.parentId}`);
    }
  });

  it('stacks a team without reports of its own in its manager\'s column, and centres other managers', () => {
    const { placed, slots } = layoutChart('ceo', tree);
    // cto's team: dev1 and dev2 have no reports → one column under cto, one row each.
    assert.deepEqual([placed.get('cto'), placed.get('dev1'), placed.get('dev2')], [
      { slot: 0, row: 1, stacked: false }, { slot: 0, row: 2, stacked: true }, { slot: 0, row: 3, stacked: true },
    ]);
    // cfo → lead → acct: lead's team is stacked in column 1; cfo sits over lead.
    assert.equal(placed.get('lead')?.slot, 1);
    assert.equal(placed.get('cfo')?.slot, 1);
    assert.equal(placed.get('ceo')?.slot, 0.5);
    assert.equal(slots, 2);
  });

  it('hides a collapsed manager\'s reports and no two cards share a place', () => {
    const { placed } = layoutChart('ceo', tree, new Set(['cto']));
    assert.equal(placed.has('dev1'), false);
    const wide: ChartNode[] = [{ id: 'r', parentId: undefined }];
    for (let m = 0; m < 20; m++) {
      wide.push({ id: `m${m}`, parentId: 'r' });
      for (let k = 0; k < 5; k++) wide.push({ id: `m${m}k${k}`, parentId: `m${m}` });
      wide.push({ id: `m${m}x`, parentId: `m${m}k0` });
    }
    const spots = new Set<string>();
    for (const p of layoutChart('r', wide).placed.values()) {
      const spot = `${p.slot}:${p.row}`;
      assert.ok(!spots.has(spot), `two cards at ${spot}`);
      spots.add(spot);
    }
  });

  it('leaves out people whose manager links go round in a circle away from the top, and lays out 5,000 people', () => {
    const { placed } = layoutChart('top', [{ id: 'top', parentId: undefined }, { id: 'a', parentId: 'b' }, { id: 'b', parentId: 'a' }]);
    assert.deepEqual([...placed.keys()], ['top']);
    const big: ChartNode[] = [{ id: 'p0', parentId: undefined }];
    for (let i = 1; i < 5000; i++) big.push({ id: `p${i}`, parentId: `p${Math.floor((i - 1) / 8)}` });
    assert.equal(layoutChart('p0', big).placed.size, 5000);
  });
});

describe('nesting cycles and paths', () => {
  it('finds the edge that closes each cycle, and none in a tree', () => {
    const edges = new Map([['a', ['b', 'c']], ['b', ['d']], ['d', ['a']], ['c', ['d']]]);
    assert.deepEqual([...cycleEdges('a', edges)], [edgeKey('d', 'a')]);
    assert.equal(cycleEdges('a', new Map([['a', ['b', 'c']], ['b', ['c']]])).size, 0);
    assert.deepEqual([...cycleEdges('x', new Map([['x', ['x']]]))], [edgeKey('x', 'x')]);
  });

  it('lists every path from the direct groups to the target and reports cycles without looping', () => {
    // u is directly in g1 and g4; g1 ⊂ g2 ⊂ target; g4 ⊂ target; g2 ⊂ g3 ⊂ g1 (a cycle).
    const parents = new Map([['g1', ['g2']], ['g2', ['target', 'g3']], ['g3', ['g1']], ['g4', ['target']]]);
    const found = pathsTo(['g1', 'g4'], 'target', parents);
    assert.deepEqual(found.paths, [['g1', 'g2', 'target'], ['g4', 'target']]);
    assert.deepEqual(found.cycles, [['g3', 'g1']]);
    assert.equal(found.more, false);
    assert.deepEqual(pathsTo(['g1'], 'nowhere', parents).paths, []);
  });

  it('stops at the path limit and says more may exist', () => {
    const parents = new Map<string, string[]>();
    for (let i = 0; i < 30; i++) parents.set(`s${i}`, ['t']);
    const found = pathsTo([...parents.keys()], 't', parents, 5);
    assert.equal(found.paths.length, 5);
    assert.equal(found.more, true);
  });
});

describe('walking the directory', () => {
  let emu: Emulator;
  let client: GraphClient;
  const id = (): string => randomUUID();
  const user = (name: string): string => {
    const u = makeUser({ id: id(), userPrincipalName: `${name}.${randomUUID().slice(0, 6)}@contoso.onmicrosoft.com`, displayName: name, accountEnabled: true });
    emu.state.addUser(u);
    return u.id;
  };
  const group = (name: string): string => {
    const g = makeGroup({ id: id(), displayName: name, mailNickname: name.replace(/\W/g, '') });
    emu.state.addGroup(g);
    return g.id;
  };

  before(async () => {
    emu = await startEmulator({ users: 10, groups: 3 });
    client = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED })) });
  });
  after(() => emu.close());

  it('reads the chain to the top, nearest manager first', async () => {
    const [a, b, c] = [user('Chain A'), user('Chain B'), user('Chain C')];
    emu.state.setManager(a, b);
    emu.state.setManager(b, c);
    const chain = await managementChain(client, a);
    assert.ok(chain.success);
    assert.deepEqual(chain.data.managers.map((m) => m.id), [b, c]);
    assert.deepEqual(chain.data.end, { kind: 'top' });
    assert.equal(chain.data.managers[0]?.department !== undefined, true, 'the card\'s department is read');
  });

  it('stops at a manager cycle and names the manager met again', async () => {
    const [a, b, c] = [user('Loop A'), user('Loop B'), user('Loop C')];
    emu.state.setManager(a, b);
    emu.state.setManager(b, c);
    emu.state.setManager(c, a);
    const chain = await managementChain(client, a);
    assert.ok(chain.success);
    assert.deepEqual(chain.data.managers.map((m) => m.id), [b, c]);
    assert.deepEqual(chain.data.end, { kind: 'cycle', managerId: a });
  });

  it('stops at the depth limit, and shows a manager that cannot be read as missing', async () => {
    const people = [user('Deep 0'), user('Deep 1'), user('Deep 2'), user('Deep 3')];
    for (let i = 0; i < 3; i++) emu.state.setManager(people[i] ?? '', people[i + 1] ?? '');
    const deep = await managementChain(client, people[0] ?? '', { maxDepth: 2 });
    assert.ok(deep.success);
    assert.deepEqual(deep.data.end, { kind: 'tooDeep' });
    assert.equal(deep.data.managers.length, 2);

    // A crafted answer: the second manager read fails (Graph's 403 for a hidden object).
    const refused = { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', status: 403 };
    let calls = 0;
    const crafted = Object.create(client) as GraphClient;
    crafted.getManager = (userId, options) => (++calls === 2 ? Promise.resolve({ success: false, error: refused }) : client.getManager(userId, options));
    const missing = await managementChain(crafted, people[0] ?? '');
    assert.ok(missing.success);
    assert.deepEqual(missing.data.managers.map((m) => m.id), [people[1]]);
    assert.deepEqual(missing.data.end, { kind: 'missing', error: refused });
  });

  it('walks nested groups both ways, marks a group nested in itself, and explains a membership through two nested groups', async () => {
    const u = user('Nested Member');
    const [inner, middle, outer, other] = [group('Inner'), group('Middle'), group('Outer'), group('Other')];
    emu.state.addMember(inner, u);
    emu.state.addMember(middle, inner);
    emu.state.addMember(outer, middle);
    emu.state.addMember(inner, outer); // outer ⊂ inner ⊂ middle ⊂ outer: a cycle
    emu.state.addMember(other, u);

    const down = await walkGroups(client, outer, 'members');
    assert.deepEqual(down.edges.get(outer.toLowerCase()), [middle.toLowerCase()]);
    assert.equal(down.groups.size, 3);
    assert.deepEqual([...down.cycles], [edgeKey(inner.toLowerCase(), outer.toLowerCase())]);
    assert.equal(down.truncated, false);

    const up = await walkGroups(client, inner, 'memberOf');
    assert.deepEqual([...up.cycles], [edgeKey(outer.toLowerCase(), inner.toLowerCase())]);

    const why = await explainMembership(client, u, outer);
    assert.ok(why.success);
    assert.equal(why.data.member, true);
    assert.deepEqual(why.data.paths.paths, [[inner, middle, outer].map((g) => g.toLowerCase())]);
    assert.deepEqual(why.data.cycles, [[outer.toLowerCase(), inner.toLowerCase()]]);

    const not = await explainMembership(client, user('Outsider'), outer);
    assert.ok(not.success);
    assert.equal(not.data.member, false);
  });

  it('stops walking at the group limit and says the picture is incomplete', async () => {
    const top = group('Wide top');
    for (let i = 0; i < 6; i++) emu.state.addMember(top, group(`Wide ${i}`));
    const walk = await walkGroups(client, top, 'members', { maxGroups: 3 });
    assert.equal(walk.truncated, true);
  });
});

describe('a 5,000-user tenant', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ users: 5000, groups: 50, seed: 17 });
  });
  after(() => emu.close());

  it('reads the chain above someone in the largest team to the top, and that team\'s reports in full', async () => {
    const client = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED })) });
    let manager = '';
    let size = 0;
    for (const u of emu.state.users()) {
      const n = emu.state.directReportsOf(u.id).length;
      if (n > size) [manager, size] = [u.id, n];
    }
    assert.ok(size > 1, 'the seed has managers');
    const reports = await client.getDirectReports(manager);
    assert.ok(reports.success);
    assert.deepEqual(reports.data.map((r) => r.id).sort(), emu.state.directReportsOf(manager).sort());

    const someone = emu.state.directReportsOf(manager)[0] ?? '';
    const chain = await managementChain(client, someone);
    assert.ok(chain.success);
    // The oracle: the emulator's own manager links, followed from the same person.
    const expected: string[] = [];
    for (let at = emu.state.managerOf(someone); at && expected.length < 60; at = emu.state.managerOf(at.id)) expected.push(at.id);
    assert.deepEqual(chain.data.managers.map((m) => m.id), expected);
    assert.deepEqual(chain.data.end, { kind: 'top' });
  });
});
