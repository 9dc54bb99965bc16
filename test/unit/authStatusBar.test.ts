/** The account in the status bar: its text, tooltip and accessible name go through the text policy. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SignedInAccount } from '../../src/auth/types';
import type { SignedInIdentity } from '../../src/signedInIdentity';
import { AccountStatus } from '../../src/statusBar';
import { PAYLOADS } from '../hardening/payloads';
import { labelProblems, markdownProblems, NEUTRAL, renderUntrusted, type MarkdownLike } from '../hardening/surfaces';
import * as vscode from '../support/vscodeFake';

interface Item {
  text: string;
  tooltip: unknown;
  accessibilityInformation?: { label: string };
}

/** Shows `identity` and returns what the status bar item holds. */
function show(identity: SignedInIdentity | undefined, graphBaseUrl?: string): Item {
  const original = vscode.window.createStatusBarItem;
  let item: Item | undefined;
  vscode.window.createStatusBarItem = () => {
    const created = original();
    item = created;
    return created;
  };
  try {
    const status = new AccountStatus();
    status.update(identity, graphBaseUrl);
    return item ?? assert.fail('no status bar item');
  } finally {
    vscode.window.createStatusBarItem = original;
  }
}

const account = (label: string, tenantId?: string): SignedInAccount => ({ method: 'authorizationCode', label, appOnly: false, ...(tenantId ? { tenantId } : {}) });
/** Every directory-sourced name set to `value`: the tenant's name and domains, the user's display name and UPN. */
const everywhere = (value: string): SignedInIdentity => ({
  account: { ...account(value, value), displayName: value },
  organization: { id: value, displayName: value, defaultDomain: value, initialDomain: value },
});
const TENANT_ID = '7b1c5e2a-3f4d-4e8b-9a6c-0d2e4f6a8b10';
const CONTOSO = { id: TENANT_ID, displayName: 'Contoso', defaultDomain: 'contoso.onmicrosoft.com', initialDomain: 'contoso.onmicrosoft.com' };
/** The tooltip's lines as a reader sees them (Markdown escapes removed). */
const tooltipLines = (item: Item): string[] => (item.tooltip as MarkdownLike).value.replace(/\\(.)/g, '$1').split('\n\n');
const GRAPH = 'https://graph.contoso.example/v1.0';

describe('account status bar', () => {
  it('shows every hostile name as literal text: text, tooltip and accessible name', () => {
    const neutral = show(everywhere(NEUTRAL.value), GRAPH);
    const failures: string[] = [];
    for (const payload of PAYLOADS) {
      const item = show(everywhere(payload.value), GRAPH);
      const problems = [
        ...markdownProblems(item.tooltip as MarkdownLike, neutral.tooltip as MarkdownLike, renderUntrusted).map((p) => `tooltip: ${p}`),
        ...labelProblems(item.text).map((p) => `text: ${p}`),
        ...labelProblems(item.accessibilityInformation?.label ?? '').map((p) => `accessible name: ${p}`),
      ];
      // `$(` in a status bar text is an icon: only the extension's own icon may be one.
      if ((item.text.match(/\$\(/g) ?? []).length !== 1) problems.push('text: a name became an icon');
      failures.push(...problems.map((p) => `${payload.id}: ${p}`));
    }
    assert.deepEqual(failures, []);
  });

  it('shows the Graph endpoint as origin and path only, and not as a link', () => {
    const item = show({ account: account('ada@contoso.example') }, 'https://user:pw@graph.contoso.example/v1.0?code=1#x');
    const md = item.tooltip as MarkdownLike;
    assert.ok(!/user|pw|code|#x/.test(md.value), md.value);
    const html = renderUntrusted(md.value);
    assert.doesNotMatch(html, /<a\b/, 'no address or URL is linked');
    assert.match(html.replace(/\\/g, ''), /Graph: https:\/\/graph\.contoso\.example\/v1\.0/);
  });

  it('names the tenant and the user: text, tooltip (name, primary domain, id, who, method) and accessible name', () => {
    const item = show({ account: { ...account('megan@contoso.com', TENANT_ID), displayName: 'Megan Bowen' }, organization: CONTOSO }, GRAPH);
    assert.equal(item.text, '$(organization) Contoso · megan@contoso.com');
    assert.deepEqual(tooltipLines(item), [
      'Tenant: Contoso',
      'Primary domain: contoso.onmicrosoft.com',
      `Tenant ID: ${TENANT_ID}`,
      'Signed in as: Megan Bowen (megan@contoso.com)',
      'Method: your app registration (browser sign-in)',
      'Graph: https://graph.contoso.example/v1.0',
    ]);
    assert.equal(item.accessibilityInformation?.label, 'Entra ID: signed in as megan@contoso.com to Contoso');
  });

  it('names an app-only sign-in by the app, with its client id in the tooltip', () => {
    const app: SignedInAccount = { method: 'clientCredentials', label: 'e3f5c8a2-7b14-4d39-9a6e-1c2b3d4e5f60', appOnly: true, tenantId: TENANT_ID, displayName: 'Directory Sync App' };
    const item = show({ account: app, organization: CONTOSO });
    assert.equal(item.text, '$(organization) Contoso · Directory Sync App');
    const lines = tooltipLines(item);
    assert.ok(lines.includes('App: Directory Sync App (client ID e3f5c8a2-7b14-4d39-9a6e-1c2b3d4e5f60)'), lines.join(' | '));
    assert.ok(lines.includes('Method: app-only (client credentials)'), lines.join(' | '));
  });

  it('falls back to what the token says when the organization could not be read', () => {
    const item = show({ account: account('megan@contoso.com', TENANT_ID) });
    assert.equal(item.text, `$(organization) ${TENANT_ID} · megan@contoso.com`);
    const lines = tooltipLines(item);
    assert.equal(lines[0], `Tenant: ${TENANT_ID}`);
    assert.ok(!lines.some((l) => l.startsWith('Primary domain')), 'no domain is made up');
    assert.ok(lines.includes('Signed in as: megan@contoso.com'), lines.join(' | '));
    const nothing = show({ account: account('megan@contoso.com') });
    assert.equal(nothing.text, '$(organization) megan@contoso.com');
  });

  it('shows "Signing in…" while the first sign-in runs, and never offers Sign In then', () => {
    const original = vscode.window.createStatusBarItem;
    let item: (Item & { command?: unknown }) | undefined;
    vscode.window.createStatusBarItem = () => (item = original());
    try {
      new AccountStatus().showSigningIn();
    } finally {
      vscode.window.createStatusBarItem = original;
    }
    assert.equal(item?.text, '$(sync~spin) Entra ID: Signing in…');
    assert.notEqual(item?.command, 'entraId.signIn');
  });

  it('offers sign-in when nobody is signed in', () => {
    const item = show(undefined);
    assert.equal(item.text, '$(sign-in) Entra ID: Sign in');
  });
});
