import * as vscode from 'vscode';
import type { CloudName } from '../auth/clouds';

interface CloudPick extends vscode.QuickPickItem {
  cloud: CloudName;
}

/** Asks for the cloud, the custom endpoints when needed, and the tenant; writes them to user settings. */
export async function switchCloudAndTenant(): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('entraId');
  const current = config.get<CloudName>('cloud', 'global');
  const picks: CloudPick[] = [
    { cloud: 'global', label: vscode.l10n.t('Global'), description: 'graph.microsoft.com' },
    { cloud: 'usGovernment', label: vscode.l10n.t('US Government L4 (GCC High)'), description: 'graph.microsoft.us' },
    { cloud: 'usGovernmentDoD', label: vscode.l10n.t('US Government L5 (DoD)'), description: 'dod-graph.microsoft.us' },
    { cloud: 'china', label: vscode.l10n.t('China (21Vianet)'), description: 'microsoftgraph.chinacloudapi.cn' },
    { cloud: 'custom', label: vscode.l10n.t('Custom endpoints…'), description: vscode.l10n.t('your own Graph and sign-in URLs') },
  ].map((p) => (p.cloud === current ? { ...p, picked: true, detail: vscode.l10n.t('current') } : p)) as CloudPick[];
  const chosen = await vscode.window.showQuickPick(picks, { title: vscode.l10n.t('Entra ID: choose the cloud') });
  if (!chosen) return false;

  const target = vscode.ConfigurationTarget.Global;
  if (chosen.cloud === 'custom') {
    const graph = await askUrl(vscode.l10n.t('Graph base URL including the version'), config.get<string>('customGraphEndpoint', ''), 'https://graph.contoso.example/v1.0');
    if (graph === undefined) return false;
    const authority = await askUrl(vscode.l10n.t('Sign-in authority host'), config.get<string>('customAuthorityHost', ''), 'https://login.contoso.example');
    if (authority === undefined) return false;
    await config.update('customGraphEndpoint', graph, target);
    await config.update('customAuthorityHost', authority, target);
  }
  const tenant = await vscode.window.showInputBox({
    title: vscode.l10n.t('Entra ID: tenant'),
    prompt: vscode.l10n.t('Directory (tenant) ID or domain; leave empty for your home tenant'),
    value: config.get<string>('auth.tenantId', ''),
    validateInput: (v) => (v === '' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) || /^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(v) || v === 'organizations' ? undefined : vscode.l10n.t('A GUID or a domain such as contoso.onmicrosoft.com')),
  });
  if (tenant === undefined) return false;
  await config.update('cloud', chosen.cloud, target);
  await config.update('auth.tenantId', tenant, target);
  return true;
}

function askUrl(prompt: string, value: string, placeHolder: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    prompt,
    value,
    placeHolder,
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        const url = new URL(v);
        const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
        return url.protocol === 'https:' || (url.protocol === 'http:' && loopback) ? undefined : vscode.l10n.t('Use an https URL.');
      } catch {
        return vscode.l10n.t('Not a valid URL.');
      }
    },
  });
}
