import * as vscode from 'vscode';
import { createSignInManager } from './auth';
import type { CloudName } from './auth/clouds';
import { SECRET_KEYS } from './auth/types';
import { DirectoryChanges } from './changes';
import { registerCommands, type Panels } from './commands';
import { switchCloudAndTenant } from './commands/switchCloud';
import { ContextKeys, ViewIds } from './contributions';
import { GraphClients } from './graphClients';
import { registerLmTools } from './lm/tools';
import type { Services } from './services';
import { AccountStatus } from './statusBar';
import { DirectoryTreeProvider, type TreeSettings } from './tree/directoryTree';
import { GroupFormPanel } from './webviews/groupFormPanel';
import { ProfilePanel } from './webviews/profilePanel';
import { UserFormPanel } from './webviews/userFormPanel';

/** A client secret handed over by the environment (CI, a headless host) instead of the password box. */
const SECRET_FROM_ENVIRONMENT = 'ENTRA_ID_CLIENT_SECRET';

/**
 * Builds the services and registers views, commands and tools. Nothing here touches the network:
 * sign-in and Graph requests start when a view is shown or a command runs.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Entra ID Directory', { log: true });
  const changes = new DirectoryChanges();
  const auth = createSignInManager(context, log);
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('entraId');
  const clients = new GraphClients(
    () => ({ cloud: config().get<CloudName>('cloud', 'global'), graphEndpoint: config().get<string>('customGraphEndpoint', ''), authorityHost: config().get<string>('customAuthorityHost', '') }),
    (options) => auth.tokenProvider(options),
    log,
  );
  const services: Services = { auth, graph: () => clients.get(), changes, log, extensionUri: context.extensionUri };

  const settings: TreeSettings = {
    pageSize: () => Math.min(999, Math.max(1, Math.trunc(config().get<number>('pageSize', 100)))),
    showDisabled: () => config().get<boolean>('users.showDisabled', false),
  };
  const users = new DirectoryTreeProvider('users', services, settings);
  const groups = new DirectoryTreeProvider('groups', services, settings);
  const status = new AccountStatus();
  const panels: Panels = {
    showProfile: (userId) => void ProfilePanel.show(services, userId),
    createGroup: () => void GroupFormPanel.showCreate(services),
    editGroup: (groupId) => void GroupFormPanel.showEdit(services, groupId),
    editUser: (userId) => void UserFormPanel.show(services, userId),
  };
  const setContext = (key: string, value: unknown): Thenable<unknown> => vscode.commands.executeCommand('setContext', key, value);

  context.subscriptions.push(
    log,
    changes,
    users,
    groups,
    status,
    vscode.window.createTreeView(ViewIds.users, { treeDataProvider: users, showCollapseAll: true }),
    vscode.window.createTreeView(ViewIds.groups, { treeDataProvider: groups, showCollapseAll: true }),
    ...registerCommands({
      services,
      trees: { users, groups },
      panels,
      portalUrl: () => clients.cloud()?.portalUrl ?? 'https://entra.microsoft.com',
      setContext,
      showDisabled: () => settings.showDisabled(),
      setShowDisabled: (value) => config().update('users.showDisabled', value, vscode.ConfigurationTarget.Global),
      switchCloud: async () => {
        if (await switchCloudAndTenant()) await auth.signIn();
      },
    }),
    ...registerLmTools(services, () => config().get<boolean>('lm.enableWriteTools', true)),
    auth.onDidChangeAccount((account) => status.update(account, clients.cloud()?.graphBaseUrl)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('entraId.users.showDisabled')) {
        void setContext(ContextKeys.showDisabled, settings.showDisabled());
        users.refresh();
      } else if (e.affectsConfiguration('entraId.pageSize')) {
        users.refresh();
        groups.refresh();
      }
    }),
  );
  void setContext(ContextKeys.showDisabled, settings.showDisabled());
  void adoptSecretFromEnvironment(context, config().get<string>('auth.clientId', ''));
}

async function adoptSecretFromEnvironment(context: vscode.ExtensionContext, clientId: string): Promise<void> {
  const secret = process.env[SECRET_FROM_ENVIRONMENT];
  if (!secret || !clientId) return;
  await context.secrets.store(SECRET_KEYS.clientSecret(clientId), secret);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
