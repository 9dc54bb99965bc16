import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { GraphClient } from '../../src/core';
import type { MsalModule } from '../../src/auth/msalApp';
import { SignInManager } from '../../src/auth/signInManager';
import { AuthError, type SessionLike, type SignedInAccount } from '../../src/auth/types';
import { fakeDeps, session } from './authFakes';

const APP = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SECRET = 'Qz8~secretValue0123456789abcdefghijklmnop';

/** A loader that records whether msal was loaded, and refuses to (these tests must not need it). */
function msalSpy(): { loads: number; load: () => Promise<MsalModule> } {
  const spy = {
    loads: 0,
    load: () => {
      spy.loads++;
      return Promise.reject(new Error('msal must not be loaded here'));
    },
  };
  return spy;
}

const isAuthError = (code: AuthError['code'], message?: RegExp) => (e: unknown) => e instanceof AuthError && e.code === code && (!message || message.test(e.message));

describe('SignInManager', () => {
  it('shares one acquisition between concurrent token requests', async () => {
    const deps = fakeDeps();
    let release: (s: SessionLike) => void = () => undefined;
    const pending = new Promise<SessionLike>((r) => (release = r));
    let asked = 0;
    deps.getSession = () => {
      asked++;
      return pending;
    };
    const manager = new SignInManager(deps);
    const tokens = Promise.all([manager.tokenProvider(), manager.tokenProvider(), manager.tokenProvider()]);
    release(session('ada@contoso.com'));
    const [a, b, c] = await tokens;
    assert.equal(asked, 1);
    assert.ok(a === b && b === c);
    manager.dispose();
  });

  it('says when a first sign-in is under way (the views show "Signing in…"), and not for later token refreshes', async () => {
    const deps = fakeDeps();
    let release: (s: SessionLike) => void = () => undefined;
    let asked: () => void = () => undefined;
    const askedForSession = new Promise<void>((r) => (asked = r));
    let first = true;
    // The first sign-in waits for the test; later requests (the refresh below) are answered at once.
    deps.getSession = () => {
      if (!first) return Promise.resolve(session('ada@contoso.com'));
      first = false;
      return new Promise<SessionLike>((r) => {
        release = r;
        asked();
      });
    };
    const manager = new SignInManager(deps);
    const seen: boolean[] = [];
    manager.onDidChangeSigningIn((busy) => seen.push(busy));
    const signing = manager.tokenProvider();
    assert.equal(manager.signingIn, true);
    await askedForSession;
    release(session('ada@contoso.com'));
    await signing;
    assert.equal(manager.signingIn, false);
    assert.deepEqual(seen, [true, false]);
    await manager.tokenProvider({ forceRefresh: true });
    assert.deepEqual(seen, [true, false], 'a refresh while signed in is not "signing in"');
    manager.dispose();
  });

  it('drops an acquisition that finishes after sign-out', async () => {
    const deps = fakeDeps();
    let release: (s: SessionLike) => void = () => undefined;
    deps.getSession = (_p, _s, options) => (options.clearSessionPreference ? Promise.resolve(undefined) : new Promise<SessionLike>((r) => (release = r)));
    const manager = new SignInManager(deps);
    const token = manager.tokenProvider();
    await manager.signOut();
    release(session('ada@contoso.com'));
    await assert.rejects(token, isAuthError('NotSignedIn'));
    assert.equal(manager.account, undefined);
    manager.dispose();
  });

  it('after Sign Out, the reads a new sign-in starts as the account arrives get a token (the tenant\'s name is read)', async () => {
    const deps = fakeDeps();
    deps.sessions.session = session('ada@contoso.com');
    const manager = new SignInManager(deps);
    assert.ok(await manager.signIn());
    await manager.signOut();
    // What the identity tracker does: read Graph the moment the account is announced.
    const reads: Array<Promise<string>> = [];
    manager.onDidChangeAccount((account) => {
      if (account) reads.push(manager.tokenProvider());
    });
    assert.ok(await manager.signIn());
    assert.equal(reads.length, 1);
    assert.ok(await reads[0], 'the read got a token, not "signed out"');
    manager.dispose();
  });

  it('the Graph core reports a missing sign-in as an error value, before any request', async () => {
    const manager = new SignInManager(fakeDeps());
    let requests = 0;
    const client = new GraphClient({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      getAccessToken: manager.tokenProvider,
      fetch: () => {
        requests++;
        return Promise.reject(new Error('no request expected'));
      },
    });
    const result = await client.getProfile();
    assert.equal(result.success, false);
    assert.ok(!result.success && result.error.code === 'AuthenticationFailed' && /Not signed in/.test(result.error.message));
    assert.equal(requests, 0);
    manager.dispose();
  });

  it('never loads msal for the VS Code method', async () => {
    const spy = msalSpy();
    const deps = fakeDeps({ loadMsal: spy.load });
    deps.sessions.session = session('ada@contoso.com');
    const manager = new SignInManager(deps);
    await manager.trySilentSignIn();
    await manager.signOut();
    assert.equal(spy.loads, 0);
    manager.dispose();
  });

  it('authorization code without a previous sign-in is silently signed out, without loading msal', async () => {
    const spy = msalSpy();
    const deps = fakeDeps({ loadMsal: spy.load, settings: { 'entraId.auth.method': 'authorizationCode', 'entraId.auth.clientId': APP } });
    await deps.secrets.store(`entraId.clientSecret/${APP}`, SECRET);
    const manager = new SignInManager(deps);
    assert.equal(await manager.trySilentSignIn(), undefined);
    await assert.rejects(manager.tokenProvider(), isAuthError('NotSignedIn'));
    assert.equal(spy.loads, 0);
    assert.equal(deps.opened.length, 0, 'no browser without interaction');
    manager.dispose();
  });

  it('a missing client id or secret names what to set', async () => {
    const spy = msalSpy();
    const noApp = new SignInManager(fakeDeps({ loadMsal: spy.load, settings: { 'entraId.auth.method': 'clientCredentials', 'entraId.auth.tenantId': TENANT } }));
    await assert.rejects(noApp.tokenProvider(), isAuthError('MissingClientId', /entraId\.auth\.clientId/));
    await assert.rejects(noApp.signIn(), isAuthError('MissingClientId'));
    await assert.rejects(noApp.setClientSecret(), isAuthError('MissingClientId'));

    const noSecret = new SignInManager(fakeDeps({ loadMsal: spy.load, settings: { 'entraId.auth.method': 'clientCredentials', 'entraId.auth.clientId': APP, 'entraId.auth.tenantId': TENANT } }));
    await assert.rejects(noSecret.tokenProvider(), isAuthError('MissingSecret', /Entra ID: Set Client Secret/));
    assert.equal(await noSecret.trySilentSignIn(), undefined);
    assert.equal(spy.loads, 0);
    noApp.dispose();
    noSecret.dispose();
  });

  it('app-only sign-in needs a specific tenant', async () => {
    const deps = fakeDeps({ loadMsal: msalSpy().load, settings: { 'entraId.auth.method': 'clientCredentials', 'entraId.auth.clientId': APP } });
    await deps.secrets.store(`entraId.clientSecret/${APP}`, SECRET);
    const manager = new SignInManager(deps);
    await assert.rejects(manager.tokenProvider(), isAuthError('Configuration', /entraId\.auth\.tenantId/));
    manager.dispose();
  });

  it('signIn asks for a missing secret, and returns undefined when that is cancelled', async () => {
    const prompts: vscode.InputBoxOptions[] = [];
    const deps = fakeDeps({
      loadMsal: msalSpy().load,
      settings: { 'entraId.auth.method': 'clientCredentials', 'entraId.auth.clientId': APP, 'entraId.auth.tenantId': TENANT },
      showInputBox: (options) => {
        prompts.push(options);
        return Promise.resolve(undefined);
      },
    });
    const manager = new SignInManager(deps);
    assert.equal(await manager.signIn(), undefined);
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0]?.password, true);
    manager.dispose();
  });

  it('stores the client secret only in SecretStorage and clears it again', async () => {
    const deps = fakeDeps({ settings: { 'entraId.auth.clientId': APP }, showInputBox: () => Promise.resolve(`  ${SECRET} `) });
    const manager = new SignInManager(deps);
    assert.equal(await manager.setClientSecret(), true);
    assert.equal(deps.secrets.values.get(`entraId.clientSecret/${APP}`), SECRET);
    assert.ok(!deps.log.text().includes(SECRET));
    await manager.clearClientSecret();
    assert.equal(deps.secrets.values.has(`entraId.clientSecret/${APP}`), false);
    manager.dispose();
  });

  it("rejects the secret's ID in the input box", async () => {
    let validate: ((value: string) => unknown) | undefined;
    const deps = fakeDeps({
      settings: { 'entraId.auth.clientId': APP },
      showInputBox: (options) => {
        validate = (value) => options.validateInput?.(value);
        return Promise.resolve(undefined);
      },
    });
    const manager = new SignInManager(deps);
    assert.equal(await manager.setClientSecret(), false);
    assert.ok(validate);
    assert.ok(validate(TENANT));
    assert.ok(validate(''));
    assert.equal(validate(SECRET), undefined);
    manager.dispose();
  });

  it('rebuilds the source when the sign-in settings change, and ignores unrelated changes', async () => {
    const settings: Record<string, unknown> = {};
    const deps = fakeDeps({ settings });
    deps.sessions.session = session('ada@contoso.com');
    const manager = new SignInManager(deps);
    await manager.trySilentSignIn();
    const seen: Array<SignedInAccount | undefined> = [];
    manager.onDidChangeAccount((a) => seen.push(a));

    manager.reloadConfig();
    assert.deepEqual(seen, []);

    settings['entraId.auth.tenantId'] = TENANT;
    manager.reloadConfig();
    assert.deepEqual(seen, [undefined]);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(manager.account?.label, 'ada@contoso.com');
    assert.ok(deps.sessions.calls.at(-1)?.scopes.includes(`VSCODE_TENANT:${TENANT}`));
    manager.dispose();
  });

  it('after leaving a profile (disconnect) signs in silently only once the settings changed, or after an interactive sign-in', async () => {
    const settings: Record<string, unknown> = {};
    const deps = fakeDeps({ settings });
    deps.sessions.session = session('ada@contoso.com');
    const manager = new SignInManager(deps);
    assert.equal((await manager.trySilentSignIn())?.label, 'ada@contoso.com');

    await manager.disconnect();
    const asked = deps.sessions.calls.length;
    assert.equal(await manager.trySilentSignIn(), undefined);
    await assert.rejects(manager.tokenProvider(), isAuthError('NotSignedIn'));
    assert.equal(deps.sessions.calls.length, asked, 'the profile left behind was not asked for a token');
    assert.equal(manager.account, undefined);

    // The user signs in again on purpose: that ends it.
    assert.equal((await manager.signIn())?.label, 'ada@contoso.com');
    await manager.disconnect();
    assert.equal(await manager.trySilentSignIn(), undefined);
    // So do new sign-in settings (the chosen profile's).
    settings['entraId.auth.tenantId'] = TENANT;
    manager.reloadConfig();
    assert.equal((await manager.trySilentSignIn())?.label, 'ada@contoso.com');
    assert.ok(deps.sessions.calls.at(-1)?.scopes.includes(`VSCODE_TENANT:${TENANT}`));
    manager.dispose();
  });

  it('unusable cloud settings fail every request with a configuration error', async () => {
    const deps = fakeDeps({ settings: { 'entraId.cloud': 'custom' } });
    const manager = new SignInManager(deps);
    await assert.rejects(manager.tokenProvider(), isAuthError('Configuration', /entraId.customGraphEndpoint/));
    await assert.rejects(manager.signIn(), isAuthError('Configuration'));
    assert.equal(await manager.trySilentSignIn(), undefined);
    assert.equal(manager.cloud, undefined);
    manager.dispose();
  });
});
