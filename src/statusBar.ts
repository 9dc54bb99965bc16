import * as vscode from 'vscode';
import type { SignedInAccount } from './auth/types';
import { CommandIds } from './contributions';

/** Who is signed in to which tenant; a click signs in, or shows the request log when signed in. */
export class AccountStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('entraId.account', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = vscode.l10n.t('Entra ID account');
    this.update(undefined);
    this.item.show();
  }

  update(account: SignedInAccount | undefined, cloudLabel?: string): void {
    if (!account) {
      this.item.text = `$(sign-in) ${vscode.l10n.t('Entra ID: Sign in')}`;
      this.item.tooltip = vscode.l10n.t('Sign in to Microsoft Entra ID');
      this.item.command = CommandIds.signIn;
      this.item.accessibilityInformation = { label: vscode.l10n.t('Entra ID: signed out. Sign in') };
      return;
    }
    const tenant = account.tenantId ?? vscode.l10n.t('home tenant');
    this.item.text = `$(organization) ${account.label.replace(/[\r\n$]/g, ' ')}`;
    const md = new vscode.MarkdownString();
    md.appendText(vscode.l10n.t('Entra ID: {0}', account.label));
    md.appendMarkdown('\n\n');
    md.appendText(vscode.l10n.t('Tenant: {0}', tenant));
    md.appendMarkdown('\n\n');
    md.appendText(account.appOnly ? vscode.l10n.t('App-only access (client credentials)') : vscode.l10n.t('Signed in with: {0}', account.method));
    if (cloudLabel) {
      md.appendMarkdown('\n\n');
      md.appendText(vscode.l10n.t('Graph: {0}', cloudLabel));
    }
    this.item.tooltip = md;
    this.item.command = CommandIds.showLog;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Entra ID: signed in as {0} to {1}', account.label, tenant) };
  }

  dispose(): void {
    this.item.dispose();
  }
}
