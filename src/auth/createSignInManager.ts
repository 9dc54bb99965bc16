import * as vscode from 'vscode';
import { ContextKeys } from '../contributions';
import type { Settings, SettingName } from '../settings';
import type { AuthConfig } from './config';
import { SignInManager } from './signInManager';
import type { GetSession } from './types';

/** Settings whose change can alter how we sign in. */
const SIGN_IN_SETTINGS: readonly SettingName[] = ['authMethod', 'clientId', 'tenantId', 'cloud', 'customGraphEndpoint', 'customAuthorityHost'];

/**
 * Wires the {@link SignInManager} to the real editor: settings, SecretStorage, VS Code accounts, the browser.
 * Cheap: nothing is signed in and msal is not loaded here; call `trySilentSignIn()` when the views are up.
 */
export function createSignInManager(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, settings: Settings): SignInManager {
  const readConfig = (): AuthConfig => settings.auth;

  const getSession: GetSession = async (providerId, scopes, options) => {
    // VS Code registers the sovereign-cloud provider only once its environment setting names a cloud.
    if (providerId === 'microsoft-sovereign-cloud') await ensureSovereignEnvironment(readConfig(), log);
    return vscode.authentication.getSession(providerId, scopes, options);
  };

  const manager = new SignInManager({
    secrets: context.secrets,
    readConfig,
    getSession,
    onDidChangeSessions: vscode.authentication.onDidChangeSessions,
    openExternal: async (url) => vscode.env.openExternal(vscode.Uri.parse(url)),
    showInputBox: (options) => vscode.window.showInputBox(options),
    log,
    state: context.globalState,
  });

  context.subscriptions.push(
    manager,
    settings.onDidChange((changed) => {
      if (SIGN_IN_SETTINGS.some((name) => changed.has(name))) manager.reloadConfig();
    }),
    manager.onDidChangeAccount((account) => void vscode.commands.executeCommand('setContext', ContextKeys.signedIn, account !== undefined)),
  );
  return manager;
}

async function ensureSovereignEnvironment(config: AuthConfig, log: vscode.LogOutputChannel): Promise<void> {
  const wanted = config.cloud.ok ? config.cloud.cloud.sovereignEnvironment : undefined;
  if (!wanted) return;
  const section = vscode.workspace.getConfiguration('microsoft-sovereign-cloud');
  if (section.get<string>('environment') === wanted) return;
  log.info(`Setting microsoft-sovereign-cloud.environment to ${wanted} for sign-in to the ${config.cloudName} cloud.`);
  await section.update('environment', wanted, vscode.ConfigurationTarget.Global);
}
