import * as vscode from 'vscode';
import { CommandIds, type CommandId } from '../contributions';
import * as groups from './groupCommands';
import * as nodes from './nodeCommands';
import type { CommandDeps, Handler } from './types';
import * as users from './userCommands';
import * as views from './viewCommands';

/** Every command, in one table: the type makes a missing handler a compile error. */
export const COMMAND_HANDLERS: Readonly<Record<CommandId, Handler>> = {
  [CommandIds.signIn]: (d) => views.signIn(d),
  [CommandIds.signOut]: (d) => views.signOut(d),
  [CommandIds.setClientSecret]: (d) => d.services.auth.setClientSecret(),
  [CommandIds.clearClientSecret]: (d) => d.services.auth.clearClientSecret(),
  [CommandIds.switchCloud]: (d) => d.switchCloud(),
  [CommandIds.showLog]: (d) => d.services.log.show(),
  [CommandIds.usersRefresh]: (d) => d.trees.users.refresh(),
  [CommandIds.usersSearch]: (d, a) => users.searchUsers(d, a),
  [CommandIds.usersClearSearch]: (d) => views.clearUserSearch(d),
  [CommandIds.usersShowDisabled]: (d) => views.setShowDisabled(d, true),
  [CommandIds.usersHideDisabled]: (d) => views.setShowDisabled(d, false),
  [CommandIds.usersExport]: (d) => users.exportUsers(d),
  [CommandIds.groupsRefresh]: (d) => d.trees.groups.refresh(),
  [CommandIds.groupsSearch]: (d, a) => groups.searchGroups(d, a),
  [CommandIds.groupsClearSearch]: (d) => views.clearGroupSearch(d),
  [CommandIds.groupsExport]: (d) => groups.exportGroups(d),
  [CommandIds.userShowProfile]: (d, a) => users.showProfile(d, a),
  [CommandIds.userShowManager]: (d, a) => users.showManager(d, a),
  [CommandIds.userShowMs365Groups]: (d, a) => users.showMs365Groups(d, a),
  [CommandIds.userEdit]: (d, a) => users.editUser(d, a),
  [CommandIds.userAddToGroup]: (d, a) => groups.addUserToGroup(d, a),
  [CommandIds.groupCreate]: (d) => groups.createGroup(d),
  [CommandIds.groupEdit]: (d, a) => groups.editGroup(d, a),
  [CommandIds.groupDelete]: (d, a) => groups.deleteGroup(d, a),
  [CommandIds.groupAddMember]: (d, a) => groups.addMember(d, a),
  [CommandIds.groupRemoveMember]: (d, a) => groups.removeMember(d, a),
  [CommandIds.nodeRefresh]: (d, a) => nodes.refreshNode(d, a),
  [CommandIds.nodeLoadMore]: (d, a) => nodes.loadMore(d, a),
  [CommandIds.nodeCopyId]: (d, a) => nodes.copyId(d, a),
  [CommandIds.nodeCopyUpn]: (d, a) => nodes.copyUpn(d, a),
  [CommandIds.nodeOpenInPortal]: (d, a) => nodes.openInPortal(d, a),
};

/** Registers every command; a handler's failure is logged and shown, never lost as an unhandled rejection. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(COMMAND_HANDLERS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      try {
        await handler(deps, arg);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        deps.services.log.error(`${id} failed: ${message}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Entra ID: {0}', message));
      }
    }),
  );
}

export type { CommandDeps, Panels } from './types';
