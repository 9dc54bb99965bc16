/** The status bar's account menu: sign out (or in), switch cloud or tenant, show the log. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { accountMenu } from '../../src/commands/viewCommands';
import type { CommandDeps } from '../../src/commands/types';
import { GraphClient } from '../../src/core';
import { FakeAuth, servicesWith } from '../support/services';
import * as vscode from '../support/vscodeFake';

afterEach(() => vscode.fakeUi.reset());

function deps(auth: FakeAuth): CommandDeps & { switched: number } {
  const log = vscode.window.createOutputChannel('menu test', { log: true });
  const graph = new GraphClient({ baseUrl: 'https://graph.example.test/v1.0', getAccessToken: () => Promise.resolve('t') });
  const services = { ...servicesWith(() => graph, auth, log), auth };
  const d = {
    switched: 0,
    services,
    trees: undefined as unknown as CommandDeps['trees'],
    panels: { showProfile: () => undefined, showGroup: () => undefined, createGroup: () => undefined, editGroup: () => undefined, editUser: () => undefined },
    portalUrl: () => 'https://entra.microsoft.com',
    setContext: () => Promise.resolve(),
    switchCloud: () => {
      d.switched++;
      return Promise.resolve();
    },
    focused: () => undefined,
  };
  return d;
}

/** Answers the next quick pick with the item whose label contains `text`, remembering what was offered. */
function choose(text: string, offered: string[][]): void {
  vscode.fakeUi.quickPickAnswers.push((items) => {
    const rows = items as Array<{ label: string }>;
    offered.push(rows.map((r) => r.label));
    return rows.find((r) => r.label.includes(text));
  });
}

describe('account menu', () => {
  it('offers Sign Out, Switch Cloud or Tenant and Show Log when signed in, and signs out', async () => {
    const auth = new FakeAuth({ method: 'vscode', label: 'Ada [x](command:evil) $(zap)', appOnly: false });
    const d = deps(auth);
    const offered: string[][] = [];
    choose('Sign Out', offered);
    await accountMenu(d);
    assert.deepEqual(offered[0]?.map((l) => l.replace(/^\$\([a-z-]+\) /, '')), ['Sign Out', 'Switch Cloud or Tenant…', 'Show Log']);
    assert.equal(auth.account, undefined, 'signed out');
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
