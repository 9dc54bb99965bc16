import * as vscode from 'vscode';
import type { Settings } from './settings';
import { namesOf } from './identityNames';
import type { SignedInIdentity } from './signedInIdentity';
import { confirmModal } from './ui/feedback';

/** The production tenant a write would change: the profile marked `production`, and the tenant by name. */
export interface ProductionTarget {
  profile: string;
  /** The tenant's display name from the signed-in identity when known, else its id (from the token or the profile). */
  tenant: string;
}

/** The active profile's production mark, with the tenant named as well as is known now; undefined outside production. */
export function productionTarget(settings: Pick<Settings, 'production'>, identity: SignedInIdentity | undefined): ProductionTarget | undefined {
  const profile = settings.production;
  if (!profile) return undefined;
  const tenant = (identity ? namesOf(identity).tenant : undefined) ?? profile.tenantId ?? vscode.l10n.t('(tenant not known yet)');
  return { profile: profile.name, tenant };
}

/** The extra question before a write in a production profile; true only when the user chose to go ahead. */
export function confirmProductionWrite(target: ProductionTarget): Promise<boolean> {
  return confirmModal(
    vscode.l10n.t('This changes the production tenant {0}. Go ahead?', target.tenant),
    vscode.l10n.t('The profile "{0}" is marked production (setting entraId.profiles): every change is confirmed once more.', target.profile),
    vscode.l10n.t('Change Production Tenant'),
  );
}

/** What a declined production confirmation returns: a cancellation (nothing to report), with what happened in words. */
export function productionDeclinedMessage(target: ProductionTarget): string {
  return vscode.l10n.t('Nothing was changed in the production tenant {0}: the change was not confirmed.', target.tenant);
}
