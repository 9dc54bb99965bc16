import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../emulator/index';
import type { Emulator } from '../emulator/index';
import { TestClient, errorCode, errorMessage, bindUrl } from '../emulator/testClient';
import { decodeJwtClaims } from '../emulator/identity/jwt';

type Json = Record<string, unknown>;

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('emulator: identity platform and Graph authorization', () => {
  let em: Emulator;
  let authority: string;
  const redirectUri = 'http://127.0.0.1:53682/callback';

  const form = async (url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) });
    return { status: res.status, json: (await res.json()) as Json };
  };
  const authorize = async (params: Record<string, string>): Promise<Response> =>
    fetch(`${authority}/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
  const codeFlow = async (scope: string, challenge: string): Promise<string> => {
    const res = await authorize({
      client_id: em.apps.demo.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope,
      state: 's-1',
      nonce: 'n-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      client_info: '1',
    });
    assert.equal(res.status, 302);
    const loc = new URL(res.headers.get('location') ?? '');
    assert.equal(`${loc.origin}${loc.pathname}`, redirectUri);
    assert.equal(loc.searchParams.get('state'), 's-1');
    return loc.searchParams.get('code') ?? '';
  };

  before(async () => {
    em = await startEmulator({ users: 120, groups: 15, seed: 9 });
    authority = `${em.authorityHost}/${em.tenantId}`;
  });
  after(() => em.close());

  it('publishes OpenID configuration, instance discovery and keys', async () => {
    const cfg = (await (await fetch(`${authority}/v2.0/.well-known/openid-configuration`)).json()) as Json;
    assert.equal(cfg['issuer'], `${em.url}/${em.tenantId}/v2.0`);
    assert.equal(cfg['token_endpoint'], `${authority}/oauth2/v2.0/token`);
    assert.equal(cfg['authorization_endpoint'], `${authority}/oauth2/v2.0/authorize`);
    assert.ok(typeof cfg['jwks_uri'] === 'string' && typeof cfg['end_session_endpoint'] === 'string');
    const common = (await (await fetch(`${em.url}/organizations/v2.0/.well-known/openid-configuration`)).json()) as Json;
    assert.equal(common['issuer'], `${em.url}/{tenantid}/v2.0`);
    const inst = (await (await fetch(`${em.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${authority}/oauth2/v2.0/authorize`)}`)).json()) as Json;
    assert.equal(inst['tenant_discovery_endpoint'], `${authority}/v2.0/.well-known/openid-configuration`);
    assert.deepEqual((inst['metadata'] as Json[])[0]?.['aliases'], [new URL(em.url).host]);
    assert.deepEqual(await (await fetch(`${authority}/discovery/v2.0/keys`)).json(), { keys: [] });
    assert.equal((await fetch(`${em.url}/not-a-tenant/v2.0/.well-known/openid-configuration`)).status, 400);
  });

  it('issues app tokens by client credentials and rejects bad clients like Entra', async () => {
    const { clientId, clientSecret } = em.apps.demo;
    const ok = await form(`${authority}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'https://graph.microsoft.com/.default' });
    assert.equal(ok.status, 200);
    assert.equal(ok.json['token_type'], 'Bearer');
    assert.equal(typeof ok.json['expires_in'], 'number');
    const claims = decodeJwtClaims(String(ok.json['access_token'])) ?? {};
    assert.equal(claims['aud'], 'https://graph.microsoft.com');
    assert.equal(claims['tid'], em.tenantId);
    assert.deepEqual(claims['roles'], ['Directory.ReadWrite.All', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All']);
    const graph = new TestClient(em, String(ok.json['access_token']));
    assert.equal((await graph.get('/users?$top=1')).status, 200);

    const basic = await form(`${authority}/oauth2/v2.0/token`, { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }, {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    });
    assert.equal(basic.status, 200);
    const wrong = await form(`${authority}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: 'nope', scope: 'https://graph.microsoft.com/.default' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json['error'], 'invalid_client');
    assert.deepEqual(wrong.json['error_codes'], [7000215]);
    assert.match(String(wrong.json['error_description']), /^AADSTS7000215: /);
    for (const key of ['timestamp', 'trace_id', 'correlation_id']) assert.equal(typeof wrong.json[key], 'string');
    const scope = await form(`${authority}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'User.Read' });
    assert.equal(scope.json['error'], 'invalid_scope');
    const common = await form(`${em.url}/common/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'https://graph.microsoft.com/.default' });
    assert.deepEqual(common.json['error_codes'], [50194]);
    const unknownApp = await form(`${authority}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: '0b0b0b0b-0000-4000-8000-000000000000', client_secret: 'x', scope: 'https://graph.microsoft.com/.default' });
    assert.equal(unknownApp.json['error'], 'unauthorized_client');
  });

  it('runs authorization code + PKCE with single-use codes, verifier checks and rotating refresh tokens', async () => {
    const { clientId, clientSecret } = em.apps.demo;
    const scope = 'openid profile offline_access https://graph.microsoft.com/User.Read Group.ReadWrite.All';
    const good = pkce();
    const code = await codeFlow(scope, good.challenge);
    const fields = { grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, code, redirect_uri: redirectUri, code_verifier: good.verifier, scope, client_info: '1' };
    const tok = await form(`${authority}/oauth2/v2.0/token`, fields);
    assert.equal(tok.status, 200, JSON.stringify(tok.json));
    assert.equal(tok.json['scope'], 'User.Read Group.ReadWrite.All openid profile');
    const id = decodeJwtClaims(String(tok.json['id_token'])) ?? {};
    assert.equal(id['aud'], clientId);
    assert.equal(id['nonce'], 'n-1');
    assert.equal(id['oid'], em.state.adminUserId);
    assert.equal(id['preferred_username'], `admin@${em.domain}`);
    assert.deepEqual(JSON.parse(Buffer.from(String(tok.json['client_info']), 'base64url').toString()), { uid: em.state.adminUserId, utid: em.tenantId });
    const me = await new TestClient(em, String(tok.json['access_token'])).get('/me?$select=userPrincipalName');
    assert.equal((me.json as Json)['userPrincipalName'], `admin@${em.domain}`);

    const reused = await form(`${authority}/oauth2/v2.0/token`, fields);
    assert.equal(reused.json['error'], 'invalid_grant');
    assert.deepEqual(reused.json['error_codes'], [54005]);

    const other = pkce();
    const code2 = await codeFlow(scope, other.challenge);
    const badVerifier = await form(`${authority}/oauth2/v2.0/token`, { ...fields, code: code2, code_verifier: good.verifier });
    assert.equal(badVerifier.status, 400);
    assert.equal(badVerifier.json['error'], 'invalid_grant');
    assert.deepEqual(badVerifier.json['error_codes'], [50148]);

    const rt = String(tok.json['refresh_token']);
    const refreshed = await form(`${authority}/oauth2/v2.0/token`, { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: rt, scope });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.json['refresh_token'], rt);
    const replay = await form(`${authority}/oauth2/v2.0/token`, { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: rt });
    assert.equal(replay.json['error'], 'invalid_grant');
  });

  it('validates authorize requests: untrusted redirects get an error page, the rest an OAuth error redirect', async () => {
    const { challenge } = pkce();
    const base = { client_id: em.apps.demo.clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'User.Read', state: 'z', code_challenge: challenge, code_challenge_method: 'S256' };
    const page = await authorize({ ...base, redirect_uri: 'https://evil.example/cb' });
    assert.equal(page.status, 400);
    assert.match(await page.text(), /AADSTS50011/);
    assert.equal((await authorize({ ...base, client_id: '0b0b0b0b-0000-4000-8000-000000000000' })).status, 400);
    const noPkce = await authorize({ ...base, code_challenge: '' });
    const loc = new URL(noPkce.headers.get('location') ?? '');
    assert.equal(loc.searchParams.get('error'), 'invalid_request');
    assert.equal(loc.searchParams.get('state'), 'z');
    const formPost = await authorize({ ...base, response_mode: 'form_post' });
    assert.equal(formPost.status, 200);
    assert.match(await formPost.text(), /<form method="POST" action="http:\/\/127\.0\.0\.1:53682\/callback">.*name="code"/s);
  });

  it('answers 401 for missing, garbled, expired and forged tokens', async () => {
    const c = new TestClient(em, em.issueToken({ kind: 'app' }));
    const cases: [string | null, string][] = [
      [null, 'Access token is empty.'],
      ['not-a-jwt', 'CompactToken parsing failed with error code: 80049217'],
      [em.issueToken({ kind: 'app', expiresInSec: -5 }), 'Access token has expired or is not yet valid.'],
      [`${em.issueToken({ kind: 'app' }).slice(0, -4)}AAAA`, 'Invalid signature.'],
    ];
    for (const [token, message] of cases) {
      const r = await c.call('/users', { token });
      assert.equal(r.status, 401);
      assert.equal(errorCode(r), 'InvalidAuthenticationToken');
      assert.equal(errorMessage(r), message);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer realm=""/);
    }
  });

  it('answers 403 when the token lacks the permission or the signed-in user lacks the role', async () => {
    const readOnly = new TestClient(em, em.issueToken({ kind: 'delegated', scopes: ['User.Read'] }));
    assert.equal((await readOnly.get('/me')).status, 200);
    const denied = await readOnly.get('/users');
    assert.equal(denied.status, 403);
    assert.equal(errorCode(denied), 'Authorization_RequestDenied');
    assert.equal(errorMessage(denied), 'Insufficient privileges to complete the operation.');
    const appUsersOnly = new TestClient(em, em.issueToken({ kind: 'app', roles: ['User.Read.All'] }));
    assert.equal((await appUsersOnly.get('/groups')).status, 403);
    assert.equal((await appUsersOnly.call('/groups', { method: 'POST', body: { displayName: 'x', mailNickname: 'x', mailEnabled: false, securityEnabled: true } })).status, 403);

    const g = em.state.groupsOfKind('security').find((x) => x.isAssignableToRole !== true && x.onPremisesSyncEnabled !== true);
    const someone = em.state.findUser((u) => u.userType === 'Member' && u.id !== em.state.adminUserId && g !== undefined && !em.state.isOwner(g.id, u.id));
    assert.ok(g && someone);
    const target = em.state.findUser((u) => !em.state.isMember(g.id, u.id) && u.id !== someone.id);
    assert.ok(target);
    const nonAdmin = new TestClient(em, em.issueToken({ kind: 'delegated', userId: someone.id, scopes: ['GroupMember.ReadWrite.All'] }));
    const r = await nonAdmin.call(`/groups/${g.id}/members/$ref`, { method: 'POST', body: { '@odata.id': bindUrl(target.id) } });
    assert.equal(r.status, 403);
  });

  it('serves HTTPS with a self-signed certificate trusted through caCert', async () => {
    const secure = await startEmulator({ https: true, users: 5, groups: 2 });
    try {
      assert.ok(secure.url.startsWith('https://127.0.0.1:'));
      assert.match(secure.caCert ?? '', /BEGIN CERTIFICATE/);
      const token = secure.issueToken({ kind: 'app' });
      const get = (ca: string | undefined): Promise<{ status: number; body: string }> =>
        new Promise((resolve, reject) => {
          const req = https.request(`${secure.graphUrl}/users?$top=1`, { headers: { authorization: `Bearer ${token}` }, ...(ca ? { ca } : {}) }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        });
      const ok = await get(secure.caCert);
      assert.equal(ok.status, 200);
      assert.ok(ok.body.includes(`"@odata.context":"${secure.graphUrl}/$metadata#users"`));
      await assert.rejects(get(undefined), /self-signed|self signed/);
    } finally {
      await secure.close();
    }
  });
});
