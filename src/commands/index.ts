import * as vscode from 'vscode';
import { AuthError } from '../auth/types';
import { CommandIds, type CommandId } from '../contributions';
import type { Services } from '../services';
import type { RefusalOperation } from '../core';
import { showError, showWarning } from '../ui/feedback';
import { readOnlyMessage, writeRefusal } from '../ui/writeGuard';
import { checkAccess } from './checkAccess';
import * as groups from './groupCommands';
import * as history from './historyCommands';
import * as managers from './managerCommands';
import * as nodes from './nodeCommands';
import * as setup from './setupCommands';
import { switchProfile } from './switchProfile';
import type { CommandDeps, CommandSpec, Handler } from './types';
import * as users from './userCommands';
import * as views from './viewCommands';
import { planFolder } from '../desiredStateFolder';

/** Runs with or without a sign-in (session commands, view state, rows already loaded). */
const anyTime = (run: Handler): CommandSpec => ({ run, requiresSignIn: false });
/** Reads or changes the directory: signs in first (silently when it can), and does nothing if that is refused. */
const signedIn = (run: Handler): CommandSpec => ({ run, requiresSignIn: true });
/** Changes the directory (one of `writes`): refused in read-only mode, and when an app-only token clearly can't. */
const writes = (operations: readonly RefusalOperation[], run: Handler): CommandSpec => ({ run, requiresSignIn: true, writes: operations });

/** Every command, in one table: the type makes a missing handler a compile error. */
export const COMMANDS: Readonly<Record<CommandId, CommandSpec>> = {
  [CommandIds.signIn]: anyTime((d) => views.signIn(d)),
  [CommandIds.signOut]: anyTime((d) => views.signOut(d)),
  [CommandIds.setClientSecret]: anyTime((d) => d.services.auth.setClientSecret()),
  [CommandIds.clearClientSecret]: anyTime((d) => d.services.auth.clearClientSecret()),
  [CommandIds.switchCloud]: anyTime((d) => d.switchCloud()),
  [CommandIds.showLog]: anyTime((d) => d.services.log.show()),
  [CommandIds.accountMenu]: anyTime((d) => views.accountMenu(d)),
  [CommandIds.switchProfile]: anyTime((d) => switchProfile(d)),
  [CommandIds.setupOpen]: anyTime(() => setup.openSetup()),
  [CommandIds.setupGenerateScript]: anyTime((d) => setup.generateScript(d)),
  [CommandIds.setupOpenAppRegistrations]: anyTime((d) => setup.openAppRegistrations(d)),
  [CommandIds.setupOpenApiPermissions]: anyTime((d) => setup.openApiPermissions(d)),
  [CommandIds.setupEnterClientId]: anyTime((d) => setup.enterClientId(d)),
  [CommandIds.checkAccess]: signedIn((d) => checkAccess(d)),
  [CommandIds.usersRefresh]: anyTime((d) => d.trees.users.refresh()),
  [CommandIds.usersSearch]: signedIn((d, a) => views.searchUsers(d, a)),
  [CommandIds.usersClearSearch]: anyTime((d) => views.clearUserSearch(d)),
  [CommandIds.usersShowDisabled]: anyTime((d) => views.setShowDisabled(d, true)),
  [CommandIds.usersHideDisabled]: anyTime((d) => views.setShowDisabled(d, false)),
  [CommandIds.usersExport]: signedIn((d) => d.panels.showTable('users')),
  [CommandIds.groupsRefresh]: anyTime((d) => d.trees.groups.refresh()),
  [CommandIds.groupsSearch]: signedIn((d, a) => views.searchGroups(d, a)),
  [CommandIds.groupsClearSearch]: anyTime((d) => views.clearGroupSearch(d)),
  [CommandIds.groupsExport]: signedIn((d) => d.panels.showTable('groups')),
  [CommandIds.userShowProfile]: signedIn((d, a) => users.showProfile(d, a)),
  [CommandIds.userShowManager]: signedIn((d, a) => users.showManager(d, a)),
  [CommandIds.userShowOrgChart]: signedIn((d, a) => users.showOrgChart(d, a)),
  [CommandIds.userShowGroupPaths]: signedIn((d, a) => users.showGroupPaths(d, a)),
  [CommandIds.userSetManager]: writes(['updateUser'], (d, a) => managers.setManager(d, a)),
  [CommandIds.userClearManager]: writes(['updateUser'], (d, a) => managers.clearManager(d, a)),
  [CommandIds.userShowMs365Groups]: signedIn((d, a) => users.showMs365Groups(d, a)),
  [CommandIds.userEdit]: writes(['updateUser'], (d, a) => users.editUser(d, a)),
  [CommandIds.userAddToGroup]: writes(['addMember'], (d, a) => groups.addUserToGroup(d, a)),
  [CommandIds.groupShow]: signedIn((d, a) => groups.showGroup(d, a)),
  [CommandIds.groupShowNesting]: signedIn((d, a) => groups.showNesting(d, a)),
  [CommandIds.groupCreate]: writes(['createGroup'], (d) => d.panels.createGroup()),
  [CommandIds.groupEdit]: writes(['updateGroup'], (d, a) => groups.editGroup(d, a)),
  [CommandIds.groupDelete]: writes(['deleteGroup'], (d, a) => groups.deleteGroup(d, a)),
  [CommandIds.groupRestore]: writes(['restoreGroup'], (d, a) => groups.restoreGroup(d, a)),
  [CommandIds.groupAddMember]: writes(['addMember'], (d, a) => groups.addMember(d, a)),
  [CommandIds.groupRemoveMember]: writes(['removeMember'], (d, a) => groups.removeMember(d, a)),
  [CommandIds.groupExportDesiredState]: signedIn((d, a) => groups.exportDesiredState(d, a)),
  [CommandIds.desiredStatePlan]: signedIn((d, a) => d.desiredState.plan(a)),
  [CommandIds.desiredStatePlanFolder]: signedIn((d, a) => planFolder({ planFile: (doc, signal) => d.desiredState.planFile(doc, signal), plan: (uri) => d.desiredState.plan(uri) }, a)),
  [CommandIds.desiredStateApply]: writes(['addMember', 'removeMember', 'addOwner', 'removeOwner'], (d, a) => d.desiredState.apply(a)),
  [CommandIds.desiredStateCopyAs]: signedIn((d, a) => d.desiredState.copyAs(a)),
  [CommandIds.historyFilter]: anyTime((d) => history.filter(d)),
  [CommandIds.historyClearFilter]: anyTime((d) => d.history.setFilter({})),
  [CommandIds.historyOpen]: anyTime((d, a) => history.openEntry(d, a)),
  [CommandIds.historyExport]: anyTime((d) => history.exportHistory(d)),
  [CommandIds.historyUndo]: writes(['addMember', 'removeMember', 'addOwner', 'removeOwner', 'updateGroup', 'updateUser', 'restoreGroup'], (d, a) => history.undo(d, a)),
  [CommandIds.historyCopyAs]: signedIn((d, a) => history.copyAs(d, a)),
  [CommandIds.nodeRefresh]: anyTime((d, a) => nodes.refreshNode(d, a)),
  [CommandIds.nodeLoadMore]: anyTime((d, a) => nodes.loadMore(d, a)),
  [CommandIds.nodeLoadAll]: anyTime((d, a) => nodes.loadAll(d, a)),
  [CommandIds.nodeCopyId]: anyTime((d, a) => nodes.copyId(d, a)),
  [CommandIds.nodeEdit]: writes(['updateUser', 'updateGroup'], (d, a) => nodes.edit(d, a)),
  [CommandIds.nodeCopyUpn]: anyTime((d, a) => nodes.copyUpn(d, a)),
  [CommandIds.nodeOpenInPortal]: anyTime((d, a) => nodes.openInPortal(d, a)),
};

/** Someone signed in: the current account, a silent sign-in, or an interactive one. */
export async function ensureSignedIn(services: Services): Promise<boolean> {
  if (services.auth.account) return true;
  if (await services.auth.trySilentSignIn()) return true;
  return (await services.auth.signIn()) !== undefined;
}

/**
 * What a keyboard shortcut passes (package.json `keybindings` args): "the row that has the focus". Commands run from
 * a menu get the row itself, and from the palette nothing (they ask).
 */
export const FOCUSED_ROW = 'focusedRow';

/** Registers every command; a handler's failure is logged and shown, never lost as an unhandled rejection. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, spec]) =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      try {
        const target = arg === FOCUSED_ROW ? deps.focused() : arg;
        // A shortcut pressed with no row focused does nothing, rather than asking as the palette would.
        if (arg === FOCUSED_ROW && target === undefined) return;
        // Read-only mode refuses before anything else, a sign-in included (it could ask for a write permission).
        if (spec.writes && deps.services.settings.readOnly) return void showWarning(readOnlyMessage());
        if (spec.requiresSignIn && !(await ensureSignedIn(deps.services))) return;
        const refused = spec.writes && writeRefusal({ readOnly: deps.services.settings.readOnly, account: deps.services.auth.account }, spec.writes);
        if (refused) return void showWarning(refused);
        await spec.run(deps, target);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        deps.services.log.error(`${id} failed: ${message}`);
        // VS Code's own app cannot be given the permissions: the guided setup is the way out.
        const setupAction = e instanceof AuthError && e.code === 'NeedsOwnApp' ? vscode.l10n.t('Open Guided Setup') : undefined;
        void showError(vscode.l10n.t('Entra ID: {0}', message), ...(setupAction ? [setupAction] : [])).then((answer) => {
          if (answer !== undefined && answer === setupAction) void setup.openSetup();
        });
      }
    }),
  );
}

export type { CommandDeps } from './types';
