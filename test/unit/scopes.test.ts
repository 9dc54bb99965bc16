/**
 * Least privilege: the one permission table (what browsing asks for, what each write asks for), how a write's
 * permission reaches the token provider, and the app registration scripts the guided setup writes from the same table.
 */
import * as assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import {
  adminPortalUrl, APP_DISPLAY_NAME, azureCliScript, GRAPH_APP_ID, permissionsOf, powerShellScript, REDIRECT_URI, requiredResourceAccess,
} from '../../src/auth/appRegistration';
import { CLOUDS, type CloudEndpoints } from '../../src/auth/clouds';
import { startLoopbackRedirect } from '../../src/auth/loopbackRedirect';
import { scopeToAsk } from '../../src/auth/signInManager';
import { clientIdProblem, enterClientId } from '../../src/commands/setupCommands';
import { BROWSE_SCOPES, GraphClient, writeAccess, WRITE_OPERATIONS, type TokenRequest, type WriteOperation } from '../../src/core';
import { Settings } from '../../src/settings';
import { fakeUi, settings as userSettings } from '../support/vscodeFake';
import type { CommandDeps } from '../../src/commands/types';

/**
 * Microsoft Graph's delegated permission ids, copied from https://learn.microsoft.com/graph/permissions-reference
 * (Identifier, Delegated column) for this test, independently of the implementation's table.
 */
const REFERENCE_IDS: Record<string, string> = {
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'User.Read.All': 'a154be20-db9c-4678-8ab7-66f6cc099a59',
  'GroupMember.Read.All': 'bc024368-1153-4739-b217-4326f2e966d0',
  'GroupMember.ReadWrite.All': 'f81125ac-d3b7-4573-a3b2-7099cc39df9e',
  'Group.ReadWrite.All': '4e46008b-f24c-477d-8fff-7bb4ec7aafe0',
  'User.ReadWrite.All': '204e0828-b5ca-4ad8-b9f3-f32a958e7cc4',
};

describe('the permission table', () => {
  it('browsing asks for User.Read, User.Read.All and GroupMember.Read.All, and for no write permission', () => {
    assert.deepEqual([...BROWSE_SCOPES].sort(), ['GroupMember.Read.All', 'User.Read', 'User.Read.All']);
    assert.ok(BROWSE_SCOPES.every((s) => !/Write/i.test(s)));
  });

  it("each write asks first for the least privileged permission of Microsoft's per-API table", () => {
    // group-post-members / group-delete-members; group-post-groups, group-update, group-delete, group-post-owners,
    // group-delete-owners; directory-deleteditems-restore (group); user-update, user-post-manager, user-delete-manager.
    const expected: Record<WriteOperation, string> = {
      addMember: 'GroupMember.ReadWrite.All',
      removeMember: 'GroupMember.ReadWrite.All',
      createGroup: 'Group.ReadWrite.All',
      updateGroup: 'Group.ReadWrite.All',
      deleteGroup: 'Group.ReadWrite.All',
      restoreGroup: 'Group.ReadWrite.All',
      addOwner: 'Group.ReadWrite.All',
      removeOwner: 'Group.ReadWrite.All',
      updateUser: 'User.ReadWrite.All',
      deleteUser: 'User.ReadWrite.All',
      setManager: 'User.ReadWrite.All',
    };
    assert.deepEqual([...WRITE_OPERATIONS].sort(), Object.keys(expected).sort());
    for (const op of WRITE_OPERATIONS) {
      const access = writeAccess(op);
      assert.equal(access.operation, op);
      assert.equal(access.scopes[0], expected[op], op);
      // Directory.ReadWrite.All is accepted, never the one asked for.
      assert.ok(access.scopes.includes('Directory.ReadWrite.All'), op);
    }
  });

  it('asks for a permission the account already holds when one serves, else the least privileged', () => {
    const members = writeAccess('addMember');
    assert.equal(scopeToAsk(members, undefined), 'GroupMember.ReadWrite.All');
    assert.equal(scopeToAsk(members, ['User.Read', 'User.Read.All']), 'GroupMember.ReadWrite.All');
    assert.equal(scopeToAsk(members, ['User.Read', 'group.readwrite.all']), 'Group.ReadWrite.All');
    assert.equal(scopeToAsk(writeAccess('createGroup'), ['GroupMember.ReadWrite.All']), 'Group.ReadWrite.All');
  });
});

describe("a write's permission reaches the token provider", () => {
  const GROUP = '11111111-1111-4111-8111-111111111111';
  const USER = '22222222-2222-4222-8222-222222222222';

  function client(): { graph: GraphClient; asked: Array<TokenRequest | undefined> } {
    const asked: Array<TokenRequest | undefined> = [];
    const fetchStub: typeof fetch = (_input, init) => {
      const method = init?.method ?? 'GET';
      const body = method === 'GET' ? JSON.stringify({ value: [], id: GROUP, displayName: 'x' }) : null;
      return Promise.resolve(new Response(body, { status: method === 'GET' ? 200 : 204, headers: { 'content-type': 'application/json' } }));
    };
    const graph = new GraphClient({ baseUrl: 'https://graph.microsoft.com/v1.0', fetch: fetchStub, getAccessToken: (o) => {
      asked.push(o);
      return Promise.resolve('token');
    } });
    return { graph, asked };
  }

  it('reads ask for no more than the sign-in', async () => {
    const { graph, asked } = client();
    await graph.getOrganizationGroups({ maxItems: 1 });
    await graph.getGroup(GROUP);
    await graph.groupMembersPage(GROUP);
    assert.ok(asked.length >= 3);
    assert.ok(asked.every((o) => o === undefined), JSON.stringify(asked));
  });

  it('every write names its operation and the permissions it accepts', async () => {
    const cases: Array<[WriteOperation, (g: GraphClient) => Promise<unknown>]> = [
      ['addMember', (g) => g.addMemberToGroup(GROUP, USER)],
      ['removeMember', (g) => g.removeMemberFromGroup(GROUP, USER)],
      ['addMember', (g) => g.addMembersToGroup(GROUP, [USER])],
      ['updateGroup', (g) => g.updateGroup(GROUP, { description: 'x' })],
      ['deleteGroup', (g) => g.deleteGroup(GROUP)],
      ['addOwner', (g) => g.addOwner(GROUP, USER)],
      ['removeOwner', (g) => g.removeOwner(GROUP, USER)],
      ['updateUser', (g) => g.updateUser(USER, { jobTitle: 'x' })],
      ['setManager', (g) => g.setManager(USER, GROUP)],
      ['setManager', (g) => g.removeManager(USER)],
    ];
    for (const [op, write] of cases) {
      const { graph, asked } = client();
      await write(graph);
      assert.ok(asked.length > 0, op);
      for (const o of asked) assert.deepEqual(o?.access, writeAccess(op), op);
    }
  });
});

describe('the app registration scripts', () => {
  const clouds: Array<[CloudEndpoints, string, string]> = [
    [CLOUDS.global, 'AzureCloud', 'Global'],
    [CLOUDS.usGovernment, 'AzureUSGovernment', 'USGov'],
    [CLOUDS.usGovernmentDoD, 'AzureUSGovernment', 'USGovDoD'],
    [CLOUDS.china, 'AzureChinaCloud', 'China'],
  ];

  it('lists exactly the read permissions, or the read and the least privileged write permissions', () => {
    assert.deepEqual(permissionsOf('readOnly').sort(), ['GroupMember.Read.All', 'User.Read', 'User.Read.All']);
    assert.deepEqual(permissionsOf('readWrite').sort(), ['Group.ReadWrite.All', 'GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'User.Read', 'User.Read.All', 'User.ReadWrite.All']);
  });

  it("gives the Azure CLI a valid requiredResourceAccess whose ids are Graph's ids for the names", () => {
    for (const set of ['readOnly', 'readWrite'] as const) {
      const script = azureCliScript(CLOUDS.global, set);
      const json = /--required-resource-accesses '([^']+)'/.exec(script)?.[1] ?? assert.fail('no manifest in the script');
      const parsed = JSON.parse(json) as Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
      assert.deepEqual(parsed, requiredResourceAccess(set));
      assert.equal(parsed.length, 1);
      assert.equal(parsed[0]?.resourceAppId, '00000003-0000-0000-c000-000000000000');
      const ids = (parsed[0]?.resourceAccess ?? []).map((a) => {
        assert.equal(a.type, 'Scope', 'delegated permissions');
        return a.id;
      });
      assert.deepEqual(ids.sort(), permissionsOf(set).map((name) => REFERENCE_IDS[name]).sort());
      assert.match(script, new RegExp(`--web-redirect-uris "${REDIRECT_URI.replaceAll('.', '\\.')}"`));
      assert.match(script, /az ad sp create --id "\$app_id"/);
    }
  });

  it('gives Microsoft Graph PowerShell the same permissions, each id next to its name', () => {
    for (const set of ['readOnly', 'readWrite'] as const) {
      const script = powerShellScript(CLOUDS.global, set);
      const pairs = [...script.matchAll(/@\{ Id = '([0-9a-f-]{36})'; Type = 'Scope' \} # (\S+)/g)].map((m) => [m[2], m[1]]);
      assert.deepEqual(pairs.map(([name]) => name).sort(), permissionsOf(set).sort());
      for (const [name, id] of pairs) assert.equal(id, REFERENCE_IDS[name ?? ''], name);
      assert.match(script, new RegExp(`ResourceAppId = '${GRAPH_APP_ID}'`));
      assert.match(script, /New-MgApplication -DisplayName 'Entra ID Directory for VS Code'/);
      assert.match(script, /RedirectUris = @\('http:\/\/127\.0\.0\.1'\)/);
    }
    // Read-only lists no write permission (the script's own sign-in needs Application.ReadWrite.All, which is not the app's).
    assert.ok(!/Type = 'Scope' \} # \S*ReadWrite/.test(powerShellScript(CLOUDS.global, 'readOnly')));
    assert.ok(/Type = 'Scope' \} # GroupMember\.ReadWrite\.All/.test(powerShellScript(CLOUDS.global, 'readWrite')));
  });

  it("targets the configured cloud: its tools' cloud names, sign-in authority and portal", () => {
    for (const [cloud, azCloud, mgEnvironment] of clouds) {
      const az = azureCliScript(cloud, 'readOnly');
      const ps = powerShellScript(cloud, 'readOnly');
      assert.match(az, new RegExp(`az cloud set --name ${azCloud}\\n`));
      assert.match(ps, new RegExp(`Connect-MgGraph -Environment ${mgEnvironment} `));
      for (const script of [az, ps]) {
        assert.ok(script.includes(cloud.authorityHost), cloud.name);
        assert.ok(script.includes(cloud.portalUrl), cloud.name);
        assert.ok(script.includes(APP_DISPLAY_NAME));
      }
      // Only the portal's documented entry point: no undocumented blade address anywhere.
      assert.equal(adminPortalUrl(cloud), `${cloud.portalUrl}/`);
      for (const script of [az, ps]) assert.ok(!script.includes('#view/'), cloud.name);
    }
  });

  it('registers the redirect URI the sign-in sends, on the Web platform that accepts the client secret it redeems the code with', async () => {
    // What the authorizationCode method sends: its loopback listener's address (a real one, on an ephemeral port).
    const loopback = await startLoopbackRedirect();
    const sent = new URL(loopback.redirectUri);
    loopback.close();
    const registered = new URL(REDIRECT_URI);
    // The identity platform's loopback rule (reply-url, localhost exceptions): scheme, host and path must match; the port is ignored.
    assert.deepEqual([sent.protocol, sent.hostname, sent.pathname], [registered.protocol, registered.hostname, registered.pathname]);
    assert.equal(registered.port, '', 'registered without a port');
    assert.notEqual(sent.port, '');
    // A confidential client (it sends the secret): the Web platform, never the public client one (AADSTS700025).
    const az = azureCliScript(CLOUDS.global, 'readWrite');
    const ps = powerShellScript(CLOUDS.global, 'readWrite');
    assert.match(az, /--web-redirect-uris "http:\/\/127\.0\.0\.1"/);
    assert.ok(!/--public-client-redirect-uris|--is-fallback-public-client/.test(az));
    assert.match(ps, /-Web @\{ RedirectUris = @\('http:\/\/127\.0\.0\.1'\) \}/);
    assert.ok(!/-PublicClient|-IsFallbackPublicClient/.test(ps));
    // Both scripts make the secret the method signs in with.
    assert.match(az, /az ad app credential reset --id "\$app_id" --append --display-name "VS Code" --years 1 --query password --output tsv/);
    assert.match(ps, /Add-MgApplicationPassword -ApplicationId \$app\.Id -PasswordCredential @\{ DisplayName = 'VS Code' \}/);
  });
});

describe('entering the client ID', () => {
  beforeEach(() => {
    fakeUi.reset();
    userSettings.clear();
  });

  const deps = (): CommandDeps => ({ services: { settings: new Settings(vscode.window.createOutputChannel('test', { log: true })) } }) as unknown as CommandDeps;

  it('says what is wrong with text that is not a GUID', () => {
    assert.match(clientIdProblem('') ?? '', /Paste/);
    assert.match(clientIdProblem('my-app') ?? '', /GUID/);
    assert.match(clientIdProblem('0a1b2c3d-4e5f-6789-abcd-ef012345678') ?? '', /GUID/);
    assert.equal(clientIdProblem(' 0A1B2C3D-4E5F-6789-ABCD-EF0123456789 '), undefined);
  });

  it('writes the ID and the authorizationCode method to the user settings', async () => {
    fakeUi.inputAnswers.push(' 0A1B2C3D-4E5F-6789-ABCD-EF0123456789 ');
    assert.equal(await enterClientId(deps()), true);
    assert.equal(userSettings.get('entraId.auth.clientId'), '0a1b2c3d-4e5f-6789-abcd-ef0123456789');
    assert.equal(userSettings.get('entraId.auth.method'), 'authorizationCode');
  });

  it('changes nothing when cancelled', async () => {
    fakeUi.inputAnswers.push(undefined);
    assert.equal(await enterClientId(deps()), false);
    assert.equal(userSettings.has('entraId.auth.clientId'), false);
    assert.equal(userSettings.has('entraId.auth.method'), false);
  });
});
