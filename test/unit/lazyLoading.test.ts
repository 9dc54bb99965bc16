import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as vscode from 'vscode';
import { URI } from 'vscode-uri';
import { registerCommands } from '../../src/commands';
import { CommandIds } from '../../src/contributions';
import { GraphClient } from '../../src/core';
import { lazyDesiredState } from '../../src/lazyDesiredState';
import { registerLmTools } from '../../src/lm/tools';
import { DeferredTreeProvider } from '../../src/tree/deferredTree';
import type { Panels } from '../../src/webviews/panels';
import { lazyPanels } from '../../src/webviews/lazyPanels';
import { commandDeps } from '../support/commandDeps';
import { registeredTools, textDocument, textDocumentEvents, window as fakeWindow } from '../support/vscodeFake';
import { makeHarness } from './lmHarness';
import { FakeAuth, servicesWith } from '../support/services';

/** Services with no Graph behind them: these tests make no request. */
function testServices(): { services: ReturnType<typeof servicesWith> } {
  const graph = (): GraphClient => new GraphClient({ baseUrl: 'https://graph.example.test/v1.0', getAccessToken: () => Promise.resolve('t') });
  return { services: servicesWith(graph, new FakeAuth(undefined), fakeWindow.createOutputChannel('Entra ID (test)', { log: true })) };
}

/** A promise settled from outside, to hold a load half-way. */
function gate<T>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

describe('DeferredTreeProvider (a view\'s rows before their code is read)', () => {
  class Rows implements vscode.TreeDataProvider<string> {
    readonly changed = new vscode.EventEmitter<string | undefined>();
    readonly onDidChangeTreeData = this.changed.event;
    getChildren(element?: string): string[] {
      return element ? [`${element}/child`] : ['a', 'b'];
    }
    getTreeItem(element: string): vscode.TreeItem {
      return new vscode.TreeItem(`row ${element}`);
    }
    getParent(element: string): string | undefined {
      return element.includes('/') ? element.split('/')[0] : undefined;
    }
  }

  it('reads the real provider on the first request for rows, once, and passes rows, items and parents through', async () => {
    let loads = 0;
    const real = new Rows();
    const deferred = new DeferredTreeProvider<string>(() => {
      loads++;
      return Promise.resolve(real);
    });
    assert.equal(loads, 0, 'nothing is read before a view asks');
    assert.equal(deferred.getParent('a/child'), undefined, 'no parent is known before the rows');
    const [top, again] = await Promise.all([deferred.getChildren(), deferred.getChildren()]);
    assert.equal(loads, 1);
    assert.deepEqual(top, ['a', 'b']);
    assert.deepEqual(again, ['a', 'b']);
    assert.deepEqual(await deferred.getChildren('a'), ['a/child']);
    assert.equal((await deferred.getTreeItem('b')).label, 'row b');
    assert.equal(deferred.getParent('a/child'), 'a');
  });

  it('passes the real provider\'s change events on, and stops when disposed', async () => {
    const real = new Rows();
    const deferred = new DeferredTreeProvider<string>(() => Promise.resolve(real));
    const seen: Array<string | undefined> = [];
    deferred.onDidChangeTreeData((e) => seen.push(typeof e === 'string' ? e : undefined));
    await deferred.getChildren();
    real.changed.fire('a');
    real.changed.fire(undefined);
    deferred.dispose();
    real.changed.fire('b');
    assert.deepEqual(seen, ['a', undefined]);
  });

  it('tries again after a failed read', async () => {
    let loads = 0;
    const deferred = new DeferredTreeProvider<string>(() => (++loads === 1 ? Promise.reject(new Error('chunk missing')) : Promise.resolve(new Rows())));
    await assert.rejects(deferred.getChildren(), /chunk missing/);
    assert.deepEqual(await deferred.getChildren(), ['a', 'b']);
    assert.equal(loads, 2);
  });
});

describe('lazyPanels (pages whose code is read with the first page)', () => {
  function recordingPanels(): Panels & vscode.Disposable & { calls: string[] } {
    const calls: string[] = [];
    const record =
      (name: string) =>
      (arg?: unknown): void =>
        void calls.push(arg === undefined ? name : `${name} ${JSON.stringify(arg)}`);
    return {
      calls,
      showProfile: record('showProfile'),
      showGroup: record('showGroup'),
      showOrgChart: record('showOrgChart'),
      showNesting: record('showNesting'),
      createGroup: record('createGroup'),
      editGroup: record('editGroup'),
      editUser: record('editUser'),
      showTable: record('showTable'),
      closeAll: record('closeAll'),
      dispose: record('dispose'),
    };
  }

  it('reads the pages on the first page opened, once; each call settles with its page open', async () => {
    const real = recordingPanels();
    let loads = 0;
    const panels = lazyPanels(() => {
      loads++;
      return Promise.resolve(real);
    });
    panels.closeAll();
    assert.equal(loads, 0, 'closing before any page reads nothing');
    await panels.showGroup('g1');
    await panels.showNesting({ kind: 'user', id: 'u1' });
    await panels.showTable('users');
    assert.equal(loads, 1);
    assert.deepEqual(real.calls, ['showGroup "g1"', 'showNesting {"kind":"user","id":"u1"}', 'showTable "users"']);
    panels.closeAll();
    panels.dispose();
    assert.deepEqual(real.calls.slice(3), ['closeAll', 'dispose']);
  });

  it('disposed while the pages load: the loaded pages are disposed and nothing opens', async () => {
    const real = recordingPanels();
    const loading = gate<Panels & vscode.Disposable>();
    const panels = lazyPanels(() => loading.promise);
    const opened = panels.showProfile('u1');
    panels.dispose();
    loading.open(real);
    await opened;
    assert.deepEqual(real.calls, ['dispose']);
  });
});

describe('registerCommands and registerLmTools ask for what they need on first use', () => {
  it('a command asks for its dependencies when it runs, not when it is registered', async () => {
    const { services } = testServices();
    const deps = commandDeps(services);
    let asked = 0;
    const registrations = registerCommands(() => {
      asked++;
      return Promise.resolve(deps);
    });
    try {
      assert.equal(asked, 0);
      const refreshed: string[] = [];
      deps.trees.users.refresh = () => void refreshed.push('users');
      await vscode.commands.executeCommand(CommandIds.usersRefresh);
      assert.equal(asked, 1);
      assert.deepEqual(refreshed, ['users']);
    } finally {
      for (const r of registrations) r.dispose();
    }
  });

  it('the chat tools read their services on the first call, and answer as the runtime does', async () => {
    const h = makeHarness(() => new GraphClient({ baseUrl: 'https://graph.example.test/v1.0', getAccessToken: () => Promise.resolve('t') }));
    let asked = 0;
    const registrations = registerLmTools(() => {
      asked++;
      return h.services;
    });
    try {
      assert.equal(asked, 0);
      const tool = registeredTools.get('entra_get_manager');
      assert.ok(tool);
      const token = new vscode.CancellationTokenSource().token;
      // Input the schema refuses: answered before any request, the same way through the registration as directly.
      const input = { userId: 42 };
      const viaRegistration = (await tool.invoke({ input, toolInvocationToken: undefined }, token)) as vscode.LanguageModelToolResult;
      await tool.invoke({ input, toolInvocationToken: undefined }, token);
      assert.equal(asked, 1, 'read once, on the first call');
      const { buildLmTools } = await import('../../src/lm/toolSet');
      const direct = await buildLmTools(h.services).entra_get_manager.invoke({ input, toolInvocationToken: undefined }, token);
      const text = (r: vscode.LanguageModelToolResult | null | undefined): string[] => (r?.content ?? []).map((p) => (p as vscode.LanguageModelTextPart).value);
      assert.deepEqual(text(viaRegistration), text(direct));
      assert.match(text(viaRegistration).join('\n'), /"success":\s*false/);
    } finally {
      for (const r of registrations) r.dispose();
    }
  });
});

describe('lazyDesiredState (desired-state files set up when one opens)', () => {
  it('reads nothing until a desired-state file opens; then sets up once', () => {
    let asked = 0;
    const { services } = testServices();
    const state = lazyDesiredState(
      () => {
        asked++;
        return Promise.resolve(services);
      },
      services.log,
      URI.file('/tmp/entra-lazy-desired-state'),
    );
    try {
      // The services are asked for as the set-up starts, before the editor's code is read: no wait is needed here.
      textDocumentEvents.open.fire(textDocument(URI.file('/work/notes.json'), '{}'));
      assert.equal(asked, 0, 'another JSON file sets nothing up');
      textDocumentEvents.open.fire(textDocument(URI.file('/work/Finance.ENTRA-GROUP.json'), '{}'));
      assert.equal(asked, 1, 'a desired-state file (any case) sets the editor up');
      textDocumentEvents.open.fire(textDocument(URI.file('/work/Sales.entra-group.json'), '{}'));
      assert.equal(asked, 1, 'set up once for every file');
    } finally {
      state.dispose();
    }
  });
});
