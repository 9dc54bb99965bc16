import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator } from '../emulator/index';
import { OpenApiValidator } from '../emulator/openapiValidator';
import { TestClient } from '../emulator/testClient';
import { USER_TYPE, GROUP_TYPE } from '../emulator/directory/schema';

/** Real emulator answers checked against the official v1.0 users/groups OpenAPI subset. */
describe('emulator: OpenAPI conformance', () => {
  let em: Emulator;
  let c: TestClient;
  const v = OpenApiValidator.fromFile();

  const conforms = async (url: string, pathTemplate: string, status = '2XX', advanced = false): Promise<Record<string, unknown>> => {
    const a = advanced ? await c.getAdvanced(url) : await c.get(url);
    const expectOk = status === '2XX';
    assert.equal(a.status >= 200 && a.status < 300, expectOk, `${url} → ${a.status} ${a.text.slice(0, 200)}`);
    const issues = v.validate(v.responseSchema(pathTemplate, 'get', status), a.json);
    assert.deepEqual(issues, [], `${url} does not match ${pathTemplate} ${status}`);
    return a.json as Record<string, unknown>;
  };

  before(async () => {
    em = await startEmulator({ users: 150, groups: 25, seed: 3 });
    c = new TestClient(em, em.issueToken({ kind: 'app' }));
  });
  after(() => em.close());

  it('validates the validator itself on known-good and known-bad values', () => {
    const user = v.component('microsoft.graph.user');
    assert.deepEqual(v.validate(user, { id: 'x', displayName: 'A', businessPhones: [], accountEnabled: true }), []);
    assert.notDeepEqual(v.validate(user, { displayName: 5 }), []);
    assert.notDeepEqual(v.validate(user, { accountEnabled: 'yes' }), []);
    assert.notDeepEqual(v.validate(user, { displayNmae: 'typo' }), [], 'an undeclared scalar property is caught');
    assert.notDeepEqual(v.validate(user, { createdDateTime: '2026-11-27T19:03:10' }), [], 'date-time needs a zone');
    const dirObj = { $ref: '#/components/schemas/microsoft.graph.directoryObject' };
    assert.deepEqual(v.validate(dirObj, { '@odata.type': '#microsoft.graph.group', id: 'g', groupTypes: ['Unified'] }), []);
    assert.notDeepEqual(v.validate(dirObj, { '@odata.type': '#microsoft.graph.group', groupTypes: 'Unified' }), []);
    assert.notDeepEqual(v.validate(dirObj, { '@odata.type': '#microsoft.graph.nothing', id: 'x' }), []);
    const org = v.component('microsoft.graph.organization');
    assert.deepEqual(v.validate(org, { id: 't', displayName: 'Contoso', verifiedDomains: [{ name: 'contoso.com', isDefault: true }] }), []);
    assert.notDeepEqual(v.validate(org, { verifiedDomains: [{ isDefault: 'yes' }] }), []);
    assert.notDeepEqual(v.validate(org, { defaultDomain: 'contoso.com' }), [], 'organization has no defaultDomain property');
  });

  it('users: collection (default and selected properties), single user, /me-style select', async () => {
    await conforms('/users', '/users');
    await conforms(
      '/users?$select=id,displayName,accountEnabled,userType,createdDateTime,usageLocation,companyName,city,country,otherMails,proxyAddresses,employeeId,onPremisesSyncEnabled,department,mailNickname,creationType,externalUserState&$top=200',
      '/users',
    );
    const one = await conforms(`/users/${em.state.adminUserId}`, '/users/{user-id}');
    assert.equal(one['id'], em.state.adminUserId);
    await conforms(`/users/${em.state.adminUserId}?$select=displayName,aboutMe,birthday,skills`, '/users/{user-id}');
    await conforms(`/users/${em.state.adminUserId}?$expand=manager`, '/users/{user-id}');
    const everyUserProp = [...USER_TYPE.props.values()].map((p) => p.name).join(',');
    await conforms(`/users/${em.state.adminUserId}?$select=${everyUserProp}`, '/users/{user-id}');
    const collectionProps = [...USER_TYPE.props.values()].filter((p) => !p.singleOnly).map((p) => p.name).join(',');
    await conforms(`/users?$select=${collectionProps}`, '/users');
  });

  it('manager and memberOf: directoryObject-typed answers resolve through @odata.type', async () => {
    const manager = await conforms(`/users/${em.state.adminUserId}/manager`, '/users/{user-id}/manager');
    assert.equal(manager['@odata.type'], '#microsoft.graph.user');
    const memberOf = await conforms(`/users/${em.state.adminUserId}/memberOf`, '/users/{user-id}/memberOf');
    for (const item of memberOf['value'] as Record<string, unknown>[]) assert.equal(item['@odata.type'], '#microsoft.graph.group');
    const cast = await conforms(`/users/${em.state.adminUserId}/memberOf/microsoft.graph.group?$count=true`, '/users/{user-id}/memberOf', '2XX', true);
    assert.equal(typeof cast['@odata.count'], 'number');
  });

  it('groups: collection, single group of every kind, members and owners', async () => {
    const all = await c.all('/groups?$top=999');
    const issues = v.validate(v.responseSchema('/groups', 'get', '2XX'), { value: all.items });
    assert.deepEqual(issues, []);
    for (const kind of ['security', 'microsoft365', 'dynamic'] as const) {
      const g = em.state.groupsOfKind(kind)[0];
      assert.ok(g, kind);
      await conforms(`/groups/${g.id}`, '/groups/{group-id}');
      const members = await conforms(`/groups/${g.id}/members`, '/groups/{group-id}/members');
      for (const m of members['value'] as Record<string, unknown>[]) {
        const type = em.state.usersById.has(String(m['id'])) ? '#microsoft.graph.user' : '#microsoft.graph.group';
        assert.equal(m['@odata.type'], type);
      }
      await conforms(`/groups/${g.id}/owners`, '/groups/{group-id}/owners');
    }
    const everyGroupProp = [...GROUP_TYPE.props.values()].map((p) => p.name).join(',');
    await conforms(`/groups/${em.state.groupsOfKind('microsoft365')[0]?.id}?$select=${everyGroupProp}`, '/groups/{group-id}');
    const nested = em.state.groupsOfKind('security').find((g) => em.state.membersOf(g.id).some((id) => em.state.groupsById.has(id)));
    if (nested) await conforms(`/groups/${nested.id}/members/microsoft.graph.group?$count=true`, '/groups/{group-id}/members', '2XX', true);
  });

  it('directoryObjects: a user and a group by id, typed by @odata.type', async () => {
    const select = '$select=id,displayName,userPrincipalName,mail';
    const user = await conforms(`/directoryObjects/${em.state.adminUserId}?${select}`, '/directoryObjects/{directoryObject-id}');
    assert.equal(user['@odata.type'], '#microsoft.graph.user');
    const g = em.state.groupsOfKind('security')[0];
    assert.ok(g);
    const group = await conforms(`/directoryObjects/${g.id}?${select}`, '/directoryObjects/{directoryObject-id}');
    assert.equal(group['@odata.type'], '#microsoft.graph.group');
    assert.equal(group['userPrincipalName'], undefined, 'a group has no user principal name');
    await conforms('/directoryObjects/00000000-0000-0000-0000-000000000000', '/directoryObjects/{directoryObject-id}', 'default');
  });

  it('organization: the one tenant, whole and selected, as a collection and by id', async () => {
    const list = await conforms('/organization', '/organization');
    const items = list['value'] as Record<string, unknown>[];
    assert.equal(items.length, 1);
    assert.equal(items[0]?.['id'], em.tenantId);
    await conforms('/organization?$select=id,displayName,verifiedDomains', '/organization');
    const one = await conforms(`/organization/${em.tenantId}`, '/organization/{organization-id}');
    assert.equal(one['displayName'], em.tenantName);
    await conforms('/organization/00000000-0000-0000-0000-000000000000', '/organization/{organization-id}', 'default');
    // A signed-in user with only User.Read gets the other properties as null: still the documented shape.
    const limited = await c.call(`/organization/${em.tenantId}`, { token: em.issueToken({ kind: 'delegated', scopes: ['User.Read'] }) });
    assert.equal(limited.status, 200);
    assert.deepEqual(v.validate(v.responseSchema('/organization/{organization-id}', 'get', '2XX'), limited.json), []);
  });

  it('errors: 400, 401, 403 and 404 bodies match the OData error schema', async () => {
    await conforms('/users?$skip=1', '/users', 'default');
    await conforms('/users/00000000-0000-0000-0000-000000000000', '/users/{user-id}', 'default');
    const ceo = [...em.state.users()][1];
    await conforms(`/users/${ceo?.id}/manager`, '/users/{user-id}/manager', 'default');
    const anonymous = await c.call('/groups', { token: null });
    assert.deepEqual(v.validate(v.responseSchema('/groups', 'get', 'default'), anonymous.json), []);
    const weak = await c.call('/groups', { token: em.issueToken({ kind: 'app', roles: ['User.Read.All'] }) });
    assert.equal(weak.status, 403);
    assert.deepEqual(v.validate(v.responseSchema('/groups', 'get', 'default'), weak.json), []);
  });
});
