/** The factory's wiring to the editor, through the in-memory `vscode` module. */
import * as assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type * as vscodeTypes from 'vscode';
import { Settings } from '../../src/settings';
import { createSignInManager } from '../../src/auth/createSignInManager';
import * as vscode from '../support/vscodeFake';
import { AuthError } from '../../src/auth/types';
import { FakeLog, FakeSecrets, session } from './authFakes';

const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const originalGetSession = vscode.authentication.getSession;

function context(): vscodeTypes.ExtensionContext & { subscriptions: Array<{ dispose(): unknown }> } {
  const state = new Map<string, unknown>();
  return {
    secrets: new FakeSecrets(),
    globalState: { get: (k: string) => state.get(k), update: (k: string, v: unknown) => Promise.resolve(void state.set(k, v)), keys: () => [...state.keys()] },
    subscriptions: [],
  } as unknown as vscodeTypes.ExtensionContext & { subscriptions: Array<{ dispose(): unknown }> };
}

/** Records getSession calls together with the sovereign-environment setting at the time of the call. */
function recordSessions(answer = session('ada@contoso.com')) {
  const calls: Array<{ providerId: string; scopes: readonly string[]; interactive: boolean; environment: unknown }> = [];
  vscode.authentication.getSession = (...args: unknown[]) => {
    const options = (args[2] ?? {}) as { createIfNone?: boolean; forceNewSession?: boolean };
    calls.push({ providerId: args[0] as string, scopes: args[1] as string[], interactive: Boolean(options.createIfNone || options.forceNewSession), environment: vscode.settings.get('microsoft-sovereign-cloud.environment') });
    return Promise.resolve(answer);
  };
  return calls;
}

function manager(ctx: ReturnType<typeof context>, log = new FakeLog(), environment: Parameters<typeof createSignInManager>[3] = {}) {
  return createSignInManager(ctx, log as unknown as vscodeTypes.LogOutputChannel, new Settings(new FakeLog()), environment);
}

const isAuthError = (code: AuthError['code'], message?: RegExp) => (e: unknown) => e instanceof AuthError && e.code === code && (!message || message.test(e.message));

function customCloud(): void {
  vscode.settings.set('entraId.cloud', 'custom');
  vscode.settings.set('entraId.customGraphEndpoint', 'https://graph.contoso.example/v1.0');
  vscode.settings.set('entraId.customAuthorityHost', 'https://login.contoso.example');
}

function disposeAll(ctx: { subscriptions: Array<{ dispose(): unknown }> }): void {
  for (const d of ctx.subscriptions) d.dispose();
}

afterEach(() => {
  vscode.authentication.getSession = originalGetSession;
  vscode.settings.clear();
  vscode.executed.length = 0;
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

describe('createSignInManager', () => {
  it('a silent sign-in never changes the sovereign-cloud environment: it stays signed out and logs why once', async () => {
    vscode.settings.set('entraId.cloud', 'china');
    vscode.settings.set('microsoft-sovereign-cloud.environment', 'USGovernment');
    const calls = recordSessions();
    const ctx = context();
    const log = new FakeLog();
    const auth = manager(ctx, log);
    assert.equal(await auth.trySilentSignIn(), undefined);
    assert.equal(await auth.trySilentSignIn(), undefined);
    assert.equal(vscode.settings.get('microsoft-sovereign-cloud.environment'), 'USGovernment');
    assert.deepEqual(calls, [], 'the provider was not asked while it points at another cloud');
    assert.deepEqual(vscode.shown.modals, []);
    assert.equal(log.lines.filter((l) => l.includes('microsoft-sovereign-cloud.environment')).length, 1);
    disposeAll(ctx);
  });

  it('an interactive sign-in asks before changing the sovereign-cloud environment, naming the old and new value', async () => {
    vscode.settings.set('entraId.cloud', 'china');
    vscode.settings.set('microsoft-sovereign-cloud.environment', 'USGovernment');
    const calls = recordSessions();
    const ctx = context();
    const auth = manager(ctx);
    vscode.fakeUi.messageAnswers.push('Change Setting');
    assert.equal((await auth.signIn())?.label, 'ada@contoso.com');
    assert.equal(vscode.shown.modals.length, 1);
    assert.match(vscode.shown.modals[0]?.text ?? '', /microsoft-sovereign-cloud\.environment changed from "USGovernment" to "ChinaCloud"/);
    assert.deepEqual(vscode.shown.modals[0]?.items, ['Change Setting']);
    assert.equal(vscode.settings.get('microsoft-sovereign-cloud.environment'), 'ChinaCloud');
    assert.ok(calls.length > 0 && calls.every((c) => c.providerId === 'microsoft-sovereign-cloud' && c.environment === 'ChinaCloud'), 'the provider is asked only once the environment is right');
    disposeAll(ctx);
  });

  it('a refused change leaves the sovereign-cloud environment alone and fails the sign-in with a clear message', async () => {
    vscode.settings.set('entraId.cloud', 'usGovernment');
    const calls = recordSessions();
    const ctx = context();
    const auth = manager(ctx);
    await assert.rejects(auth.signIn(), isAuthError('Configuration', /microsoft-sovereign-cloud\.environment set to "USGovernment"/));
    assert.match(vscode.shown.modals[0]?.text ?? '', /now not set, set to "USGovernment"/);
    assert.equal(vscode.settings.has('microsoft-sovereign-cloud.environment'), false);
    assert.deepEqual(calls, []);
    disposeAll(ctx);
  });

  it('uses a sovereign-cloud environment that is already right without asking', async () => {
    vscode.settings.set('entraId.cloud', 'usGovernmentDoD');
    vscode.settings.set('microsoft-sovereign-cloud.environment', 'USGovernment');
    const calls = recordSessions();
    const ctx = context();
    assert.ok(await manager(ctx).trySilentSignIn());
    assert.equal(calls[0]?.providerId, 'microsoft-sovereign-cloud');
    assert.deepEqual(vscode.shown.modals, []);
    disposeAll(ctx);
  });

  it('custom endpoints: silent sign-in shows nothing and asks VS Code for nothing; an interactive one asks in a modal', async () => {
    customCloud();
    const calls = recordSessions();
    const ctx = context();
    const auth = manager(ctx);
    assert.equal(await auth.trySilentSignIn(), undefined);
    assert.deepEqual(calls, []);
    assert.equal(vscode.shown.modals.length, 0);

    // Dismissed: a configuration error, nothing asked of VS Code, nothing remembered.
    await assert.rejects(auth.signIn(), isAuthError('Configuration'));
    const modal = vscode.shown.modals[0];
    assert.equal(modal?.text, 'Send your Entra ID sign-in and Graph requests to https://graph.contoso.example and https://login.contoso.example?');
    assert.deepEqual(modal.items, ['Trust']);
    assert.match(modal.detail ?? '', /not Microsoft's addresses/);
    assert.deepEqual(calls, []);

    vscode.fakeUi.messageAnswers.push('Trust');
    assert.ok(await auth.signIn());
    assert.ok(calls.length > 0);
    disposeAll(ctx);

    // Remembered in this machine's globalState: the next start signs in silently without asking.
    vscode.shown.reset();
    const restarted = createSignInManager(ctx, new FakeLog() as unknown as vscodeTypes.LogOutputChannel, new Settings(new FakeLog()));
    assert.ok(await restarted.trySilentSignIn());
    assert.deepEqual(vscode.shown.modals, []);
    disposeAll(ctx);
  });

  it('custom endpoints listed in ENTRA_ID_TRUSTED_ORIGINS need no modal', async () => {
    customCloud();
    const calls = recordSessions();
    const ctx = context();
    const log = new FakeLog();
    const auth = manager(ctx, log, { trustedOrigins: 'https://graph.contoso.example,https://login.contoso.example' });
    assert.ok(await auth.trySilentSignIn());
    assert.equal(calls.length, 1);
    assert.deepEqual(vscode.shown.modals, []);
    assert.match(log.text(), /ENTRA_ID_TRUSTED_ORIGINS confirms https:\/\/graph\.contoso\.example, https:\/\/login\.contoso\.example/);
    disposeAll(ctx);
  });

  it('leaves the sovereign setting alone for the global cloud', async () => {
    const calls = recordSessions();
    const ctx = context();
    const auth = manager(ctx);
    await auth.trySilentSignIn();
    assert.equal(calls[0]?.providerId, 'microsoft');
    assert.equal(vscode.settings.has('microsoft-sovereign-cloud.environment'), false);
    disposeAll(ctx);
  });

  it('follows setting changes and keeps the signedIn context key current', async () => {
    const calls = recordSessions();
    const ctx = context();
    const auth = createSignInManager(ctx, new FakeLog() as unknown as vscodeTypes.LogOutputChannel, new Settings(new FakeLog()));
    await auth.trySilentSignIn();
    assert.deepEqual(vscode.executed.filter((e) => e.args[0] === 'entraId.signedIn').at(-1), { id: 'setContext', args: ['entraId.signedIn', true] });

    await vscode.workspace.getConfiguration('entraId.auth').update('tenantId', TENANT);
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(calls.at(-1)?.scopes.includes(`VSCODE_TENANT:${TENANT}`), 'the new tenant is used');

    await auth.signOut();
    assert.deepEqual(vscode.executed.filter((e) => e.args[0] === 'entraId.signedIn').at(-1), { id: 'setContext', args: ['entraId.signedIn', false] });
    disposeAll(ctx);
  });
});
