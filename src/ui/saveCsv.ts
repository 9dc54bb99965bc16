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
  const text = new TextEncoder().encode(csv);
  const bytes = new Uint8Array(UTF8_BOM.length + text.length);
  bytes.set(UTF8_BOM);
  bytes.set(text, UTF8_BOM.length);
  return saveFile(bytes, suggestedFileName, { extension: 'csv', filter: 'CSV', saveLabel: vscode.l10n.t('Save CSV') }, defaultFolder);
}

/** Asks where to save a JSON document (UTF-8, no byte-order mark) and writes it; undefined when the user cancelled. */
export function saveJson(json: string, suggestedFileName: string, defaultFolder?: vscode.Uri): Promise<vscode.Uri | undefined> {
  return saveFile(new TextEncoder().encode(json), suggestedFileName, { extension: 'json', filter: 'JSON', saveLabel: vscode.l10n.t('Export') }, defaultFolder);
}

/** Asks where to save an SVG picture (UTF-8, no byte-order mark) and writes it; undefined when the user cancelled. */
export function saveSvg(svg: string, suggestedFileName: string, defaultFolder?: vscode.Uri): Promise<vscode.Uri | undefined> {
  return saveFile(new TextEncoder().encode(svg), suggestedFileName, { extension: 'svg', filter: 'SVG', saveLabel: vscode.l10n.t('Save SVG') }, defaultFolder);
}

interface FileKind {
  extension: string;
  filter: string;
  saveLabel: string;
}

/** The save dialog (in `defaultFolder`, else the home folder), then the write; the name always ends in the extension. */
async function saveFile(bytes: Uint8Array, suggestedFileName: string, kind: FileKind, defaultFolder?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = defaultFolder ?? vscode.Uri.file(os.homedir());
  const withExtension = (name: string): string => (name.toLowerCase().endsWith(`.${kind.extension}`) ? name : `${name}.${kind.extension}`);
  const chosen = await vscode.window.showSaveDialog({
    filters: { [kind.filter]: [kind.extension] },
    defaultUri: vscode.Uri.joinPath(folder, withExtension(safeFileName(suggestedFileName))),
    saveLabel: kind.saveLabel,
  });
  if (!chosen) return undefined;
  const target = chosen.path.toLowerCase().endsWith(`.${kind.extension}`) ? chosen : chosen.with({ path: withExtension(chosen.path) });
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
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
 * Saves an export through a save dialog to a named `.csv` (or `.json`) file proposed in the first workspace folder,
 * dated, then offers to open it. `done` holds `{file}` where the file's name goes. Returns the file written, or
 * undefined when the user cancelled.
 */
export async function saveExport(text: string, baseName: string, done: string, as: 'csv' | 'json' = 'csv'): Promise<vscode.Uri | undefined> {
  const date = new Date().toISOString().slice(0, 10);
  const save = as === 'csv' ? saveCsv : saveJson;
  const saved = await save(text, `${baseName}-${date}.${as}`, vscode.workspace.workspaceFolders?.[0]?.uri);
  if (!saved) return undefined;
  const open = vscode.l10n.t('Open');
  void showInfo(done.replace('{file}', saved.path.split('/').at(-1) ?? saved.path), open).then(async (answer) => {
    if (answer === open) await vscode.window.showTextDocument(saved);
  });
  return saved;
}
