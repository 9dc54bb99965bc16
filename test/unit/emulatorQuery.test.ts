import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator } from '../emulator/index';
import { TestClient, errorCode, errorMessage } from '../emulator/testClient';

type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.count'?: number; '@odata.context'?: string };

describe('emulator: reading users and groups', () => {
  let em: Emulator;
  let c: TestClient;

  before(async () => {
    em = await startEmulator({ users: 1_200, groups: 40, seed: 11 });
    c = new TestClient(em, em.issueToken({ kind: 'app' }));
  });
  after(() => em.close());

  it('pages with absolute next links until every user was seen once', async () => {
    const { items, pages, first } = await c.all('/users?$select=id,displayName&$top=250&$count=true', { consistencylevel: 'eventual' });
    assert.equal(items.length, em.state.usersById.size);
    assert.equal(new Set(items.map((u) => u['id'])).size, items.length, 'no duplicates');
    assert.equal(pages, Math.ceil(items.length / 250));
    assert.equal(first['@odata.count'], items.length);
    const page1 = (await c.get('/users?$top=250&$select=id')).json as Page;
    const next = page1['@odata.nextLink'] ?? '';
    assert.ok(next.startsWith(`${em.graphUrl}/users?`), next);
    assert.match(next, /\$top=250/);
    assert.match(next, /\$skiptoken=/);
    assert.doesNotMatch(next, /\$skip=/);
    // Re-requesting the same next link (a retry) yields the same page.
    const again1 = (await c.get(next)).json as Page;
    const again2 = (await c.get(next)).json as Page;
    assert.deepEqual(again1.value, again2.value);
    assert.equal(((await c.get('/users')).json as Page).value.length, 100, 'default page size 100');
  });

  it('returns the 11 default user properties, accountEnabled only when selected', async () => {
    const u = ((await c.get('/users?$top=1')).json as Page).value[0] ?? {};
    assert.deepEqual(Object.keys(u).sort(), [
      'businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName',
    ]);
    const sel = (await c.get('/users?$top=1&$select=displayName,accountEnabled')).json as Page;
    assert.deepEqual(Object.keys(sel.value[0] ?? {}), ['displayName', 'accountEnabled']);
    assert.match(sel['@odata.context'] ?? '', /\$metadata#users\(displayName,accountEnabled\)$/);
    const bad = await c.get('/users?$select=displayName,nope');
    assert.equal(bad.status, 400);
    assert.equal(errorCode(bad), 'Request_BadRequest');
    assert.equal(errorMessage(bad), "Could not find a property named 'nope' on type 'microsoft.graph.user'.");
  });

  it('filters with eq, startswith, in, and/or, lambdas and escaped quotes', async () => {
    const enabled = await c.all('/users?$filter=accountEnabled eq true&$select=id,accountEnabled&$top=999');
    assert.equal(enabled.items.length, [...em.state.users()].filter((u) => u.accountEnabled).length);
    assert.ok(enabled.items.every((u) => u['accountEnabled'] === true));

    const sw = (await c.get("/users?$filter=startswith(displayName,'ana')&$select=displayName&$top=999")).json as Page;
    assert.ok(sw.value.length > 0 && sw.value.every((u) => String(u['displayName']).toLowerCase().startsWith('ana')));

    const unified = (await c.get("/groups?$filter=groupTypes/any(c:c eq 'Unified')&$select=id,groupTypes")).json as Page;
    assert.equal(unified.value.length, em.state.groupsOfKind('microsoft365').length);

    const two = [...em.state.users()].slice(3, 5);
    const inList = (await c.get(`/users?$filter=id in ('${two[0]?.id}','${two[1]?.id}')&$select=id`)).json as Page;
    assert.deepEqual(inList.value.map((u) => u['id']).sort(), two.map((u) => u.id).sort());

    const combo = (await c.get("/users?$filter=(department eq 'Sales' or department eq 'Legal') and accountEnabled eq false&$select=department,accountEnabled&$top=999")).json as Page;
    assert.ok(combo.value.every((u) => ['Sales', 'Legal'].includes(String(u['department'])) && u['accountEnabled'] === false));

    const obrien = (await c.get(`/users?$filter=${encodeURIComponent("surname eq 'O''Brien'")}&$select=surname`)).json as Page;
    assert.ok(obrien.value.length >= 1 && obrien.value.every((u) => u['surname'] === "O'Brien"));

    const ne = await c.get('/users?$filter=accountEnabled ne true');
    assert.equal(ne.status, 400);
    assert.equal(errorCode(ne), 'Request_UnsupportedQuery');
    const neAdvanced = await c.getAdvanced('/users?$filter=accountEnabled ne true&$count=true&$select=accountEnabled');
    assert.equal(neAdvanced.status, 200);
    assert.ok((neAdvanced.json as Page).value.every((u) => u['accountEnabled'] === false));

    const syntax = await c.get("/users?$filter=displayName eq 'x' and");
    assert.equal(syntax.status, 400);
    assert.equal(errorCode(syntax), 'Request_BadRequest');
    assert.match(errorMessage(syntax) ?? '', /^Invalid filter clause/);
    const descr = await c.get("/groups?$filter=startswith(description,'Team')");
    assert.equal(errorCode(descr), 'Request_UnsupportedQuery');
  });

  it('requires ConsistencyLevel for $search, /$count and @odata.count', async () => {
    const noHeader = await c.get('/groups?$search="displayName:project"');
    assert.equal(noHeader.status, 400);
    assert.equal(errorCode(noHeader), 'Request_UnsupportedQuery');
    assert.match(errorMessage(noHeader) ?? '', /ConsistencyLevel: eventual/);

    const found = (await c.getAdvanced('/groups?$search="displayName:project" OR "description:planning"&$select=displayName,description&$count=true')).json as Page;
    assert.ok(found.value.length > 0);
    assert.equal(found['@odata.count'], found.value.length);
    const malformed = await c.getAdvanced('/groups?$search="displayName:project');
    assert.equal(errorCode(malformed), 'Request_BadRequest');
    assert.match(errorMessage(malformed) ?? '', /^Syntax error/);

    const silently = (await c.get('/users?$count=true&$top=5')).json as Page;
    assert.equal(silently['@odata.count'], undefined, '$count=true without the header is ignored');

    const count = await c.getAdvanced('/users/$count');
    assert.equal(count.status, 200);
    assert.match(count.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(Number(count.text), em.state.usersById.size);
    const countFiltered = await c.getAdvanced('/users/$count?$filter=accountEnabled eq false');
    assert.equal(Number(countFiltered.text), [...em.state.users()].filter((u) => !u.accountEnabled).length);
    const countNoHeader = await c.get('/users/$count');
    assert.equal(countNoHeader.status, 400);
    assert.equal(errorMessage(countNoHeader), '$count is not currently supported.');
  });

  it('enforces $top bounds, refuses $skip, and sorts', async () => {
    assert.equal(errorCode(await c.get('/users?$top=1000')), 'Request_BadRequest');
    assert.equal((await c.get('/users?$top=999')).status, 200);
    const skip = await c.get('/users?$skip=10');
    assert.equal(errorMessage(skip), "'$skip' is not supported by the service.");
    const sorted = ((await c.get('/users?$orderby=displayName desc&$select=displayName&$top=50')).json as Page).value.map((u) => String(u['displayName']).toLowerCase());
    assert.deepEqual(sorted, [...sorted].sort().reverse());
    assert.equal(errorCode(await c.get("/users?$orderby=displayName&$filter=accountEnabled eq true")), 'Request_UnsupportedQuery');
  });

  it('serves single users by id, UPN (case-insensitive, encoded guests) and the key-as-segment form', async () => {
    const guest = em.state.findUser((u) => u.userType === 'Guest');
    assert.ok(guest);
    const byUpn = await c.get(`/users/${encodeURIComponent(guest.userPrincipalName.toUpperCase())}`);
    assert.equal(byUpn.status, 200);
    assert.equal((byUpn.json as { id: string }).id, guest.id);
    const quoted = await c.get(`/users('${encodeURIComponent(guest.userPrincipalName)}')?$select=id`);
    assert.equal((quoted.json as { id: string }).id, guest.id);
    const missing = await c.get('/users/00000000-0000-0000-0000-000000000000');
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing), 'Request_ResourceNotFound');
    assert.equal(errorMessage(missing), "Resource '00000000-0000-0000-0000-000000000000' does not exist or one of its queried reference-property objects are not present.");
    const inner = (missing.json as { error: { innerError: Record<string, string> } }).error.innerError;
    assert.match(inner['date'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(inner['request-id'], missing.headers.get('request-id'));
  });

  it('answers manager, directReports and the manager 404', async () => {
    const admin = em.state.adminUserId;
    const m = await c.get(`/users/${admin}/manager`);
    assert.equal(m.status, 200);
    assert.equal((m.json as Record<string, unknown>)['@odata.type'], '#microsoft.graph.user');
    const ceo = [...em.state.users()][1];
    const none = await c.get(`/users/${ceo?.id}/manager`);
    assert.equal(none.status, 404);
    assert.equal(errorCode(none), 'Request_ResourceNotFound');
    assert.equal(errorMessage(none), "Resource 'manager' does not exist or one of its queried reference-property objects are not present.");
    const reports = (await c.get(`/users/${ceo?.id}/directReports?$select=id`)).json as Page;
    assert.equal(reports.value.length, em.state.directReportsOf(ceo?.id ?? '').length);
    const expanded = (await c.get(`/users/${admin}?$expand=manager($select=id,displayName)&$select=id`)).json as { manager?: Record<string, unknown> };
    assert.equal(expanded.manager?.['id'], em.state.managers.get(admin));
  });

  it('lists memberships with @odata.type and treats OData casts as advanced queries', async () => {
    const admin = em.state.adminUserId;
    const memberOf = (await c.get(`/users/${admin}/memberOf`)).json as Page;
    assert.ok(memberOf.value.length > 0);
    assert.ok(memberOf.value.every((g) => g['@odata.type'] === '#microsoft.graph.group'));
    const cast = `/users/${admin}/memberOf/microsoft.graph.group?$filter=${encodeURIComponent("groupTypes/any(c:c eq 'Unified')")}&$count=true&$select=id,groupTypes`;
    const noHeader = await c.get(cast);
    assert.equal(noHeader.status, 400);
    assert.equal(errorCode(noHeader), 'Request_UnsupportedQuery');
    const ok = (await c.getAdvanced(cast)).json as Page;
    assert.ok(ok.value.length > 0 && ok.value.every((g) => (g['groupTypes'] as string[]).includes('Unified')));
    assert.match(ok['@odata.context'] ?? '', /#groups\(id,groupTypes\)$/);

    const nested = em.state.groupsOfKind('security').find((g) => em.state.membersOf(g.id).some((id) => em.state.groupsById.has(id)));
    assert.ok(nested, 'a nested security group exists');
    const members = await c.all(`/groups/${nested.id}/members?$select=id`);
    const types = new Set(members.items.map((i) => i['@odata.type']));
    assert.ok(types.has('#microsoft.graph.group') && types.has('#microsoft.graph.user'));
    const transitive = await c.all(`/groups/${nested.id}/transitiveMembers?$select=id`);
    assert.ok(transitive.items.length > members.items.length);
    const usersOnly = await c.getAdvanced(`/groups/${nested.id}/members/microsoft.graph.user?$count=true&$select=id`);
    assert.ok((usersOnly.json as Page).value.every((i) => i['@odata.type'] === '#microsoft.graph.user'));
  });

  it('answers unknown segments, wrong methods and app tokens on /me like Graph', async () => {
    const seg = await c.get('/userz');
    assert.equal(seg.status, 400);
    assert.equal(errorMessage(seg), "Resource not found for the segment 'userz'.");
    const method = await c.call('/users', { method: 'PUT', body: {} });
    assert.equal(method.status, 405);
    assert.equal(errorMessage(method), 'Specified HTTP method is not allowed for the request target.');
    const me = await c.get('/me');
    assert.equal(me.status, 400);
    assert.equal(errorMessage(me), '/me request is only valid with delegated authentication flow.');
    assert.ok(me.headers.get('request-id'));
    const echoed = await c.get('/users?$top=1', { 'client-request-id': 'abc-123' });
    assert.equal(echoed.headers.get('client-request-id'), 'abc-123');
  });
});
