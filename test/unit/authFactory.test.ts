/** The factory's wiring to the editor, through the in-memory `vscode` module. */
import * as assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type * as vscodeTypes from 'vscode';
import { Settings } from '../../src/settings';
import { createSignInManager } from '../../src/auth/createSignInManager';
import * as vscode from '../support/vscodeFake';
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
  const calls: Array<{ providerId: string; scopes: readonly string[]; environment: unknown }> = [];
  vscode.authentication.getSession = (...args: unknown[]) => {
    calls.push({ providerId: args[0] as string, scopes: args[1] as string[], environment: vscode.settings.get('microsoft-sovereign-cloud.environment') });
    return Promise.resolve(answer);
  };
  return calls;
}

function disposeAll(ctx: { subscriptions: Array<{ dispose(): unknown }> }): void {
  for (const d of ctx.subscriptions) d.dispose();
}

afterEach(() => {
  vscode.authentication.getSession = originalGetSession;
  vscode.settings.clear();
  vscode.executed.length = 0;
});

describe('createSignInManager', () => {
  it('sets the sovereign-cloud environment before asking that provider', async () => {
    vscode.settings.set('entraId.cloud', 'china');
    const calls = recordSessions();
    const ctx = context();
    const auth = createSignInManager(ctx, new FakeLog() as unknown as vscodeTypes.LogOutputChannel, new Settings(new FakeLog()));
    await auth.trySilentSignIn();
    assert.equal(calls[0]?.providerId, 'microsoft-sovereign-cloud');
    assert.equal(calls[0]?.environment, 'ChinaCloud');
    disposeAll(ctx);
  });

  it('leaves the sovereign setting alone for the global cloud', async () => {
    const calls = recordSessions();
    const ctx = context();
    const auth = createSignInManager(ctx, new FakeLog() as unknown as vscodeTypes.LogOutputChannel, new Settings(new FakeLog()));
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
    assert.deepEqual(vscode.executed.at(-1), { id: 'setContext', args: ['entraId.signedIn', true] });

    await vscode.workspace.getConfiguration('entraId.auth').update('tenantId', TENANT);
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(calls.at(-1)?.scopes.includes(`VSCODE_TENANT:${TENANT}`), 'the new tenant is used');

    await auth.signOut();
    assert.deepEqual(vscode.executed.at(-1), { id: 'setContext', args: ['entraId.signedIn', false] });
    disposeAll(ctx);
  });
});
