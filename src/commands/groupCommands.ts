import * as vscode from 'vscode';
import type { Group } from '../core';
import { groupArg, memberContext, userArg } from './args';
import { toCsv } from './csv';
import { confirmModal, ensureSignedIn, nameOf, showGraphError, withProgress } from './feedback';
import { pickGroup, pickMember, pickUser } from './pickers';
import type { CommandDeps } from './types';

const notDynamic = (g: Group): boolean => !(g.groupTypes ?? []).includes('DynamicMembership');

async function groupOf(deps: CommandDeps, arg: unknown, title: string, filter?: (g: Group) => boolean): Promise<Group | undefined> {
  return groupArg(arg) ?? (await pickGroup(deps.services, title, filter));
}

export async function createGroup(deps: CommandDeps): Promise<void> {
  if (!(await ensureSignedIn(deps.services))) return;
  deps.panels.createGroup();
}

export async function editGroup(deps: CommandDeps, arg: unknown): Promise<void> {
  if (!(await ensureSignedIn(deps.services))) return;
  const group = await groupOf(deps, arg, vscode.l10n.t('Edit which group?'));
  if (group) deps.panels.editGroup(group.id);
}

export async function deleteGroup(deps: CommandDeps, arg: unknown): Promise<void> {
  if (!(await ensureSignedIn(deps.services))) return;
  let group = await groupOf(deps, arg, vscode.l10n.t('Delete which group?'));
  if (!group) return;
  if (group.displayName === undefined) {
    const read = await deps.services.graph().getGroup(group.id);
    if (!read.success) return showGraphError(vscode.l10n.t('Could not read the group'), read.error);
    group = read.data;
  }
  const m365 = (group.groupTypes ?? []).includes('Unified');
  const ok = await confirmModal(
    vscode.l10n.t('Delete the group "{0}"?', nameOf(group)),
    m365 ? vscode.l10n.t('Microsoft 365 groups can be restored from deleted groups for 30 days.') : vscode.l10n.t('Security groups are deleted permanently and cannot be restored.'),
    vscode.l10n.t('Delete'),
  );
  if (!ok) return;
  const id = group.id;
  const result = await withProgress(vscode.l10n.t('Deleting "{0}"…', nameOf(group)), (signal) => deps.services.graph().deleteGroup(id, { signal }));
  if (!result.success) return showGraphError(vscode.l10n.t('Could not delete "{0}"', nameOf(group)), result.error);
  deps.services.changes.fire({ kind: 'groupDeleted', groupId: id });
  void vscode.window.showInformationMessage(vscode.l10n.t('Deleted the group "{0}".', nameOf(group)));
}

/** From a group (row or palette): pick a user to add. From a user row: pick a group to join. */
export async function addMember(deps: CommandDeps, arg: unknown): Promise<void> {
  if (!(await ensureSignedIn(deps.services))) return;
  const group = await groupOf(deps, arg, vscode.l10n.t('Add a member to which group?'), notDynamic);
  if (!group) return;
  const user = await pickUser(deps.services, vscode.l10n.t('Add whom to "{0}"?', nameOf(group)));
  if (user) await add(deps, group, user);
}

export async function addUserToGroup(deps: CommandDeps, arg: unknown): Promise<void> {
  if (!(await ensureSignedIn(deps.services))) return;
  const user = userArg(arg) ?? (await pickUser(deps.services, vscode.l10n.t('Add which user to a group?')));
  if (!user) return;
  const group = await pickGroup(deps.services, vscode.l10n.t('Add "{0}" to which group?', nameOf(user)), notDynamic);
  if (group) await add(deps, group, user);
}

async function add(deps: CommandDeps, group: Group, member: { id: string; displayName?: string | null }): Promise<void> {
  const result = await withProgress(vscode.l10n.t('Adding "{0}" to "{1}"…', nameOf(member), nameOf(group)), (signal) => deps.services.graph().addMemberToGroup(group.id, member.id, { signal }));
  if (!result.success) {
    if (result.error.code === 'Request_BadRequest' && result.error.status === 400) {
      return showGraphError(vscode.l10n.t('"{0}" was not added to "{1}" (already a member, or a member type the group does not accept)', nameOf(member), nameOf(group)), result.error);
    }
    return showGraphError(vscode.l10n.t('Could not add "{0}" to "{1}"', nameOf(member), nameOf(group)), result.error);
  }
  deps.services.changes.fire({ kind: 'memberAdded', groupId: group.id, member: { ...member, '@odata.type': '#microsoft.graph.user' } });
  void vscode.window.showInformationMessage(vscode.l10n.t('Added "{0}" to "{1}".', nameOf(member), nameOf(group)));
}

export async function removeMember(deps: CommandDeps, arg: unknown): Promise<void> {
  if (!(await ensureSignedIn(deps.services))) return;
  let groupId: string;
  let groupName: string;
  let member: { id: string; displayName?: string | null };
  const context = memberContext(arg);
  if (context) {
    groupId = context.groupId;
    member = context.member;
    // The row sits under its group in the tree: its name is known without asking Graph.
    const read = context.group?.displayName ? { success: true as const, data: context.group } : await deps.services.graph().getGroup(groupId);
    groupName = read.success ? nameOf(read.data) : groupId;
  } else {
    const group = await groupOf(deps, arg, vscode.l10n.t('Remove a member from which group?'), notDynamic);
    if (!group) return;
    groupId = group.id;
    groupName = nameOf(group);
    const picked = await pickMember(deps.services, groupId, vscode.l10n.t('Remove whom from "{0}"?', groupName));
    if (!picked) return;
    member = picked;
  }
  const ok = await confirmModal(
    vscode.l10n.t('Remove "{0}" from "{1}"?', nameOf(member), groupName),
    vscode.l10n.t('Only the membership is removed; the member itself stays in the directory.'),
    vscode.l10n.t('Remove'),
  );
  if (!ok) return;
  const memberId = member.id;
  const result = await withProgress(vscode.l10n.t('Removing "{0}" from "{1}"…', nameOf(member), groupName), (signal) => deps.services.graph().removeMemberFromGroup(groupId, memberId, { signal }));
  if (!result.success) return showGraphError(vscode.l10n.t('Could not remove "{0}" from "{1}"', nameOf(member), groupName), result.error);
  deps.services.changes.fire({ kind: 'memberRemoved', groupId, memberId });
  void vscode.window.showInformationMessage(vscode.l10n.t('Removed "{0}" from "{1}".', nameOf(member), groupName));
}

/** search_groups: server-side search shown in the Groups view. */
export async function searchGroups(deps: CommandDeps, arg: unknown): Promise<void> {
  if (!(await ensureSignedIn(deps.services))) return;
  const text = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
    title: vscode.l10n.t('Search groups'),
    prompt: vscode.l10n.t('Words of a group name or description (Graph matches word prefixes)'),
    value: deps.trees.groups.searchText ?? '',
    validateInput: (v) => (v.length > 256 ? vscode.l10n.t('At most 256 characters.') : undefined),
  });
  if (text === undefined) return;
  deps.trees.groups.setSearch(text);
  await deps.setContext('entraId.groups.searching', Boolean(text.trim()));
  await vscode.commands.executeCommand('entraId.groups.focus');
}

/** get_organization_groups: every group, as a CSV document. */
export async function exportGroups(deps: CommandDeps): Promise<void> {
  if (!(await ensureSignedIn(deps.services))) return;
  const result = await withProgress(vscode.l10n.t('Reading all groups…'), (signal) => deps.services.graph().getOrganizationGroups({ signal }));
  if (!result.success) return showGraphError(vscode.l10n.t('Could not list the groups'), result.error);
  const csv = toCsv(['id', 'displayName', 'description', 'groupTypes', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled', 'visibility'],
    result.data.map((g) => [g.id, g.displayName, g.description, g.groupTypes, g.mail, g.mailNickname, g.mailEnabled, g.securityEnabled, g.visibility]));
  const doc = await vscode.workspace.openTextDocument({ content: csv, language: 'csv' });
  await vscode.window.showTextDocument(doc);
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} groups.', result.data.length));
}
