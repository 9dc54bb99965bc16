import * as vscode from 'vscode';
import { CommandIds, ContextKeys } from '../contributions';
import { entryLabel, outcomeLabel, surfaceLabel } from '../historyText';
import { filterEntries, inverseOf, newestFirst, type JournalEntry, type JournalFilter } from '../shared/journal';
import { forTreeLabel } from '../shared/text';

/** A History row: one journal entry. */
export class HistoryNode {
  constructor(readonly entry: JournalEntry) {}
}

/** The last row when the view lists only the newest entries: how many older ones it leaves out, and where they are. */
export class OlderEntriesNode {
  constructor(readonly count: number) {}
}

type HistoryRow = HistoryNode | OlderEntriesNode;

/** Context values of History rows; `.undoable` when the entry has an inverse (menus key on it). */
export const HISTORY_CONTEXT = { entry: 'entraHistory.entry', undoable: 'entraHistory.entry.undoable', older: 'entraHistory.older' } as const;

/** Most rows the view lists; older entries stay in the file (Export writes them all, filtered). */
const MAX_ROWS = 500;

/**
 * The History view: the signed-in tenant's journal, newest first, filtered by object, surface and date. It re-reads
 * the journal (a local file) when an entry is appended or the sign-in changes, never the directory.
 */
export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryRow | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private filterInEffect: JournalFilter = {};
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly journal: { read(): Promise<JournalEntry[]>; readonly onDidAppend: vscode.Event<JournalEntry> },
    onDidChangeIdentity: vscode.Event<unknown>,
    private readonly setContext: (key: string, value: unknown) => Thenable<unknown> = () => Promise.resolve(),
  ) {
    this.subscriptions = [journal.onDidAppend(() => this.refresh()), onDidChangeIdentity(() => this.refresh())];
  }

  get filter(): JournalFilter {
    return this.filterInEffect;
  }

  setFilter(filter: JournalFilter): void {
    this.filterInEffect = filter;
    void this.setContext(ContextKeys.historyFiltered, Object.keys(filter).length > 0);
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The entries the view shows (filter applied), newest first, all of them (not only the rows listed). */
  async shown(): Promise<JournalEntry[]> {
    return newestFirst(filterEntries(await this.journal.read(), this.filterInEffect));
  }

  async getChildren(node?: HistoryRow): Promise<HistoryRow[]> {
    if (node) return [];
    const shown = await this.shown();
    const rows: HistoryRow[] = shown.slice(0, MAX_ROWS).map((e) => new HistoryNode(e));
    if (shown.length > MAX_ROWS) rows.push(new OlderEntriesNode(shown.length - MAX_ROWS));
    return rows;
  }

  getTreeItem(node: HistoryRow): vscode.TreeItem {
    if (node instanceof OlderEntriesNode) {
      const label = vscode.l10n.t('{0} older changes not listed: filter the history, or export it to see them all', String(node.count));
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.id = 'history:older';
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = HISTORY_CONTEXT.older;
      return item;
    }
    const e = node.entry;
    const label = entryLabel(e);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    const when = new Date(e.at).toLocaleString();
    item.description = forTreeLabel(`${when} · ${surfaceLabel(e.surface)}`);
    item.tooltip = forTreeLabel(`${label} — ${when}, ${e.who.label}, ${surfaceLabel(e.surface)}, ${outcomeLabel(e)}`);
    item.id = e.id;
    item.iconPath = new vscode.ThemeIcon(e.surface === 'undo' ? 'discard' : e.outcome === 'done' ? 'check' : e.outcome === 'failed' ? 'error' : 'question');
    item.contextValue = e.outcome !== 'failed' && 'inverse' in inverseOf(e) ? HISTORY_CONTEXT.undoable : HISTORY_CONTEXT.entry;
    item.accessibilityInformation = { label: `${label}, ${when}` };
    item.command = { command: CommandIds.historyOpen, title: vscode.l10n.t('Show Details'), arguments: [node] };
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
