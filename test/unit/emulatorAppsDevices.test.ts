import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator, GroupRecord } from '../emulator/index';
import { TestClient, bindUrl, errorCode } from '../emulator/testClient';

const EVENTUAL = { ConsistencyLevel: 'eventual' };

describe('emulator: service principals and devices', () => {
  let em: Emulator;
  let c: TestClient;
  let sg: GroupRecord;
  let m365: GroupRecord;

  before(async () => {
    em = await startEmulator({ users: 60, groups: 30, seed: 11 });
    c = new TestClient(em, em.issueToken({ kind: 'app' }));
    const g = em.state.groupsOfKind('security').find((x) => x.isAssignableToRole !== true && x.onPremisesSyncEnabled !== true);
    const u = em.state.groupsOfKind('microsoft365')[0];
    assert.ok(g && u);
    sg = g;
    m365 = u;
  });
  after(() => em.close());

  it('lists service principals and devices with $select, $top, $search and $count', async () => {
    const sps = await c.get('/servicePrincipals?$select=id,displayName,appId&$top=2');
    assert.equal(sps.status, 200);
    const page = sps.json as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
    assert.equal(page.value.length, 2);
    assert.deepEqual(Object.keys(page.value[0] ?? {}).sort(), ['appId', 'displayName', 'id']);
    assert.ok(page['@odata.nextLink']);

    const found = await c.get('/devices?$search="displayName:kiosk"&$count=true&$select=id,displayName,deviceId', EVENTUAL);
    assert.equal(found.status, 200);
    const body = found.json as { value: { displayName: string }[]; '@odata.count': number };
    assert.deepEqual(body.value.map((d) => d.displayName).sort(), ['Kiosk Lobby 01', 'Kiosk Lobby 02']);
    assert.equal(body['@odata.count'], 2);

    const noHeader = await c.get('/devices?$search="displayName:kiosk"');
    assert.equal(noHeader.status, 400);
    const count = await c.get('/servicePrincipals/$count', EVENTUAL);
    assert.equal(count.status, 200);
    assert.equal(count.text, '3');
    const badSelect = await c.get('/devices?$select=userPrincipalName');
    assert.equal(badSelect.status, 400);
  });

  it('resolves them through /directoryObjects with their @odata.type', async () => {
    const spId = [...em.state.servicePrincipalsById.values()].find((x) => x.displayName === 'Build Agent')?.id;
    assert.ok(spId);
    const got = await c.get(`/directoryObjects/${spId}`);
    assert.equal(got.status, 200);
    assert.equal((got.json as Record<string, unknown>)['@odata.type'], '#microsoft.graph.servicePrincipal');
    assert.equal((got.json as Record<string, unknown>)['displayName'], 'Build Agent');
  });

  it('adds a service principal and a device to a security group; members list them with their type', async () => {
    const sp = [...em.state.servicePrincipalsById.values()][0];
    const device = [...em.state.devicesById.values()][0];
    assert.ok(sp && device);
    const add = await c.call(`/groups/${sg.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(sp.id, 'servicePrincipals') } });
    assert.equal(add.status, 204);
    const bind = await c.call(`/groups/${sg.id}`, { method: 'PATCH', body: { 'members@odata.bind': [bindUrl(device.id, 'devices')] } });
    assert.equal(bind.status, 204);
    const members = await c.get(`/groups/${sg.id}/members?$select=id,displayName&$top=999`);
    const value = (members.json as { value: Record<string, unknown>[] }).value;
    assert.equal(value.find((m) => m['id'] === sp.id)?.['@odata.type'], '#microsoft.graph.servicePrincipal');
    assert.equal(value.find((m) => m['id'] === device.id)?.['@odata.type'], '#microsoft.graph.device');
    assert.equal(value.find((m) => m['id'] === device.id)?.['displayName'], device.displayName);
  });

  it('refuses them as members of a Microsoft 365 group, and a device as an owner', async () => {
    const sp = [...em.state.servicePrincipalsById.values()][1];
    const device = [...em.state.devicesById.values()][1];
    assert.ok(sp && device);
    const spAdd = await c.call(`/groups/${m365.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(sp.id, 'servicePrincipals') } });
    assert.equal(spAdd.status, 400);
    assert.equal(errorCode(spAdd), 'Request_BadRequest');
    const deviceBind = await c.call(`/groups/${m365.id}`, { method: 'PATCH', body: { 'members@odata.bind': [bindUrl(device.id, 'devices')] } });
    assert.equal(deviceBind.status, 400);
    assert.ok(!em.state.isMember(m365.id, sp.id) && !em.state.isMember(m365.id, device.id));
    const owner = await c.call(`/groups/${sg.id}/owners/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(device.id, 'devices') } });
    assert.equal(owner.status, 400);
  });

  it('needs a permission on the service principal or device to link it', async () => {
    const narrow = new TestClient(em, em.issueToken({ kind: 'app', roles: ['GroupMember.ReadWrite.All'] }));
    const sp = [...em.state.servicePrincipalsById.values()][2];
    const device = [...em.state.devicesById.values()][2];
    assert.ok(sp && device);
    const spAdd = await narrow.call(`/groups/${sg.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(sp.id, 'servicePrincipals') } });
    assert.equal(spAdd.status, 403);
    const deviceAdd = await narrow.call(`/groups/${sg.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(device.id, 'devices') } });
    assert.equal(deviceAdd.status, 403);
    const list = await narrow.get('/devices');
    assert.equal(list.status, 403);
    assert.ok(!em.state.isMember(sg.id, sp.id) && !em.state.isMember(sg.id, device.id));
  });
});
