import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SignedInAccount } from '../../src/auth/types';
import { AuthError } from '../../src/auth/types';
import { cancelledWithVscodeApp } from '../../src/auth/consent';
import { SignInManager } from '../../src/auth/signInManager';
import { fakeDeps, fakeJwt, session } from './authFakes';

const APP = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
/** Browsing's read permissions, as README's sign-in section documents them: never a write permission at sign-in. */
const GLOBAL_SCOPES = ['User.Read', 'User.Read.All', 'GroupMember.Read.All'];

describe('VS Code account sign-in', () => {
  it('asks the microsoft provider with the delegated scopes plus app and tenant entries', async () => {
    const deps = fakeDeps({ settings: { 'entraId.auth.clientId': APP, 'entraId.auth.tenantId': TENANT } });
    deps.sessions.session = session('ada@contoso.com', { oid: 'user-1', tid: TENANT });
    const manager = new SignInManager(deps);
    const account = await manager.trySilentSignIn();
    const [call] = deps.sessions.calls;
    assert.ok(call);
    assert.equal(call.providerId, 'microsoft');
    assert.deepEqual([...call.scopes], [...GLOBAL_SCOPES, `VSCODE_CLIENT_ID:${APP}`, `VSCODE_TENANT:${TENANT}`]);
    assert.deepEqual(call.options, { silent: true });
    assert.deepEqual(account, { method: 'vscode', label: 'ada@contoso.com', appOnly: false, userId: 'user-1', tenantId: TENANT });
    manager.dispose();
  });

  it('uses the sovereign provider and Graph-prefixed scopes for national clouds', async () => {
    for (const [cloud, origin] of [
      ['usGovernment', 'https://graph.microsoft.us'],
      ['usGovernmentDoD', 'https://dod-graph.microsoft.us'],
      ['china', 'https://microsoftgraph.chinacloudapi.cn'],
    ] as const) {
      const deps = fakeDeps({ settings: { 'entraId.cloud': cloud } });
      deps.sessions.session = session('gov@agency.gov');
      const manager = new SignInManager(deps);
      await manager.trySilentSignIn();
      const [call] = deps.sessions.calls;
      assert.equal(call?.providerId, 'microsoft-sovereign-cloud');
      assert.deepEqual([...(call?.scopes ?? [])], GLOBAL_SCOPES.map((s) => `${origin}/${s}`));
      manager.dispose();
    }
  });

  it('tries silently first and shows UI only for an interactive sign-in', async () => {
    const deps = fakeDeps();
    deps.sessions.interactive = () => Promise.resolve(session('ada@contoso.com'));
    const manager = new SignInManager(deps);
    assert.equal(await manager.trySilentSignIn(), undefined);
    await assert.rejects(manager.tokenProvider(), (e: unknown) => e instanceof AuthError && e.code === 'NotSignedIn');
    assert.ok(deps.sessions.calls.every((c) => c.options.silent === true), 'no UI without interaction');

    deps.sessions.calls.length = 0;
    const account = await manager.signIn();
    assert.equal(account?.label, 'ada@contoso.com');
    assert.deepEqual(
      deps.sessions.calls.map((c) => c.options),
      [{ silent: true }, { createIfNone: true }],
    );
    assert.match(await manager.tokenProvider(), /^eyJ/);
    manager.dispose();
  });

  it('returns undefined when the user cancels the consent prompt', async () => {
    const deps = fakeDeps();
    deps.sessions.interactive = () => Promise.reject(new Error('User did not consent to login.'));
    const manager = new SignInManager(deps);
    assert.equal(await manager.signIn(), undefined);
    assert.equal(manager.account, undefined);
    manager.dispose();
  });

  it('reuses a valid token and re-asks VS Code when the core forces a refresh', async () => {
    const deps = fakeDeps();
    deps.sessions.session = session('ada@contoso.com');
    const manager = new SignInManager(deps);
    const first = await manager.tokenProvider();
    assert.equal(await manager.tokenProvider(), first);
    assert.equal(deps.sessions.calls.length, 1, 'cached until close to expiry');
    deps.sessions.session = session('ada@contoso.com', { fresh: true });
    const refreshed = await manager.tokenProvider({ forceRefresh: true });
    assert.notEqual(refreshed, first);
    assert.equal(deps.sessions.calls.length, 2);
    manager.dispose();
  });

  it('replaces the session with forceNewSession when Graph keeps refusing the token', async () => {
    const deps = fakeDeps();
    deps.sessions.session = session('ada@contoso.com');
    const manager = new SignInManager(deps);
    await manager.tokenProvider();
    await manager.tokenProvider({ forceRefresh: true }); // VS Code hands back the same token
    deps.sessions.interactive = () => Promise.resolve(session('ada@contoso.com', { renewed: 1 }));
    await manager.signIn();
    const last = deps.sessions.calls.at(-1);
    assert.ok(last && typeof last.options.forceNewSession === 'object', 'a new session was requested');
    assert.equal(last.options.createIfNone, undefined);
    manager.dispose();
  });

  it('follows sign-in and sign-out in VS Code through the sessions event', async () => {
    const deps = fakeDeps();
    const manager = new SignInManager(deps);
    const seen: Array<SignedInAccount | undefined> = [];
    manager.onDidChangeAccount((a) => seen.push(a));
    assert.equal(await manager.trySilentSignIn(), undefined);

    deps.sessions.session = session('ada@contoso.com');
    deps.sessions.fireChange('github'); // another provider: ignored
    deps.sessions.fireChange('microsoft');
    await waitFor(() => seen.length === 1);
    assert.equal(manager.account?.label, 'ada@contoso.com');

    deps.sessions.session = undefined;
    deps.sessions.fireChange('microsoft');
    await waitFor(() => seen.length === 2);
    assert.equal(manager.account, undefined);
    assert.deepEqual(seen.map((a) => a?.label), ['ada@contoso.com', undefined]);
    manager.dispose();
  });

  it('sign-out forgets the account, clears the session preference and stays signed out', async () => {
    const state = new Map<string, unknown>();
    const memento = { get: <T>(k: string) => state.get(k) as T | undefined, update: (k: string, v: unknown) => Promise.resolve(void state.set(k, v)) };
    const deps = fakeDeps({ settings: { 'entraId.auth.clientId': APP }, state: memento });
    deps.sessions.session = session('ada@contoso.com');
    await deps.secrets.store(`entraId.msalCache/${APP}`, '{}');
    const manager = new SignInManager(deps);
    await manager.trySilentSignIn();
    const events: Array<SignedInAccount | undefined> = [];
    manager.onDidChangeAccount((a) => events.push(a));

    await manager.signOut();
    assert.equal(manager.account, undefined);
    assert.deepEqual(events, [undefined]);
    assert.deepEqual(deps.sessions.calls.at(-1)?.options, { silent: true, clearSessionPreference: true });
    assert.equal(deps.secrets.values.has(`entraId.msalCache/${APP}`), false);

    // VS Code still has the session, but we do not sign back in on our own — not even after a restart.
    assert.equal(await manager.trySilentSignIn(), undefined);
    await assert.rejects(manager.tokenProvider(), (e: unknown) => e instanceof AuthError && e.code === 'NotSignedIn');
    const restarted = new SignInManager({ ...deps, state: memento });
    assert.equal(await restarted.trySilentSignIn(), undefined);

    assert.equal((await restarted.signIn())?.label, 'ada@contoso.com');
    assert.equal(state.get('entraId.auth.signedOut'), false);
    manager.dispose();
    restarted.dispose();
  });

  it("with VS Code's own app, explains that only an own app registration helps and names the guided setup", async () => {
    for (const refusal of [
      "AADSTS65002: Consent between first party application 'aebc6443-996d-45c2-90f0-388ff96faa56' and first party resource '00000003-0000-0000-c000-000000000000' must be configured via preauthorization.",
      'AADSTS65001: The user or administrator has not consented to use the application.',
    ]) {
      const deps = fakeDeps();
      deps.sessions.interactive = () => Promise.reject(new Error(refusal));
      const manager = new SignInManager(deps);
      await assert.rejects(manager.signIn(), (e: unknown) => e instanceof AuthError && e.code === 'NeedsOwnApp' && /entraId\.auth\.clientId/.test(e.message) && /Guided Setup/.test(e.message) && /authorizationCode/.test(e.message));
      manager.dispose();
    }
  });

  it('with an own app id, a consent refusal is a consent refusal (an administrator can grant it)', async () => {
    const deps = fakeDeps({ settings: { 'entraId.auth.clientId': APP } });
    deps.sessions.interactive = () => Promise.reject(new Error('AADSTS90094: The grant requires admin permission.'));
    const manager = new SignInManager(deps);
    await assert.rejects(manager.signIn(), (e: unknown) => e instanceof AuthError && e.code === 'ConsentRequired' && /AADSTS90094/.test(e.message));
    manager.dispose();
  });

  it('never logs or throws the token', async () => {
    const deps = fakeDeps();
    const token = fakeJwt({ oid: 'u', exp: Math.floor(Date.now() / 1000) + 3600 });
    deps.sessions.session = { accessToken: token, account: { id: '1', label: 'ada@contoso.com' }, scopes: [] };
    const manager = new SignInManager(deps);
    await manager.trySilentSignIn();
    await manager.signOut();
    assert.ok(!deps.log.text().includes(token.split('.')[1] ?? token));
    manager.dispose();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("VS Code account: a write's permission", () => {
  const WRITE = 'GroupMember.ReadWrite.All';
  /** VS Code's accounts, one session per scope set as VS Code keeps them; `grant` is what an interactive request yields. */
  function provider(grant: 'yes' | 'cancel') {
    const sessions = new Map<string, ReturnType<typeof session>>();
    const calls: Array<{ scopes: string[]; options: object }> = [];
    const key = (scopes: readonly string[]): string => scopes.filter((s) => !s.startsWith('VSCODE_')).join(' ');
    const getSession = (_id: string, scopes: readonly string[], options: { silent?: boolean }) => {
      calls.push({ scopes: scopes.filter((s) => !s.startsWith('VSCODE_')), options });
      const known = sessions.get(key(scopes));
      if (known || options.silent) return Promise.resolve(known);
      if (grant === 'cancel') return Promise.reject(new Error('User did not consent to login.'));
      const created = session('ada@contoso.com', { oid: 'user-1', scp: key(scopes) }, scopes);
      sessions.set(key(scopes), created);
      return Promise.resolve(created);
    };
    sessions.set(GLOBAL_SCOPES.join(' '), session('ada@contoso.com', { oid: 'user-1', scp: GLOBAL_SCOPES.join(' ') }, GLOBAL_SCOPES));
    return { getSession, calls };
  }

  it('asks once, then for a session with the read scopes and the one write permission; the next write asks nothing', async () => {
    const p = provider('yes');
    const deps = fakeDeps({ settings: { 'entraId.auth.clientId': APP }, getSession: p.getSession });
    const manager = new SignInManager(deps);
    assert.ok(await manager.trySilentSignIn());
    const access = { operation: 'addMember' as const, scopes: [WRITE, 'Group.ReadWrite.All', 'Directory.ReadWrite.All'] };
    await manager.tokenProvider({ access });
    assert.deepEqual(deps.questions.length, 1);
    assert.match(deps.questions[0] ?? '', /Changing group members needs the permission GroupMember\.ReadWrite\.All/);
    const writeCalls = p.calls.slice(1);
    assert.ok(writeCalls.every((c) => c.scopes.join(' ') === [...GLOBAL_SCOPES, WRITE].join(' ')), 'the read scopes plus the one write permission');
    assert.deepEqual(writeCalls[0]?.options, { silent: true }, 'silent first');
    assert.deepEqual(writeCalls.filter((c) => !('silent' in c.options)).map((c) => c.options), [{ createIfNone: true }], 'one interactive request');
    assert.ok(manager.account?.grantedScopes?.includes(WRITE));
    const before = p.calls.length;
    await manager.tokenProvider({ access });
    assert.equal(deps.questions.length, 1, 'no second question');
    assert.equal(p.calls.length, before, 'the session with the permission is reused');
    // Reads still ask for the read scopes only.
    await manager.tokenProvider();
    assert.ok(p.calls.every((c) => c.scopes.every((s) => GLOBAL_SCOPES.includes(s) || s === WRITE)));
    manager.dispose();
  });

  it('no to the question, or a cancelled sign-in, leaves the account signed in and says what was not done', async () => {
    for (const [answer, grant] of [[false, 'yes'], [true, 'cancel']] as const) {
      const p = provider(grant);
      const deps = fakeDeps({ settings: { 'entraId.auth.clientId': APP }, getSession: p.getSession, confirm: () => Promise.resolve(answer) });
      const manager = new SignInManager(deps);
      assert.ok(await manager.trySilentSignIn());
      await assert.rejects(
        manager.tokenProvider({ access: { operation: 'createGroup', scopes: ['Group.ReadWrite.All', 'Directory.ReadWrite.All'] } }),
        (e: unknown) => e instanceof AuthError && /Creating groups was not done/.test(e.message) && /Group\.ReadWrite\.All/.test(e.message) && /Browsing keeps working/.test(e.message),
      );
      assert.equal(p.calls.filter((c) => 'createIfNone' in c.options).length, answer ? 1 : 0);
      assert.ok(manager.account, 'still signed in');
      assert.ok(await manager.tokenProvider(), 'reads still get a token');
      manager.dispose();
    }
  });
});

describe("VS Code's own app: a sign-in cancelled or timed out", () => {
  /** What VS Code's provider rejects with when its progress is cancelled or its wait times out (vscode.CancellationError). */
  const canceled = (): Promise<never> => Promise.reject(Object.assign(new Error('Canceled'), { name: 'Canceled' }));
  const VSCODE_APP = 'aebc6443-996d-45c2-90f0-388ff96faa56';

  it('explains AADSTS65002 and the own app registration in one error the guided setup answers, and logs one info line', async () => {
    for (const settings of [{}, { 'entraId.auth.clientId': VSCODE_APP }]) {
      const deps = fakeDeps({ settings });
      deps.sessions.interactive = canceled;
      const manager = new SignInManager(deps);
      await assert.rejects(manager.signIn(), (e: unknown) => {
        assert.ok(e instanceof AuthError);
        assert.equal(e.code, 'NeedsOwnApp', 'the code the command layer answers with "Open Guided Setup"');
        assert.match(e.message, /^Sign-in was cancelled\. If the sign-in page showed the error AADSTS65002:/);
        assert.match(e.message, /VS Code's own sign-in app cannot be given permission to read your directory/);
        assert.match(e.message, /Entra ID: Guided Setup/);
        assert.match(e.message, /entraId\.auth\.clientId/);
        return true;
      });
      const info = deps.log.lines.filter((l) => l.startsWith('info '));
      assert.equal(info.length, 1, deps.log.text());
      assert.match(info[0] ?? '', /cancelled or timed out; it asked for User\.Read\.All, GroupMember\.Read\.All, which Microsoft has not pre-authorised/);
      assert.equal(manager.account, undefined);
      manager.dispose();
    }
  });

  it('stays silent with an app of your own', async () => {
    const deps = fakeDeps({ settings: { 'entraId.auth.clientId': APP } });
    deps.sessions.interactive = canceled;
    const manager = new SignInManager(deps);
    assert.equal(await manager.signIn(), undefined);
    assert.equal(deps.log.lines.length, 0, deps.log.text());
    manager.dispose();
  });

  it("stays silent when the user declines VS Code's own question (no sign-in page was shown)", async () => {
    const deps = fakeDeps();
    deps.sessions.interactive = () => Promise.reject(new Error('User did not consent to login.'));
    const manager = new SignInManager(deps);
    assert.equal(await manager.signIn(), undefined);
    assert.equal(deps.log.lines.length, 0, deps.log.text());
    manager.dispose();
  });

  it('needs no explanation when only pre-authorised permissions were asked', () => {
    // Browsing always asks for more than User.Read, so the rule is checked on the scopes themselves.
    for (const scopes of [['User.Read'], ['User.Read', `VSCODE_CLIENT_ID:${VSCODE_APP}`, `VSCODE_TENANT:${TENANT}`], ['https://graph.microsoft.us/User.Read']]) {
      assert.equal(cancelledWithVscodeApp({ clientId: undefined, scopes }), undefined, scopes.join(' '));
    }
    assert.deepEqual(cancelledWithVscodeApp({ clientId: undefined, scopes: ['User.Read', 'https://graph.microsoft.us/User.Read.All'] })?.refused, ['https://graph.microsoft.us/User.Read.All']);
    assert.equal(cancelledWithVscodeApp({ clientId: APP, scopes: ['User.Read.All'] }), undefined, 'an own app: nothing to explain');
  });
});
