import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Emulator } from '../emulator';
import { GRAPH_OPENAPI_PATH } from '../emulator/openapiValidator';
import { assertOk, delegatedClient, startIntegrationEmulator, untilReadable } from './helpers';

/** Paths the product uses that the subset does not list; Graph documents them with the same conventions. */
const DOCUMENTED_ELSEWHERE: Array<[string, RegExp]> = [
  ['GET', /^\/me$/],
  ['GET', /^\/(me|users\/[^/]+)\/manager$/],
  ['GET', /^\/(me|users\/[^/]+)\/(memberOf|transitiveMemberOf)\/microsoft\.graph\.group$/],
  ['GET', /^\/(me|users\/[^/]+)\/directReports$/],
  ['POST', /^\/\$batch$/],
];

interface Spec {
  paths: Record<string, Record<string, unknown>>;
}

function templateRegex(template: string): RegExp {
  const body = template.split('/').map((seg) => (/^\{.+\}$/.test(seg) ? '[^/]+' : seg.replace(/[$.]/g, '\\$&'))).join('/');
  return new RegExp(`^${body}$`);
}

describe('the client\'s requests match the Graph v1.0 description', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 80, groups: 20, seed: 11 });
  });
  after(() => emu.close());

  it('uses only documented paths and methods', async () => {
    const c = delegatedClient(emu);
    const user = emu.state.findUser((u) => u.accountEnabled && emu.state.managerOf(u.id) !== undefined);
    const group = emu.state.findGroup((g) => g.securityEnabled && !g.onPremisesSyncEnabled && !g.isAssignableToRole && g.groupTypes.length === 0);
    assert.ok(user && group);
    const others = [...emu.state.users()].filter((u) => u.accountEnabled && !emu.state.isMember(group.id, u.id)).slice(0, 3).map((u) => u.id);
    assertOk(await c.getProfile());
    assertOk(await c.getProfile(user.userPrincipalName));
    assertOk(await c.getManager(user.id));
    assertOk(await c.getMs365Groups(user.id));
    assertOk(await c.getOrganizationUsers({ maxItems: 10 }));
    assertOk(await c.getOrganizationGroups({ maxItems: 10 }));
    assertOk(await c.searchGroups('team'));
    assertOk(await c.searchUsers('a'));
    assertOk(await c.getGroup(group.id));
    assertOk(await c.getDirectoryObject(user.id));
    assertOk(await c.getDirectoryObject(group.id));
    assertOk(await c.getOrganization());
    assertOk(await c.groupMembersPage(group.id));
    assertOk(await c.groupOwnersPage(group.id));
    assertOk(await c.userGroupsPage(user.id, { transitive: true }));
    assertOk(await c.directReportsPage(user.id));
    assertOk(await c.getDirectReports(user.id, { maxItems: 10 }));
    assertOk(await c.getUserGroups(user.id, { transitive: false }));
    for (const relation of ['members', 'transitiveMembers', 'memberOf', 'transitiveMemberOf'] as const) assertOk(await c.getGroupRelatives(group.id, relation));
    const created = assertOk(await c.createGroup({ displayName: 'Spec check', kind: 'security' }));
    // A new group answers writes by id only once it has replicated.
    await untilReadable(emu, created.id);
    assertOk(await c.updateGroup(created.id, { description: 'checked' }));
    assertOk(await c.addMemberToGroup(created.id, others[0] ?? ''));
    assertOk(await c.addMembersToGroup(created.id, others.slice(1)));
    assertOk(await c.removeMemberFromGroup(created.id, others[0] ?? ''));
    assertOk(await c.addOwner(created.id, others[0] ?? ''));
    assertOk(await c.addOwner(created.id, others[1] ?? ''));
    assertOk(await c.removeOwner(created.id, others[0] ?? ''));
    assertOk(await c.groupMemberOfPage(group.id));
    assertOk(await c.groupMembersPage(group.id, { search: 'a' }));
    assertOk(await c.updateUser(user.id, { jobTitle: 'Checked' }));
    assertOk(await c.setManager(user.id, others[1] ?? ''));
    assertOk(await c.removeManager(user.id));
    assertOk(await c.deleteGroup(created.id));

    const spec = parse(readFileSync(GRAPH_OPENAPI_PATH, 'utf8')) as Spec;
    const templates = Object.entries(spec.paths).map(([template, ops]) => ({ template, re: templateRegex(template), methods: Object.keys(ops).map((m) => m.toUpperCase()) }));
    const seen = new Set<string>();
    for (const entry of emu.log) {
      if (!entry.path.startsWith('/v1.0/')) continue;
      const path = entry.path.slice('/v1.0'.length);
      const documented = templates.find((t) => t.re.test(path) && t.methods.includes(entry.method));
      const elsewhere = DOCUMENTED_ELSEWHERE.some(([method, re]) => method === entry.method && re.test(path));
      assert.ok(documented || elsewhere, `${entry.method} ${path} is not a documented Graph v1.0 operation`);
      if (documented) seen.add(`${entry.method} ${documented.template}`);
    }
    // The run exercised the spec's core operations, not only the extras.
    for (const op of ['GET /users', 'GET /users/{user-id}', 'GET /groups', 'POST /groups', 'PATCH /groups/{group-id}', 'DELETE /groups/{group-id}', 'GET /groups/{group-id}/members', 'GET /groups/{group-id}/owners', 'POST /groups/{group-id}/members/$ref', 'DELETE /groups/{group-id}/members/{directoryObject-id}/$ref', 'POST /groups/{group-id}/owners/$ref', 'DELETE /groups/{group-id}/owners/{directoryObject-id}/$ref', 'GET /groups/{group-id}/memberOf/microsoft.graph.group', 'PATCH /users/{user-id}', 'PUT /users/{user-id}/manager/$ref', 'DELETE /users/{user-id}/manager/$ref', 'GET /directoryObjects/{directoryObject-id}', 'GET /organization']) {
      assert.ok(seen.has(op), `${op} was exercised`);
    }
  });
});
