import * as vscode from 'vscode';
import type { SignedInIdentity } from './signedInIdentity';

/** The names to show: the tenant's and its primary domain (or the token's tenant id), and who signed in. */
export interface IdentityNames {
  /** The tenant's display name, else its default domain, else its id from the token; undefined when nothing names it. */
  tenant: string | undefined;
  /** The default (primary) domain; unset when unknown. */
  domain: string | undefined;
  /** The user's display name or the app's; else the account label (UPN or client id). */
  who: string;
}

/** Raw names, not yet through the text policy: each surface applies its own. */
export function namesOf(identity: SignedInIdentity): IdentityNames {
  const org = identity.organization;
  const domain = org?.defaultDomain ?? org?.initialDomain;
  return {
    tenant: org?.displayName ?? domain ?? identity.account.tenantId,
    domain,
    who: identity.account.displayName ?? identity.account.label,
  };
}

/** "Signed in to Contoso (contoso.onmicrosoft.com) as Megan Bowen." — for the toast and the log. */
export function signedInLine(identity: SignedInIdentity): string {
  const { tenant, domain, who } = namesOf(identity);
  if (!tenant) return vscode.l10n.t('Signed in to Entra ID as {0}.', who);
  const where = domain && domain !== tenant ? vscode.l10n.t('{0} ({1})', tenant, domain) : tenant;
  return vscode.l10n.t('Signed in to {0} as {1}.', where, who);
}
