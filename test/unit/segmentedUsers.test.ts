/**
 * Reading a whole tenant in parallel segments (by the first character of the user principal name) misses nobody:
 * guests (`#EXT#`), names beginning with digits, `_` and the other allowed characters; and falls back to one sequence
 * when Graph refuses a segment query or the segments fall short of `$count`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GraphClient, readAllUsers } from '../../src/core';
import { startEmulator, type Emulator } from '../emulator';
import { makeUser } from '../emulator/directory/factories';
import { ALL_DELEGATED } from '../support/services';

const ID = (n: number): string => `7f000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ODD_UPNS = [
  'jane_fabrikam.com#EXT#@contoso.test',
  '#hash@contoso.test',
  '_underscore@contoso.test',
  '0zero@contoso.test',
  '42answer@contoso.test',
  "'quote@contoso.test",
  '-dash@contoso.test',
  '!bang@contoso.test',
  '^caret@contoso.test',
  '~tilde@contoso.test',
  'ZED.UPPER@contoso.test',
];

let emu: Emulator;
const token = (): Promise<string> => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED }));

before(async () => {
  emu = await startEmulator({ users: 1200, groups: 5, seed: 41 });
  ODD_UPNS.forEach((upn, i) => emu.state.addUser(makeUser({ id: ID(i + 1), userPrincipalName: upn, displayName: `Odd ${i}`, userType: upn.includes('#EXT#') ? 'Guest' : 'Member' })));
});
after(() => emu.close());

const tenantIds = (): string[] => [...emu.state.users()].map((u) => u.id.toLowerCase()).sort();

describe('segmented read of all users', () => {
  it('reads a small tenant in one sequence: segments would only add requests', async () => {
    const graph = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: token });
    const r = await readAllUsers(graph);
    assert.ok(r.success);
    assert.equal(r.data.mode, 'sequence');
    assert.equal(r.data.requests, 3, '$count, then 1,211 users in two pages of 999');
    assert.deepEqual(r.data.users.map((u) => u.id.toLowerCase()).sort(), tenantIds());
  });

  it('reads every user, odd names included, in segments proven complete against $count', async () => {
    const graph = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: token });
    emu.clearLog();
    const r = await readAllUsers(graph, { concurrency: 4, segmentsFrom: 0 });
    assert.ok(r.success, r.success ? '' : r.error.message);
    assert.equal(r.data.mode, 'segments');
    assert.deepEqual(r.data.users.map((u) => u.id.toLowerCase()).sort(), tenantIds());
    const filters = emu.log.map((e) => e.query.$filter).filter((f): f is string => f !== undefined);
    assert.ok(filters.includes("startswith(userPrincipalName,'#')"));
    assert.ok(filters.includes("startswith(userPrincipalName,'''')"), 'a quote is doubled in the literal');
    assert.ok(emu.log.some((e) => e.path.endsWith('/users/$count')));
  });

  it('falls back to one sequence when Graph refuses a segment query', async () => {
    const refusing: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (decodeURIComponent(url).includes("startswith(userPrincipalName,'~')")) {
        return Promise.resolve(new Response(JSON.stringify({ error: { code: 'Request_UnsupportedQuery', message: 'Unsupported query.' } }), { status: 400, headers: { 'content-type': 'application/json' } }));
      }
      return fetch(input, init);
    };
    const graph = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: token, fetch: refusing });
    const r = await readAllUsers(graph, { concurrency: 4, segmentsFrom: 0 });
    assert.ok(r.success);
    assert.equal(r.data.mode, 'sequence');
    assert.deepEqual(r.data.users.map((u) => u.id.toLowerCase()).sort(), tenantIds());
  });

  it('falls back to one sequence when the segments hold fewer users than $count', async () => {
    // A user whose name begins with a character outside the documented set is in no segment.
    emu.state.addUser(makeUser({ id: ID(99), userPrincipalName: 'élodie@contoso.test', displayName: 'Élodie' }));
    const graph = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: token });
    const r = await readAllUsers(graph, { concurrency: 4, segmentsFrom: 0 });
    assert.ok(r.success);
    assert.equal(r.data.mode, 'sequence');
    assert.ok(r.data.users.some((u) => u.id.toLowerCase() === ID(99)));
    assert.deepEqual(r.data.users.map((u) => u.id.toLowerCase()).sort(), tenantIds());
  });
});
