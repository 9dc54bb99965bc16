import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator } from '../emulator/index';
import { TestClient, errorCode } from '../emulator/testClient';
import { decodeJwtClaims } from '../emulator/identity/jwt';

/** GET /organization and /organization/{id}: the tenant's name and domains, under Graph's permission rules. */
describe('emulator: organization', () => {
  let em: Emulator;
  const delegated = (scopes: string[]): TestClient => new TestClient(em, em.issueToken({ kind: 'delegated', scopes }));
  const app = (roles: string[]): TestClient => new TestClient(em, em.issueToken({ kind: 'app', roles }));

  before(async () => {
    em = await startEmulator({ users: 10, groups: 3, seed: 5, tenantName: 'Fabrikam Ltd', domain: 'fabrikam.onmicrosoft.com', customDomain: 'fabrikam.com' });
  });
  after(() => em.close());

  it('lists the one tenant with its id, name and verified domains (initial and default told apart)', async () => {
    const a = await app(['Organization.Read.All']).get('/organization');
    assert.equal(a.status, 200, a.text);
    const value = (a.json as { value: Record<string, unknown>[] }).value;
    assert.equal(value.length, 1);
    const org = value[0] ?? assert.fail('no organization');
    assert.equal(org['id'], em.tenantId);
    assert.equal(org['displayName'], 'Fabrikam Ltd');
    assert.deepEqual(org['verifiedDomains'], [
      { capabilities: 'Email, OfficeCommunicationsOnline', isDefault: false, isInitial: true, name: 'fabrikam.onmicrosoft.com', type: 'Managed' },
      { capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: false, name: 'fabrikam.com', type: 'Managed' },
    ]);
    assert.equal(org['tenantType'], 'AAD');
  });

  it('returns exactly the $select-ed properties, and refuses an unknown one', async () => {
    const c = app(['Directory.Read.All']);
    const a = await c.get('/organization?$select=displayName,city');
    assert.equal(a.status, 200, a.text);
    assert.deepEqual((a.json as { value: unknown[] }).value, [{ displayName: 'Fabrikam Ltd', city: 'Redmond' }]);
    const bad = await c.get('/organization?$select=defaultDomain');
    assert.equal(bad.status, 400);
    assert.equal(errorCode(bad), 'Request_BadRequest');
  });

  it('reads the tenant by its id; any other id is not found', async () => {
    const c = app(['Organization.Read.All']);
    const one = await c.get(`/organization/${em.tenantId.toUpperCase()}?$select=id,displayName`);
    assert.equal(one.status, 200, one.text);
    assert.equal((one.json as Record<string, unknown>)['displayName'], 'Fabrikam Ltd');
    const other = await c.get('/organization/00000000-0000-0000-0000-000000000001');
    assert.equal(other.status, 404);
    assert.equal(errorCode(other), 'Request_ResourceNotFound');
    const write = await c.call(`/organization/${em.tenantId}`, { method: 'DELETE' });
    assert.equal(write.status, 405);
  });

  it('lets a signed-in user with User.Read see only id, name and domains; the rest reads as null', async () => {
    const a = await delegated(['User.Read']).get(`/organization/${em.tenantId}`);
    assert.equal(a.status, 200, a.text);
    const org = a.json as Record<string, unknown>;
    assert.equal(org['displayName'], 'Fabrikam Ltd');
    assert.equal((org['verifiedDomains'] as unknown[]).length, 2);
    assert.equal(org['city'], null);
    assert.equal(org['tenantType'], null);
    assert.deepEqual(org['technicalNotificationMails'], []);
    const full = await delegated(['User.Read', 'Directory.Read.All']).get(`/organization/${em.tenantId}`);
    assert.equal((full.json as Record<string, unknown>)['city'], 'Redmond');
  });

  it('refuses callers without a permission the doc lists', async () => {
    for (const [what, c] of [
      ['app with User.Read.All', app(['User.Read.All', 'Group.ReadWrite.All'])],
      ['user without User.Read', delegated(['User.ReadBasic.All'])],
    ] as const) {
      const a = await c.get('/organization');
      assert.equal(a.status, 403, what);
      assert.equal(errorCode(a), 'Authorization_RequestDenied', what);
    }
    for (const roles of [['Organization.Read.All'], ['Organization.ReadWrite.All'], ['Directory.Read.All'], ['Directory.ReadWrite.All']]) {
      assert.equal((await app(roles).get('/organization')).status, 200, roles.join());
    }
  });

  it('names the app in its access tokens (app_displayname), app-only and delegated', () => {
    for (const kind of ['app', 'delegated'] as const) {
      const claims = decodeJwtClaims(em.issueToken({ kind }));
      assert.equal(claims?.['app_displayname'], 'Entra ID Directory (emulator demo)', kind);
    }
  });
});
