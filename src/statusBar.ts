import * as vscode from 'vscode';
import type { AuthMethod } from './auth/types';
import { CommandIds } from './contributions';
import { SettingKeys } from './shared/settingKeys';
import { forMarkdown, forQuickPick, forTreeLabel } from './shared/text';
import { namesOf } from './identityNames';
import type { SignedInIdentity } from './signedInIdentity';

/** Who is signed in to which tenant, by name; a click signs in, or opens the account menu when signed in. */
export class AccountStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('entraId.account', vscode.StatusBarAlignment.Left, 50);
  private readOnly = false;
  /** The active profile's name when it is marked production. */
  private production: string | undefined;
  private shown: { identity: SignedInIdentity | undefined; graphBaseUrl: string | undefined } = { identity: undefined, graphBaseUrl: undefined };

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

  /** Read-only mode (`entraId.readOnly`): a lock before the account, and the tooltip says so. */
  setReadOnly(on: boolean): void {
    if (on === this.readOnly) return;
    this.readOnly = on;
    this.update(this.shown.identity, this.shown.graphBaseUrl);
  }

  /** A production profile (its name) or none: a `PROD` mark before the account, and the tooltip says so. */
  setProduction(profile: string | undefined): void {
    if (profile === this.production) return;
    this.production = profile;
    this.update(this.shown.identity, this.shown.graphBaseUrl);
  }

  /** `graphBaseUrl` is the configured Graph endpoint; only its origin and path are shown. */
  update(identity: SignedInIdentity | undefined, graphBaseUrl?: string): void {
    this.shown = { identity, graphBaseUrl };
    const lock = (this.production !== undefined ? '$(warning) PROD ' : '') + (this.readOnly ? '$(lock) ' : '');
    const readOnlyLine = vscode.l10n.t('Read-only mode: on (setting {0}); nothing can be changed.', SettingKeys.readOnly);
    // Profile names are the user's own text (letters, digits, spaces, ". _ -"; see shared/profiles.ts).
    const productionLine = this.production !== undefined ? vscode.l10n.t('Production profile "{0}": every change asks for one more confirmation naming the tenant.', this.production) : undefined;
    if (!identity) {
      this.item.text = `${lock}$(sign-in) ${vscode.l10n.t('Entra ID: Sign in')}`;
      this.item.tooltip = [vscode.l10n.t('Sign in to Microsoft Entra ID'), ...(productionLine ? [productionLine] : []), ...(this.readOnly ? [readOnlyLine] : [])].join('\n');
      this.item.command = CommandIds.signIn;
      const label = this.readOnly ? vscode.l10n.t('Entra ID (read-only): signed out. Sign in') : vscode.l10n.t('Entra ID: signed out. Sign in');
      this.item.accessibilityInformation = { label: this.production !== undefined ? vscode.l10n.t('{0} (production profile)', label) : label };
      return;
    }
    const { account } = identity;
    // Tenant, domain and user names come from the directory (anyone may set a display name): the text policy decides what shows.
    const names = namesOf(identity);
    // The bar shows the sign-in name (UPN) of a user; an app has none worth reading, so its display name stands in.
    const who = account.appOnly ? names.who : account.label;
    // Status bar text renders $(icon) like a quick pick does.
    const shownWho = forQuickPick(who, '?');
    this.item.text = lock + (names.tenant ? `$(organization) ${forQuickPick(names.tenant, '?')} · ${shownWho}` : `$(organization) ${shownWho}`);
    const tenant = forTreeLabel(names.tenant, vscode.l10n.t('home tenant'));
    const lines = [vscode.l10n.t('Tenant: {0}', tenant)];
    if (names.domain) lines.push(vscode.l10n.t('Primary domain: {0}', forTreeLabel(names.domain)));
    if (account.tenantId) lines.push(vscode.l10n.t('Tenant ID: {0}', forTreeLabel(account.tenantId)));
    lines.push(
      account.appOnly
        ? vscode.l10n.t('App: {0} (client ID {1})', forTreeLabel(names.who, '?'), forTreeLabel(account.label, '?'))
        : account.displayName
          ? vscode.l10n.t('Signed in as: {0} ({1})', forTreeLabel(account.displayName, '?'), forTreeLabel(account.label, '?'))
          : vscode.l10n.t('Signed in as: {0}', forTreeLabel(account.label, '?')),
      vscode.l10n.t('Method: {0}', methodName(account.method)),
    );
    const endpoint = shownEndpoint(graphBaseUrl);
    if (endpoint) lines.push(vscode.l10n.t('Graph: {0}', endpoint));
    if (productionLine) lines.push(productionLine);
    if (this.readOnly) lines.push(readOnlyLine);
    const md = new vscode.MarkdownString('', false);
    md.isTrusted = false;
    md.supportHtml = false;
    // Every Markdown character escaped: a name cannot become a link or an image, and the URL is not auto-linked.
    md.appendMarkdown(lines.map((line) => forMarkdown(line)).join('\n\n'));
    this.item.tooltip = md;
    this.item.command = CommandIds.accountMenu;
    const signedIn = vscode.l10n.t('Entra ID: signed in as {0} to {1}', forTreeLabel(who, '?'), tenant);
    const modes = [this.production !== undefined ? vscode.l10n.t('production') : '', this.readOnly ? vscode.l10n.t('read-only mode') : ''].filter(Boolean);
    this.item.accessibilityInformation = { label: modes.length ? vscode.l10n.t('{0} ({1})', signedIn, modes.join(', ')) : signedIn };
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** The sign-in method in words (the record's type makes every method named). */
export function methodName(method: AuthMethod): string {
  const names: Record<AuthMethod, string> = {
    vscode: vscode.l10n.t('VS Code Microsoft account'),
    authorizationCode: vscode.l10n.t('your app registration (browser sign-in)'),
    clientCredentials: vscode.l10n.t('app-only (client credentials)'),
  };
  return names[method];
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
