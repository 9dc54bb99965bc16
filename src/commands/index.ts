import * as vscode from 'vscode';
import { CommandIds, type CommandId } from '../contributions';
import type { Services } from '../services';
import type { RefusalOperation } from '../core';
import type { CommandDeps, CommandSpec, Handler } from './types';
import type * as GroupCommands from './groupCommands';
import type * as HistoryCommands from './historyCommands';
import type * as ManagerCommands from './managerCommands';
import type * as NodeCommands from './nodeCommands';
import type * as SetupCommands from './setupCommands';
import type * as UserCommands from './userCommands';
import type * as ViewCommands from './viewCommands';
import type * as Feedback from '../ui/feedback';

/**
 * The handlers' modules, read on a command's first run rather than at activation (each is its own chunk of the
 * bundle); a module already read is not read again.
 */
const groups = (): Promise<typeof GroupCommands> => import('./groupCommands');
const history = (): Promise<typeof HistoryCommands> => import('./historyCommands');
const managers = (): Promise<typeof ManagerCommands> => import('./managerCommands');
const nodes = (): Promise<typeof NodeCommands> => import('./nodeCommands');
const setup = (): Promise<typeof SetupCommands> => import('./setupCommands');
const users = (): Promise<typeof UserCommands> => import('./userCommands');
const views = (): Promise<typeof ViewCommands> => import('./viewCommands');
const feedback = (): Promise<typeof Feedback> => import('../ui/feedback');

/** Runs with or without a sign-in (session commands, view state, rows already loaded). */
const anyTime = (run: Handler): CommandSpec => ({ run, requiresSignIn: false });
/** Reads or changes the directory: signs in first (silently when it can), and does nothing if that is refused. */
const signedIn = (run: Handler): CommandSpec => ({ run, requiresSignIn: true });
/** Changes the directory (one of `writes`): refused in read-only mode, and when an app-only token clearly can't. */
const writes = (operations: readonly RefusalOperation[], run: Handler): CommandSpec => ({ run, requiresSignIn: true, writes: operations });

/** Every command, in one table: the type makes a missing handler a compile error. */
export const COMMANDS: Readonly<Record<CommandId, CommandSpec>> = {
  [CommandIds.signIn]: anyTime(async (d) => (await views()).signIn(d)),
  [CommandIds.signOut]: anyTime(async (d) => (await views()).signOut(d)),
  [CommandIds.setClientSecret]: anyTime((d) => d.services.auth.setClientSecret()),
  [CommandIds.clearClientSecret]: anyTime((d) => d.services.auth.clearClientSecret()),
  [CommandIds.switchCloud]: anyTime((d) => d.switchCloud()),
  [CommandIds.showLog]: anyTime((d) => d.services.log.show()),
  [CommandIds.accountMenu]: anyTime(async (d) => (await views()).accountMenu(d)),
  [CommandIds.switchProfile]: anyTime(async (d) => (await import('./switchProfile')).switchProfile(d)),
  [CommandIds.setupOpen]: anyTime(async () => (await setup()).openSetup()),
  [CommandIds.setupGenerateScript]: anyTime(async (d) => (await setup()).generateScript(d)),
  [CommandIds.setupOpenAppRegistrations]: anyTime(async (d) => (await setup()).openAppRegistrations(d)),
  [CommandIds.setupOpenApiPermissions]: anyTime(async (d) => (await setup()).openApiPermissions(d)),
  [CommandIds.setupEnterClientId]: anyTime(async (d) => (await setup()).enterClientId(d)),
  [CommandIds.checkAccess]: signedIn(async (d) => (await import('./checkAccess')).checkAccess(d)),
  [CommandIds.usersRefresh]: anyTime((d) => d.trees.users.refresh()),
  [CommandIds.usersSearch]: signedIn(async (d, a) => (await views()).searchUsers(d, a)),
  [CommandIds.usersClearSearch]: anyTime(async (d) => (await views()).clearUserSearch(d)),
  [CommandIds.usersShowDisabled]: anyTime(async (d) => (await views()).setShowDisabled(d, true)),
  [CommandIds.usersHideDisabled]: anyTime(async (d) => (await views()).setShowDisabled(d, false)),
  [CommandIds.usersExport]: signedIn((d) => d.panels.showTable('users')),
  [CommandIds.groupsRefresh]: anyTime((d) => d.trees.groups.refresh()),
  [CommandIds.groupsSearch]: signedIn(async (d, a) => (await views()).searchGroups(d, a)),
  [CommandIds.groupsClearSearch]: anyTime(async (d) => (await views()).clearGroupSearch(d)),
  [CommandIds.groupsExport]: signedIn((d) => d.panels.showTable('groups')),
  [CommandIds.userShowProfile]: signedIn(async (d, a) => (await users()).showProfile(d, a)),
  [CommandIds.userShowManager]: signedIn(async (d, a) => (await users()).showManager(d, a)),
  [CommandIds.userShowOrgChart]: signedIn(async (d, a) => (await users()).showOrgChart(d, a)),
  [CommandIds.userShowGroupPaths]: signedIn(async (d, a) => (await users()).showGroupPaths(d, a)),
  [CommandIds.userSetManager]: writes(['updateUser'], async (d, a) => (await managers()).setManager(d, a)),
  [CommandIds.userClearManager]: writes(['updateUser'], async (d, a) => (await managers()).clearManager(d, a)),
  [CommandIds.userShowMs365Groups]: signedIn(async (d, a) => (await users()).showMs365Groups(d, a)),
  [CommandIds.userEdit]: writes(['updateUser'], async (d, a) => (await users()).editUser(d, a)),
  [CommandIds.userAddToGroup]: writes(['addMember'], async (d, a) => (await groups()).addUserToGroup(d, a)),
  [CommandIds.groupShow]: signedIn(async (d, a) => (await groups()).showGroup(d, a)),
  [CommandIds.groupShowNesting]: signedIn(async (d, a) => (await groups()).showNesting(d, a)),
  [CommandIds.groupCreate]: writes(['createGroup'], (d) => d.panels.createGroup()),
  [CommandIds.groupEdit]: writes(['updateGroup'], async (d, a) => (await groups()).editGroup(d, a)),
  [CommandIds.groupDelete]: writes(['deleteGroup'], async (d, a) => (await groups()).deleteGroup(d, a)),
  [CommandIds.groupRestore]: writes(['restoreGroup'], async (d, a) => (await groups()).restoreGroup(d, a)),
  [CommandIds.groupAddMember]: writes(['addMember'], async (d, a) => (await groups()).addMember(d, a)),
  [CommandIds.groupRemoveMember]: writes(['removeMember'], async (d, a) => (await groups()).removeMember(d, a)),
  [CommandIds.groupExportDesiredState]: signedIn(async (d, a) => (await groups()).exportDesiredState(d, a)),
  [CommandIds.desiredStatePlan]: signedIn((d, a) => d.desiredState.plan(a)),
  [CommandIds.desiredStatePlanFolder]: signedIn(async (d, a) => (await import('../desiredStateFolder')).planFolder({ planFile: (doc, signal) => d.desiredState.planFile(doc, signal), plan: (uri) => d.desiredState.plan(uri) }, a)),
  [CommandIds.desiredStateApply]: writes(['addMember', 'removeMember', 'addOwner', 'removeOwner'], (d, a) => d.desiredState.apply(a)),
  [CommandIds.desiredStateCopyAs]: signedIn((d, a) => d.desiredState.copyAs(a)),
  [CommandIds.historyFilter]: anyTime(async (d) => (await history()).filter(d)),
  [CommandIds.historyClearFilter]: anyTime((d) => d.history.setFilter({})),
  [CommandIds.historyOpen]: anyTime(async (d, a) => (await history()).openEntry(d, a)),
  [CommandIds.historyExport]: anyTime(async (d) => (await history()).exportHistory(d)),
  [CommandIds.historyUndo]: writes(['addMember', 'removeMember', 'addOwner', 'removeOwner', 'updateGroup', 'updateUser', 'restoreGroup'], async (d, a) => (await history()).undo(d, a)),
  [CommandIds.historyCopyAs]: signedIn(async (d, a) => (await history()).copyAs(d, a)),
  [CommandIds.nodeRefresh]: anyTime(async (d, a) => (await nodes()).refreshNode(d, a)),
  [CommandIds.nodeLoadMore]: anyTime(async (d, a) => (await nodes()).loadMore(d, a)),
  [CommandIds.nodeLoadAll]: anyTime(async (d, a) => (await nodes()).loadAll(d, a)),
  [CommandIds.nodeCopyId]: anyTime(async (d, a) => (await nodes()).copyId(d, a)),
  [CommandIds.nodeEdit]: writes(['updateUser', 'updateGroup'], async (d, a) => (await nodes()).edit(d, a)),
  [CommandIds.nodeCopyUpn]: anyTime(async (d, a) => (await nodes()).copyUpn(d, a)),
  [CommandIds.nodeOpenInPortal]: anyTime(async (d, a) => (await nodes()).openInPortal(d, a)),
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

/**
 * Registers every command; a handler's failure is logged and shown, never lost as an unhandled rejection. `deps` is
 * asked for on each run: what the handlers need (and their own code, see above) is read on the first command, not at
 * activation.
 */
export function registerCommands(deps: () => CommandDeps | Promise<CommandDeps>): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, spec]) =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      let d: CommandDeps | undefined;
      try {
        d = await deps();
        const target = arg === FOCUSED_ROW ? d.focused() : arg;
        // A shortcut pressed with no row focused does nothing, rather than asking as the palette would.
        if (arg === FOCUSED_ROW && target === undefined) return;
        if (spec.writes) {
          const { readOnlyMessage, writeRefusal } = await import('../ui/writeGuard');
          // Read-only mode refuses before anything else, a sign-in included (it could ask for a write permission).
          if (d.services.settings.readOnly) return void (await feedback()).showWarning(readOnlyMessage());
          if (spec.requiresSignIn && !(await ensureSignedIn(d.services))) return;
          const refused = writeRefusal({ readOnly: d.services.settings.readOnly, account: d.services.auth.account }, spec.writes);
          if (refused) return void (await feedback()).showWarning(refused);
        } else if (spec.requiresSignIn && !(await ensureSignedIn(d.services))) return;
        await spec.run(d, target);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        d?.services.log.error(`${id} failed: ${message}`);
        // VS Code's own app cannot be given the permissions: the guided setup is the way out.
        const { AuthError } = await import('../auth/types');
        const setupAction = e instanceof AuthError && e.code === 'NeedsOwnApp' ? vscode.l10n.t('Open Guided Setup') : undefined;
        void (await feedback()).showError(vscode.l10n.t('Entra ID: {0}', message), ...(setupAction ? [setupAction] : [])).then((answer) => {
          if (answer !== undefined && answer === setupAction) void setup().then((m) => m.openSetup());
        });
      }
    }),
  );
}

export type { CommandDeps } from './types';
