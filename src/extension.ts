import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ContextKeys, ViewIds } from './contributions';
import { loadOnce } from './core/loadOnce';
import type { DirectorySession } from './directorySession';
import { lazyDesiredState } from './lazyDesiredState';
import { registerLmTools } from './lm/tools';
import { Settings } from './settings';
import { AccountStatus } from './statusBar';
import { DeferredTreeProvider } from './tree/deferredTree';

/**
 * Registers the views, commands and tools, and reads no more code than that needs: the services, the views' rows,
 * pages, documents and tools are read and built on first use (directorySession.ts and the modules it imports). Nothing
 * here touches the network: sign-in and Graph requests start when a view is shown or a command runs.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Entra ID Directory', { log: true });
  const settings = new Settings(log);
  const status = new AccountStatus();
  status.setReadOnly(settings.readOnly);
  status.setProduction(settings.production?.name);
  const setContext = (key: string, value: unknown): Thenable<unknown> => vscode.commands.executeCommand('setContext', key, value);

  const session = loadOnce(async (): Promise<DirectorySession> => {
    const { openDirectorySession } = await import('./directorySession');
    return openDirectorySession({ context, log, settings, status, views: { users: usersView, groups: groupsView }, desiredState, setContext, focused: () => focusedRow });
  });
  const users = new DeferredTreeProvider(async () => (await session()).trees.users);
  const groups = new DeferredTreeProvider(async () => (await session()).trees.groups);
  const history = new DeferredTreeProvider(async () => (await session()).trees.history);
  const usersView = vscode.window.createTreeView(ViewIds.users, { treeDataProvider: users, showCollapseAll: true });
  const groupsView = vscode.window.createTreeView(ViewIds.groups, { treeDataProvider: groups, showCollapseAll: true });
  const historyView = vscode.window.createTreeView(ViewIds.history, { treeDataProvider: history });
  // The row a keyboard shortcut acts on: the focus moves the selection along in both views.
  let focusedRow: unknown;
  const follow = (e: vscode.TreeViewSelectionChangeEvent<unknown>): void => {
    focusedRow = e.selection[0];
  };
  const desiredState = lazyDesiredState(async () => (await session()).services, log, context.globalStorageUri);

  context.subscriptions.push(
    log,
    settings,
    status,
    users,
    groups,
    history,
    usersView,
    groupsView,
    historyView,
    desiredState,
    usersView.onDidChangeSelection(follow),
    groupsView.onDidChangeSelection(follow),
    ...registerCommands(async () => (await session()).deps),
    ...registerLmTools(async () => (await session()).services),
    settings.onDidChange((changed) => {
      if (changed.has('showDisabled')) void setContext(ContextKeys.showDisabled, settings.showDisabled);
      if (changed.has('readOnly')) {
        void setContext(ContextKeys.readOnly, settings.readOnly);
        status.setReadOnly(settings.readOnly);
      }
      if (changed.has('profiles') || changed.has('activeProfile')) status.setProduction(settings.production?.name);
    }),
  );
  void setContext(ContextKeys.showDisabled, settings.showDisabled);
  void setContext(ContextKeys.readOnly, settings.readOnly);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
