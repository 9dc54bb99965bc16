import * as vscode from 'vscode';
import { showInfo } from '../ui/feedback';
import { saveCsv } from '../ui/saveCsv';

/**
 * Saves an export through a save dialog to a named `.csv` file (proposed in the first workspace folder, dated), then
 * offers to open it. `done` holds `{file}` where the file's name goes.
 */
export async function saveExport(csv: string, baseName: string, done: string): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  const saved = await saveCsv(csv, `${baseName}-${date}.csv`, vscode.workspace.workspaceFolders?.[0]?.uri);
  if (!saved) return;
  const open = vscode.l10n.t('Open');
  void showInfo(done.replace('{file}', saved.path.split('/').at(-1) ?? saved.path), open).then(async (answer) => {
    if (answer === open) await vscode.window.showTextDocument(saved);
  });
}
