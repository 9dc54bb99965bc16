import * as os from 'node:os';
import * as vscode from 'vscode';
import { showInfo } from './feedback';

/**
 * Written before the text: Excel reads a CSV without a byte-order mark in the system's ANSI code page, which garbles
 * every non-ASCII name (Zoë, 佐藤); with the mark it reads UTF-8. Other spreadsheets and editors skip the mark.
 */
export const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/**
 * Asks where to save `csv` (proposing `suggestedFileName` in `defaultFolder`, else the home folder) and writes it as
 * UTF-8 with a byte-order mark. Returns the file written, or undefined when the user cancelled.
 */
export async function saveCsv(csv: string, suggestedFileName: string, defaultFolder?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = defaultFolder ?? vscode.Uri.file(os.homedir());
  const chosen = await vscode.window.showSaveDialog({
    filters: { CSV: ['csv'] },
    defaultUri: vscode.Uri.joinPath(folder, withCsvExtension(safeFileName(suggestedFileName))),
    saveLabel: vscode.l10n.t('Save CSV'),
  });
  if (!chosen) return undefined;
  const target = chosen.path.toLowerCase().endsWith('.csv') ? chosen : chosen.with({ path: withCsvExtension(chosen.path) });
  const text = new TextEncoder().encode(csv);
  const bytes = new Uint8Array(UTF8_BOM.length + text.length);
  bytes.set(UTF8_BOM);
  bytes.set(text, UTF8_BOM.length);
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

function withCsvExtension(name: string): string {
  return name.toLowerCase().endsWith('.csv') ? name : `${name}.csv`;
}

/**
 * The suggested name may hold a directory name: it must stay one file name in the proposed folder (no `/`, `\` or
 * `..` leading elsewhere) and be valid on Windows too.
 */
function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned === '' ? 'export' : cleaned;
}

/**
 * Saves an export through a save dialog to a named `.csv` file (proposed in the first workspace folder, dated), then
 * offers to open it. `done` holds `{file}` where the file's name goes. Returns the file written, or undefined when the
 * user cancelled.
 */
export async function saveExport(csv: string, baseName: string, done: string): Promise<vscode.Uri | undefined> {
  const date = new Date().toISOString().slice(0, 10);
  const saved = await saveCsv(csv, `${baseName}-${date}.csv`, vscode.workspace.workspaceFolders?.[0]?.uri);
  if (!saved) return undefined;
  const open = vscode.l10n.t('Open');
  void showInfo(done.replace('{file}', saved.path.split('/').at(-1) ?? saved.path), open).then(async (answer) => {
    if (answer === open) await vscode.window.showTextDocument(saved);
  });
  return saved;
}
