import * as vscode from 'vscode';
import { ContextKeys } from '../contributions';
import { plainMessage } from './feedback';
import type { CommandDeps } from './types';

export async function clearUserSearch(deps: CommandDeps): Promise<void> {
  deps.trees.users.setSearch(undefined);
  await deps.setContext(ContextKeys.usersSearching, false);
}

export async function clearGroupSearch(deps: CommandDeps): Promise<void> {
  deps.trees.groups.setSearch(undefined);
  await deps.setContext(ContextKeys.groupsSearching, false);
}

export async function setShowDisabled(deps: CommandDeps, value: boolean): Promise<void> {
  await deps.setShowDisabled(value);
  await deps.setContext(ContextKeys.showDisabled, value);
  deps.trees.users.refresh();
}

export async function signIn(deps: CommandDeps): Promise<void> {
  const account = await deps.services.auth.signIn();
  if (account) void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to Entra ID as {0}.', plainMessage(account.label)));
}

export async function signOut(deps: CommandDeps): Promise<void> {
  await deps.services.auth.signOut();
  void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of Entra ID.'));
}
