import * as vscode from 'vscode';
import { CLOUDS, type CloudEndpoints } from './clouds';
import { SETTINGS } from './config';

/**
 * Why directory writes fail with VS Code's own sign-in, and the fix. VS Code's built-in app registration has no
 * admin consent for the directory write permissions in most organizations, so Graph answers 403
 * Authorization_RequestDenied (or sign-in asks for admin approval); only an app registration the tenant controls helps.
 */
export function consentHint(cloud: CloudEndpoints = CLOUDS.global): string {
  return vscode.l10n.t(
    "VS Code's built-in sign-in app usually lacks consent to change users and groups. Register your own app in {0} with the delegated permissions User.ReadWrite.All, Group.ReadWrite.All, GroupMember.ReadWrite.All and Directory.ReadWrite.All, have an administrator grant consent, and put its application (client) ID in the setting {1}.",
    cloud.portalUrl,
    SETTINGS.clientId,
  );
}

/** Graph's or the identity platform's way of saying "this app or user may not do that". */
export function isConsentFailure(error: { code?: string; status?: number; message?: string }): boolean {
  if (error.code === 'Authorization_RequestDenied') return true;
  if (error.status === 403 && /insufficient privileges/i.test(error.message ?? '')) return true;
  // AADSTS65001: no consent; 90094/90099: admin approval required; 650057: permission not configured on the app.
  return /AADSTS(65001|90094|90099|650057|650056)\b|consent_required|admin (approval|consent)/i.test(`${error.code ?? ''} ${error.message ?? ''}`);
}
