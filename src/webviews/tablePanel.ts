import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import type { DirectoryObject, Group, User } from '../core';
import type { Services } from '../services';
import { toCsv } from '../shared/csv';
import { cellIndex, chosenColumns, columnsOf, GROUP_KIND_CODES, type TableColumn, type TableKind, type TableRow } from '../shared/directoryTable';
import type { GroupClassKind } from '../shared/groupKinds';
import { forWebview, nameOf } from '../shared/text';
import { confirmModal } from '../ui/feedback';
import { groupKindLabel } from '../ui/labels';
import { saveExport } from '../ui/saveCsv';
import { readOnlyMessage } from '../ui/writeGuard';
import { PanelBase, type PanelMessage } from './panelBase';
import type { Panels } from './panels';
import { MAX_TABLE_CHANGE, MAX_TABLE_CHUNK, MAX_TABLE_ROWS, type RowOutcome, type TableAction, type TableState, type WireError } from './protocol';
import { addedOutcomes, failureReason, outcome } from './rowOutcomes';
import { patchedRow, rowOf } from './tableRows';
import type { TableSource } from './tableSource';
import { uiStrings } from './uiStrings';
import { wireError } from './formRules';

/** Where the chosen columns are remembered: the extension's global state (a `vscode.Memento`). */
export type ColumnMemory = Pick<vscode.Memento, 'get' | 'update'>;

/** What the table needs besides the services: its rows' source, a group picker, and a place to remember columns. */
export interface TableDeps {
  source: TableSource;
  /** Asks which group (one whose members can be changed by hand); undefined when the admin cancelled. */
  pickGroup(title: string): Promise<Group | undefined>;
  memory: ColumnMemory;
}

export const columnsKey = (kind: TableKind): string => `entraId.table.columns.${kind}`;

type RunMessage = Extract<PanelMessage, { type: 'tableRun' }>;

/**
 * Every user or every group in one table. The extension reads the rows (from the source), hands them to the page in
 * parts, and does what the page asks with a selection: add it to a group or remove it from one (through the one write
 * path, an outcome per row), export it as CSV to a file the admin names, copy its ids. The page sorts and filters.
 */
export class DirectoryTablePanel extends PanelBase {
  private readonly strings = uiStrings();
  private rows: TableRow[] = [];
  /** Row position by lower-case id. */
  private readonly byId = new Map<string, number>();
  private loading = true;
  private total: number | undefined;
  private error: WireError | undefined;
  private reads = new AbortController();
  /** The page is listening: rows read from now on are posted as they come. */
  private listening = false;
  /** The selection of a `tableRun` still arriving in parts. */
  private incoming: { requestId: number; action: TableAction; ids: Set<string> } | undefined;
  private running = false;
  private readonly idAt: number;

  constructor(services: Services, private readonly panels: Panels, private readonly kind: TableKind, private readonly deps: TableDeps) {
    super(services, 'table', kind === 'users' ? vscode.l10n.t('Users') : vscode.l10n.t('Groups'));
    this.idAt = cellIndex(kind, 'id');
    this.register({ dispose: () => this.reads.abort() });
    this.register(services.changes.onDidChange((change) => this.apply(change)));
    this.register(services.settings.onDidChange((names) => {
      if (!names.has('readOnly')) return;
      // The page's frame (which offers changes or not) is rebuilt; its rows come again.
      this.pushState();
      this.pageShown();
    }));
    this.background(() => this.load(), (error) => this.loadFailed(error));
  }

  protected viewState(): TableState {
    const state: TableState = {
      view: 'table', strings: this.strings, kind: this.kind, loading: this.loading, columns: this.columns(), loaded: this.rows.length, lang: vscode.env.language,
    };
    if (this.total !== undefined) state.total = this.total;
    if (this.error) state.error = this.error;
    if (this.services.settings.readOnly) state.readOnlyMode = true;
    return state;
  }

  /** Every row read so far, then where the reading stands. */
  protected override pageShown(): void {
    this.listening = true;
    if (this.rows.length === 0) this.post({ type: 'tableRows', reset: true, rows: [] });
    for (let at = 0; at < this.rows.length; at += MAX_TABLE_CHUNK) this.post({ type: 'tableRows', reset: at === 0, rows: this.rows.slice(at, at + MAX_TABLE_CHUNK) as string[][] });
    this.progress();
  }

  private columns(): TableColumn[] {
    return chosenColumns(this.kind, this.deps.memory.get(columnsKey(this.kind)));
  }

  private progress(): void {
    if (!this.listening) return;
    this.post({ type: 'tableProgress', loading: this.loading, loaded: this.rows.length, ...(this.total !== undefined ? { total: this.total } : {}), ...(this.error ? { error: this.error } : {}) });
  }

  protected async handle(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'tableRun':
        return this.collect(message);
      case 'tableOpen': {
        const row = this.row(message.id);
        if (!row) return this.reject('tableOpen names a row the table does not hold');
        const id = row[this.idAt] ?? '';
        if (this.kind === 'users') this.panels.showProfile(id);
        else this.panels.showGroup(id);
        return;
      }
      case 'tableColumns': {
        const columns = columnsOf(this.kind);
        if (message.columns.some((c) => !columns.includes(c))) return this.reject('tableColumns names a column of the other table');
        await this.deps.memory.update(columnsKey(this.kind), chosenColumns(this.kind, message.columns));
        return;
      }
      case 'tableRefresh':
        return this.load();
      default:
        this.reject(`"${message.type}" is not handled by the directory table`);
    }
  }

  /** Reads every row from the source, posting each part as it arrives. */
  private async load(): Promise<void> {
    this.reads.abort();
    const controller = new AbortController();
    this.reads = controller;
    this.rows = [];
    this.byId.clear();
    this.loading = true;
    this.total = undefined;
    this.error = undefined;
    if (this.listening) this.post({ type: 'tableRows', reset: true, rows: [] });
    this.progress();
    this.services.log.info(`Directory table (${this.kind}): reading from ${this.deps.source.name(this.kind)}.`);
    for await (const batch of this.deps.source.read(this.kind, controller.signal)) {
      if (controller.signal.aborted) return;
      if (!batch.success) {
        this.error = wireError(batch.error, []);
        break;
      }
      if (batch.data.total !== undefined) this.total = batch.data.total;
      const fresh: TableRow[] = [];
      for (const o of batch.data.objects) {
        if (this.rows.length >= MAX_TABLE_ROWS) break;
        const key = o.id.toLowerCase();
        // Graph's pages may repeat an object that moved while the list was read: one row per object.
        if (this.byId.has(key)) continue;
        const row = rowOf(this.kind, o);
        this.byId.set(key, this.rows.length);
        this.rows.push(row);
        fresh.push(row);
      }
      if (this.listening) for (let at = 0; at < fresh.length; at += MAX_TABLE_CHUNK) this.post({ type: 'tableRows', reset: false, rows: fresh.slice(at, at + MAX_TABLE_CHUNK) as string[][] });
      this.progress();
    }
    if (controller.signal.aborted) return;
    this.loading = false;
    this.progress();
  }

  private loadFailed(error: WireError): void {
    this.loading = false;
    this.error = error;
    this.progress();
  }

  /** An action that threw still answers the page, which otherwise keeps its buttons disabled. */
  protected override failed(message: PanelMessage, error: WireError): void {
    if (message.type === 'tableRun' && !message.more) this.post({ type: 'tableDone', requestId: message.requestId, message: error.message, outcomes: [] });
  }

  private row(id: string): TableRow | undefined {
    const at = this.byId.get(id.toLowerCase());
    return at === undefined ? undefined : this.rows[at];
  }

  /** Gathers a selection sent in parts; runs the action on the last part. */
  private async collect(message: RunMessage): Promise<void> {
    if (this.running) return this.reject('an action is already running');
    const part = this.incoming;
    if (part && (part.requestId !== message.requestId || part.action !== message.action)) this.incoming = undefined;
    const run = this.incoming ?? { requestId: message.requestId, action: message.action, ids: new Set<string>() };
    if (message.ids.some((id) => !this.byId.has(id.toLowerCase()))) {
      this.incoming = undefined;
      return this.reject('tableRun names a row the table does not hold');
    }
    for (const id of message.ids) run.ids.add(id.toLowerCase());
    // The page refuses a larger change before sending; the extension holds the same line whatever a page sends.
    if ((run.action === 'addToGroup' || run.action === 'removeFromGroup') && run.ids.size > MAX_TABLE_CHANGE) {
      this.incoming = undefined;
      return this.reject(`tableRun asks to change more than ${MAX_TABLE_CHANGE} memberships at once`);
    }
    if (message.more) {
      this.incoming = run;
      return;
    }
    this.incoming = undefined;
    const rows = [...run.ids].map((id) => this.row(id) as TableRow);
    this.running = true;
    try {
      const done = await this.runAction(run.action, rows);
      this.post({ type: 'tableDone', requestId: run.requestId, ...done });
    } finally {
      this.running = false;
    }
  }

  private async runAction(action: TableAction, rows: TableRow[]): Promise<{ message: string; outcomes: RowOutcome[] }> {
    switch (action) {
      case 'copyIds':
        await vscode.env.clipboard.writeText(rows.map((r) => r[this.idAt] ?? '').join('\n'));
        return { message: vscode.l10n.t('Copied {0} IDs.', rows.length), outcomes: [] };
      case 'exportCsv':
        return this.exportCsv(rows);
      case 'addToGroup':
      case 'removeFromGroup':
        return this.changeMembership(action, rows);
    }
  }

  private async exportCsv(rows: TableRow[]): Promise<{ message: string; outcomes: RowOutcome[] }> {
    // The id first, as every export of ours has it; then the table's columns.
    const columns = ['id' as const, ...columnsOf(this.kind).filter((c) => c !== 'id')];
    const membership = cellIndex(this.kind, 'membershipType');
    // Flags as Graph writes them, and a group's kind in the words the tree uses (as the CSV of every group always had).
    const cell = (row: TableRow, column: TableColumn, value: string): string => {
      if (column === 'accountEnabled') return value === '1' ? 'true' : value === '0' ? 'false' : '';
      if (column === 'groupKind') return isGroupKind(value) ? groupKindLabel({ kind: value, dynamic: row[membership] === 'dynamic' }) : '';
      return value;
    };
    const csv = toCsv(columns, rows.map((r) => columns.map((c) => cell(r, c, r[cellIndex(this.kind, c)] ?? ''))));
    const what = this.kind === 'users' ? vscode.l10n.t('Saved {0} users to {1}.', rows.length, '{file}') : vscode.l10n.t('Saved {0} groups to {1}.', rows.length, '{file}');
    const saved = await saveExport(csv, this.kind === 'users' ? 'entra-users' : 'entra-groups', what);
    return { message: saved ? what.replace('{file}', saved.path.split('/').at(-1) ?? saved.path) : vscode.l10n.t('Nothing was saved.'), outcomes: [] };
  }

  /** The row as the write path and the views know it: its id and name (and a user's UPN). */
  private objectOf(row: TableRow): DirectoryObject {
    const cell = (c: TableColumn): string => row[cellIndex(this.kind, c)] ?? '';
    const o: User = { id: cell('id'), displayName: cell('displayName') };
    if (this.kind === 'users') o.userPrincipalName = cell('userPrincipalName');
    o['@odata.type'] = this.kind === 'users' ? '#microsoft.graph.user' : '#microsoft.graph.group';
    return o;
  }

  /** Adds the rows to a group the admin picks, or removes them from one after a confirmation: one outcome per row. */
  private async changeMembership(action: 'addToGroup' | 'removeFromGroup', rows: TableRow[]): Promise<{ message: string; outcomes: RowOutcome[] }> {
    if (this.services.settings.readOnly) return { message: readOnlyMessage(), outcomes: [] };
    const objects = rows.map((r) => this.objectOf(r));
    const count = objects.length;
    const group = await this.deps.pickGroup(action === 'addToGroup'
      ? vscode.l10n.t('Add {0} selected to which group?', count)
      : vscode.l10n.t('Remove {0} selected from which group?', count));
    if (!group) return { message: vscode.l10n.t('Nothing was changed.'), outcomes: [] };
    const name = nameOf(group);
    // One action however many rows: a production profile asks once for all of them.
    const write = { action: this.services.writes.action(), surface: 'form' as const, objectName: group.displayName ?? undefined };
    if (action === 'addToGroup') {
      const result = await this.services.writes.addMembers(group, objects, write);
      const outcomes = addedOutcomes(objects, result, (error) => failureReason(this.services, 'Directory table', error, group, 'addMember'));
      return { message: vscode.l10n.t('Added {0} of {1} to "{2}".', outcomes.filter((o) => o.done).length, count, forWebview(name)), outcomes };
    }
    const question = count === 1 ? vscode.l10n.t('Remove "{0}" from "{1}"?', nameOf(objects[0] as DirectoryObject), name) : vscode.l10n.t('Remove {0} members from "{1}"?', count, name);
    if (!(await confirmModal(question, vscode.l10n.t('Only the memberships are removed; the members themselves stay in the directory.'), vscode.l10n.t('Remove')))) {
      return { message: vscode.l10n.t('Nothing was changed.'), outcomes: [] };
    }
    const outcomes: RowOutcome[] = [];
    for (const o of objects) {
      const result = await this.services.writes.removeMember(group.id, o.id, { ...write, relatedName: typeof o.displayName === 'string' ? o.displayName : undefined });
      outcomes.push(result.success ? outcome(o, true, vscode.l10n.t('Removed.')) : outcome(o, false, failureReason(this.services, 'Directory table', result.error, group, 'removeMember')));
    }
    return { message: vscode.l10n.t('Removed {0} of {1} from "{2}".', outcomes.filter((o) => o.done).length, count, forWebview(name)), outcomes };
  }

  /** Changes announced by any surface, applied to the rows (never a re-read: Graph lags behind a write). */
  private apply(change: DirectoryChange): void {
    const changed: TableRow[] = [];
    const removed: string[] = [];
    const patch = (id: string, changes: Readonly<Record<string, unknown>>): void => {
      const at = this.byId.get(id);
      const row = at === undefined ? undefined : this.rows[at];
      const next = row && patchedRow(this.kind, row, changes);
      if (at === undefined || !next) return;
      this.rows[at] = next;
      changed.push(next);
    };
    if (this.kind === 'users' && change.kind === 'userUpdated') patch(change.userId, change.changes);
    if (this.kind === 'groups') {
      if (change.kind === 'groupUpdated') patch(change.groupId, change.changes);
      // A restored group is back with its id: a row again, like a new one.
      if ((change.kind === 'groupCreated' || change.kind === 'groupRestored') && !this.byId.has(change.group.id.toLowerCase())) {
        const row = rowOf('groups', change.group);
        this.byId.set(change.group.id.toLowerCase(), this.rows.length);
        this.rows.push(row);
        changed.push(row);
      }
      if (change.kind === 'groupDeleted') {
        const row = this.row(change.groupId);
        if (row) {
          removed.push(row[this.idAt] ?? '');
          this.rows = this.rows.filter((r) => r !== row);
          this.byId.clear();
          this.rows.forEach((r, i) => this.byId.set((r[this.idAt] ?? '').toLowerCase(), i));
        }
      }
    }
    if (this.listening && (changed.length > 0 || removed.length > 0)) this.post({ type: 'tableChanged', rows: changed as string[][], removed });
  }
}

function isGroupKind(code: string): code is GroupClassKind {
  return (GROUP_KIND_CODES as readonly string[]).includes(code);
}
