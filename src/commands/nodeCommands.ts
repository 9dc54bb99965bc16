import * as vscode from 'vscode';
import type { DirectoryTreeProvider } from '../tree/directoryTree';
import { DirectoryNode, GroupNode, UserNode, type ListNode } from '../tree/nodes';
import { isWritableThroughGraph } from '../shared/groupKinds';
import { showInfo } from '../ui/feedback';
import type { CommandDeps } from './types';

function ownerTree(deps: CommandDeps, node: DirectoryNode): DirectoryTreeProvider | undefined {
  return [deps.trees.users, deps.trees.groups].find((t) => t.owns(node));
}

export function refreshNode(deps: CommandDeps, arg: unknown): void {
  if (!(arg instanceof DirectoryNode)) return;
  ownerTree(deps, arg)?.refresh(arg);
}

export async function loadMore(deps: CommandDeps, arg: unknown): Promise<void> {
  if (!(arg instanceof DirectoryNode) || !('loadMore' in arg)) return;
  await ownerTree(deps, arg)?.loadMore(arg as ListNode);
}

export async function loadAll(deps: CommandDeps, arg: unknown): Promise<void> {
  if (!(arg instanceof DirectoryNode) || !('loadAll' in arg)) return;
  await ownerTree(deps, arg)?.loadAll(arg as ListNode);
}

/** F2: the edit form of the focused user or group. */
export async function edit(deps: CommandDeps, arg: unknown): Promise<void> {
  if (arg instanceof UserNode) await deps.panels.editUser(arg.user.id);
  else if (arg instanceof GroupNode && isWritableThroughGraph(arg.kind)) await deps.panels.editGroup(arg.group.id);
}

export async function copyId(_deps: CommandDeps, arg: unknown): Promise<void> {
  const id = arg instanceof UserNode ? arg.user.id : arg instanceof GroupNode ? arg.group.id : undefined;
  if (!id) return;
  await vscode.env.clipboard.writeText(id);
  void showInfo(vscode.l10n.t('Copied the object ID {0}.', id));
}

export async function copyUpn(_deps: CommandDeps, arg: unknown): Promise<void> {
  const upn = arg instanceof UserNode ? arg.user.userPrincipalName : undefined;
  if (!upn) return;
  await vscode.env.clipboard.writeText(upn);
  void showInfo(vscode.l10n.t('Copied {0}.', upn));
}

/** The object's page in the Entra admin center (or the cloud's portal). */
export async function openInPortal(deps: CommandDeps, arg: unknown): Promise<void> {
  const base = deps.portalUrl().replace(/\/+$/, '');
  let url: string | undefined;
  if (arg instanceof UserNode) url = `${base}/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/${encodeURIComponent(arg.user.id)}`;
  if (arg instanceof GroupNode) url = `${base}/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${encodeURIComponent(arg.group.id)}`;
  if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
}
