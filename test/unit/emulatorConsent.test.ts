import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEmulator, ACCESS_FIXTURES, VSCODE_CLIENT_ID, VSCODE_REDIRECT_URI } from '../emulator/index';
import type { Emulator, RegisteredAppInfo, ConsentGrant } from '../emulator/index';
import { TestClient } from '../emulator/testClient';
import { decodeJwtClaims } from '../emulator/identity/jwt';

type Json = Record<string, unknown>;

/** The texts the identity platform answers with (quoted from its responses, see identity/consent.ts). */
const notConsented = (app: { clientId: string; displayName: string }): string =>
  `AADSTS65001: The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`;
const NEEDS_ADMIN = 'AADSTS90094: The grant requires admin permission.';
const DECLINED = 'AADSTS65004: User declined to consent to access the app.';
const VSCODE_NOT_PREAUTHORIZED =
  "AADSTS65002: Consent between first party application 'aebc6443-996d-45c2-90f0-388ff96faa56' and first party resource '00000003-0000-0000-c000-000000000000' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API.";

const redirectUri = 'http://127.0.0.1:53682/callback';
const nonAdmin = ACCESS_FIXTURES.users.noRole.id;
const userAdmin = ACCESS_FIXTURES.users.userAdmin.id;

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Text of an HTML page or attribute as a browser reads it (the emulator escapes as `&#NN;`). */
const unescapeHtml = (s: string): string => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replaceAll('&amp;', '&');
const scpOf = (token: unknown): string[] => {
  const scp = decodeJwtClaims(String(token))?.['scp'];
  return typeof scp === 'string' ? scp.split(' ').filter(Boolean).sort() : [];
};
const sorted = (xs: string[]): string[] => [...xs].sort();

describe('emulator: consent (the identity platform as hard as it is)', () => {
  let em: Emulator;

  const form = async (fields: Record<string, string>, tenant = em.tenantId): Promise<{ status: number; json: Json }> => {
    const res = await fetch(`${em.url}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  const control = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Json | undefined }> => {
    const res = await fetch(`${em.url}/_emulator/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Json) : undefined };
  };

  /** The browser's visit to /authorize as MSAL builds it (PKCE S256, state, nonce). */
  const authorize = async (clientId: string, scope: string, extra: Record<string, string> = {}, tenant = em.tenantId): Promise<{ res: Response; verifier: string }> => {
    const { verifier, challenge } = pkce();
    const params = { client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope, state: 'st-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256', ...extra };
    const res = await fetch(`${em.url}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
    return { res, verifier };
  };
  const redirected = (res: Response): URLSearchParams => {
    assert.equal(res.status, 302, `authorize answered ${res.status}`);
    const loc = new URL(res.headers.get('location') ?? '');
    assert.equal(`${loc.origin}${loc.pathname}`, redirectUri);
    return loc.searchParams;
  };
  /** Authorize, then redeem the code: MSAL's acquireTokenByCode. */
  const signIn = async (app: { clientId: string; clientSecret?: string }, scope: string, tenant = em.tenantId): Promise<{ status: number; json: Json }> => {
    const { res, verifier } = await authorize(app.clientId, scope, {}, tenant);
    const code = redirected(res).get('code');
    assert.ok(code, `a code, not ${res.headers.get('location') ?? ''}`);
    const secret: Record<string, string> = app.clientSecret === undefined ? {} : { client_secret: app.clientSecret };
    return form({ grant_type: 'authorization_code', client_id: app.clientId, ...secret, code, redirect_uri: redirectUri, code_verifier: verifier, scope }, tenant);
  };
  const refresh = (app: RegisteredAppInfo, refreshToken: unknown, scope: string): Promise<{ status: number; json: Json }> =>
    form({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret ?? '', refresh_token: String(refreshToken), scope });
  const grantsOf = (clientId: string): ConsentGrant[] => em.consent.grants(clientId);
  const newApp = (): RegisteredAppInfo =>
    em.consent.registerApp({ displayName: 'Directory tool', requiredScopes: ['User.Read', 'User.ReadBasic.All', 'Group.Read.All', 'Group.ReadWrite.All'] });

  before(async () => {
    em = await startEmulator({ users: 40, groups: 8, seed: 5 });
  });
  beforeEach(() => {
    em.consent.setAnswer('accept');
    em.setSignedInUser(em.state.adminUserId);
  });
  after(() => em.close());

  it('a new app has no consent; a non-admin consents to user-consentable read scopes and the token carries exactly them', async () => {
    const app = newApp();
    assert.deepEqual(grantsOf(app.clientId), []);
    em.setSignedInUser(nonAdmin);
    const tok = await signIn(app, 'openid profile offline_access User.Read User.ReadBasic.All');
    assert.equal(tok.status, 200, JSON.stringify(tok.json));
    assert.deepEqual(scpOf(tok.json['access_token']), ['User.Read', 'User.ReadBasic.All']);
    assert.equal(tok.json['scope'], 'User.Read User.ReadBasic.All openid profile');
    const grants = grantsOf(app.clientId);
    assert.equal(grants.length, 1);
    assert.equal(grants[0]?.consentType, 'Principal');
    assert.equal(grants[0]?.principalId, nonAdmin);
    assert.deepEqual(sorted(grants[0]?.scope.split(' ') ?? []), ['User.Read', 'User.ReadBasic.All']);
    const me = await new TestClient(em, String(tok.json['access_token'])).get('/me?$select=id');
    assert.equal((me.json as Json)['id'], nonAdmin);
  });

  it('asking later for Group.ReadWrite.All as a non-admin: silently AADSTS65001, interactively "Need admin approval" (AADSTS90094)', async () => {
    const app = newApp();
    em.setSignedInUser(nonAdmin);
    const first = await signIn(app, 'openid offline_access User.Read');
    assert.equal(first.status, 200);

    const silent = await refresh(app, first.json['refresh_token'], 'offline_access User.Read https://graph.microsoft.com/Group.ReadWrite.All');
    assert.equal(silent.status, 400);
    assert.equal(silent.json['error'], 'invalid_grant');
    assert.equal(silent.json['suberror'], 'consent_required');
    assert.deepEqual(silent.json['error_codes'], [65001]);
    assert.ok(String(silent.json['error_description']).startsWith(notConsented({ clientId: app.clientId, displayName: 'Directory tool' })), String(silent.json['error_description']));

    const { res } = await authorize(app.clientId, 'openid offline_access User.Read Group.ReadWrite.All');
    assert.equal(res.status, 200, 'the sign-in page stops; there is no redirect');
    assert.equal(res.headers.get('location'), null);
    const page = unescapeHtml(await res.text());
    assert.match(page, /<h1>Need admin approval<\/h1>/);
    assert.ok(page.includes(NEEDS_ADMIN));
    const href = /<a id="return" href="([^"]+)"/.exec(page)?.[1];
    assert.ok(href, 'a "Return to the application without granting consent" link');
    const back = new URL(href);
    assert.equal(`${back.origin}${back.pathname}`, redirectUri);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('error_description'), NEEDS_ADMIN);
    assert.equal(back.searchParams.get('state'), 'st-1');
    assert.equal(back.searchParams.get('code'), null);
    assert.deepEqual(sorted(grantsOf(app.clientId).flatMap((g) => g.scope.split(' '))), ['User.Read'], 'nothing was granted by the refusal');

    em.setSignedInUser(userAdmin);
    const asUserAdmin = (await authorize(app.clientId, 'User.Read Group.ReadWrite.All')).res;
    assert.equal(asUserAdmin.status, 200, 'a User Administrator may not consent for the organization either');
    assert.ok(unescapeHtml(await asUserAdmin.text()).includes(NEEDS_ADMIN));
  });

  it('after admin consent the non-admin gets the write scope silently; scp lists exactly what was consented and requested', async () => {
    const app = newApp();
    em.setSignedInUser(nonAdmin);
    const first = await signIn(app, 'openid offline_access User.Read User.ReadBasic.All');
    assert.equal(first.status, 200);

    const granted = await control('POST', 'consent-grants', { clientId: app.clientId, consentType: 'AllPrincipals', scopes: ['Group.ReadWrite.All'] });
    assert.equal(granted.status, 201);
    assert.equal(granted.json?.['consentType'], 'AllPrincipals');
    assert.equal(granted.json?.['principalId'], null);

    const more = await refresh(app, first.json['refresh_token'], 'offline_access User.Read Group.ReadWrite.All');
    assert.equal(more.status, 200, JSON.stringify(more.json));
    assert.deepEqual(scpOf(more.json['access_token']), ['Group.ReadWrite.All', 'User.Read'], 'User.ReadBasic.All is consented but was not requested');
    const all = await refresh(app, more.json['refresh_token'], 'offline_access https://graph.microsoft.com/.default');
    assert.equal(all.status, 200);
    assert.deepEqual(scpOf(all.json['access_token']), ['Group.ReadWrite.All', 'User.Read', 'User.ReadBasic.All'], '.default is everything consented for this user');
    const notAsked = await refresh(app, all.json['refresh_token'], 'offline_access Group.Read.All');
    assert.deepEqual(notAsked.json['error_codes'], [65001], 'Group.Read.All is listed by the registration but nobody consented to it');

    const listed = await control('GET', `consent-grants?clientId=${app.clientId}`);
    const kinds = ((listed.json?.['value'] as ConsentGrant[] | undefined) ?? []).map((g) => `${g.consentType}:${g.scope}`).sort();
    assert.deepEqual(kinds, ['AllPrincipals:Group.ReadWrite.All', 'Principal:User.Read User.ReadBasic.All']);

    assert.equal((await control('POST', 'consent-grants/revoke', { clientId: app.clientId, consentType: 'AllPrincipals' })).status, 204);
    const revoked = await refresh(app, all.json['refresh_token'], 'offline_access User.Read Group.ReadWrite.All');
    assert.deepEqual(revoked.json['error_codes'], [65001], 'a revoked grant no longer yields tokens');
  });

  it('an admin consents for themselves by default, for everyone with prompt=admin_consent; roles decide who is an admin', async () => {
    const app = newApp();
    const mona = nonAdmin;
    assert.equal((await control('POST', 'user-roles', { id: userAdmin, roles: ['Cloud Application Administrator'] })).status, 204);
    try {
      em.setSignedInUser(userAdmin);
      assert.equal((await signIn(app, 'openid Group.Read.All')).status, 200);
      assert.deepEqual(
        grantsOf(app.clientId).map((g) => [g.consentType, g.principalId, g.scope]),
        [['Principal', userAdmin, 'Group.Read.All']],
      );
      em.setSignedInUser(mona);
      assert.equal((await authorize(app.clientId, 'Group.Read.All')).res.status, 200, 'the admin consented only for themselves');

      em.setSignedInUser(userAdmin);
      const org = await authorize(app.clientId, 'openid Group.Read.All', { prompt: 'admin_consent' });
      assert.ok(redirected(org.res).get('code'));
      assert.ok(grantsOf(app.clientId).some((g) => g.consentType === 'AllPrincipals' && g.principalId === null && g.scope === 'Group.Read.All'));
      em.setSignedInUser(mona);
      const monaTok = await signIn(app, 'openid Group.Read.All');
      assert.equal(monaTok.status, 200);
      assert.deepEqual(scpOf(monaTok.json['access_token']), ['Group.Read.All']);
    } finally {
      await control('POST', 'user-roles', { id: userAdmin, roles: ['User Administrator'] });
    }
    em.setSignedInUser(userAdmin);
    assert.equal((await authorize(app.clientId, 'Group.ReadWrite.All')).res.status, 200, 'back to User Administrator: no consent admin');
    em.setSignedInUser(mona);
    assert.equal((await authorize(app.clientId, 'Group.Read.All', { prompt: 'admin_consent' })).res.status, 200, 'prompt=admin_consent by a non-admin: Need admin approval');
  });

  it('the user declines the consent prompt: access_denied with AADSTS65004, and nothing is granted', async () => {
    const app = newApp();
    em.setSignedInUser(nonAdmin);
    assert.equal((await control('POST', 'consent-answer', { answer: 'decline' })).status, 204);
    const q = redirected((await authorize(app.clientId, 'openid User.Read User.ReadBasic.All')).res);
    assert.equal(q.get('error'), 'access_denied');
    assert.equal(q.get('error_description'), DECLINED);
    assert.equal(q.get('state'), 'st-1');
    assert.deepEqual(grantsOf(app.clientId), []);
    assert.equal((await control('POST', 'consent-answer', { answer: 'maybe' })).status, 400);
  });

  it("VS Code's first-party client id: pre-authorised for User.Read only; Group.ReadWrite.All is AADSTS65002", async () => {
    const vscode = { clientId: VSCODE_CLIENT_ID };
    const tok = await signIn(vscode, 'openid offline_access User.Read', 'organizations');
    assert.equal(tok.status, 200, JSON.stringify(tok.json));
    assert.deepEqual(scpOf(tok.json['access_token']), ['User.Read']);

    const { res } = await authorize(VSCODE_CLIENT_ID, 'openid offline_access User.Read Group.ReadWrite.All', {}, 'organizations');
    assert.equal(res.status, 400);
    assert.ok(unescapeHtml(await res.text()).includes(VSCODE_NOT_PREAUTHORIZED));
    const silent = await form(
      { grant_type: 'refresh_token', client_id: VSCODE_CLIENT_ID, refresh_token: String(tok.json['refresh_token']), scope: 'offline_access Group.ReadWrite.All' },
      'organizations',
    );
    assert.deepEqual(silent.json['error_codes'], [65002]);
    assert.ok(String(silent.json['error_description']).startsWith(VSCODE_NOT_PREAUTHORIZED));
    assert.throws(() => em.consent.grantAdminConsent(VSCODE_CLIENT_ID, ['Group.ReadWrite.All']), /first-party/);
  });

  it("VS Code's app may be sent back to its registered https://vscode.dev/redirect (form_post); other apps only to the loopback address", async () => {
    const { challenge } = pkce();
    const visit = (clientId: string, scope: string): Promise<Response> => {
      const params = { client_id: clientId, response_type: 'code', redirect_uri: VSCODE_REDIRECT_URI, response_mode: 'form_post', scope, state: 'st-2', code_challenge: challenge, code_challenge_method: 'S256' };
      return fetch(`${em.url}/organizations/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
    };
    const page = await visit(VSCODE_CLIENT_ID, 'openid offline_access User.Read');
    assert.equal(page.status, 200);
    const html = unescapeHtml(await page.text());
    assert.ok(html.includes(`action="${VSCODE_REDIRECT_URI}"`), 'the browser posts the answer to the registered page');
    assert.match(html, /name="code" value="0\./);
    assert.match(html, /name="state" value="st-2"/);

    const demo = await fetch(
      `${em.url}/${em.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: em.apps.demo.clientId, response_type: 'code', redirect_uri: VSCODE_REDIRECT_URI, scope: 'openid User.Read', code_challenge: challenge, code_challenge_method: 'S256' }).toString()}`,
      { redirect: 'manual' },
    );
    assert.equal(demo.status, 400);
    assert.match(unescapeHtml(await demo.text()), /AADSTS50011: The redirect URI 'https:\/\/vscode\.dev\/redirect' specified in the request does not match/);
  });

  it('the demo app stays admin-consented tenant-wide: a non-admin gets its write scopes without a prompt', async () => {
    const demo = em.consent.grants(em.apps.demo.clientId);
    assert.deepEqual(demo.map((g) => g.consentType), ['AllPrincipals']);
    em.setSignedInUser(nonAdmin);
    const tok = await signIn(em.apps.demo, 'openid offline_access User.Read Group.ReadWrite.All GroupMember.ReadWrite.All');
    assert.equal(tok.status, 200);
    assert.deepEqual(scpOf(tok.json['access_token']), ['Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'User.Read']);
    assert.equal(em.consent.grants(em.apps.demo.clientId).length, 1, 'no per-user grant was needed');
  });

  it('control routes check their input; unknown scopes are refused as Entra refuses them', async () => {
    const made = await control('POST', 'apps', { displayName: 'Reader', requiredScopes: ['user.read'], publicClient: true });
    assert.equal(made.status, 201);
    assert.deepEqual(made.json?.['requiredScopes'], ['User.Read']);
    assert.equal(made.json?.['clientSecret'], undefined);
    const bad = await control('POST', 'apps', { requiredScopes: ['Mail.Sned'] });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json?.['error']), /'Mail\.Sned' is not a Microsoft Graph delegated permission/);
    assert.equal((await control('POST', 'user-roles', { id: nonAdmin, roles: ['Supreme Leader'] })).status, 400);
    assert.equal((await control('POST', 'consent-grants', { clientId: String(made.json?.['clientId']), consentType: 'Principal' })).status, 400);

    const q = redirected((await authorize(String(made.json?.['clientId']), 'openid User.Raed')).res);
    assert.equal(q.get('error'), 'access_denied');
    assert.equal(
      q.get('error_description'),
      "AADSTS650053: The application 'Reader' asked for scope 'User.Raed' that doesn't exist on the resource '00000003-0000-0000-c000-000000000000'. Contact the app vendor.",
    );
    const info = (await control('GET', 'info')).json ?? {};
    assert.deepEqual(Object.keys(info['apps'] as Json), ['demo'], '/_emulator/info is unchanged');
  });
});
