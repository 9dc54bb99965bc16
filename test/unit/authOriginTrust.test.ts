/** Custom endpoints get no token, no secret and no Graph call until their origins were confirmed once. */
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { CLOUDS, resolveCloud, type CloudEndpoints } from '../../src/auth/clouds';
import { OriginTrust, parseTrustedOrigins } from '../../src/auth/originTrust';
import { SignInManager } from '../../src/auth/signInManager';
import { AuthError, SECRET_KEYS } from '../../src/auth/types';
import { GraphClient } from '../../src/core';
import { FakeLog, FakeSecrets, fakeDeps, httpsNetworkClient, rawGet } from './authFakes';

/** globalState as the extension gets it. */
class MemoryState {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}

interface Asked {
  message: string;
  detail: string;
  action: string;
}

/** An OriginTrust whose modal answers `answer` (the action's label, or undefined for Esc). */
function trust(answer: 'Trust' | undefined, options: { state?: MemoryState; preconfirmed?: string[] } = {}) {
  const asked: Asked[] = [];
  const log = new FakeLog();
  const state = options.state ?? new MemoryState();
  const origins = new OriginTrust({
    store: state,
    preconfirmed: options.preconfirmed ?? [],
    ask: (message, detail, action) => {
      asked.push({ message, detail, action });
      return Promise.resolve(answer === action);
    },
    log,
  });
  return { origins, asked, log, state };
}

function custom(graphEndpoint: string, authorityHost: string): CloudEndpoints {
  const resolved = resolveCloud('custom', { graphEndpoint, authorityHost });
  assert.ok(resolved.ok, resolved.ok ? '' : resolved.message);
  return resolved.cloud;
}

const CONTOSO = custom('https://graph.contoso.example/v1.0', 'https://login.contoso.example');
const isAuthError = (code: AuthError['code'], message?: RegExp) => (e: unknown) => e instanceof AuthError && e.code === code && (!message || message.test(e.message));

describe('origin confirmation', () => {
  it("needs none for Microsoft's clouds, even interactively", async () => {
    const { origins, asked } = trust(undefined);
    for (const cloud of Object.values(CLOUDS)) {
      assert.equal(origins.isConfirmed(cloud), true, cloud.name);
      await origins.ensure(cloud, true);
      await origins.ensure(cloud, false);
    }
    // A custom cloud that names Microsoft's own endpoints sends nowhere new.
    await origins.ensure(custom('https://graph.microsoft.com/v1.0', 'https://login.microsoftonline.com'), true);
    assert.deepEqual(asked, []);
  });

  it('asks in a modal that names both origins exactly, with a Trust button, and remembers the answer per pair', async () => {
    const { origins, asked, state } = trust('Trust');
    await origins.ensure(CONTOSO, true);
    assert.equal(asked.length, 1);
    assert.equal(asked[0]?.message, 'Send your Entra ID sign-in and Graph requests to https://graph.contoso.example and https://login.contoso.example?');
    assert.equal(asked[0]?.action, 'Trust');
    assert.match(asked[0]?.detail ?? '', /not Microsoft's/);

    // Remembered in globalState: a restart (a new OriginTrust on the same state) neither asks nor refuses.
    const restarted = trust(undefined, { state });
    await restarted.origins.ensure(CONTOSO, false);
    await restarted.origins.ensure(CONTOSO, true);
    assert.equal(restarted.asked.length, 0);

    // Per pair: the same Graph with another authority is a new question.
    const other = custom('https://graph.contoso.example/v1.0', 'https://login.fabrikam.example');
    assert.equal(restarted.origins.isConfirmed(other), false);
    await assert.rejects(restarted.origins.ensure(other, true), isAuthError('Configuration'));
    assert.equal(restarted.asked[0]?.message, 'Send your Entra ID sign-in and Graph requests to https://graph.contoso.example and https://login.fabrikam.example?');
  });

  it('a refused or dismissed modal fails the sign-in with a configuration error and remembers nothing', async () => {
    const { origins, state } = trust(undefined);
    await assert.rejects(origins.ensure(CONTOSO, true), isAuthError('Configuration', /https:\/\/graph\.contoso\.example and https:\/\/login\.contoso\.example.*nothing was sent/));
    assert.equal(state.values.size, 0);
    assert.equal(origins.isConfirmed(CONTOSO), false);
  });

  it('silently: no modal, a NotSignedIn error, and one log line however often it is tried', async () => {
    const { origins, asked, log } = trust('Trust');
    for (let i = 0; i < 3; i++) await assert.rejects(origins.ensure(CONTOSO, false), isAuthError('NotSignedIn', /Entra ID: Sign In/));
    assert.deepEqual(asked, []);
    assert.equal(log.lines.filter((l) => l.includes('graph.contoso.example')).length, 1);
  });

  it('loopback endpoints need a confirmation too; one origin for both is named once', async () => {
    const { origins, asked } = trust('Trust');
    const local = custom('http://127.0.0.1:8443/v1.0', 'http://127.0.0.1:8443');
    assert.equal(origins.isConfirmed(local), false);
    await origins.ensure(local, true);
    assert.equal(asked[0]?.message, 'Send your Entra ID sign-in and Graph requests to http://127.0.0.1:8443?');
  });

  it('ENTRA_ID_TRUSTED_ORIGINS confirms exactly the origins it lists, for this run only', async () => {
    const parsed = parseTrustedOrigins(' https://Graph.Contoso.example:443 , https://login.contoso.example/,ftp://x.example, https://a.example/path, https://u:p@b.example, https://c.example?x=1, not a url ,');
    assert.deepEqual(parsed.origins, ['https://graph.contoso.example', 'https://login.contoso.example']);
    assert.equal(parsed.problems.length, 5);
    assert.ok(parsed.problems.every((p) => !/example|url/.test(p)), 'problems name the entry, not its text');

    const both = trust(undefined, { preconfirmed: parsed.origins });
    await both.origins.ensure(CONTOSO, false);
    assert.deepEqual(both.asked, []);
    assert.equal(both.state.values.size, 0, 'nothing written to globalState');

    const one = trust(undefined, { preconfirmed: ['https://graph.contoso.example'] });
    await assert.rejects(one.origins.ensure(CONTOSO, false), isAuthError('NotSignedIn'));
    const mixed = trust(undefined, { preconfirmed: ['https://login.contoso.example'] });
    // Microsoft's Graph needs nothing; the one foreign origin is listed.
    await mixed.origins.ensure(custom('https://graph.microsoft.com/v1.0', 'https://login.contoso.example'), false);
  });
});

describe('origin confirmation on every token path (emulator)', () => {
  let emu: Emulator;
  let ca: string;
  before(async () => {
    emu = await startEmulator({ https: true, users: 5, groups: 2 });
    ca = emu.caCert ?? '';
  });
  after(() => emu.close());
  beforeEach(() => emu.clearLog());

  /** Secrets that record which keys were read. */
  class WatchedSecrets extends FakeSecrets {
    readonly reads: string[] = [];
    override get(key: string): Promise<string | undefined> {
      this.reads.push(key);
      return super.get(key);
    }
  }

  async function setup(method: 'clientCredentials' | 'authorizationCode', answer: 'Trust' | undefined) {
    const secrets = new WatchedSecrets();
    await secrets.store(SECRET_KEYS.clientSecret(emu.apps.demo.clientId), emu.apps.demo.clientSecret);
    const confirmation = trust(answer);
    const deps = fakeDeps({
      settings: {
        'entraId.auth.method': method, 'entraId.auth.clientId': emu.apps.demo.clientId, 'entraId.auth.tenantId': emu.tenantId,
        'entraId.cloud': 'custom', 'entraId.customGraphEndpoint': emu.graphUrl, 'entraId.customAuthorityHost': emu.authorityHost,
      },
      secrets,
      origins: confirmation.origins,
      msalNetworkClient: httpsNetworkClient(ca),
      openExternal: async (url) => {
        const authorize = await rawGet(url, ca);
        if (authorize.location) await rawGet(authorize.location);
        return true;
      },
      signInTimeoutMs: 10_000,
    });
    return { deps, secrets, confirmation, manager: new SignInManager(deps) };
  }

  const secretReads = (secrets: WatchedSecrets): string[] => secrets.reads.filter((k) => k.startsWith('entraId.clientSecret/'));

  for (const method of ['clientCredentials', 'authorizationCode'] as const) {
    it(`${method}: unconfirmed, nothing reaches the host — silently, through Graph, or when the modal is refused`, async () => {
      const { deps, secrets, confirmation, manager } = await setup(method, undefined);
      assert.equal(await manager.trySilentSignIn(), undefined);
      await assert.rejects(manager.tokenProvider(), isAuthError('NotSignedIn'));
      let fetched = 0;
      const client = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: manager.tokenProvider, fetch: () => (fetched++, Promise.reject(new Error('no request expected'))) });
      const result = await client.getOrganizationUsers({ maxItems: 1 });
      assert.ok(!result.success && result.error.code === 'AuthenticationFailed');
      assert.equal(fetched, 0);
      assert.deepEqual(confirmation.asked, [], 'silent attempts show no modal');

      await assert.rejects(manager.signIn(), isAuthError('Configuration', /nothing was sent/));
      assert.equal(confirmation.asked.length, 1);
      assert.deepEqual(emu.log.map((e) => `${e.method} ${e.path}`), [], 'no request reached the emulator');
      assert.deepEqual(secretReads(secrets), [], 'the secret was not even read');
      assert.deepEqual(deps.opened, [], 'no browser was opened');
      manager.dispose();
    });

    it(`${method}: after "Trust" the sign-in reaches the host and later silent requests need no question`, async () => {
      const { confirmation, manager } = await setup(method, 'Trust');
      const account = await manager.signIn();
      assert.ok(account, 'signed in');
      assert.ok(emu.log.some((e) => e.method === 'POST' && e.path.endsWith('/oauth2/v2.0/token') && e.status === 200), 'the token request was sent');
      assert.ok(await manager.tokenProvider());
      assert.equal(confirmation.asked.length, 1);
      manager.dispose();
    });
  }

  it('the VS Code method with a custom Graph asks VS Code for no session until confirmed', async () => {
    const confirmation = trust(undefined);
    const deps = fakeDeps({ settings: { 'entraId.cloud': 'custom', 'entraId.customGraphEndpoint': emu.graphUrl, 'entraId.customAuthorityHost': emu.authorityHost }, origins: confirmation.origins });
    const manager = new SignInManager(deps);
    assert.equal(await manager.trySilentSignIn(), undefined);
    await assert.rejects(manager.signIn(), isAuthError('Configuration'));
    assert.deepEqual(deps.sessions.calls, [], 'no session (and so no Microsoft token) was asked for');
    manager.dispose();
  });
});
