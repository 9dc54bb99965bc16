import * as vscode from 'vscode';
import type { SignedInAccount } from '../auth/types';
import { refusalByFacts, type AccessCaller, type RefusalOperation } from '../core';
import { SettingKeys } from '../shared/settingKeys';
import { explainRefusal } from './refusals';

/** The code of a write refused because read-only mode is on (no request was made). */
export const READ_ONLY_CODE = 'ReadOnlyMode';

/** What every surface says when read-only mode refuses a write. */
export function readOnlyMessage(): string {
  return vscode.l10n.t('Entra ID is in read-only mode (setting {0}): nothing was changed and nothing was sent. Turn the setting off in your user settings to make changes.', SettingKeys.readOnly);
}

/** What the guard and "Check Access" know of the caller: read-only mode and what the token says. */
export interface WriteState {
  readOnly: boolean;
  account: SignedInAccount | undefined;
}

export function accessCallerOf(state: WriteState): AccessCaller {
  const account = state.account;
  return {
    access: account?.appOnly ? 'appOnly' : 'delegated',
    readOnly: state.readOnly,
    ...(account?.grantedScopes ? { grantedScopes: account.grantedScopes } : {}),
    ...(account?.directoryRoles ? { roles: account.directoryRoles } : {}),
  };
}

/**
 * Why a write is refused before anything is sent, or undefined when it may be tried. Read-only mode refuses every
 * write. An app-only token's permissions are fixed by the app registration (no sign-in asks for more), so a write
 * none of whose `operations` its permissions allow is refused too, with the permission an administrator must grant.
 * A delegated token is not judged here: the first write may ask for the permission it needs.
 */
export function writeRefusal(state: WriteState, operations: readonly RefusalOperation[]): string | undefined {
  if (state.readOnly) return readOnlyMessage();
  const account = state.account;
  if (!account?.appOnly || !account.grantedScopes || operations.length === 0) return undefined;
  const refusals = operations.map((operation) => refusalByFacts({ operation, access: 'appOnly', grantedScopes: account.grantedScopes }));
  const first = refusals[0];
  if (!first || !refusals.every((r) => r.cause === 'missingScope')) return undefined;
  return vscode.l10n.t('Nothing was sent: {0}', explainRefusal(first) ?? '');
}
