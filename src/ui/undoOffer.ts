import * as vscode from 'vscode';
import { CommandIds } from '../contributions';
import { inverseOf, type JournalEntry } from '../shared/journal';
import { showInfo } from './feedback';

/**
 * A change's own notification, with an "Undo" button when the journal recorded it as done and it has an inverse;
 * the button runs History's Undo on that entry (which confirms first).
 */
export function showInfoWithUndo(message: string, entry: JournalEntry | undefined): void {
  if (!entry || entry.outcome !== 'done' || !('inverse' in inverseOf(entry))) return void showInfo(message);
  const undo = vscode.l10n.t('Undo');
  void showInfo(message, undo).then((answer) => {
    if (answer === undo) void vscode.commands.executeCommand(CommandIds.historyUndo, entry.id);
  });
}
