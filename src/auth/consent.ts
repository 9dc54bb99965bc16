import * as vscode from 'vscode';
import { isConsentRefusal, type WriteOperation } from '../core';
import { adminPortalUrl } from './appRegistration';
import { cancelled, COMMAND_TITLES } from './authErrors';
import { CLOUDS, type CloudEndpoints } from './clouds';
import { SETTINGS } from './config';
import { aadstsCode } from './redact';

/**
 * Why VS Code's own sign-in cannot browse the directory, and the fix. VS Code's app is Microsoft's (first party):
 * Microsoft Graph pre-authorises it for a few permissions only, and the identity platform answers any other with
 * AADSTS65002, which no administrator of the tenant can grant. Only an app registration the tenant controls helps,
 * which the guided setup creates.
 */
export function consentHint(cloud: CloudEndpoints = CLOUDS.global): string {
  return vscode.l10n.t(
    "VS Code's own sign-in app cannot be given permission to read your directory (AADSTS65002: nobody in your organization can consent for a Microsoft app). Register an app of your own in {0} — the guided setup \"{1}\" writes the script — put its application (client) ID in the setting {2} and sign in with the method authorizationCode.",
    cloud.portalUrl,
    COMMAND_TITLES.setup,
    SETTINGS.clientId,
  );
}

/**
 * Visual Studio Code's own (first-party, multi-tenant, public) app: its Microsoft sign-in uses it unless told another
 * client id (DEFAULT_CLIENT_ID in microsoft/vscode extensions/microsoft-authentication/src/common/scopeData.ts).
 */
export const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';

/**
 * Microsoft Graph permissions Microsoft has pre-authorised VS Code's app for; the identity platform refuses any other
 * with AADSTS65002. Microsoft publishes no list (microsoft/vscode#115626: the app "only has access to a handful of
 * scopes"); User.Read is the Graph scope VS Code itself asks for (GRAPH_TACK_ON_SCOPE in the same scopeData.ts), so
 * it is the one known to work. Browsing's User.Read.All and GroupMember.Read.All are not among them.
 */
export const VSCODE_PREAUTHORIZED_GRAPH_SCOPES: readonly string[] = ['User.Read'];

/** No app of the user's own: VS Code's sign-in uses its own app (no client id set, or VS Code's own id). */
export function usesVscodeApp(clientId: string | undefined): boolean {
  return !clientId || clientId.toLowerCase() === VSCODE_CLIENT_ID;
}

/**
 * The Graph permissions among `scopes` (as VS Code's provider is asked: bare, or prefixed with a national cloud's Graph
 * resource; its VSCODE_ entries pick the app and tenant) that VS Code's app is not pre-authorised for.
 */
function notPreauthorizedForVscodeApp(scopes: readonly string[]): string[] {
  return scopes.filter((scope) => !scope.startsWith('VSCODE_') && !VSCODE_PREAUTHORIZED_GRAPH_SCOPES.includes(scope.slice(scope.lastIndexOf('/') + 1)));
}

/**
 * What to tell the user when an interactive sign-in through VS Code's provider was cancelled or timed out, or
 * undefined when it needs no message. With VS Code's own app and a permission it is not pre-authorised for, the
 * sign-in page shows AADSTS65002, which in a remote window (code-server, Codespaces, tunnels) cannot come back to VS
 * Code: the user is left to cancel. `refused` are those permissions (for the log).
 */
export function cancelledWithVscodeApp(o: { clientId: string | undefined; scopes: readonly string[]; cloud?: CloudEndpoints }): { message: string; refused: string[] } | undefined {
  const refused = usesVscodeApp(o.clientId) ? notPreauthorizedForVscodeApp(o.scopes) : [];
  if (refused.length === 0) return undefined;
  return { refused, message: `${cancelled().message} ${vscode.l10n.t('If the sign-in page showed the error AADSTS65002:')} ${consentHint(o.cloud)}` };
}

/**
 * The identity platform's way of saying "this app has not been granted the permission" (AADSTS 65001, 65002, 90094,
 * 90099, 650056, 650057, consent_required). One rule, the core's: a plain 403 from Graph is not a consent problem.
 */
export function isConsentFailure(error: { code?: string; status?: number; message?: string }): boolean {
  return isConsentRefusal({ code: error.code ?? '', message: error.message ?? '', ...(error.status !== undefined ? { status: error.status } : {}) });
}

/** VS Code's (or another Microsoft) app asked for a permission it is not pre-authorised for. */
export function isFirstPartyRefusal(message: string): boolean {
  return aadstsCode(message) === 65002;
}

/** What a write does, in words for the consent question and its refusals. */
export function writeWords(operation: WriteOperation): string {
  switch (operation) {
    case 'updateUser':
      return vscode.l10n.t('Changing users');
    case 'deleteUser':
      return vscode.l10n.t('Deleting users');
    case 'createGroup':
      return vscode.l10n.t('Creating groups');
    case 'updateGroup':
      return vscode.l10n.t('Changing groups');
    case 'deleteGroup':
      return vscode.l10n.t('Deleting groups');
    case 'restoreGroup':
      return vscode.l10n.t('Restoring deleted groups');
    case 'addMember':
    case 'removeMember':
      return vscode.l10n.t('Changing group members');
    case 'addOwner':
    case 'removeOwner':
      return vscode.l10n.t('Changing group owners');
    case 'setManager':
      return vscode.l10n.t('Changing managers');
  }
}

/** The modal asked once before the first write that needs `scope`: the question, its detail and its button. */
export function consentQuestion(operation: WriteOperation, scope: string): { message: string; detail: string; action: string } {
  return {
    message: vscode.l10n.t('{0} needs the permission {1}. Sign in again to grant it?', writeWords(operation), scope),
    detail: vscode.l10n.t(
      'Browsing asks only for read permissions; a write permission is asked for at the first change that needs it. Your organization may require an administrator to approve it.',
    ),
    action: vscode.l10n.t('Sign In Again'),
  };
}

/** How an administrator grants consent, the one wording used wherever it is asked for (refusals, Guided Setup). */
export function adminConsentSteps(cloud: CloudEndpoints, clientId?: string): string {
  return clientId
    ? vscode.l10n.t('Ask an administrator to grant admin consent for the app {0}: in {1}, App registrations → the app → API permissions → Grant admin consent.', clientId, adminPortalUrl(cloud))
    : vscode.l10n.t('Ask an administrator to grant admin consent for the app: in {0}, App registrations → the app → API permissions → Grant admin consent.', adminPortalUrl(cloud));
}

/**
 * Why a write's permission was not granted and what to do, for each way the consent can end: declined here, declined
 * or cancelled in the browser (AADSTS65004), refused for want of an administrator (AADSTS90094/90099), or impossible
 * for VS Code's own app (AADSTS65002). Browsing keeps working with the read permissions in every case.
 */
export function consentRefused(o: { operation: WriteOperation; scope: string; how: 'notAsked' | 'declined' | 'needsAdmin' | 'firstParty'; clientId?: string; cloud: CloudEndpoints; detail?: string }): string {
  const what = writeWords(o.operation);
  const browsing = vscode.l10n.t('Browsing keeps working with the read permissions.');
  switch (o.how) {
    case 'notAsked':
      return `${vscode.l10n.t('{0} was not done: it needs the permission {1}, and signing in again to grant it was declined.', what, o.scope)} ${browsing}`;
    case 'declined':
      return `${vscode.l10n.t('{0} was not done: the permission {1} was not granted ({2}).', what, o.scope, o.detail ?? vscode.l10n.t('consent declined or cancelled'))} ${browsing}`;
    case 'needsAdmin':
      return `${vscode.l10n.t(
        '{0} needs the permission {1}, and only an administrator can grant it ({2}). {3}',
        what,
        o.scope,
        o.detail ?? 'AADSTS90094',
        adminConsentSteps(o.cloud, o.clientId),
      )} ${browsing}`;
    case 'firstParty':
      return `${vscode.l10n.t('{0} needs the permission {1}.', what, o.scope)} ${consentHint(o.cloud)}`;
  }
}
