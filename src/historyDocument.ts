import * as vscode from 'vscode';
import { entryDetails } from './historyText';
import type { JournalEntry } from './shared/journal';

/** The scheme of a journal entry's read-only details document (rendered on read, never stored elsewhere). */
export const HISTORY_SCHEME = 'entra-id-history';

export function historyEntryUri(entry: JournalEntry): vscode.Uri {
  return vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${entry.id}.jsonc` });
}

/** Serves {@link historyEntryUri}: the entry as the journal holds it, through the text policy. */
export class HistoryDocument implements vscode.TextDocumentContentProvider {
  constructor(private readonly journal: { read(): Promise<JournalEntry[]> }) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.jsonc$/, '');
    const entry = (await this.journal.read()).find((e) => e.id === id);
    return entry ? entryDetails(entry) : `// ${vscode.l10n.t('This change is no longer in the history.')}\n`;
  }
}
