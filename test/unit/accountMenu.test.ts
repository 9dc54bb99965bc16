/** The status bar's account menu and the sign-in toast: the identity by name; sign out, switch account, cloud or tenant, or profile, show the log. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { accountMenu, signIn } from '../../src/commands/viewCommands';
import type { CommandDeps } from '../../src/commands/types';
import { GraphClient, type Organization, type Result } from '../../src/core';
import type { SignedInAccount } from '../../src/auth/types';
import { IdentityTracker } from '../../src/signedInIdentity';
import { FakeAuth, servicesWith } from '../support/services';
import { noDesiredState, noHistory } from '../support/commandDeps';
import * as vscode from '../support/vscodeFake';

afterEach(() => {
  vscode.fakeUi.reset();
  vscode.shown.reset();
});

const CONTOSO: Organization = { id: '7b1c5e2a-3f4d-4e8b-9a6c-0d2e4f6a8b10', displayName: 'Contoso', defaultDomain: 'contoso.onmicrosoft.com', initialDomain: 'contoso.onmicrosoft.com' };
const MEGAN: SignedInAccount = { method: 'vscode', label: 'megan@contoso.com', displayName: 'Megan Bowen', appOnly: false, tenantId: CONTOSO.id };

/** Command deps whose Graph answers GET /organization with `organization` (and counts the reads). */
function deps(auth: FakeAuth, organization: () => Promise<Result<Organization>> = () => Promise.resolve({ success: true, data: CONTOSO })): CommandDeps & { switched: number; reads: number } {
  const log = vscode.window.createOutputChannel('menu test', { log: true });
  const graph = new GraphClient({ baseUrl: 'https://graph.example.test/v1.0', getAccessToken: () => Promise.resolve('t') });
  const d = {
    switched: 0,
    reads: 0,
    services: undefined as unknown as CommandDeps['services'],
    trees: undefined as unknown as CommandDeps['trees'],
    desiredState: noDesiredState, history: noHistory,
    panels: { showProfile: () => undefined, showGroup: () => undefined, showOrgChart: () => undefined, showNesting: () => undefined, createGroup: () => undefined, editGroup: () => undefined, editUser: () => undefined, showTable: () => undefined, closeAll: () => undefined },
    portalUrl: () => 'https://entra.microsoft.com',
    setContext: () => Promise.resolve(),
    switchCloud: () => {
      d.switched++;
      return Promise.resolve();
    },
    focused: () => undefined,
  };
  const org = {
    getOrganization: () => {
      d.reads++;
      return organization();
    },
  };
  d.services = { ...servicesWith(() => graph, auth, log), auth, identity: new IdentityTracker(auth, () => org, log) };
  return d;
}

/** A signed-out FakeAuth whose sign-in signs in `account`. */
function signingInAs(account: SignedInAccount): FakeAuth {
  const auth = new FakeAuth(undefined);
  const base = auth.signIn.bind(auth);
  auth.signIn = () => {
    auth.account = account;
    return base();
  };
  return auth;
}

/** Answers the next quick pick with the item whose label contains `text`, remembering what was offered. */
function choose(text: string, offered: string[][]): void {
  vscode.fakeUi.quickPickAnswers.push((items) => {
    const rows = items as Array<{ label: string }>;
    offered.push(rows.map((r) => r.label));
    return rows.find((r) => r.label.includes(text));
  });
}

const labels = (row: string[] | undefined): string[] | undefined => row?.map((l) => l.replace(/^\$\([a-z-]+\) /, ''));

describe('account menu', () => {
  it('names the tenant and the user in its title and placeholder, and offers sign out, switch account, cloud or tenant, and the log', async () => {
    const auth = signingInAs(MEGAN);
    const d = deps(auth);
    await auth.signIn();
    await d.services.identity.settled();
    const offered: string[][] = [];
    choose('Sign Out', offered);
    await accountMenu(d);
    assert.deepEqual(labels(offered[0]), ['Sign Out', 'Switch Account…', 'Check Access', 'Switch Cloud or Tenant…', 'Switch Profile…', 'Show Log']);
    const options = vscode.fakeUi.quickPickOptions[0] as { title?: string; placeHolder?: string };
    assert.equal(options.title, 'Entra ID: Contoso · Megan Bowen');
    assert.equal(options.placeHolder, `Signed in as megan@contoso.com to contoso.onmicrosoft.com · ${CONTOSO.id}`);
    assert.equal(auth.account, undefined, 'signed out');
  });

  it('keeps hostile names literal in the title', async () => {
    const auth = new FakeAuth(undefined);
    const d = deps(auth, () => Promise.resolve({ success: true, data: { id: 't', displayName: '$(zap) [x](command:evil)' } }));
    await auth.signIn();
    await d.services.identity.settled();
    choose('Show Log', []);
    await accountMenu(d);
    const title = (vscode.fakeUi.quickPickOptions[0] as { title: string }).title;
    assert.ok(!/(^|[^\\])\$\(zap\)/.test(title), title);
  });

  it('offers no account switch for an app-only sign-in', async () => {
    const d = deps(new FakeAuth({ method: 'clientCredentials', label: 'e3f5c8a2-7b14-4d39-9a6e-1c2b3d4e5f60', appOnly: true, displayName: 'Sync App' }));
    const offered: string[][] = [];
    choose('Show Log', offered);
    await accountMenu(d);
    assert.deepEqual(labels(offered[0]), ['Sign Out', 'Check Access', 'Switch Cloud or Tenant…', 'Switch Profile…', 'Show Log']);
  });

  it('offers Sign In when signed out, and switches cloud on request', async () => {
    const d = deps(new FakeAuth(undefined));
    const offered: string[][] = [];
    choose('Switch Cloud', offered);
    await accountMenu(d);
    assert.ok(offered[0]?.[0]?.endsWith('Sign In'));
    assert.equal(d.switched, 1);
  });
});

describe('sign-in toast', () => {
  it('names the tenant, its domain and the user: "Signed in to Contoso (contoso.onmicrosoft.com) as Megan Bowen."', async () => {
    const auth = signingInAs(MEGAN);
    const d = deps(auth);
    await signIn(d);
    assert.deepEqual(vscode.shown.info, ['Signed in to Contoso (contoso.onmicrosoft.com) as Megan Bowen.']);
    assert.equal(d.reads, 1);
  });

  it('falls back to the token\'s tenant id when the organization cannot be read, and says nothing of the failure', async () => {
    const auth = signingInAs(MEGAN);
    const d = deps(auth, () => Promise.resolve({ success: false, error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', status: 403 } }));
    await signIn(d);
    assert.deepEqual(vscode.shown.info, [`Signed in to ${CONTOSO.id} as Megan Bowen.`]);
    assert.deepEqual(vscode.shown.warnings, []);
    assert.deepEqual(vscode.shown.errors, []);
  });
});
