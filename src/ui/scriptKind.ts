import * as vscode from 'vscode';
import type { ScriptKind } from '../shared/planScripts';

/** Asks which script "Copy as…" writes; the label names it in the confirmation. */
export async function pickScriptKind(title: string): Promise<{ label: string; script: ScriptKind } | undefined> {
  const kinds: Array<{ label: string; script: ScriptKind }> = [
    { label: vscode.l10n.t('Microsoft Graph REST (.http)'), script: 'http' },
    { label: vscode.l10n.t('Microsoft Graph PowerShell'), script: 'powershell' },
    { label: vscode.l10n.t('Azure CLI (az rest, bash)'), script: 'azcli' },
  ];
  return vscode.window.showQuickPick(kinds, { title });
}
