/** GraphClient.searchMemberObjects against the emulator: service principals and devices found by name, typed. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GraphClient } from '../../src/core';
import { startEmulator, type Emulator } from '../emulator';
import { SEEDED_DEVICES, SEEDED_SERVICE_PRINCIPALS } from '../emulator/directory/appsAndDevices';

let emu: Emulator;
const client = (scopes: string[]): GraphClient =>
  new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes })) });

before(async () => {
  emu = await startEmulator({ users: 20, groups: 5, seed: 3 });
});
after(() => emu.close());

describe('GraphClient.searchMemberObjects', () => {
  it('finds service principals and devices by display name, each typed, through an eventual-consistency $search', async () => {
    const graph = client(['Directory.Read.All']);
    emu.clearLog();
    const sps = await graph.searchMemberObjects('servicePrincipal', 'payroll');
    assert.ok(sps.success);
    assert.deepEqual(sps.data.map((o) => [o.id, o['@odata.type'], o.appId]), [[SEEDED_SERVICE_PRINCIPALS[0]?.id, '#microsoft.graph.servicePrincipal', SEEDED_SERVICE_PRINCIPALS[0]?.appId]]);
    const request = emu.log.find((e) => e.path === '/v1.0/servicePrincipals');
    assert.equal(request?.query['$search'], '"displayName:payroll"');
    assert.equal(request?.headers['consistencylevel'], 'eventual');

    const devices = await graph.searchMemberObjects('device', 'kiosk', { maxItems: 1 });
    assert.ok(devices.success);
    assert.equal(devices.data.length, 1);
    assert.equal(devices.data[0]?.['@odata.type'], '#microsoft.graph.device');
    assert.ok(SEEDED_DEVICES.some((d) => d.id === devices.data[0]?.id && d.displayName.startsWith('Kiosk')));
  });

  it('answers a blank term with a validation error unsent, and a refusal as an error value', async () => {
    emu.clearLog();
    const blank = await client(['Directory.Read.All']).searchMemberObjects('device', '   ');
    assert.equal(blank.success, false);
    assert.equal(emu.log.filter((e) => e.path.startsWith('/v1.0/')).length, 0);
    const refused = await client(['User.Read.All']).searchMemberObjects('device', 'kiosk');
    assert.ok(!refused.success);
    assert.equal(refused.error.status, 403);
  });
});
