import * as vscode from 'vscode';
import { CommandIds, ContextKeys, ViewIds } from '../contributions';
import type { DirectoryTreeProvider } from '../tree/directoryTree';
import { forQuickPick } from '../shared/text';
import { namesOf, signedInLine } from '../identityNames';
import { showInfo } from '../ui/feedback';
import type { CommandDeps } from './types';

/** Longest search term the views accept (Graph's `$search` has its own, larger bound). */
const SEARCH_LIMIT = 256;

async function search(deps: CommandDeps, arg: unknown, view: { tree: DirectoryTreeProvider; context: string; viewId: string; title: string; prompt: string }): Promise<void> {
  const text = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
    title: view.title,
    prompt: view.prompt,
    value: view.tree.searchText ?? '',
    validateInput: (v) => (v.length > SEARCH_LIMIT ? vscode.l10n.t('At most {0} characters.', SEARCH_LIMIT) : undefined),
  });
  if (text === undefined) return;
  view.tree.setSearch(text);
  await deps.setContext(view.context, Boolean(text.trim()));
  await vscode.commands.executeCommand(`${view.viewId}.focus`);
}

/** Server-side search shown in the Users view. */
export function searchUsers(deps: CommandDeps, arg: unknown): Promise<void> {
  return search(deps, arg, {
    tree: deps.trees.users, context: ContextKeys.usersSearching, viewId: ViewIds.users,
    title: vscode.l10n.t('Search users'), prompt: vscode.l10n.t('Start of a name, user principal name or mail'),
  });
}

/** search_groups: server-side search shown in the Groups view. */
export function searchGroups(deps: CommandDeps, arg: unknown): Promise<void> {
  return search(deps, arg, {
    tree: deps.trees.groups, context: ContextKeys.groupsSearching, viewId: ViewIds.groups,
    title: vscode.l10n.t('Search groups'), prompt: vscode.l10n.t('Words of a group name or description (Graph matches word prefixes)'),
  });
}

export async function clearUserSearch(deps: CommandDeps): Promise<void> {
  deps.trees.users.setSearch(undefined);
  await deps.setContext(ContextKeys.usersSearching, false);
}

export async function clearGroupSearch(deps: CommandDeps): Promise<void> {
  deps.trees.groups.setSearch(undefined);
  await deps.setContext(ContextKeys.groupsSearching, false);
}

/** Writes the setting; the settings' change event updates the context key and the view (see extension.ts). */
export async function setShowDisabled(deps: CommandDeps, value: boolean): Promise<void> {
  await deps.services.settings.setShowDisabled(value);
}

/** The status bar's menu: who is signed in to which tenant, and what can be done about it. */
export async function accountMenu(deps: CommandDeps): Promise<void> {
  const identity = deps.services.identity.identity;
  type Choice = vscode.QuickPickItem & { run: () => unknown };
  const choices: Choice[] = [
    ...(identity
      ? [{ label: `$(sign-out) ${vscode.l10n.t('Sign Out')}`, run: () => signOut(deps) }]
      : [{ label: `$(sign-in) ${vscode.l10n.t('Sign In')}`, run: () => signIn(deps) }]),
    // Signing out forgets the account choice (VS Code's preference, msal's cache), so the next sign-in asks which account.
    // An app-only sign-in has one identity per app registration: another app is a settings change.
    ...(identity && !identity.account.appOnly ? [{ label: `$(account) ${vscode.l10n.t('Switch Account…')}`, run: () => switchAccount(deps) }] : []),
    ...(identity ? [{ label: `$(shield) ${vscode.l10n.t('Check Access')}`, run: () => vscode.commands.executeCommand(CommandIds.checkAccess) }] : []),
    { label: `$(cloud) ${vscode.l10n.t('Switch Cloud or Tenant…')}`, run: () => deps.switchCloud() },
    { label: `$(layers) ${vscode.l10n.t('Switch Profile…')}`, run: () => vscode.commands.executeCommand(CommandIds.switchProfile) },
    { label: `$(output) ${vscode.l10n.t('Show Log')}`, run: () => deps.services.log.show() },
  ];
  let title = vscode.l10n.t('Entra ID: signed out');
  let placeHolder: string | undefined;
  if (identity) {
    const { tenant, domain, who } = namesOf(identity);
    title = tenant ? vscode.l10n.t('Entra ID: {0} · {1}', forQuickPick(tenant, '?'), forQuickPick(who, '?')) : vscode.l10n.t('Entra ID: {0}', forQuickPick(who, '?'));
    const where = [domain, identity.account.tenantId].filter((part): part is string => Boolean(part)).map((part) => forQuickPick(part));
    placeHolder = where.length ? vscode.l10n.t('Signed in as {0} to {1}', forQuickPick(identity.account.label, '?'), where.join(' · ')) : undefined;
  }
  const chosen = await vscode.window.showQuickPick(choices, { title, ...(placeHolder ? { placeHolder } : {}) });
  await chosen?.run();
}

export async function signIn(deps: CommandDeps): Promise<void> {
  const account = await deps.services.auth.signIn();
  if (!account) return;
  // The tenant's name arrives a moment after the sign-in; the toast waits for it briefly, never for long.
  const identity = await deps.services.identity.settled();
  void showInfo(identity ? signedInLine(identity) : vscode.l10n.t('Signed in to Entra ID as {0}.', account.label));
}

async function switchAccount(deps: CommandDeps): Promise<void> {
  await deps.services.auth.signOut();
  await signIn(deps);
}

export async function signOut(deps: CommandDeps): Promise<void> {
  await deps.services.auth.signOut();
  void showInfo(vscode.l10n.t('Signed out of Entra ID.'));
}
