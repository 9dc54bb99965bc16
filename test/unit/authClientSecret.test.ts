/** ENTRA_ID_CLIENT_SECRET: used in memory for this run, never stored, never over a stored secret, gone once cleared. */
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { SignInManager } from '../../src/auth/signInManager';
import { AuthError, SECRET_KEYS } from '../../src/auth/types';
import { FakeSecrets, fakeDeps, httpsNetworkClient } from './authFakes';

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

const isAuthError = (code: AuthError['code']) => (e: unknown) => e instanceof AuthError && e.code === code;

describe('client secret from the environment (emulator)', () => {
  let emu: Emulator;
  let ca: string;
  before(async () => {
    emu = await startEmulator({ https: true, users: 5, groups: 2 });
    ca = emu.caCert ?? '';
  });
  after(() => emu.close());
  beforeEach(() => emu.clearLog());

  const secretKey = (): string => SECRET_KEYS.clientSecret(emu.apps.demo.clientId);
  const tokenStatuses = (): Array<number | undefined> => emu.log.filter((e) => e.method === 'POST' && e.path.endsWith('/oauth2/v2.0/token')).map((e) => e.status);

  /** A manager as activation builds it: the environment's secret and this machine's globalState. */
  function start(options: { secrets?: FakeSecrets; state?: MemoryState; environmentSecret?: string; clientId?: string; input?: string } = {}) {
    const secrets = options.secrets ?? new FakeSecrets();
    const state = options.state ?? new MemoryState();
    const deps = fakeDeps({
      settings: {
        'entraId.auth.method': 'clientCredentials', 'entraId.auth.clientId': options.clientId ?? emu.apps.demo.clientId, 'entraId.auth.tenantId': emu.tenantId,
        'entraId.cloud': 'custom', 'entraId.customGraphEndpoint': emu.graphUrl, 'entraId.customAuthorityHost': emu.authorityHost,
      },
      secrets,
      state,
      msalNetworkClient: httpsNetworkClient(ca),
      showInputBox: () => Promise.resolve(options.input),
      ...(options.environmentSecret !== undefined ? { environmentSecret: options.environmentSecret } : {}),
    });
    return { deps, secrets, state, manager: new SignInManager(deps) };
  }

  it('signs in with it without storing it, and says so once without the value', async () => {
    const { deps, secrets, state, manager } = start({ environmentSecret: emu.apps.demo.clientSecret });
    assert.ok(await manager.tokenProvider());
    assert.deepEqual(tokenStatuses(), [200]);
    assert.equal(secrets.values.has(secretKey()), false, 'not in SecretStorage');
    assert.ok(![...state.values.values()].some((v) => JSON.stringify(v).includes(emu.apps.demo.clientSecret)), 'not in globalState');
    assert.equal(deps.log.lines.filter((l) => l.includes('ENTRA_ID_CLIENT_SECRET')).length, 1);
    assert.ok(!deps.log.text().includes(emu.apps.demo.clientSecret));
    manager.dispose();
  });

  it('wins over a stored secret for this run and leaves the stored one untouched', async () => {
    const secrets = new FakeSecrets();
    const stored = 'Stored~secret-for-another-day-0123456789ab';
    await secrets.store(secretKey(), stored);
    const { manager } = start({ secrets, environmentSecret: emu.apps.demo.clientSecret });
    assert.ok(await manager.tokenProvider(), 'the environment secret (the right one) was used');
    assert.equal(secrets.values.get(secretKey()), stored);
    manager.dispose();
  });

  it('is not used when the configured client id is not a GUID', async () => {
    const { deps, secrets, manager } = start({ environmentSecret: emu.apps.demo.clientSecret, clientId: 'not-a-guid' });
    await assert.rejects(manager.tokenProvider(), isAuthError('MissingClientId'));
    assert.equal(secrets.values.size, 0);
    assert.match(deps.log.text(), /ENTRA_ID_CLIENT_SECRET is set, but entraId\.auth\.clientId holds no valid application/);
    assert.deepEqual(tokenStatuses(), []);
    manager.dispose();
  });

  it('Clear Client Secret drops it for this run and for later starts, until a secret is stored again', async () => {
    const state = new MemoryState();
    const secrets = new FakeSecrets();
    const first = start({ secrets, state, environmentSecret: emu.apps.demo.clientSecret });
    assert.ok(await first.manager.tokenProvider());
    await first.manager.clearClientSecret();
    emu.clearLog();
    await assert.rejects(first.manager.tokenProvider(), isAuthError('MissingSecret'));
    assert.deepEqual(tokenStatuses(), [], 'no token request without a secret');
    first.manager.dispose();

    // The next start with the same environment does not bring it back.
    const second = start({ secrets, state, environmentSecret: emu.apps.demo.clientSecret });
    await assert.rejects(second.manager.tokenProvider(), isAuthError('MissingSecret'));
    assert.deepEqual(tokenStatuses(), []);
    assert.match(second.deps.log.text(), /ENTRA_ID_CLIENT_SECRET is not used for app .*cleared/);

    // A secret typed into the password box is stored, used, and lifts the block for later starts.
    const typed = start({ secrets, state, environmentSecret: emu.apps.demo.clientSecret, input: emu.apps.demo.clientSecret });
    assert.equal(await typed.manager.setClientSecret(), true);
    assert.ok(await typed.manager.tokenProvider());
    await secrets.delete(secretKey());
    const third = start({ secrets, state, environmentSecret: emu.apps.demo.clientSecret });
    assert.ok(await third.manager.tokenProvider(), 'the environment secret is used again');
    second.manager.dispose();
    typed.manager.dispose();
    third.manager.dispose();
  });

  it('a secret typed in during the run replaces the environment one for the rest of it', async () => {
    const wrong = 'Typed~but-wrong-secret-0123456789abcdefgh';
    const { manager, secrets } = start({ environmentSecret: emu.apps.demo.clientSecret, input: wrong });
    assert.ok(await manager.tokenProvider());
    assert.equal(await manager.setClientSecret(), true);
    assert.equal(secrets.values.get(secretKey()), wrong);
    await assert.rejects(manager.tokenProvider({ forceRefresh: true }), isAuthError('Configuration'), 'the typed (wrong) secret is the one sent now');
    manager.dispose();
  });
});
