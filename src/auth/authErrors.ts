import * as vscode from 'vscode';
import { AuthError } from './types';

/** Command titles the auth layer's messages point at (the command layer declares them). */
export const COMMAND_TITLES = {
  signIn: 'Entra ID: Sign In',
  setClientSecret: 'Entra ID: Set Client Secret',
  clearClientSecret: 'Entra ID: Clear Client Secret',
  setup: 'Entra ID: Guided Setup',
} as const;

export function notSignedIn(): AuthError {
  return new AuthError(vscode.l10n.t('Not signed in. Run "{0}".', COMMAND_TITLES.signIn), 'NotSignedIn');
}

export function cancelled(): AuthError {
  return new AuthError(vscode.l10n.t('Sign-in was cancelled.'), 'Cancelled');
}
