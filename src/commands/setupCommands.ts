import * as vscode from 'vscode';
import { adminPortalUrl, azureCliScript, REDIRECT_URI, permissionsOf, powerShellScript, type PermissionSet } from '../auth/appRegistration';
import { CLOUDS, type CloudEndpoints } from '../auth/clouds';
import { WALKTHROUGH_ID } from '../contributions';
import { isGuid } from '../core/validation';
import { showInfo, showWarning } from '../ui/feedback';
import type { CommandDeps } from './types';

/** The guided setup: `contributes.walkthroughs` in package.json, its steps' commands here. */
export function openSetup(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}

function configuredCloud(deps: CommandDeps): CloudEndpoints {
  const cloud = deps.services.settings.auth.cloud;
  return cloud.ok ? cloud.cloud : CLOUDS.global;
}

/** Asks for the tool and the permission set, and opens the script for the configured cloud in an untitled editor. */
export async function generateScript(deps: CommandDeps): Promise<void> {
  const tool = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Azure CLI (bash)'), tool: 'az' as const, language: 'shellscript' },
      { label: vscode.l10n.t('Microsoft Graph PowerShell'), tool: 'pwsh' as const, language: 'powershell' },
    ],
    { title: vscode.l10n.t('Entra ID: script that registers the app') },
  );
  if (!tool) return;
  const sets: Array<vscode.QuickPickItem & { set: PermissionSet }> = [
    { label: vscode.l10n.t('Read-only'), description: permissionsOf('readOnly').join(', '), detail: vscode.l10n.t('Browse users, groups and members; no changes.'), set: 'readOnly' },
    { label: vscode.l10n.t('Read-write'), description: permissionsOf('readWrite').join(', '), detail: vscode.l10n.t('Browse, and change users, groups, members, owners and managers.'), set: 'readWrite' },
  ];
  const chosen = await vscode.window.showQuickPick(sets, { title: vscode.l10n.t('Entra ID: permissions the app lists') });
  if (!chosen) return;
  const cloud = configuredCloud(deps);
  const content = tool.tool === 'az' ? azureCliScript(cloud, chosen.set) : powerShellScript(cloud, chosen.set);
  const document = await vscode.workspace.openTextDocument({ language: tool.language, content });
  await vscode.window.showTextDocument(document);
}

/** The admin portal (its documented entry point), saying which page to open there and what to add by hand. */
export async function openAppRegistrations(deps: CommandDeps): Promise<void> {
  const url = adminPortalUrl(configuredCloud(deps));
  void showInfo(vscode.l10n.t(
    'In {0}, open App registrations (Microsoft Entra admin center: Identity → Applications → App registrations) → New registration. Then add the redirect URI {1} to web.redirectUris in the app\'s Manifest (the Authentication page refuses an http loopback address), the permissions under API permissions, and a client secret under Certificates & secrets.',
    url,
    REDIRECT_URI,
  ));
  await vscode.env.openExternal(vscode.Uri.parse(url));
}

/** The admin portal, saying where an administrator grants consent for the organization to the configured app. */
export async function openApiPermissions(deps: CommandDeps): Promise<void> {
  const clientId = deps.services.settings.auth.clientId;
  const url = adminPortalUrl(configuredCloud(deps));
  void (clientId
    ? showInfo(vscode.l10n.t('In {0}, App registrations → the app {1} → API permissions → Grant admin consent.', url, clientId))
    : showWarning(vscode.l10n.t('No application (client) ID is set yet. In {0}, App registrations → your app → API permissions → Grant admin consent.', url)));
  await vscode.env.openExternal(vscode.Uri.parse(url));
}

/** Asks for the app's client ID; a GUID goes to the user-level settings with the authorizationCode method. */
export async function enterClientId(deps: CommandDeps): Promise<boolean> {
  const settings = deps.services.settings;
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Entra ID: application (client) ID'),
    prompt: vscode.l10n.t("The app registration's Application (client) ID, from the script's output or the app's Overview page."),
    value: settings.auth.clientId ?? '',
    placeHolder: '00000000-0000-0000-0000-000000000000',
    ignoreFocusOut: true,
    validateInput: (text) => clientIdProblem(text),
  });
  const clientId = value?.trim();
  if (!clientId || clientIdProblem(clientId)) return false;
  await settings.update('clientId', clientId.toLowerCase());
  await settings.update('authMethod', 'authorizationCode');
  void showInfo(vscode.l10n.t('Entra ID now signs in with app {0} (method authorizationCode). Store its client secret with "Entra ID: Set Client Secret", then sign in.', clientId.toLowerCase()));
  return true;
}

/** Why the text is not a client ID, in the user's words; undefined when it is one. */
export function clientIdProblem(text: string): string | undefined {
  const v = text.trim();
  if (!v) return vscode.l10n.t('Paste the Application (client) ID.');
  if (!isGuid(v)) return vscode.l10n.t('An application (client) ID is a GUID such as 0a1b2c3d-4e5f-6789-abcd-ef0123456789.');
  return undefined;
}
