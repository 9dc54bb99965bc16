import * as vscode from 'vscode';
import type { SignedInAccount } from './auth/types';
import { CommandIds } from './contributions';
import { forMarkdown, forQuickPick, forTreeLabel } from './shared/text';

/** Who is signed in to which tenant; a click signs in, or shows the request log when signed in. */
export class AccountStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('entraId.account', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = vscode.l10n.t('Entra ID account');
    this.update(undefined);
    this.item.show();
  }

  /** While nobody is signed in yet and a sign-in runs: no Sign In button to press twice. */
  showSigningIn(): void {
    this.item.text = `$(sync~spin) ${vscode.l10n.t('Entra ID: Signing in…')}`;
    this.item.tooltip = vscode.l10n.t('Signing in to Microsoft Entra ID');
    this.item.command = CommandIds.showLog;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Entra ID: signing in') };
  }

  /** `graphBaseUrl` is the configured Graph endpoint; only its origin and path are shown. */
  update(account: SignedInAccount | undefined, graphBaseUrl?: string): void {
    if (!account) {
      this.item.text = `$(sign-in) ${vscode.l10n.t('Entra ID: Sign in')}`;
      this.item.tooltip = vscode.l10n.t('Sign in to Microsoft Entra ID');
      this.item.command = CommandIds.signIn;
      this.item.accessibilityInformation = { label: vscode.l10n.t('Entra ID: signed out. Sign in') };
      return;
    }
    // The account's name comes from the directory (anyone may set a display name): the text policy decides what shows.
    const label = forTreeLabel(account.label, '?');
    const tenant = forTreeLabel(account.tenantId, vscode.l10n.t('home tenant'));
    // Status bar text renders $(icon) like a quick pick does.
    this.item.text = `$(organization) ${forQuickPick(account.label, '?')}`;
    const lines = [
      vscode.l10n.t('Entra ID: {0}', label),
      vscode.l10n.t('Tenant: {0}', tenant),
      account.appOnly ? vscode.l10n.t('App-only access (client credentials)') : vscode.l10n.t('Signed in with: {0}', account.method),
    ];
    const endpoint = shownEndpoint(graphBaseUrl);
    if (endpoint) lines.push(vscode.l10n.t('Graph: {0}', endpoint));
    const md = new vscode.MarkdownString('', false);
    md.isTrusted = false;
    md.supportHtml = false;
    // Every Markdown character escaped: a name cannot become a link or an image, and the URL is not auto-linked.
    md.appendMarkdown(lines.map((line) => forMarkdown(line)).join('\n\n'));
    this.item.tooltip = md;
    this.item.command = CommandIds.accountMenu;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Entra ID: signed in as {0} to {1}', label, tenant) };
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** Origin and path: never a user name, password, query or fragment, even if a URL carried one. */
function shownEndpoint(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}
