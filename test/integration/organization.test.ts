import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GraphClient } from '../../src/core';
import type { Emulator } from '../emulator';
import { appClient, assertFail, assertOk, delegatedClient, graphRequests, startIntegrationEmulator } from './helpers';

describe('getOrganization against the emulator', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 30, groups: 5, seed: 7, tenantName: 'Northwind Traders', domain: 'northwind.onmicrosoft.com', customDomain: 'northwind.example' });
  });
  after(() => emu.close());
  beforeEach(() => emu.clearLog());

  it('names the tenant and tells its default domain from its initial one, selecting only what it shows', async () => {
    const org = assertOk(await appClient(emu).getOrganization());
    assert.deepEqual(org, { id: emu.tenantId, displayName: 'Northwind Traders', defaultDomain: 'northwind.example', initialDomain: 'northwind.onmicrosoft.com' });
    const [req] = graphRequests(emu);
    assert.equal(req?.method, 'GET');
    assert.equal(req?.path, '/v1.0/organization');
    assert.equal(req?.query.$select, 'id,displayName,verifiedDomains');
  });

  it('gets the same answer with a signed-in user\'s least privilege (User.Read)', async () => {
    const c = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ['User.Read'] })) });
    const org = assertOk(await c.getOrganization());
    assert.equal(org.displayName, 'Northwind Traders');
    assert.equal(org.defaultDomain, 'northwind.example');
    assert.deepEqual(assertOk(await delegatedClient(emu).getOrganization()), org);
  });

  it('returns Graph\'s 403 as a value for an app without an organization or directory permission', async () => {
    const c = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'app', roles: ['User.Read.All'] })) });
    const r = await c.getOrganization();
    assertFail(r, 'Authorization_RequestDenied');
    if (!r.success) assert.equal(r.error.status, 403);
  });
});
