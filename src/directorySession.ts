import * as vscode from 'vscode';
import { URI, Utils } from 'vscode-uri';
import { AccessDocument, ACCESS_URI } from './accessDocument';
import { createSignInManager, readAuthEnvironment } from './auth';
import { DirectoryCacheStore } from './cache/cacheStore';
import { LocalDirectory } from './cache/localDirectory';
import { DirectoryChanges } from './changes';
import type { CommandDeps } from './commands';
import { switchCloudAndTenant } from './commands/switchCloud';
import { DirectoryWrites } from './directoryWrites';
import { GraphClients } from './graphClients';
import { HistoryDocument, HISTORY_SCHEME } from './historyDocument';
import { JournalStore } from './journalStore';
import type { DesiredStateCommands } from './lazyDesiredState';
import { confirmProductionWrite, productionTarget } from './productionGuard';
import type { Services } from './services';
import type { Settings } from './settings';
import { acceptsManualMembers } from './shared/groupKinds';
import { IdentityTracker } from './signedInIdentity';
import type { AccountStatus } from './statusBar';
import { DirectoryTreeProvider } from './tree/directoryTree';
import { HistoryTreeProvider } from './tree/historyTree';
import { showListSummary } from './tree/viewTitle';
import { lazyPanels } from './webviews/lazyPanels';

/** What activation made before anything here was read: the log, settings, status bar, views and the desired-state files. */
export interface Shell {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  settings: Settings;
  status: AccountStatus;
  views: { users: vscode.TreeView<unknown>; groups: vscode.TreeView<unknown> };
  desiredState: DesiredStateCommands;
  setContext: (key: string, value: unknown) => Thenable<unknown>;
  /** The row that has the focus in the Users or Groups view. */
  focused: () => unknown;
}

/** Everything that reads or changes the directory, built once, on the first view shown, command run or tool called. */
export interface DirectorySession {
  services: Services;
  trees: { users: DirectoryTreeProvider; groups: DirectoryTreeProvider; history: HistoryTreeProvider };
  deps: CommandDeps;
}

/**
 * Builds the services, the views' providers, pages and documents. Nothing here touches the network: sign-in and
 * Graph requests start when a view asks for rows or a command runs. What it creates is disposed with the extension.
 */
export function openDirectorySession(shell: Shell): DirectorySession {
  const { context, log, settings, status, setContext } = shell;
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
  const accessDocument = new AccessDocument(services, () => ({ name: settings.auth.cloudName, ...(clients.cloud() ? { graphBaseUrl: clients.cloud()?.graphBaseUrl } : {}) }));
  // The table picks groups with the searchable picker and remembers its columns on this machine.
  const panels = lazyPanels(async () => {
    const { WebviewPanels } = await import('./webviews/panels');
    const { pickGroup } = await import('./commands/pickers');
    return new WebviewPanels(services, { pickGroup: (title) => pickGroup(services, title, acceptsManualMembers), memory: context.globalState });
  });
  const history = new HistoryTreeProvider(journal, identity.onDidChange, setContext);

  context.subscriptions.push(
    changes,
    localDirectory,
    panels,
    journal,
    history,
    vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, new HistoryDocument(journal)),
    users,
    groups,
    accessDocument,
    vscode.workspace.registerTextDocumentContentProvider(ACCESS_URI.scheme, accessDocument),
    showListSummary(shell.views.users, users),
    showListSummary(shell.views.groups, groups),
    identity,
    identity.onDidChange((signedIn) => status.update(signedIn, clients.cloud()?.graphBaseUrl)),
    auth.onDidChangeSigningIn((busy) => (busy ? status.showSigningIn() : status.update(identity.identity, clients.cloud()?.graphBaseUrl))),
    settings.onDidChange((changed) => {
      if (changed.has('showDisabled') || changed.has('pageSize')) users.refresh();
      if (changed.has('pageSize')) groups.refresh();
    }),
  );

  const deps: CommandDeps = {
    services,
    trees: { users, groups },
    panels,
    desiredState: shell.desiredState,
    history,
    portalUrl: () => clients.cloud()?.portalUrl ?? 'https://entra.microsoft.com',
    setContext,
    switchCloud: async () => {
      if (await switchCloudAndTenant(settings)) await auth.signIn();
    },
    focused: shell.focused,
  };
  return { services, trees: { users, groups, history }, deps };
}
