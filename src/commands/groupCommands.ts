import type { JournalEntry } from '../shared/journal';
import { showInfoWithUndo } from '../ui/undoOffer';
import * as vscode from 'vscode';
import type { DeletedGroup, DirectoryObject, Group } from '../core';
import { isAlreadyMember } from '../core';
import { acceptsManualMembers, classifyGroup, isWritableThroughGraph } from '../shared/groupKinds';
import { forQuickPick, nameOf } from '../shared/text';
import { deletedGroupArg, deletedGroupDescription } from '../tree/deletedGroups';
import { confirmModal, showGraphError, showInfo, withProgress } from '../ui/feedback';
import { deletionConsequence, groupKindLabel } from '../ui/labels';
import { refusalContext } from '../ui/refusals';
import { groupArg, memberContext, userArg } from './args';
import { pickGroup, pickMember, pickUser } from './pickers';
import type { CommandDeps } from './types';

async function groupOf(deps: CommandDeps, arg: unknown, title: string, filter?: Parameters<typeof pickGroup>[2]): Promise<Group | undefined> {
  return groupArg(arg) ?? (await pickGroup(deps.services, title, filter));
}

/** A group's own page. */
export async function showGroup(deps: CommandDeps, arg: unknown): Promise<void> {
  const group = await groupOf(deps, arg, vscode.l10n.t('Show which group?'));
  if (group) await deps.panels.showGroup(group.id);
}

/** The groups nested in a group and the groups it is a member of. */
export async function showNesting(deps: CommandDeps, arg: unknown): Promise<void> {
  const group = await groupOf(deps, arg, vscode.l10n.t('Show the nesting of which group?'));
  if (group) await deps.panels.showNesting({ kind: 'group', id: group.id });
}

export async function editGroup(deps: CommandDeps, arg: unknown): Promise<void> {
  const group = await groupOf(deps, arg, vscode.l10n.t('Edit which group?'), isWritableThroughGraph);
  if (group) await deps.panels.editGroup(group.id);
}

export async function deleteGroup(deps: CommandDeps, arg: unknown): Promise<void> {
  let group = await groupOf(deps, arg, vscode.l10n.t('Delete which group?'), isWritableThroughGraph);
  if (!group) return;
  if (group.displayName === undefined) {
    const read = await deps.services.graph().getGroup(group.id);
    if (!read.success) return showGraphError(deps.services.log, vscode.l10n.t('Could not read the group'), read.error);
    group = read.data;
  }
  const kind = classifyGroup(group);
  if (!isWritableThroughGraph(kind)) {
    // A group from an id (another command) is not filtered by the picker: say why instead of letting Graph refuse.
    void showInfo(vscode.l10n.t('"{0}" ({1}) is managed in Exchange and cannot be deleted here.', nameOf(group), groupKindLabel(kind)));
    return;
  }
  const ok = await confirmModal(
    vscode.l10n.t('Delete the group "{0}"?', nameOf(group)),
    deletionConsequence(kind),
    vscode.l10n.t('Delete'),
  );
  if (!ok) return;
  const id = group.id;
  const result = await withProgress(vscode.l10n.t('Deleting "{0}"…', nameOf(group)), (signal) => deps.services.writes.deleteGroup(id, { signal, surface: 'command', objectName: group.displayName ?? undefined }));
  if (!result.success) return showGraphError(deps.services.log, vscode.l10n.t('Could not delete "{0}"', nameOf(group)), result.error, refusalContext(deps.services.auth.account, 'deleteGroup', { group }));
  void showInfo(vscode.l10n.t('Deleted the group "{0}".', nameOf(group)));
}

/** Restore a deleted group ("Recently deleted" row, or palette: pick one of the groups deleted in the last 30 days). */
export async function restoreGroup(deps: CommandDeps, arg: unknown): Promise<void> {
  const group = deletedGroupArg(arg) ?? (await pickDeletedGroup(deps));
  if (!group) return;
  const ok = await confirmModal(
    vscode.l10n.t('Restore the group "{0}"?', nameOf(group)),
    vscode.l10n.t('It comes back with the same id, and with its members and owners as they were when it was deleted.'),
    vscode.l10n.t('Restore'),
  );
  if (!ok) return;
  const result = await withProgress(vscode.l10n.t('Restoring "{0}"…', nameOf(group)), (signal) => deps.services.writes.restoreGroup(group.id, { signal, surface: 'command', objectName: group.displayName ?? undefined }));
  if (!result.success) return showGraphError(deps.services.log, vscode.l10n.t('Could not restore "{0}"', nameOf(group)), result.error, refusalContext(deps.services.auth.account, 'restoreGroup', { group }));
  void showInfo(vscode.l10n.t('Restored the group "{0}".', nameOf(result.data.displayName ? result.data : group)));
}

async function pickDeletedGroup(deps: CommandDeps): Promise<DeletedGroup | undefined> {
  const listed = await withProgress(vscode.l10n.t('Reading deleted groups…'), (signal) => deps.services.graph().listDeletedGroups({ signal }));
  if (!listed.success) return void showGraphError(deps.services.log, vscode.l10n.t('Could not list the deleted groups'), listed.error);
  if (listed.data.length === 0) return void showInfo(vscode.l10n.t('No groups were deleted in the last 30 days.'));
  const now = Date.now();
  const picked = await vscode.window.showQuickPick(
    listed.data.map((g) => ({ label: forQuickPick(g.displayName, g.id), description: `${groupKindLabel(classifyGroup(g))} · ${deletedGroupDescription(g, now)}`, group: g })),
    { title: vscode.l10n.t('Restore which deleted group?'), matchOnDescription: true },
  );
  return picked?.group;
}

/** The group's members and owners as a desired-state file (tree row, group page or palette). */
export async function exportDesiredState(deps: CommandDeps, arg: unknown): Promise<void> {
  let group = await groupOf(deps, arg, vscode.l10n.t('Export which group as a desired-state file?'), acceptsManualMembers);
  if (!group) return;
  if (group.displayName === undefined) {
    // From an id (the group page, another command): the file names the group, so read it first.
    const read = await deps.services.graph().getGroup(group.id);
    if (!read.success) return showGraphError(deps.services.log, vscode.l10n.t('Could not read the group'), read.error);
    group = read.data;
  }
  await deps.desiredState.exportGroup(group);
}

/** From a group (row or palette): pick a user to add. */
export async function addMember(deps: CommandDeps, arg: unknown): Promise<void> {
  const group = await groupOf(deps, arg, vscode.l10n.t('Add a member to which group?'), acceptsManualMembers);
  if (!group) return;
  const user = await pickUser(deps.services, vscode.l10n.t('Add whom to "{0}"?', nameOf(group)));
  if (user) await add(deps, group, { ...user, '@odata.type': '#microsoft.graph.user' });
}

/** From a user (row or palette): pick a group to join. */
export async function addUserToGroup(deps: CommandDeps, arg: unknown): Promise<void> {
  const user = userArg(arg) ?? (await pickUser(deps.services, vscode.l10n.t('Add which user to a group?')));
  if (!user) return;
  const group = await pickGroup(deps.services, vscode.l10n.t('Add "{0}" to which group?', nameOf(user)), acceptsManualMembers);
  if (group) await add(deps, group, { ...user, '@odata.type': '#microsoft.graph.user' });
}

async function add(deps: CommandDeps, group: Group, member: DirectoryObject): Promise<void> {
  const kind = classifyGroup(group);
  if (group.groupTypes !== undefined && !acceptsManualMembers(kind)) {
    // A group from an id (another command) is not filtered by the picker: say why instead of letting Graph refuse.
    void showInfo(vscode.l10n.t('The members of "{0}" ({1}) cannot be changed here.', nameOf(group), groupKindLabel(kind)));
    return;
  }
  let entry: JournalEntry | undefined;
  const result = await withProgress(vscode.l10n.t('Adding "{0}" to "{1}"…', nameOf(member), nameOf(group)), (signal) =>
    deps.services.writes.addMember(group, member, { signal, surface: 'command', recorded: (e) => (entry = e) }));
  if (!result.success) {
    if (isAlreadyMember(result.error)) {
      void showInfo(vscode.l10n.t('"{0}" is already a member of "{1}".', nameOf(member), nameOf(group)));
      return;
    }
    return showGraphError(deps.services.log, vscode.l10n.t('Could not add "{0}" to "{1}"', nameOf(member), nameOf(group)), result.error, refusalContext(deps.services.auth.account, 'addMember', { group }));
  }
  showInfoWithUndo(vscode.l10n.t('Added "{0}" to "{1}".', nameOf(member), nameOf(group)), entry);
}

export async function removeMember(deps: CommandDeps, arg: unknown): Promise<void> {
  let groupId: string;
  let groupName: string;
  let known: Group | undefined;
  let member: { id: string; displayName?: string | null };
  const context = memberContext(arg);
  if (context) {
    groupId = context.groupId;
    member = context.member;
    // The row sits under its group in the tree: its name is known without asking Graph.
    const read = context.group?.displayName ? { success: true as const, data: context.group } : await deps.services.graph().getGroup(groupId);
    groupName = read.success ? nameOf(read.data) : groupId;
    if (read.success) known = read.data;
  } else {
    const group = await groupOf(deps, arg, vscode.l10n.t('Remove a member from which group?'), acceptsManualMembers);
    if (!group) return;
    groupId = group.id;
    groupName = nameOf(group);
    known = group;
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
  let entry: JournalEntry | undefined;
  const result = await withProgress(vscode.l10n.t('Removing "{0}" from "{1}"…', nameOf(member), groupName), (signal) =>
    deps.services.writes.removeMember(groupId, memberId, { signal, surface: 'command', objectName: known?.displayName ?? undefined, relatedName: member.displayName ?? undefined, recorded: (e) => (entry = e) }));
  if (!result.success) return showGraphError(deps.services.log, vscode.l10n.t('Could not remove "{0}" from "{1}"', nameOf(member), groupName), result.error, refusalContext(deps.services.auth.account, 'removeMember', known ? { group: known } : {}));
  showInfoWithUndo(vscode.l10n.t('Removed "{0}" from "{1}".', nameOf(member), groupName), entry);
}

