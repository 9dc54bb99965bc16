import * as vscode from 'vscode';
import { isConsentRefusal } from '../core';
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

/**
 * The identity platform's way of saying "this app has not been granted the permission" (AADSTS 65001, 65002, 90094,
 * 90099, 650056, 650057, consent_required). One rule, the core's: a plain 403 from Graph is not a consent problem.
 */
export function isConsentFailure(error: { code?: string; status?: number; message?: string }): boolean {
  return isConsentRefusal({ code: error.code ?? '', message: error.message ?? '', ...(error.status !== undefined ? { status: error.status } : {}) });
}
