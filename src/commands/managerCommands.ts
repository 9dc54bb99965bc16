import * as vscode from 'vscode';
import type { DirectoryObject, User } from '../core';
import { nameOf } from '../shared/text';
import { confirmModal, showGraphError, showInfo, withProgress } from '../ui/feedback';
import { refusalContext } from '../ui/refusals';
import { userArg } from './args';
import { pickUser } from './pickers';
import type { CommandDeps } from './types';

/** "Abel Kim (abel@contoso.com)": a name the admin can tell apart from a namesake. */
function named(o: DirectoryObject): string {
  const upn = typeof o.userPrincipalName === 'string' && o.userPrincipalName !== o.displayName ? ` (${o.userPrincipalName})` : '';
  return `${nameOf(o)}${upn}`;
}

/** Makes a chosen user the manager of the row's (or a chosen) user. */
export async function setManager(deps: CommandDeps, arg: unknown): Promise<void> {
  const user = userArg(arg) ?? (await pickUser(deps.services, vscode.l10n.t('Set the manager of which user?')));
  if (!user) return;
  const manager = await pickUser(deps.services, vscode.l10n.t('Who is the manager of "{0}"?', nameOf(user)));
  if (!manager) return;
  if (manager.id.toLowerCase() === user.id.toLowerCase()) {
    void showInfo(vscode.l10n.t('"{0}" cannot be their own manager. Choose someone else.', nameOf(user)));
    return;
  }
  const result = await withProgress(vscode.l10n.t('Setting the manager of "{0}"…', nameOf(user)), (signal) => deps.services.writes.setManager(user, manager, { signal, surface: 'command' }));
  if (!result.success) {
    return showGraphError(deps.services.log, vscode.l10n.t('Could not set the manager of "{0}"', nameOf(user)), result.error, managerRefusal(deps, user));
  }
  void showInfo(vscode.l10n.t('"{0}" now reports to {1}.', nameOf(user), named(manager)));
}

/** Leaves the row's (or a chosen) user without a manager, after a confirmation that names both. */
export async function clearManager(deps: CommandDeps, arg: unknown): Promise<void> {
  const user = userArg(arg) ?? (await pickUser(deps.services, vscode.l10n.t('Clear the manager of which user?')));
  if (!user) return;
  const current = await withProgress(vscode.l10n.t('Reading the manager of "{0}"…', nameOf(user)), (signal) => deps.services.graph().getManager(user.id, { signal }));
  if (!current.success) return showGraphError(deps.services.log, vscode.l10n.t('Could not read the manager of "{0}"', nameOf(user)), current.error);
  if (!current.data) {
    void showInfo(vscode.l10n.t('"{0}" has no manager.', nameOf(user)));
    return;
  }
  const confirmed = await confirmModal(
    vscode.l10n.t('Remove {0} as the manager of "{1}"?', named(current.data), nameOf(user)),
    vscode.l10n.t('"{0}" will have no manager, and leaves the direct reports of {1}.', nameOf(user), nameOf(current.data)),
    vscode.l10n.t('Clear Manager'),
  );
  if (!confirmed) return;
  const result = await withProgress(vscode.l10n.t('Clearing the manager of "{0}"…', nameOf(user)), (signal) => deps.services.writes.removeManager(user, { signal, surface: 'command' }));
  if (!result.success) {
    return showGraphError(deps.services.log, vscode.l10n.t('Could not clear the manager of "{0}"', nameOf(user)), result.error, managerRefusal(deps, user));
  }
  void showInfo(vscode.l10n.t('"{0}" no longer has a manager.', nameOf(user)));
}

/** Graph guards the manager link like the user's other properties (user-post-manager, user-delete-manager). */
function managerRefusal(deps: CommandDeps, user: User): ReturnType<typeof refusalContext> {
  return refusalContext(deps.services.auth.account, 'updateUser', { user, properties: ['manager'] });
}
