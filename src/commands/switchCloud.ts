import * as vscode from 'vscode';
import { endpointProblem, type CloudName } from '../auth/clouds';
import { isTenant } from '../auth/config';
import { SettingKeys, type Settings } from '../settings';

interface CloudPick extends vscode.QuickPickItem {
  cloud: CloudName;
}

/** Asks for the cloud, the custom endpoints when needed, and the tenant; writes them to user settings. */
export async function switchCloudAndTenant(settings: Settings): Promise<boolean> {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const current = settings.auth.cloudName;
  const picks: CloudPick[] = [
    { cloud: 'global', label: vscode.l10n.t('Global'), description: 'graph.microsoft.com' },
    { cloud: 'usGovernment', label: vscode.l10n.t('US Government L4 (GCC High)'), description: 'graph.microsoft.us' },
    { cloud: 'usGovernmentDoD', label: vscode.l10n.t('US Government L5 (DoD)'), description: 'dod-graph.microsoft.us' },
    { cloud: 'china', label: vscode.l10n.t('China (21Vianet)'), description: 'microsoftgraph.chinacloudapi.cn' },
    { cloud: 'custom', label: vscode.l10n.t('Custom endpoints…'), description: vscode.l10n.t('your own Graph and sign-in URLs') },
  ].map((p) => (p.cloud === current ? { ...p, picked: true, detail: vscode.l10n.t('current') } : p)) as CloudPick[];
  const chosen = await vscode.window.showQuickPick(picks, { title: vscode.l10n.t('Entra ID: choose the cloud') });
  if (!chosen) return false;

  if (chosen.cloud === 'custom') {
    const graph = await askUrl(vscode.l10n.t('Graph base URL including the version'), text(settings.value('customGraphEndpoint')), 'https://graph.contoso.example/v1.0', SettingKeys.customGraphEndpoint);
    if (graph === undefined) return false;
    const authority = await askUrl(vscode.l10n.t('Sign-in authority host'), text(settings.value('customAuthorityHost')), 'https://login.contoso.example', SettingKeys.customAuthorityHost);
    if (authority === undefined) return false;
    await settings.update('customGraphEndpoint', graph);
    await settings.update('customAuthorityHost', authority);
  }
  const tenant = await vscode.window.showInputBox({
    title: vscode.l10n.t('Entra ID: tenant'),
    prompt: vscode.l10n.t('Directory (tenant) ID or domain; leave empty for your home tenant'),
    value: text(settings.value('tenantId')),
    validateInput: (v) => (v === '' || isTenant(v) ? undefined : vscode.l10n.t('A GUID or a domain such as contoso.onmicrosoft.com')),
  });
  if (tenant === undefined) return false;
  await settings.update('cloud', chosen.cloud);
  await settings.update('tenantId', tenant);
  return true;
}

function askUrl(prompt: string, value: string, placeHolder: string, setting: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    prompt,
    value,
    placeHolder,
    ignoreFocusOut: true,
    // The same check the settings get, so what is accepted here is what sign-in will use.
    validateInput: (v) => endpointProblem(v, setting),
  });
}
