import * as vscode from 'vscode';
import { URI, Utils } from 'vscode-uri';
import { AccessDocument, ACCESS_URI } from './accessDocument';
import { createSignInManager, readAuthEnvironment } from './auth';
import { DirectoryCacheStore } from './cache/cacheStore';
import { LocalDirectory } from './cache/localDirectory';
import { DirectoryChanges } from './changes';
import { registerCommands } from './commands';
import { DesiredStateEditor } from './desiredStateEditor';
import { pickGroup } from './commands/pickers';
import { switchCloudAndTenant } from './commands/switchCloud';
import { ContextKeys, ViewIds } from './contributions';
import { DirectoryWrites } from './directoryWrites';
import { HistoryDocument, HISTORY_SCHEME } from './historyDocument';
import { JournalStore } from './journalStore';
import { HistoryTreeProvider } from './tree/historyTree';
import { GraphClients } from './graphClients';
import { registerLmTools } from './lm/tools';
import type { Services } from './services';
import { confirmProductionWrite, productionTarget } from './productionGuard';
import { Settings } from './settings';
import { acceptsManualMembers } from './shared/groupKinds';
import { IdentityTracker } from './signedInIdentity';
import { AccountStatus } from './statusBar';
import { DirectoryTreeProvider } from './tree/directoryTree';
import { showListSummary } from './tree/viewTitle';
import { WebviewPanels } from './webviews/panels';

/**
 * Builds the services and registers views, commands and tools. Nothing here touches the network:
 * sign-in and Graph requests start when a view is shown or a command runs.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Entra ID Directory', { log: true });
  const settings = new Settings(log);
  const changes = new DirectoryChanges();
  // ENTRA_ID_CLIENT_SECRET and ENTRA_ID_TRUSTED_ORIGINS, read once: used in memory for this run, never stored.
  const auth = createSignInManager(context, log, settings, readAuthEnvironment(process.env));
  const clients = new GraphClients(() => settings.auth.cloud, (options) => auth.tokenProvider(options), log);
  const graph = (): ReturnType<GraphClients['get']> => clients.get();
  // The tenant's name is read once per sign-in, never as part of it.
  const identity = new IdentityTracker(auth, graph, log);
  // The directory cache lives in global storage, one file per tenant and cloud; it never holds tokens.
  const cacheStore = new DirectoryCacheStore(Utils.joinPath(URI.parse(context.globalStorageUri.toString()), 'directory-cache'), log);
  const cacheKey = (): { tenantId: string; graphBaseUrl: string } | undefined => {
    const tenantId = auth.account?.tenantId;
    const graphBaseUrl = clients.cloud()?.graphBaseUrl;
    return tenantId && graphBaseUrl ? { tenantId, graphBaseUrl } : undefined;
  };
  const onDidChangeCacheSetting = (listener: () => void): vscode.Disposable => settings.onDidChange((changed) => {
    if (changed.has('directoryCache')) listener();
  });
  const localDirectory = new LocalDirectory(
    cacheStore,
    graph,
    cacheKey,
    { onDidChangeAccount: auth.onDidChangeAccount, onDidChange: changes.onDidChange, onDidChangeEnabled: onDidChangeCacheSetting },
    log,
    () => settings.directoryCacheEnabled,
  );
  // The change journal: one file per tenant in global storage; every write is recorded by the write path.
  const journal = new JournalStore(context.globalStorageUri, () => identity.identity?.account.tenantId, log);
  const writes = new DirectoryWrites(graph, changes, log, () => settings.readOnly, () => productionTarget(settings, identity.identity), confirmProductionWrite, {
    sink: journal,
    account: () => identity.identity?.account ?? auth.account,
  });
  const services: Services = { auth, identity, graph, writes, changes, settings, localDirectory, log, extensionUri: context.extensionUri };

  const users = new DirectoryTreeProvider('users', services);
  const groups = new DirectoryTreeProvider('groups', services);
  const usersView = vscode.window.createTreeView(ViewIds.users, { treeDataProvider: users, showCollapseAll: true });
  const groupsView = vscode.window.createTreeView(ViewIds.groups, { treeDataProvider: groups, showCollapseAll: true });
  // The row a keyboard shortcut acts on: the focus moves the selection along in both views.
  let focusedRow: unknown;
  const follow = (e: vscode.TreeViewSelectionChangeEvent<unknown>): void => {
    focusedRow = e.selection[0];
  };
  const status = new AccountStatus();
  status.setReadOnly(settings.readOnly);
  status.setProduction(settings.production?.name);
  const accessDocument = new AccessDocument(services, () => ({ name: settings.auth.cloudName, ...(clients.cloud() ? { graphBaseUrl: clients.cloud()?.graphBaseUrl } : {}) }));
  // The table picks groups with the searchable picker and remembers its columns on this machine.
  const panels = new WebviewPanels(services, { pickGroup: (title) => pickGroup(services, title, acceptsManualMembers), memory: context.globalState });
  const desiredState = new DesiredStateEditor(services, context.globalStorageUri);
  const setContext = (key: string, value: unknown): Thenable<unknown> => vscode.commands.executeCommand('setContext', key, value);
  const history = new HistoryTreeProvider(journal, identity.onDidChange, setContext);
  const historyView = vscode.window.createTreeView(ViewIds.history, { treeDataProvider: history });

  context.subscriptions.push(
    log,
    settings,
    changes,
    localDirectory,
    panels,
    desiredState.register(),
    journal,
    history,
    historyView,
    vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, new HistoryDocument(journal)),
    users,
    groups,
    status,
    accessDocument,
    vscode.workspace.registerTextDocumentContentProvider(ACCESS_URI.scheme, accessDocument),
    usersView,
    groupsView,
    usersView.onDidChangeSelection(follow),
    groupsView.onDidChangeSelection(follow),
    showListSummary(usersView, users),
    showListSummary(groupsView, groups),
    ...registerCommands({
      services,
      trees: { users, groups },
      panels,
      desiredState,
      history,
      portalUrl: () => clients.cloud()?.portalUrl ?? 'https://entra.microsoft.com',
      setContext,
      switchCloud: async () => {
        if (await switchCloudAndTenant(settings)) await auth.signIn();
      },
      focused: () => focusedRow,
    }),
    ...registerLmTools(services),
    identity,
    identity.onDidChange((signedIn) => status.update(signedIn, clients.cloud()?.graphBaseUrl)),
    auth.onDidChangeSigningIn((busy) => (busy ? status.showSigningIn() : status.update(identity.identity, clients.cloud()?.graphBaseUrl))),
    settings.onDidChange((changed) => {
      if (changed.has('showDisabled')) void setContext(ContextKeys.showDisabled, settings.showDisabled);
      if (changed.has('readOnly')) {
        void setContext(ContextKeys.readOnly, settings.readOnly);
        status.setReadOnly(settings.readOnly);
      }
      if (changed.has('profiles') || changed.has('activeProfile')) status.setProduction(settings.production?.name);
      if (changed.has('showDisabled') || changed.has('pageSize')) users.refresh();
      if (changed.has('pageSize')) groups.refresh();
    }),
  );
  void setContext(ContextKeys.showDisabled, settings.showDisabled);
  void setContext(ContextKeys.readOnly, settings.readOnly);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
