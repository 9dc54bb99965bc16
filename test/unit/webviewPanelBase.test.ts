import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { GraphClient } from '../../src/core';
import { contentSecurityPolicy, renderPage } from '../../src/webviews/panelBase';
import { isExtensionMessage, type ExtensionMessage } from '../../src/webviews/protocol';
import { panelsOf } from '../support/panels';
import { FakeAuth, servicesWith } from '../support/services';
import * as vscode from '../support/vscodeFake';

const USER = { id: '0d3f4c2a-7b1e-4f7a-9c3d-5e6f7a8b9c0d', displayName: 'Zebulon Quux', userPrincipalName: 'zebulon.quux@contoso.example', jobTitle: 'Harbour master' };

/** Just enough Graph for the profile: the panels talk to the real client in webviewPanels.test.ts. */
function stubGraph(): GraphClient {
  const stub = {
    getProfile: () => Promise.resolve({ success: true, data: USER }),
    getManager: () => Promise.resolve({ success: true, data: null }),
    getMs365Groups: () => Promise.resolve({ success: true, data: [{ id: 'a1b2c3d4-0000-4000-8000-000000000001', displayName: 'Lighthouse keepers' }] }),
  };
  return stub as unknown as GraphClient;
}

function services(): ReturnType<typeof servicesWith> & { lines: string[] } {
  const log = vscode.window.createOutputChannel('webview tests', { log: true });
  return { ...servicesWith(stubGraph, new FakeAuth(undefined), log), lines: log.lines };
}

function lastPanel(): vscode.FakeWebviewPanel {
  const panel = vscode.webviewPanels.at(-1);
  assert.ok(panel, 'a panel was created');
  return panel;
}

function nonceOf(html: string): string {
  const m = /script-src 'nonce-([^']+)'/.exec(html);
  assert.ok(m?.[1], 'CSP carries a nonce');
  return m[1];
}

const isInit = (m: unknown): m is Extract<ExtensionMessage, { type: 'init' }> => isExtensionMessage(m) && m.type === 'init' && !m.state.loading;

afterEach(() => {
  for (const p of vscode.webviewPanels.splice(0)) p.dispose();
  vscode.shown.reset();
});

describe('webview page', () => {
  it('has a strict CSP whose nonce every script carries', () => {
    panelsOf(services()).createGroup();
    const html = lastPanel().webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    const nonce = nonceOf(html);
    assert.equal(csp, `default-src 'none'; style-src https://*.vscode-cdn.net; script-src 'nonce-${nonce}'; img-src https://*.vscode-cdn.net; font-src https://*.vscode-cdn.net; form-action 'none'; base-uri 'none'`);
    assert.equal(Buffer.from(nonce, 'base64').length, 16);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs ?? '', new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
      assert.equal(body, '', 'no inline script');
    }
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no inline styles or handlers');
    // Resources go through asWebviewUri, never as file: URIs.
    assert.match(html, /src="https:\/\/[^/"]+\/ext\/dist\/webview\/main\.js"/);
    assert.match(html, /href="https:\/\/[^/"]+\/ext\/media\/webview\.css"/);
    assert.doesNotMatch(html, /file:/);
  });

  it('uses a fresh nonce for every render and every panel', () => {
    const s = services();
    const form = panelsOf(s).createGroup();
    assert.ok(form, 'the form opens');
    const first = nonceOf(lastPanel().webview.html);
    form.render();
    const second = nonceOf(lastPanel().webview.html);
    panelsOf(s).showProfile(USER.id);
    const third = nonceOf(lastPanel().webview.html);
    assert.equal(new Set([first, second, third]).size, 3);
  });

  it('limits local resources to the webview bundle and the CSS, and keeps no hidden context', () => {
    panelsOf(services()).createGroup();
    const options = lastPanel().options as { enableScripts: boolean; retainContextWhenHidden: boolean; enableCommandUris: boolean; localResourceRoots: Array<{ path: string }> };
    assert.equal(options.enableScripts, true);
    assert.equal(options.retainContextWhenHidden, false);
    assert.equal(options.enableCommandUris, false);
    assert.deepEqual(options.localResourceRoots.map((u) => u.path), ['/ext/dist/webview', '/ext/media']);
  });

  it('carries no directory data: the profile arrives by message only', async () => {
    panelsOf(services()).showProfile(USER.id);
    const panel = lastPanel();
    panel.receive({ type: 'ready' });
    const init = await panel.waitFor(isInit);
    assert.equal(init.state.view === 'profile' && init.state.user?.displayName, USER.displayName);
    for (const secret of [USER.displayName, USER.userPrincipalName, USER.id, USER.jobTitle, 'Lighthouse']) {
      assert.ok(!panel.webview.html.includes(secret), `${secret} is not in the HTML`);
    }
    assert.match(panel.title, /Zebulon Quux/);
  });

  it('escapes what it puts into the page skeleton', () => {
    const html = renderPage({ cspSource: 'x', nonce: 'n"><script>', scriptUri: 's', styleUri: 'c', view: 'profile', title: '<b>', lang: 'en' });
    assert.doesNotMatch(html, /n"><script>/);
    assert.match(html, /&lt;b&gt;/);
    assert.equal(contentSecurityPolicy('src', 'abc').split('; ')[0], "default-src 'none'");
  });
});

describe('panel lifecycle', () => {
  it('opens one panel per key and reveals it when asked again', () => {
    const s = services();
    const a = panelsOf(s).createGroup();
    const b = panelsOf(s).createGroup();
    assert.equal(a, b);
    assert.equal(vscode.webviewPanels.length, 1);
    assert.equal(lastPanel().revealCount, 1);
    panelsOf(s).showProfile(USER.id);
    panelsOf(s).showProfile(USER.id.toUpperCase());
    assert.equal(vscode.webviewPanels.length, 2);
  });

  it('opens a new panel once the old one is closed', () => {
    const s = services();
    const a = panelsOf(s).createGroup();
    assert.ok(a, 'the form opens');
    lastPanel().dispose();
    assert.equal(a.isDisposed, true);
    const b = panelsOf(s).createGroup();
    assert.notEqual(a, b);
    assert.equal(vscode.webviewPanels.length, 2);
  });

  it('answers every ready with the state, since a hidden page is rebuilt', async () => {
    panelsOf(services()).createGroup();
    const panel = lastPanel();
    assert.equal(panel.posted.length, 0, 'nothing is posted before the page listens');
    panel.receive({ type: 'ready' });
    panel.receive({ type: 'ready' });
    await new Promise((r) => setImmediate(r));
    assert.equal(panel.posted.filter(isInit).length, 2);
  });

  it('closes on cancel and then ignores everything', async () => {
    const s = services();
    const form = panelsOf(s).createGroup();
    assert.ok(form, 'the form opens');
    const panel = lastPanel();
    panel.receive({ type: 'cancel' });
    assert.equal(form.isDisposed, true);
    assert.equal(panel.disposed, true);
    panel.receive({ type: 'ready' });
    await new Promise((r) => setImmediate(r));
    assert.equal(panel.posted.length, 0);
  });

  it('stops listening to directory changes when closed', async () => {
    const s = services();
    panelsOf(s).showProfile(USER.id);
    const panel = lastPanel();
    panel.receive({ type: 'ready' });
    await panel.waitFor(isInit);
    s.changes.fire({ kind: 'userUpdated', userId: USER.id, changes: { jobTitle: 'Pilot' } });
    const refreshed = panel.posted.filter(isInit).at(-1);
    assert.equal(refreshed?.state.view === 'profile' && refreshed.state.user?.fields.find((f) => f.key === 'jobTitle')?.value, 'Pilot');
    const count = panel.posted.length;
    panel.dispose();
    s.changes.fire({ kind: 'userUpdated', userId: USER.id, changes: { jobTitle: 'Captain' } });
    assert.equal(panel.posted.length, count);
  });

  it('drops malformed messages with a warning that holds none of their content', async () => {
    const s = services();
    panelsOf(s).createGroup();
    const panel = lastPanel();
    for (const bad of [null, 'ready', { type: 'submit', form: 'createGroup', values: { displayName: 'SECRET-NAME' } }, { type: 'ready', extra: 'SECRET-EXTRA' }]) panel.receive(bad);
    await new Promise((r) => setImmediate(r));
    assert.equal(panel.posted.length, 0);
    const warnings = s.lines.filter((l) => l.startsWith('[warning]'));
    assert.equal(warnings.length, 4);
    assert.ok(warnings.every((w) => !w.includes('SECRET')));
  });

  it('shows a failure outside Graph (not signed in) instead of rejecting unhandled', async () => {
    const s = services();
    panelsOf({ ...s, graph: () => { throw new Error('Sign in first.'); } }).showProfile(undefined);
    const panel = lastPanel();
    panel.receive({ type: 'ready' });
    const init = await panel.waitFor(isInit);
    assert.equal(init.state.error?.message, 'Sign in first.');
    assert.ok(s.lines.some((l) => l.startsWith('[error]') && l.includes('Sign in first.')));
  });

  it('ignores messages that belong to another view', async () => {
    const s = services();
    panelsOf(s).showProfile(USER.id);
    const panel = lastPanel();
    panel.receive({ type: 'submit', requestId: 1, form: 'editUser', values: { displayName: 'x', givenName: '', surname: '', jobTitle: '', department: '', officeLocation: '', mobilePhone: '', businessPhone: '', usageLocation: '', city: '', country: '', companyName: '', accountEnabled: true } });
    await new Promise((r) => setImmediate(r));
    assert.ok(s.lines.some((l) => l.includes('not handled by the profile')));
  });
});
