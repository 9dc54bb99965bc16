import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator, EmulatorTenant } from '../emulator/index';
import { TestClient, errorCode, errorMessage } from '../emulator/testClient';
import { decodeJwtClaims } from '../emulator/identity/jwt';
import { parseArgs } from '../emulator/cliMain';

/**
 * Several tenants behind one emulator origin, as in Microsoft's cloud: sign-in endpoints per tenant in the path, one
 * Graph address whose answers come from the directory of the tenant that issued the token.
 */
type Json = Record<string, unknown>;

const FABRIKAM_ID = '3c9a1f7e-2b64-4d08-9e15-6a7b8c9d0e21';
const FABRIKAM_DOMAIN = 'fabrikam.onmicrosoft.com';
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';

async function form(url: string, fields: Record<string, string>): Promise<{ status: number; json: Json }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  return { status: res.status, json: (await res.json()) as Json };
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The authorization-code flow at `authority` as a confidential client: the token endpoint's answer. */
async function codeFlow(em: Emulator, authority: string, scope: string): Promise<{ status: number; json: Json }> {
  const { verifier, challenge } = pkce();
  const params = { client_id: em.apps.demo.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope, state: 's', code_challenge: challenge, code_challenge_method: 'S256', client_info: '1' };
  const res = await fetch(`${authority}/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
  assert.notEqual(code, '');
  const { clientId, clientSecret } = em.apps.demo;
  return form(`${authority}/oauth2/v2.0/token`, { grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, code, redirect_uri: REDIRECT_URI, code_verifier: verifier, scope, client_info: '1' });
}

async function appToken(em: Emulator, tenantSegment: string): Promise<string> {
  const { clientId, clientSecret } = em.apps.demo;
  const tok = await form(`${em.url}/${tenantSegment}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: GRAPH_DEFAULT });
  assert.equal(tok.status, 200, JSON.stringify(tok.json));
  return String(tok.json['access_token']);
}

/** The UPNs Graph lists with `token`. */
async function listedUpns(em: Emulator, token: string): Promise<string[]> {
  const { items } = await new TestClient(em, token).all('/users?$select=userPrincipalName&$top=999');
  return items.map((u) => String(u['userPrincipalName']));
}

function upnsOf(state: Emulator['state']): string[] {
  return [...state.users()].map((u) => u.userPrincipalName);
}

describe('emulator: several tenants behind one origin', () => {
  let em: Emulator;
  let fabrikam: EmulatorTenant;

  before(async () => {
    em = await startEmulator({
      users: 60,
      groups: 10,
      seed: 3,
      otherTenants: [{ tenantId: FABRIKAM_ID.toUpperCase(), domain: FABRIKAM_DOMAIN, tenantName: 'Fabrikam', users: 25, groups: 6 }],
    });
    const t = em.otherTenants.get(FABRIKAM_ID);
    assert.ok(t, 'the other tenant is listed by its lower-case id');
    fabrikam = t;
  });
  after(() => em.close());

  it('generates a directory of its own for the other tenant', () => {
    assert.equal(fabrikam.tenantId, FABRIKAM_ID);
    assert.equal(fabrikam.tenantName, 'Fabrikam');
    assert.ok(upnsOf(fabrikam.state).every((upn) => upn.endsWith(`@${FABRIKAM_DOMAIN}`)));
    // Another seed: the generated people differ (the access model's fixed users are in every tenant).
    const homeNames = new Set([...em.state.users()].map((u) => u.displayName));
    const own = [...fabrikam.state.users()].filter((u) => !homeNames.has(u.displayName));
    assert.ok(own.length >= 10, `only ${own.length} Fabrikam names are not Contoso names`);
  });

  it('serves each tenant\'s OpenID configuration by tenant id or domain, in any case', async () => {
    for (const segment of [FABRIKAM_ID, FABRIKAM_DOMAIN.toUpperCase()]) {
      const res = await fetch(`${em.url}/${segment}/v2.0/.well-known/openid-configuration`);
      assert.equal(res.status, 200, segment);
      const cfg = (await res.json()) as Json;
      assert.equal(cfg['issuer'], `${em.url}/${FABRIKAM_ID}/v2.0`);
      assert.equal(cfg['token_endpoint'], `${em.url}/${segment}/oauth2/v2.0/token`);
    }
    const home = (await (await fetch(`${em.url}/${em.domain}/v2.0/.well-known/openid-configuration`)).json()) as Json;
    assert.equal(home['issuer'], `${em.url}/${em.tenantId}/v2.0`);
  });

  it('a client-credentials token from the other tenant lists that tenant\'s users and organization only', async () => {
    const token = await appToken(em, FABRIKAM_DOMAIN);
    const claims = decodeJwtClaims(token) ?? {};
    assert.equal(claims['tid'], FABRIKAM_ID);
    assert.equal(claims['iss'], `${em.url}/${FABRIKAM_ID}/v2.0`);

    const listed = await listedUpns(em, token);
    assert.deepEqual([...listed].sort(), upnsOf(fabrikam.state).sort());
    const homeOnly = upnsOf(em.state).filter((upn) => upn.endsWith(`@${em.domain}`));
    assert.ok(homeOnly.length > 0);
    assert.ok(!listed.some((upn) => homeOnly.includes(upn)), 'no home-tenant user is listed');
    const org = await new TestClient(em, token).get('/organization?$select=id,displayName');
    assert.deepEqual((org.json as { value: Json[] }).value, [{ id: FABRIKAM_ID, displayName: 'Fabrikam' }]);

    // And the home tenant's token still reads the home tenant.
    const homeListed = await listedUpns(em, await appToken(em, em.tenantId));
    assert.deepEqual([...homeListed].sort(), upnsOf(em.state).sort());
  });

  it('an authorization-code sign-in at the other tenant signs in its user and reads its directory', async () => {
    const someone = [...fabrikam.state.users()].find((u) => u.userType === 'Member' && u.accountEnabled && u.id !== fabrikam.state.adminUserId);
    assert.ok(someone);
    fabrikam.setSignedInUser(someone.id);
    try {
      const scope = 'openid profile offline_access https://graph.microsoft.com/User.Read User.Read.All';
      const tok = await codeFlow(em, `${em.url}/${FABRIKAM_ID}`, scope);
      assert.equal(tok.status, 200, JSON.stringify(tok.json));
      const access = String(tok.json['access_token']);
      assert.equal(decodeJwtClaims(access)?.['tid'], FABRIKAM_ID);
      assert.deepEqual(JSON.parse(Buffer.from(String(tok.json['client_info']), 'base64url').toString()), { uid: someone.id, utid: FABRIKAM_ID });
      const client = new TestClient(em, access);
      const me = await client.get('/me?$select=userPrincipalName');
      assert.equal((me.json as Json)['userPrincipalName'], someone.userPrincipalName);
      assert.deepEqual([...(await listedUpns(em, access))].sort(), upnsOf(fabrikam.state).sort());

      // The home tenant's sign-in is untouched by the other tenant's signed-in user.
      assert.equal(em.signedInUserId, em.state.adminUserId);
      const home = await codeFlow(em, `${em.url}/${em.tenantId}`, scope);
      const homeMe = await new TestClient(em, String(home.json['access_token'])).get('/me?$select=userPrincipalName');
      assert.equal((homeMe.json as Json)['userPrincipalName'], `admin@${em.domain}`);
    } finally {
      fabrikam.setSignedInUser(fabrikam.state.adminUserId);
    }
  });

  it('a code or refresh token from one tenant is not redeemed at another tenant\'s token endpoint', async () => {
    const { verifier, challenge } = pkce();
    const scope = 'openid offline_access User.Read';
    const params = { client_id: em.apps.demo.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope, code_challenge: challenge, code_challenge_method: 'S256' };
    const res = await fetch(`${em.url}/${FABRIKAM_ID}/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const { clientId, clientSecret } = em.apps.demo;
    const atHome = await form(`${em.url}/${em.tenantId}/oauth2/v2.0/token`, { grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, code, redirect_uri: REDIRECT_URI, code_verifier: verifier, scope });
    assert.equal(atHome.status, 400);
    assert.equal(atHome.json['error'], 'invalid_grant');

    const tok = await codeFlow(em, `${em.url}/${FABRIKAM_ID}`, scope);
    const refresh = await form(`${em.url}/${em.tenantId}/oauth2/v2.0/token`, { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: String(tok.json['refresh_token']) });
    assert.equal(refresh.json['error'], 'invalid_grant');
  });

  it('an unknown tenant is AADSTS90002 at every identity endpoint', async () => {
    const unknown = ['0f0f0f0f-1111-4222-8333-444444444444', 'northwind.onmicrosoft.com'];
    for (const segment of unknown) {
      const cfg = await fetch(`${em.url}/${segment}/v2.0/.well-known/openid-configuration`);
      assert.equal(cfg.status, 400);
      assert.deepEqual(((await cfg.json()) as Json)['error_codes'], [90002]);
      const { clientId, clientSecret } = em.apps.demo;
      const tok = await form(`${em.url}/${segment}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: GRAPH_DEFAULT });
      assert.equal(tok.json['error'], 'invalid_tenant');
      assert.deepEqual(tok.json['error_codes'], [90002]);
      const { challenge } = pkce();
      const page = await fetch(`${em.url}/${segment}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'User.Read', code_challenge: challenge, code_challenge_method: 'S256' }).toString()}`, { redirect: 'manual' });
      assert.equal(page.status, 400);
      assert.match(await page.text(), /AADSTS90002: Tenant &#39;/);
    }
  });

  it('refuses a home-tenant token whose tid was rewritten to the other tenant', async () => {
    const token = await appToken(em, em.tenantId);
    const [head, body, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Json;
    claims['tid'] = FABRIKAM_ID;
    const forged = `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    const res = await new TestClient(em, forged).get('/users?$top=1');
    assert.equal(res.status, 401);
    assert.equal(errorCode(res), 'InvalidAuthenticationToken');
    assert.equal(errorMessage(res), 'Invalid signature.');
  });

  it('a write with the other tenant\'s token changes that tenant only; the request log is the one server\'s', async () => {
    const since = em.log.at(-1)?.seq ?? 0;
    const token = fabrikam.issueToken({ kind: 'app' });
    const nickname = `tenants-${randomBytes(4).toString('hex')}`;
    const created = await new TestClient(em, token).call('/groups', {
      method: 'POST',
      body: { displayName: 'Fabrikam only', mailNickname: nickname, mailEnabled: false, securityEnabled: true },
    });
    assert.equal(created.status, 201, created.text);
    const id = String((created.json as Json)['id']);
    assert.ok(fabrikam.state.group(id));
    assert.equal(em.state.group(id), undefined);
    const read = await new TestClient(em, em.issueToken({ kind: 'app' })).get(`/groups/${id}`);
    assert.equal(read.status, 404);
    assert.deepEqual(
      em.log.filter((e) => e.seq > since).map((e) => [e.method, e.path, e.status, e.tenantId]),
      [
        ['POST', '/v1.0/groups', 201, FABRIKAM_ID],
        ['GET', `/v1.0/groups/${id}`, 404, em.tenantId],
      ],
    );
  });

  it('logs which tenant answered a sign-in request', async () => {
    const since = em.log.at(-1)?.seq ?? 0;
    await fetch(`${em.url}/${FABRIKAM_DOMAIN}/v2.0/.well-known/openid-configuration`);
    await fetch(`${em.url}/organizations/v2.0/.well-known/openid-configuration`);
    await fetch(`${em.url}/northwind.onmicrosoft.com/v2.0/.well-known/openid-configuration`);
    assert.deepEqual(
      em.log.filter((e) => e.seq > since).map((e) => [e.status, e.tenantId]),
      [
        [200, FABRIKAM_ID],
        [200, em.tenantId],
        [400, em.tenantId],
      ],
    );
  });

  it('refuses other tenants that would be ambiguous', async () => {
    const tenant = { tenantId: FABRIKAM_ID, domain: FABRIKAM_DOMAIN, tenantName: 'Fabrikam' };
    await assert.rejects(startEmulator({ otherTenants: [tenant, { ...tenant, domain: 'other.onmicrosoft.com' }] }), /used twice/);
    await assert.rejects(startEmulator({ otherTenants: [tenant, { ...tenant, tenantId: '4d0b2e8f-0000-4000-8000-000000000001' }] }), /used twice/);
    await assert.rejects(startEmulator({ otherTenants: [{ ...tenant, domain: 'Contoso.onmicrosoft.com' }] }), /used twice/);
    await assert.rejects(startEmulator({ otherTenants: [{ ...tenant, tenantId: 'fabrikam' }] }), /not a GUID/);
    await assert.rejects(startEmulator({ otherTenants: [{ ...tenant, domain: 'organizations' }] }), /not a domain name/);
  });
});

describe('emulator: one tenant', () => {
  it('has no other tenants unless asked for', async () => {
    const em = await startEmulator({ users: 10, groups: 2 });
    try {
      assert.equal(em.otherTenants.size, 0);
      await new TestClient(em, em.issueToken({ kind: 'app' })).get('/users?$top=1');
      await fetch(`${em.url}/${em.tenantId}/v2.0/.well-known/openid-configuration`);
      assert.equal(em.log.length, 2);
      assert.ok(em.log.every((e) => e.status === 200 && !('tenantId' in e)), 'the log entries keep their single-tenant shape');
      const info = (await (await fetch(`${em.url}/_emulator/info`)).json()) as Json;
      assert.equal('otherTenants' in info, false);
    } finally {
      await em.close();
    }
  });
});

describe('emulator CLI: --other-tenant', () => {
  it('adds a tenant per flag, with optional counts, and refuses an incomplete one', () => {
    const { options } = parseArgs(['--other-tenant', `${FABRIKAM_ID},${FABRIKAM_DOMAIN},Fabrikam`, '--other-tenant', '4d0b2e8f-0000-4000-8000-000000000001,northwind.onmicrosoft.com,Northwind,12,3']);
    assert.deepEqual(options.otherTenants, [
      { tenantId: FABRIKAM_ID, domain: FABRIKAM_DOMAIN, tenantName: 'Fabrikam' },
      { tenantId: '4d0b2e8f-0000-4000-8000-000000000001', domain: 'northwind.onmicrosoft.com', tenantName: 'Northwind', users: 12, groups: 3 },
    ]);
    assert.throws(() => parseArgs(['--other-tenant', `${FABRIKAM_ID},${FABRIKAM_DOMAIN}`]), /needs GUID,DOMAIN,NAME/);
    assert.throws(() => parseArgs(['--other-tenant', `${FABRIKAM_ID},${FABRIKAM_DOMAIN},Fabrikam,many`]), /'many' is not a count/);
  });
});
