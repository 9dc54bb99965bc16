import * as vscode from 'vscode';
import type { User } from '../core';
import { userArg } from './args';
import { nameOf } from '../shared/text';
import { showGraphError, showInfo, withProgress } from '../ui/feedback';
import { groupItem, ME, pickFromList, pickUser } from './pickers';
import type { CommandDeps } from './types';

/** The user a command acts on; `undefined` id means the signed-in user (`/me`). */
async function userOf(deps: CommandDeps, arg: unknown, title: string): Promise<{ id: string | undefined; user: User } | undefined> {
  const given = userArg(arg);
  if (given) return { id: given.id, user: given };
  const picked = await pickUser(deps.services, title, { includeMe: true });
  if (!picked) return undefined;
  return picked === ME ? { id: undefined, user: { id: 'me', displayName: deps.services.auth.account?.label ?? vscode.l10n.t('Me') } } : { id: picked.id, user: picked };
}

export async function showProfile(deps: CommandDeps, arg: unknown): Promise<void> {
  const target = await userOf(deps, arg, vscode.l10n.t('Show whose profile?'));
  if (target) await deps.panels.showProfile(target.id);
}

/** The org chart around a user (the signed-in user when picked as "me"). */
export async function showOrgChart(deps: CommandDeps, arg: unknown): Promise<void> {
  const target = await userOf(deps, arg, vscode.l10n.t('Show whose org chart?'));
  if (target) await deps.panels.showOrgChart(target.id);
}

/** The groups a user is in, directly and through nesting, and the paths to each. */
export async function showGroupPaths(deps: CommandDeps, arg: unknown): Promise<void> {
  const given = userArg(arg) ?? (await pickUser(deps.services, vscode.l10n.t('Whose group memberships?')));
  if (given) await deps.panels.showNesting({ kind: 'user', id: given.id });
}

export async function editUser(deps: CommandDeps, arg: unknown): Promise<void> {
  const given = userArg(arg) ?? (await pickUser(deps.services, vscode.l10n.t('Edit which user?')));
  if (given) await deps.panels.editUser(given.id);
}

/** get_manager */
export async function showManager(deps: CommandDeps, arg: unknown): Promise<void> {
  const target = await userOf(deps, arg, vscode.l10n.t('Show whose manager?'));
  if (!target) return;
  const result = await deps.services.graph().getManager(target.id);
  if (!result.success) return showGraphError(deps.services.log, vscode.l10n.t('Could not read the manager of "{0}"', nameOf(target.user)), result.error);
  const who = target.user.displayName ? nameOf(target.user) : target.id ?? vscode.l10n.t('you');
  if (!result.data) {
    void showInfo(vscode.l10n.t('"{0}" has no manager.', who));
    return;
  }
  const manager = result.data;
  const open = vscode.l10n.t('Show Profile');
  const upn = typeof manager.userPrincipalName === 'string' ? ` (${manager.userPrincipalName})` : '';
  const answer = await showInfo(vscode.l10n.t('Manager of "{0}": {1}{2}', who, nameOf(manager), upn), open);
  if (answer === open) await deps.panels.showProfile(manager.id);
}

/** get_ms365_groups */
export async function showMs365Groups(deps: CommandDeps, arg: unknown): Promise<void> {
  const target = await userOf(deps, arg, vscode.l10n.t('Show whose Microsoft 365 groups?'));
  if (!target) return;
  const result = await withProgress(vscode.l10n.t('Reading Microsoft 365 groups…'), (signal) => deps.services.graph().getMs365Groups(target.id, { signal }));
  if (!result.success) return showGraphError(deps.services.log, vscode.l10n.t('Could not read the groups of "{0}"', nameOf(target.user)), result.error);
  if (result.data.length === 0) {
    void showInfo(vscode.l10n.t('"{0}" is a direct member of no Microsoft 365 group.', target.user.displayName ? nameOf(target.user) : vscode.l10n.t('This user')));
    return;
  }
  const chosen = await pickFromList(result.data, groupItem, vscode.l10n.t('Microsoft 365 groups of "{0}" ({1}) — choose one to open', nameOf(target.user), result.data.length));
  if (chosen) await deps.panels.showGroup(chosen.id);
}
