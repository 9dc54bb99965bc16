import * as vscode from 'vscode';
import { COMMAND_TITLES } from './authErrors';
import { isConsentFailure } from './consent';
import { aadstsCode, describeAuthFailure } from './redact';
import { AuthError } from './types';

/** msal error codes that mean "the cached sign-in is gone or expired; the user has to sign in again". */
const INTERACTION_REQUIRED = new Set(['interaction_required', 'login_required', 'invalid_grant', 'no_tokens_found', 'refresh_token_expired', 'bad_token', 'no_account_found']);
/** AADSTS numbers for a client secret the tenant does not accept (wrong, expired, or for another app). */
const BAD_SECRET = new Set([7000215, 7000222, 7000216]);
/** AADSTS numbers for an app id the tenant does not know, or that is disabled. */
const BAD_APP = new Set([700016, 7000112, 90002]);

/**
 * Turns whatever msal (or the network under it) threw into an {@link AuthError} whose message is safe to show:
 * msal's error code and a scrubbed one-line description, with `known` values (the client secret) removed verbatim.
 */
export function toAuthError(error: unknown, context: { clientId: string; authorityHost: string; known: ReadonlyArray<string | undefined> }): AuthError {
  if (error instanceof AuthError) return error;
  const { errorCode, description } = describeAuthFailure(error, [...context.known]);
  const detail = errorCode && !description.startsWith(errorCode) ? `${errorCode}: ${description}` : description || errorCode || 'unknown error';
  const aadsts = aadstsCode(description);
  const name = error instanceof Error ? error.name : '';

  if ((aadsts !== undefined && BAD_SECRET.has(aadsts)) || errorCode === 'invalid_client') {
    return new AuthError(vscode.l10n.t('The client secret for app {0} was rejected ({1}). Store a valid one with "{2}".', context.clientId, detail, COMMAND_TITLES.setClientSecret), 'Configuration');
  }
  if ((aadsts !== undefined && BAD_APP.has(aadsts)) || errorCode === 'unauthorized_client') {
    return new AuthError(vscode.l10n.t('The app registration {0} cannot sign in to this tenant ({1}). Check the settings entraId.auth.clientId and entraId.auth.tenantId.', context.clientId, detail), 'Configuration');
  }
  if (isConsentFailure({ code: errorCode ?? '', message: description })) {
    return new AuthError(vscode.l10n.t('The app registration {0} lacks consent for the directory permissions ({1}). An administrator has to grant consent.', context.clientId, detail), 'ConsentRequired');
  }
  if (name === 'InteractionRequiredAuthError' || (errorCode !== undefined && INTERACTION_REQUIRED.has(errorCode))) {
    return new AuthError(vscode.l10n.t('Your sign-in has expired ({0}). Run "{1}" again.', detail, COMMAND_TITLES.signIn), 'NotSignedIn');
  }
  if (errorCode === 'network_error' || errorCode === 'endpoints_resolution_error' || errorCode === 'untrusted_authority') {
    return new AuthError(vscode.l10n.t('Could not reach the sign-in service at {0} ({1}).', context.authorityHost, detail), 'Failed');
  }
  return new AuthError(vscode.l10n.t('Sign-in failed ({0}).', detail), 'Failed');
}
