import * as vscode from 'vscode';
import { describeEntry, EXPORT_HEADER, exportRow, surfaceLabel } from '../historyText';
import { historyEntryUri } from '../historyDocument';
import { toCsv } from '../shared/csv';
import { JOURNAL_SURFACES } from '../shared/journal';
import { entrySteps, script } from '../shared/planScripts';
import { forQuickPick } from '../shared/text';
import { HistoryNode } from '../tree/historyTree';
import { undoEntry } from '../undo';
import { showInfo } from '../ui/feedback';
import { saveExport } from '../ui/saveCsv';
import { pickScriptKind } from '../ui/scriptKind';
import type { CommandDeps } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The entry a History command acts on: a row, or an entry id (the Undo button of a change's notification). */
function entryIdOf(arg: unknown): string | undefined {
  if (arg instanceof HistoryNode) return arg.entry.id;
  return typeof arg === 'string' ? arg : undefined;
}

export async function openEntry(deps: CommandDeps, arg: unknown): Promise<void> {
  const id = entryIdOf(arg) ?? (await pickEntry(deps));
  if (!id) return;
  const entry = (await deps.history.journal.read()).find((e) => e.id === id);
  if (!entry) return void showInfo(vscode.l10n.t('That change is no longer in the history.'));
  const document = await vscode.workspace.openTextDocument(historyEntryUri(entry));
  await vscode.languages.setTextDocumentLanguage(document, 'jsonc');
  await vscode.window.showTextDocument(document, { preview: true });
}

export async function undo(deps: CommandDeps, arg: unknown): Promise<void> {
  const id = entryIdOf(arg) ?? (await pickEntry(deps));
  if (!id) return;
  await undoEntry({ writes: deps.services.writes, graph: () => deps.services.graph(), journal: deps.history.journal, log: deps.services.log }, id);
}

async function pickEntry(deps: CommandDeps): Promise<string | undefined> {
  const entries = await deps.history.shown();
  if (!entries.length) return void showInfo(vscode.l10n.t('The history is empty.'));
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: forQuickPick(describeEntry(e)), description: forQuickPick(`${new Date(e.at).toLocaleString()} · ${surfaceLabel(e.surface)}`), id: e.id })),
    { placeHolder: vscode.l10n.t('Which change?') },
  );
  return picked?.id;
}

/** Copy as…: the request of a journal entry (a change made once) as a script, to repeat it elsewhere. */
export async function copyAs(deps: CommandDeps, arg: unknown): Promise<void> {
  const id = entryIdOf(arg) ?? (await pickEntry(deps));
  if (!id) return;
  const entry = (await deps.history.journal.read()).find((e) => e.id === id);
  if (!entry) return void showInfo(vscode.l10n.t('That change is no longer in the history.'));
  const steps = entrySteps(entry, deps.services.graph().baseUrl);
  if (!steps) return void showInfo(vscode.l10n.t('"{0}" cannot be written as a script: the entry does not record the member or the values it needs.', describeEntry(entry)));
  const choice = await pickScriptKind(vscode.l10n.t('Copy the change as'));
  if (!choice) return;
  await vscode.env.clipboard.writeText(script(choice.script, steps));
  void showInfo(vscode.l10n.t('Copied "{0}" as {1}. It holds no token: sign in with that tool to run it.', describeEntry(entry), choice.label));
}

/** Filter by object, surface or date (quick picks); the filter stays until cleared. */
export async function filter(deps: CommandDeps): Promise<void> {
  const byObject = vscode.l10n.t('By object…');
  const bySurface = vscode.l10n.t('By where the change was made…');
  const byDate = vscode.l10n.t('By date…');
  const clear = vscode.l10n.t('Clear filter');
  const kind = await vscode.window.showQuickPick([byObject, bySurface, byDate, clear], { placeHolder: vscode.l10n.t('Filter the history') });
  if (!kind) return;
  const current = deps.history.filter;
  if (kind === clear) return deps.history.setFilter({});
  const entries = await deps.history.journal.read();
  if (kind === byObject) {
    const objects = new Map<string, { label: string; description: string; id: string }>();
    for (const e of entries) {
      for (const o of [e.object, e.related]) if (o && !objects.has(o.id.toLowerCase())) objects.set(o.id.toLowerCase(), { label: forQuickPick(o.name, o.id), description: forQuickPick(o.id), id: o.id });
    }
    const picked = await vscode.window.showQuickPick([...objects.values()], { placeHolder: vscode.l10n.t('Changes to which object?'), matchOnDescription: true });
    if (picked) deps.history.setFilter({ ...current, objectId: picked.id });
  } else if (kind === bySurface) {
    const picked = await vscode.window.showQuickPick(JOURNAL_SURFACES.map((s) => ({ label: surfaceLabel(s), surface: s })), { placeHolder: vscode.l10n.t('Changes made from where?') });
    if (picked) deps.history.setFilter({ ...current, surface: picked.surface });
  } else {
    const now = Date.now();
    const ranges = [
      { label: vscode.l10n.t('Today'), from: new Date(new Date().setHours(0, 0, 0, 0)) },
      { label: vscode.l10n.t('Last 7 days'), from: new Date(now - 7 * DAY_MS) },
      { label: vscode.l10n.t('Last 30 days'), from: new Date(now - 30 * DAY_MS) },
    ];
    const picked = await vscode.window.showQuickPick(ranges, { placeHolder: vscode.l10n.t('Changes since when?') });
    if (picked) deps.history.setFilter({ ...current, from: picked.from.toISOString() });
  }
}

/** Writes the entries the view shows (its filter applied) to a JSON or CSV file the user names. */
export async function exportHistory(deps: CommandDeps): Promise<void> {
  const entries = await deps.history.shown();
  if (!entries.length) return void showInfo(vscode.l10n.t('There are no changes to export.'));
  const format = await vscode.window.showQuickPick([{ label: 'JSON', ext: 'json' as const }, { label: 'CSV', ext: 'csv' as const }], { placeHolder: vscode.l10n.t('Export the history as') });
  if (!format) return;
  const text = format.ext === 'csv' ? toCsv(EXPORT_HEADER, entries.map(exportRow)) : `${JSON.stringify(entries, null, 2)}\n`;
  await saveExport(text, 'entra-history', vscode.l10n.t('Exported {0} change(s) to {1}.', String(entries.length), '{file}'), format.ext);
}


