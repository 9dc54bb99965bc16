import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator } from '../emulator';
import { appClient, assertFail, assertOk, delegatedClient, graphRequests, startIntegrationEmulator } from './helpers';

describe('read actions against the emulator', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 2300, groups: 120, seed: 3 });
  });
  after(() => emu.close());
  beforeEach(() => emu.clearLog());

  describe('getProfile', () => {
    it('reads /me, with the properties the profile needs', async () => {
      const me = assertOk(await delegatedClient(emu).getProfile());
      assert.equal(me.id, emu.signedInUserId);
      assert.equal(typeof me.accountEnabled, 'boolean');
      const [req] = graphRequests(emu);
      assert.equal(req?.path, '/v1.0/me');
      assert.match(req?.query.$select ?? '', /accountEnabled/);
    });

    it('reads a guest by UPN with # encoded in the path', async () => {
      const guest = emu.state.findUser((u) => u.userPrincipalName.includes('#EXT#'));
      assert.ok(guest);
      const user = assertOk(await delegatedClient(emu).getProfile(guest.userPrincipalName));
      assert.equal(user.id, guest.id);
      assert.match(graphRequests(emu)[0]?.rawUrl ?? '', /%23EXT%23/);
    });

    it('returns Graph\'s 404 with its request id for an unknown user', async () => {
      const r = await delegatedClient(emu).getProfile('00000000-0000-4000-8000-0000000000aa');
      assertFail(r, 'Request_ResourceNotFound');
      if (!r.success) {
        assert.equal(r.error.status, 404);
        assert.equal(r.error.requestId, graphRequests(emu)[0]?.requestId);
      }
    });

    it('rejects a malformed id without sending anything', async () => {
      assertFail(await delegatedClient(emu).getProfile('../groups'), 'ValidationError');
      assertFail(await delegatedClient(emu).getProfile(''), 'ValidationError');
      assert.equal(graphRequests(emu).length, 0);
    });

    it('reports /me with an app-only token as Graph\'s error, not an exception', async () => {
      const r = await appClient(emu).getProfile();
      assert.equal(r.success, false);
      if (!r.success) assert.equal(r.error.status, 400);
    });
  });

  describe('getManager', () => {
    it('returns the manager', async () => {
      const u = emu.state.findUser((x) => emu.state.managerOf(x.id) !== undefined);
      assert.ok(u);
      const m = assertOk(await delegatedClient(emu).getManager(u.id));
      assert.equal(m?.id, emu.state.managerOf(u.id)?.id);
      assert.equal(m?.['@odata.type'], '#microsoft.graph.user');
      assert.equal(graphRequests(emu)[0]?.path, `/v1.0/users/${u.id}/manager`);
    });

    it('returns null (success) when there is no manager', async () => {
      const top = emu.state.findUser((x) => emu.state.managerOf(x.id) === undefined);
      assert.ok(top);
      assert.deepEqual(await delegatedClient(emu).getManager(top.id), { success: true, data: null });
      assert.equal(graphRequests(emu)[0]?.status, 404);
    });

    it('fails for a user that does not exist', async () => {
      assertFail(await delegatedClient(emu).getManager('00000000-0000-4000-8000-0000000000bb'), 'Request_ResourceNotFound');
    });
  });

  describe('getMs365Groups', () => {
    it('returns exactly the direct Unified memberships, as an advanced query', async () => {
      const u = emu.state.findUser((x) => emu.state.memberOfGroups(x.id).some((g) => emu.state.group(g)?.groupTypes.includes('Unified')));
      assert.ok(u);
      const groups = assertOk(await delegatedClient(emu).getMs365Groups(u.id));
      const expected = emu.state.memberOfGroups(u.id).filter((g) => emu.state.group(g)?.groupTypes.includes('Unified')).sort();
      assert.deepEqual(groups.map((g) => g.id).sort(), expected);
      const [req] = graphRequests(emu);
      assert.equal(req?.path, `/v1.0/users/${u.id}/memberOf/microsoft.graph.group`);
      assert.equal(req?.headers.consistencylevel, 'eventual');
      assert.equal(req?.query.$count, 'true');
      assert.equal(req?.query.$filter, "groupTypes/any(c:c eq 'Unified')");
    });
  });

  describe('getOrganizationUsers', () => {
    it('pages through every enabled user with $top=999 and a server-side filter', async () => {
      const users = assertOk(await delegatedClient(emu).getOrganizationUsers());
      const enabled = [...emu.state.users()].filter((u) => u.accountEnabled);
      assert.equal(users.length, enabled.length);
      assert.equal(new Set(users.map((u) => u.id)).size, users.length);
      assert.ok(users.every((u) => u.accountEnabled === true));
      const reqs = graphRequests(emu);
      assert.equal(reqs.length, Math.ceil(enabled.length / 999));
      assert.equal(reqs[0]?.query.$top, '999');
      assert.equal(reqs[0]?.query.$filter, 'accountEnabled eq true');
      assert.ok(reqs.slice(1).every((r) => r.query.$skiptoken), 'later pages follow the nextLink');
    });

    it('includes disabled accounts on request', async () => {
      const users = assertOk(await delegatedClient(emu).getOrganizationUsers({ includeDisabled: true }));
      assert.equal(users.length, emu.state.usersById.size);
    });

    it('stops paging as soon as maxItems is met', async () => {
      const users = assertOk(await delegatedClient(emu).getOrganizationUsers({ maxItems: 1200 }));
      assert.equal(users.length, 1200);
      assert.equal(graphRequests(emu).length, 2);
      const few = assertOk(await delegatedClient(emu).getOrganizationUsers({ maxItems: 5 }));
      assert.equal(few.length, 5);
      assert.equal(graphRequests(emu).at(-1)?.query.$top, '5');
    });

    it('rejects a bad maxItems without a request', async () => {
      assertFail(await delegatedClient(emu).getOrganizationUsers({ maxItems: 0 }), 'ValidationError');
      assert.equal(graphRequests(emu).length, 0);
    });

    it('fails rather than truncating when a later page fails', async () => {
      emu.scriptFaults([{ kind: '504', count: 1, match: { pathIncludes: 'skiptoken' } }]);
      const broken = await delegatedClient(emu, { maxRetries: 0 }).getOrganizationUsers();
      assertFail(broken, 'GatewayTimeout');
      assert.ok(graphRequests(emu).length >= 2, 'the first page was read before the failure');
    });
  });

  describe('counts', () => {
    it('counts enabled users, all users and groups with $count and ConsistencyLevel', async () => {
      const c = delegatedClient(emu);
      const enabled = [...emu.state.users()].filter((u) => u.accountEnabled).length;
      assert.equal(assertOk(await c.countUsers()), enabled);
      assert.equal(assertOk(await c.countUsers({ includeDisabled: true })), emu.state.usersById.size);
      assert.equal(assertOk(await c.countGroups()), emu.state.groupsById.size);
      const [req] = graphRequests(emu);
      assert.equal(req?.path, '/v1.0/users/$count');
      assert.equal(req?.headers.consistencylevel, 'eventual');
      assert.equal(req?.query.$filter, 'accountEnabled eq true');
    });

    it('counts search matches with the same query as the search', async () => {
      const c = delegatedClient(emu);
      const found = assertOk(await c.searchGroups('team'));
      assert.equal(assertOk(await c.countGroups({ search: 'team' })), found.length);
    });
  });

  describe('getOrganizationGroups and searchGroups', () => {
    it('lists every group', async () => {
      const groups = assertOk(await delegatedClient(emu).getOrganizationGroups());
      assert.equal(groups.length, emu.state.groupsById.size);
      assert.equal(graphRequests(emu)[0]?.query.$top, '999');
    });

    it('finds groups by a word of their description, with ConsistencyLevel', async () => {
      const target = emu.state.findGroup((g) => typeof g.description === 'string' && /^[A-Za-z]{4,}\b/.test(g.description));
      assert.ok(target?.description);
      const word = target.description.split(/\s+/)[0] ?? '';
      const found = assertOk(await delegatedClient(emu).searchGroups(word));
      assert.ok(found.some((g) => g.id === target.id));
      const [req] = graphRequests(emu);
      assert.equal(req?.headers.consistencylevel, 'eventual');
      assert.equal(req?.query.$search, `"displayName:${word}" OR "description:${word}"`);
    });

    it('keeps a hostile search term inside its clause', async () => {
      const r = await delegatedClient(emu).searchGroups('x" OR "displayName:a');
      assert.equal(r.success, true);
      assert.equal(graphRequests(emu)[0]?.query.$search, '"displayName:x\\" OR \\"displayName:a" OR "description:x\\" OR \\"displayName:a"');
    });

    it('rejects an empty search without a request', async () => {
      assertFail(await delegatedClient(emu).searchGroups('  '), 'ValidationError');
      assert.equal(graphRequests(emu).length, 0);
    });
  });
});
