/** The tenant's name is read once per sign-in, quietly falls back to the token, and never outlives its sign-in. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SignedInAccount } from '../../src/auth/types';
import type { Organization, Result } from '../../src/core';
import { namesOf, signedInLine } from '../../src/identityNames';
import { IdentityTracker } from '../../src/signedInIdentity';
import * as vscode from '../support/vscodeFake';

const CONTOSO: Organization = { id: 'tid-1', displayName: 'Contoso', defaultDomain: 'contoso.com', initialDomain: 'contoso.onmicrosoft.com' };
const MEGAN: SignedInAccount = { method: 'authorizationCode', label: 'megan@contoso.com', displayName: 'Megan Bowen', appOnly: false, tenantId: 'tid-1', userId: 'u1' };

/** An account source the test drives, a Graph whose answers the test releases, and the log. */
function setup() {
  const emitter = new vscode.EventEmitter<SignedInAccount | undefined>();
  const auth = { account: undefined as SignedInAccount | undefined, onDidChangeAccount: emitter.event };
  const answers: Array<(r: Result<Organization>) => void> = [];
  const graph = { getOrganization: () => new Promise<Result<Organization>>((resolve) => answers.push(resolve)) };
  const log = vscode.window.createOutputChannel('identity test', { log: true });
  const tracker = new IdentityTracker(auth, () => graph, log);
  const fired: Array<string | undefined> = [];
  tracker.onDidChange((i) => fired.push(i ? `${namesOf(i).tenant ?? '-'}` : undefined));
  const signIn = (account: SignedInAccount | undefined): void => {
    auth.account = account;
    emitter.fire(account);
  };
  return { tracker, answers, lines: (log as unknown as { lines: string[] }).lines, fired, signIn };
}

describe('IdentityTracker', () => {
  it('reads the organization once per sign-in, not per token refresh, and shows the token\'s tenant until it arrives', async () => {
    const t = setup();
    t.signIn(MEGAN);
    assert.equal(t.answers.length, 1);
    assert.deepEqual(t.fired, ['tid-1'], 'the account shows at once, named by its token');
    t.answers[0]?.({ success: true, data: CONTOSO });
    const settled = await t.tracker.settled();
    assert.equal(settled?.organization?.displayName, 'Contoso');
    t.signIn({ ...MEGAN }); // the same sign-in again (a refreshed token)
    assert.equal(t.answers.length, 1, 'no second read');
    assert.equal(t.tracker.identity?.organization?.displayName, 'Contoso', 'the name is kept');
    t.signIn({ ...MEGAN, label: 'adele@contoso.com', userId: 'u2', displayName: 'Adele Vance' });
    assert.equal(t.answers.length, 2, 'another user is another sign-in');
    assert.equal(t.tracker.identity?.organization, undefined, 'the previous sign-in\'s tenant is not carried over');
  });

  it('logs the sign-in by name at info level', async () => {
    const t = setup();
    t.signIn(MEGAN);
    t.answers[0]?.({ success: true, data: CONTOSO });
    await t.tracker.settled();
    assert.ok(t.lines.includes('[info] Signed in to Contoso (contoso.com) as Megan Bowen.'), t.lines.join('\n'));
  });

  it('falls back quietly when the organization cannot be read: info in the log, the token\'s tenant id shown', async () => {
    const t = setup();
    t.signIn(MEGAN);
    t.answers[0]?.({ success: false, error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', status: 403 } });
    const settled = await t.tracker.settled();
    assert.equal(settled?.organization, undefined);
    assert.equal(namesOf(settled ?? assert.fail('signed in')).tenant, 'tid-1');
    assert.ok(t.lines.some((l) => l.startsWith('[info] ') && l.includes('Authorization_RequestDenied')), t.lines.join('\n'));
    assert.ok(!t.lines.some((l) => /^\[(warning|error)\]/.test(l)), t.lines.join('\n'));
  });

  it('drops an answer that arrives after sign-out', async () => {
    const t = setup();
    t.signIn(MEGAN);
    t.signIn(undefined);
    t.answers[0]?.({ success: true, data: CONTOSO });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(t.tracker.identity, undefined);
    assert.deepEqual(t.fired, ['tid-1', undefined]);
  });

  it('stops waiting after the given time: the toast is never held up by a slow Graph', async () => {
    const t = setup();
    t.signIn(MEGAN);
    const started = Date.now();
    const settled = await t.tracker.settled(50);
    assert.ok(Date.now() - started < 1000);
    assert.equal(settled?.organization, undefined);
  });
});

describe('signedInLine', () => {
  it('says tenant, domain and who; leaves out a domain equal to the name, and names the app for app-only', () => {
    assert.equal(signedInLine({ account: MEGAN, organization: CONTOSO }), 'Signed in to Contoso (contoso.com) as Megan Bowen.');
    assert.equal(signedInLine({ account: MEGAN, organization: { id: 'tid-1', defaultDomain: 'contoso.com' } }), 'Signed in to contoso.com as Megan Bowen.');
    const app: SignedInAccount = { method: 'clientCredentials', label: 'client-id', appOnly: true, displayName: 'Sync App', tenantId: 'tid-1' };
    assert.equal(signedInLine({ account: app, organization: CONTOSO }), 'Signed in to Contoso (contoso.com) as Sync App.');
    assert.equal(signedInLine({ account: { method: 'vscode', label: 'megan@contoso.com', appOnly: false } }), 'Signed in to Entra ID as megan@contoso.com.');
  });
});
