/** The app-registration methods end to end through msal-node, against the emulator's identity endpoints over HTTPS. */
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator, RequestLogEntry } from '../emulator';
import { startEmulator } from '../emulator';
import { SignInManager } from '../../src/auth/signInManager';
import { readTokenClaims } from '../../src/auth/tokenClaims';
import { AuthError } from '../../src/auth/types';
import { FakeSecrets, fakeDeps, httpsNetworkClient, rawGet } from './authFakes';

let emu: Emulator;
let ca: string;

before(async () => {
  emu = await startEmulator({ https: true, users: 20, groups: 5 });
  assert.ok(emu.caCert, 'the emulator serves HTTPS with its own certificate');
  ca = emu.caCert;
});
after(() => emu.close());
beforeEach(() => emu.clearLog());

function settings(method: 'authorizationCode' | 'clientCredentials'): Record<string, unknown> {
  return {
    'entraId.auth.method': method,
    'entraId.auth.clientId': emu.apps.demo.clientId,
    'entraId.auth.tenantId': emu.tenantId,
    'entraId.cloud': 'custom',
    'entraId.customGraphEndpoint': emu.graphUrl,
    'entraId.customAuthorityHost': emu.authorityHost,
  };
}

/** Plays the browser: follows the authorize URL to its 302 and delivers the redirect to the loopback server. */
async function browser(url: string): Promise<boolean> {
  const authorize = await rawGet(url, ca);
  assert.equal(authorize.status, 302, `authorize answered ${authorize.status}: ${authorize.body.slice(0, 200)}`);
  const location = authorize.location ?? assert.fail('the authorize endpoint did not redirect');
  assert.ok(location.startsWith('http://127.0.0.1:'));
  const landing = await rawGet(location);
  assert.match(landing.body, /close this tab/i);
  return true;
}

function manager(method: 'authorizationCode' | 'clientCredentials', secrets = new FakeSecrets()) {
  const deps = fakeDeps({ settings: settings(method), secrets, msalNetworkClient: httpsNetworkClient(ca), openExternal: browser, signInTimeoutMs: 10_000 });
  return { deps, secrets, manager: new SignInManager(deps) };
}

const tokenRequests = (): RequestLogEntry[] => emu.log.filter((e) => e.method === 'POST' && e.path.endsWith('/oauth2/v2.0/token'));
const grant = (e: RequestLogEntry): unknown => (e.body as Record<string, unknown> | undefined)?.['grant_type'];
const cacheKey = () => `entraId.msalCache/${emu.apps.demo.clientId}`;

async function seedSecret(secrets: FakeSecrets, value = emu.apps.demo.clientSecret): Promise<void> {
  await secrets.store(`entraId.clientSecret/${emu.apps.demo.clientId}`, value);
}

function graphGet(path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${emu.graphUrl}${path}`, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('authorization code with PKCE (emulator)', () => {
  it('signs in through the browser, persists the cache, refreshes silently and signs out', async () => {
    const { deps, secrets, manager: auth } = manager('authorizationCode');
    await seedSecret(secrets);

    const account = await auth.signIn();
    assert.ok(account, 'signed in');
    assert.equal(account.method, 'authorizationCode');
    assert.equal(account.appOnly, false);
    assert.equal(account.userId, emu.signedInUserId);
    assert.equal(account.tenantId, emu.tenantId);
    assert.match(account.label, /@/);

    // PKCE on both legs, and a loopback redirect.
    const authorize = emu.log.find((e) => e.path.endsWith('/oauth2/v2.0/authorize'));
    assert.ok(authorize);
    assert.equal(authorize.query['code_challenge_method'], 'S256');
    assert.match(authorize.query['code_challenge'] ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(authorize.query['redirect_uri'] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(authorize.query['prompt'], 'select_account');
    assert.ok(!emu.log.some((e) => e.path.includes('/discovery/instance')), 'a custom authority is trusted without instance discovery');
    const [redeem] = tokenRequests();
    assert.ok(redeem);
    assert.equal(grant(redeem), 'authorization_code');
    assert.ok((redeem.body as Record<string, unknown>)['code_verifier'], 'the token request carried the PKCE verifier');

    // The token works against Graph as the signed-in user.
    const token = await auth.tokenProvider();
    const me = await graphGet('/me?$select=id', token);
    assert.equal(me.status, 200, me.body);
    assert.equal((JSON.parse(me.body) as { id: string }).id, emu.signedInUserId);

    // msal's cache lives in SecretStorage only.
    const persisted = secrets.values.get(cacheKey());
    assert.ok(persisted && /RefreshToken/.test(persisted));

    // An expired access token is renewed with the refresh token, without UI.
    emu.clearLog();
    secrets.values.set(cacheKey(), expireAccessTokens(secrets.values.get(cacheKey()) ?? ''));
    const renewed = await auth.tokenProvider();
    assert.notEqual(renewed, token);
    assert.deepEqual(tokenRequests().map(grant), ['refresh_token']);
    assert.equal(deps.opened.length, 0);

    // forceRefresh (Graph's 401) also goes to the token endpoint.
    emu.clearLog();
    await auth.tokenProvider({ forceRefresh: true });
    assert.deepEqual(tokenRequests().map(grant), ['refresh_token']);

    // A restart signs in silently from the persisted cache.
    const restarted = new SignInManager({ ...deps, openExternal: () => Promise.reject(new Error('no browser on restart')) });
    assert.equal((await restarted.trySilentSignIn())?.userId, emu.signedInUserId);
    restarted.dispose();

    // Sign-out removes the cache and the account.
    await auth.signOut();
    assert.equal(auth.account, undefined);
    assert.equal(secrets.values.has(cacheKey()), false);
    await assert.rejects(auth.tokenProvider(), (e: unknown) => e instanceof AuthError && e.code === 'NotSignedIn');
    const afterSignOut = new SignInManager({ ...deps });
    assert.equal(await afterSignOut.trySilentSignIn(), undefined);
    afterSignOut.dispose();
    auth.dispose();
  });

  it('concurrent silent requests share one refresh', async () => {
    const { secrets, manager: auth } = manager('authorizationCode');
    await seedSecret(secrets);
    await auth.signIn();
    emu.clearLog();
    secrets.values.set(cacheKey(), expireAccessTokens(secrets.values.get(cacheKey()) ?? ''));
    const tokens = await Promise.all([auth.tokenProvider(), auth.tokenProvider(), auth.tokenProvider()]);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(tokenRequests().length, 1);
    await auth.signOut();
    auth.dispose();
  });

  it('a wrong secret fails with an AuthError that does not contain it', async () => {
    const { secrets, manager: auth } = manager('authorizationCode');
    const wrong = 'Wr0ng~Secret-value-0123456789abcdefghijk';
    await seedSecret(secrets, wrong);
    const error = await auth.signIn().then(
      () => assert.fail('sign-in should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AuthError);
    assert.equal(error.code, 'Configuration');
    assert.match(error.message, /AADSTS7000215/);
    assert.match(error.message, /Entra ID: Set Client Secret/);
    assert.ok(!error.message.includes(wrong));
    auth.dispose();
  });
});

describe('client credentials (emulator)', () => {
  it('gets an app-only token with application roles', async () => {
    const { secrets, manager: auth, deps } = manager('clientCredentials');
    await seedSecret(secrets);
    const account = await auth.signIn();
    // The app's roles come from the token, to explain a refusal by its cause later; its name too (app_displayname).
    assert.ok(account);
    const { grantedScopes, ...rest } = account;
    assert.deepEqual(rest, { method: 'clientCredentials', label: emu.apps.demo.clientId, appOnly: true, tenantId: emu.tenantId, displayName: 'Entra ID Directory (emulator demo)' });
    // An app-only token has no client info by design: msal says so on every sign-in, which is no warning to the admin.
    const clientInfo = deps.log.lines.filter((l) => /No client info in response/i.test(l));
    assert.ok(clientInfo.length > 0, `msal reported the missing client info: ${deps.log.text()}`);
    assert.ok(clientInfo.every((l) => l.startsWith('info ')), clientInfo.join('\n'));
    assert.ok(grantedScopes?.includes('User.ReadWrite.All') && grantedScopes.includes('Group.ReadWrite.All'), String(grantedScopes));
    const token = await auth.tokenProvider();
    const claims = readTokenClaims(token);
    assert.ok(claims.roles?.includes('Directory.ReadWrite.All'), 'the token carries application roles');
    assert.equal(claims.scp, undefined);
    const [request] = tokenRequests();
    assert.equal(grant(request ?? ({} as RequestLogEntry)), 'client_credentials');
    assert.equal((request?.body as Record<string, unknown>)['scope'], 'https://graph.microsoft.com/.default');

    // msal caches the app token; forceRefresh asks again.
    emu.clearLog();
    assert.equal(await auth.tokenProvider(), token);
    assert.equal(tokenRequests().length, 0);
    await auth.tokenProvider({ forceRefresh: true });
    assert.equal(tokenRequests().length, 1);

    const users = await graphGet('/users?$top=5&$select=id', token);
    assert.equal(users.status, 200, users.body);
    auth.dispose();
  });

  it('a wrong secret fails without echoing it, and a new secret is picked up', async () => {
    const { secrets, manager: auth, deps } = manager('clientCredentials');
    const wrong = 'An0ther~wrong-secret-abcdefghijklmnop012';
    await seedSecret(secrets, wrong);
    await assert.rejects(auth.tokenProvider(), (e: unknown) => e instanceof AuthError && e.code === 'Configuration' && !e.message.includes(wrong));
    assert.ok(!deps.log.text().includes(wrong));
    await seedSecret(secrets);
    assert.ok(await auth.tokenProvider());
    auth.dispose();
  });
});

/** Moves every cached access token's expiry into the past, as time passing would. */
function expireAccessTokens(serialized: string): string {
  const cache = JSON.parse(serialized) as { AccessToken?: Record<string, Record<string, unknown>> };
  for (const entry of Object.values(cache.AccessToken ?? {})) {
    entry['expires_on'] = String(Math.floor(Date.now() / 1000) - 60);
    entry['extended_expires_on'] = entry['expires_on'];
  }
  return JSON.stringify(cache);
}
