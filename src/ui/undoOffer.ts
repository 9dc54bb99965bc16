import * as vscode from 'vscode';
import { CommandIds } from '../contributions';
import { inverseOf, type JournalEntry } from '../shared/journal';
import { showInfo } from './feedback';

/**
 * A change's own notification. When the journal recorded it as done: "Undo" (when it has an inverse), which runs
 * History's Undo on that entry (confirming first), and "Copy as Script…", which writes the change's request for a
 * REST client, Microsoft Graph PowerShell or the Azure CLI.
 */
export function showInfoWithUndo(message: string, entry: JournalEntry | undefined): void {
  if (!entry || entry.outcome !== 'done') return void showInfo(message);
  const undo = vscode.l10n.t('Undo');
  const copy = vscode.l10n.t('Copy as Script…');
  const buttons = 'inverse' in inverseOf(entry) ? [undo, copy] : [copy];
  void showInfo(message, ...buttons).then((answer) => {
    if (answer === undo) void vscode.commands.executeCommand(CommandIds.historyUndo, entry.id);
    if (answer === copy) void vscode.commands.executeCommand(CommandIds.historyCopyAs, entry.id);
  });
}
