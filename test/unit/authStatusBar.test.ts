/** The account in the status bar: its text, tooltip and accessible name go through the text policy. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SignedInAccount } from '../../src/auth/types';
import { AccountStatus } from '../../src/statusBar';
import { PAYLOADS } from '../hardening/payloads';
import { labelProblems, markdownProblems, NEUTRAL, renderUntrusted, type MarkdownLike } from '../hardening/surfaces';
import * as vscode from '../support/vscodeFake';

interface Item {
  text: string;
  tooltip: unknown;
  accessibilityInformation?: { label: string };
}

/** Shows `account` and returns what the status bar item holds. */
function show(account: SignedInAccount | undefined, graphBaseUrl?: string): Item {
  const original = vscode.window.createStatusBarItem;
  let item: Item | undefined;
  vscode.window.createStatusBarItem = () => {
    const created = original();
    item = created;
    return created;
  };
  try {
    const status = new AccountStatus();
    status.update(account, graphBaseUrl);
    return item ?? assert.fail('no status bar item');
  } finally {
    vscode.window.createStatusBarItem = original;
  }
}

const account = (label: string, tenantId?: string): SignedInAccount => ({ method: 'authorizationCode', label, appOnly: false, ...(tenantId ? { tenantId } : {}) });
const GRAPH = 'https://graph.contoso.example/v1.0';

describe('account status bar', () => {
  it('shows every hostile name as literal text: text, tooltip and accessible name', () => {
    const neutral = show(account(NEUTRAL.value, NEUTRAL.value), GRAPH);
    const failures: string[] = [];
    for (const payload of PAYLOADS) {
      const item = show(account(payload.value, payload.value), GRAPH);
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
    const item = show(account('ada@contoso.example'), 'https://user:pw@graph.contoso.example/v1.0?code=1#x');
    const md = item.tooltip as MarkdownLike;
    assert.ok(!/user|pw|code|#x/.test(md.value), md.value);
    const html = renderUntrusted(md.value);
    assert.doesNotMatch(html, /<a\b/, 'no address or URL is linked');
    assert.match(html.replace(/\\/g, ''), /Graph: https:\/\/graph\.contoso\.example\/v1\.0/);
  });

  it('offers sign-in when nobody is signed in', () => {
    const item = show(undefined);
    assert.equal(item.text, '$(sign-in) Entra ID: Sign in');
  });
});
