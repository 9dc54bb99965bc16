import {
  cellIndex, chosenColumns, columnsOf, columnType, NO_FILTERS, rowFilter, sortOrder, visibleRows, type TableColumn, type TableRow, type TableSort,
} from '../shared/directoryTable';
import { MAX_TABLE_CHANGE, MAX_TABLE_IDS, type RowOutcome, type TableAction, type TableState } from '../webviews/protocol';
import { format, h } from './dom';
import { codeLabel, filterBar, recallFilters } from './tableFilters';
import { TableSelection } from './tableSelection';
import { describeError, type MountContext, type MountedView, type Reply } from './view';

/** Every row is this tall (CSS `--row-height` agrees), so the rows on screen follow from the scroll position alone. */
const ROW_HEIGHT = 24;
/** Rows built above and below the visible ones, so a fast scroll does not show blanks. */
const OVERSCAN = 8;
/** While rows still arrive, a sorted or filtered view is recomputed at most this often (each is a pass over every row). */
const BUSY_REFRESH_MS = 400;

/** Column widths in CSS pixels; the text of a wider cell ends in an ellipsis (its page shows all of it). */
const COLUMN_WIDTH: Partial<Record<TableColumn, number>> = {
  displayName: 240, userPrincipalName: 260, mail: 240, accountEnabled: 90, userType: 90, createdDateTime: 120, groupKind: 170, membershipType: 110, description: 300, id: 290,
};

interface Memory {
  filters: unknown;
  sort?: TableSort;
}

/**
 * The directory table: every user or group, sorted, filtered and selected here in the page; only the rows on screen
 * are in the DOM. Rows arrive after the frame (`tableRows`), are kept as arrays of text, and are shown as Text nodes.
 */
export function mountTable(state: TableState, ctx: MountContext): MountedView {
  const s = state.strings;
  const kind = state.kind;
  const all = columnsOf(kind);
  const idAt = cellIndex(kind, 'id');
  const disabledAt = kind === 'users' ? cellIndex(kind, 'accountEnabled') : -1;
  let columns = chosenColumns(kind, state.columns);
  const collator = new Intl.Collator(state.lang || undefined, { sensitivity: 'base', numeric: true });
  const numbers = new Intl.NumberFormat(state.lang || undefined);
  const dates = new Intl.DateTimeFormat(state.lang || undefined, { dateStyle: 'medium' });
  const dayTexts = new Map<string, string>();

  const saved = ctx.channel.savedState() as Partial<Memory> | undefined;
  const filters = recallFilters(saved?.filters);
  let sort: TableSort | undefined = saved?.sort && all.includes(saved.sort.column) ? { column: saved.sort.column, descending: saved.sort.descending === true } : undefined;
  const remember = (): void => ctx.channel.saveState({ filters, ...(sort ? { sort } : {}) } satisfies Memory);

  let rows: TableRow[] = [];
  const byId = new Map<string, number>();
  let order: Int32Array | undefined;
  let shown: number[] = [];
  /** What `shown` was computed from: rows only appended since then need only the new rows looked at. */
  let computed: { rows: number; filters: string; sorted: boolean } | undefined;
  const selection = new TableSelection();
  let outcomes = new Map<string, RowOutcome>();
  let progress = { loading: state.loading, loaded: state.loaded, total: state.total, error: state.error };
  let pending: number | undefined;
  const readOnly = state.readOnlyMode === true;

  // ── Frame ────────────────────────────────────────────────────────────────
  const shownText = (column: TableColumn, value: string): string => {
    switch (columnType(column)) {
      case 'flag': return value === '1' ? s.yes : value === '0' ? s.no : '';
      case 'code': return codeLabel(s, value);
      case 'date': {
        // Formatting is the costliest part of drawing a row; many rows share a day.
        let text = dayTexts.get(value);
        if (text === undefined) {
          const d = value === '' ? undefined : new Date(value);
          text = d && !Number.isNaN(d.getTime()) ? dates.format(d) : '';
          dayTexts.set(value, text);
        }
        return text;
      }
      default: return column === 'userType' ? (value === 'Member' ? s.memberType : value === 'Guest' ? s.guestType : value) : value;
    }
  };
  const progressLine = h('p', { id: 'table-progress', class: 'subtle', role: 'status' });
  const countLine = h('p', { id: 'table-count', class: 'subtle' });
  const message = h('p', { id: 'table-message', class: 'form-status', role: 'status' });
  const button = (id: string, label: string, onClick: () => void): HTMLButtonElement => {
    const b = h('button', { id, type: 'button', class: 'secondary' }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  const openButton = button('table-open', s.openRow, () => openFocused());
  const actionButtons: Array<[TableAction, HTMLButtonElement]> = [
    ...(readOnly ? [] : ([['addToGroup', button('table-add-to-group', s.addToGroup, () => run('addToGroup'))], ['removeFromGroup', button('table-remove-from-group', s.removeFromGroup, () => run('removeFromGroup'))]] as Array<[TableAction, HTMLButtonElement]>)),
    ['exportCsv', button('table-export', s.exportCsv, () => run('exportCsv'))],
    ['copyIds', button('table-copy-ids', s.copyIds, () => run('copyIds'))],
  ];
  const refresh = button('table-refresh', s.refresh, () => ctx.channel.send({ type: 'tableRefresh' }));
  const chooser = h('details', { class: 'table-columns' }, h('summary', {}, s.columns),
    h('fieldset', {}, ...all.map((c) => {
      const box = h('input', { type: 'checkbox', id: `table-column-${c}` });
      box.checked = columns.includes(c);
      box.disabled = c === 'displayName';
      box.addEventListener('change', () => {
        columns = all.filter((k) => (k === c ? box.checked : columns.includes(k)));
        ctx.channel.send({ type: 'tableColumns', columns });
        buildGrid();
      });
      return h('label', { class: 'row-select', for: `table-column-${c}` }, box, h('span', {}, s[c]));
    })));
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': kind === 'users' ? s.usersTable : s.groupsTable },
    openButton, ...actionButtons.map(([, b]) => b), refresh, chooser);

  const header = h('div', { class: 'table-row table-head', role: 'row', 'aria-rowindex': '1' });
  const spacer = h('div', { class: 'table-spacer' });
  const body = h('div', { class: 'table-body', role: 'rowgroup' });
  const viewport = h('div', { id: 'table-grid', class: 'table-viewport', tabindex: '0' }, spacer, body);
  const grid = h('div', { class: 'table-grid', role: 'grid', 'aria-multiselectable': 'true', 'aria-label': kind === 'users' ? s.usersTable : s.groupsTable },
    h('div', { role: 'rowgroup' }, header), viewport);
  const empty = h('p', { id: 'table-empty', class: 'subtle', hidden: true }, s.noRowsMatch);

  ctx.root.append(
    h('header', {}, h('h1', {}, kind === 'users' ? s.usersTable : s.groupsTable), progressLine, countLine),
    filterBar(kind, s, filters, () => {
      remember();
      recompute(true);
    }),
    toolbar, message, grid, empty,
  );

  // ── Grid ─────────────────────────────────────────────────────────────────
  interface PooledRow { el: HTMLElement; cells: Text[]; outcome: Text; pos: number }
  let pool: PooledRow[] = [];
  const withOutcome = (): boolean => outcomes.size > 0;

  function buildGrid(): void {
    // Fixed widths: every drawn row then lays out without measuring its neighbours' texts (a scroll frame stays cheap).
    const template = [...columns.map((c) => `${COLUMN_WIDTH[c] ?? 180}px`), ...(withOutcome() ? ['360px'] : [])].join(' ');
    grid.style.setProperty('--columns', template);
    header.replaceChildren(...columns.map((c) => {
      const sorted = sort?.column === c;
      const b = h('button', { type: 'button', id: `sort-${c}`, class: 'table-sort', title: format(s.sortBy, s[c]) }, s[c], sorted ? (sort?.descending ? ' ▼' : ' ▲') : '');
      b.addEventListener('click', () => {
        sort = sort?.column === c ? { column: c, descending: !sort.descending } : { column: c, descending: false };
        remember();
        buildGrid();
        recompute(true);
      });
      return h('div', { role: 'columnheader', 'aria-sort': sorted ? (sort?.descending ? 'descending' : 'ascending') : 'none' }, b);
    }), ...(withOutcome() ? [h('div', { role: 'columnheader' }, s.outcome)] : []));
    body.replaceChildren();
    pool = [];
    draw();
  }

  function pooled(): PooledRow {
    const cells = columns.map(() => document.createTextNode(''));
    const outcome = document.createTextNode('');
    const el = h('div', { class: 'table-row', role: 'row' },
      ...cells.map((t) => h('div', { role: 'gridcell' }, t)), withOutcome() && h('div', { role: 'gridcell', class: 'table-outcome' }, outcome));
    body.append(el);
    return { el, cells, outcome, pos: -1 };
  }

  /** Fills the pooled rows with the rows now in view: only their texts and states change. */
  function draw(): void {
    const height = viewport.clientHeight || ROW_HEIGHT * 20;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const count = Math.min(shown.length - first, Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN);
    while (pool.length < count) pool.push(pooled());
    body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    const at = columns.map((c) => cellIndex(kind, c));
    for (let k = 0; k < pool.length; k++) {
      const slot = pool[k] as PooledRow;
      const pos = first + k;
      if (k >= count) {
        slot.el.hidden = true;
        slot.pos = -1;
        continue;
      }
      const row = rows[shown[pos] ?? 0] as TableRow;
      const id = row[idAt] ?? '';
      slot.el.hidden = false;
      slot.pos = pos;
      slot.el.id = `table-row-${pos}`;
      slot.el.setAttribute('aria-rowindex', String(pos + 2));
      slot.el.setAttribute('aria-selected', String(selection.has(id)));
      slot.el.dataset.id = id;
      slot.el.classList.toggle('focused', pos === selection.focus);
      slot.el.classList.toggle('disabled-account', disabledAt >= 0 && row[disabledAt] === '0');
      for (let c = 0; c < at.length; c++) {
        const text = shownText(columns[c] as TableColumn, row[at[c] ?? 0] ?? '');
        const node = slot.cells[c] as Text;
        if (node.data !== text) node.data = text;
      }
      const o = outcomes.get(id);
      slot.outcome.data = o ? `${o.done ? s.outcomeDone : s.outcomeFailed}: ${o.message}` : '';
      slot.el.classList.toggle('outcome-failed', o !== undefined && !o.done);
    }
    if (selection.focus >= 0) viewport.setAttribute('aria-activedescendant', `table-row-${selection.focus}`);
    else viewport.removeAttribute('aria-activedescendant');
  }

  // ── Rows shown ───────────────────────────────────────────────────────────
  let lastRefresh = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let sortedFor: { sort: TableSort; rows: number } | undefined;

  /** Sorts (when the sort or the rows changed) and filters, then redraws. While rows arrive, heavy views wait a little. */
  function recompute(now = false): void {
    const heavy = sort !== undefined || JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
    const wait = now || !progress.loading || !heavy ? 0 : Math.max(0, lastRefresh + BUSY_REFRESH_MS - performance.now());
    clearTimeout(refreshTimer);
    if (wait > 0) {
      refreshTimer = setTimeout(() => recompute(true), wait);
      return;
    }
    lastRefresh = performance.now();
    const filterKey = JSON.stringify(filters);
    const appendedOnly = !sort && computed !== undefined && !computed.sorted && computed.filters === filterKey && computed.rows <= rows.length;
    if (appendedOnly) {
      visibleRows(rows, undefined, rowFilter(kind, filters), computed?.rows ?? 0, shown);
    } else {
      if (!sort) order = undefined;
      else if (!order || sortedFor?.sort !== sort || sortedFor.rows !== rows.length) {
        order = sortOrder(kind, rows, sort, collator, shownText);
        sortedFor = { sort, rows: rows.length };
      }
      shown = visibleRows(rows, order, rowFilter(kind, filters));
    }
    computed = { rows: rows.length, filters: filterKey, sorted: sort !== undefined };
    selection.setShown(shown.length, (p) => { const i = shown[p]; return i === undefined ? undefined : (rows[i] as TableRow)[idAt]; }, !appendedOnly);
    spacer.style.height = `${shown.length * ROW_HEIGHT}px`;
    grid.setAttribute('aria-rowcount', String(shown.length + 1));
    empty.hidden = shown.length > 0 || rows.length === 0;
    draw();
    status();
  }

  function status(): void {
    const loaded = numbers.format(progress.loaded);
    if (progress.error) progressLine.textContent = describeError(progress.error);
    else if (progress.loading) progressLine.textContent = progress.total !== undefined ? format(s.loadedOf, loaded, numbers.format(progress.total)) : format(s.loadedSoFar, loaded);
    else progressLine.textContent = progress.total !== undefined && progress.total !== progress.loaded ? format(s.loadedOf, loaded, numbers.format(progress.total)) : '';
    progressLine.classList.toggle('error-text', progress.error !== undefined);
    countLine.textContent = format(s.rowsShown, numbers.format(shown.length), numbers.format(rows.length), numbers.format(selection.size));
    const chosen = selection.size;
    openButton.disabled = selection.focus < 0 && chosen !== 1;
    for (const [action, b] of actionButtons) {
      b.disabled = pending !== undefined || chosen === 0 || ((action === 'addToGroup' || action === 'removeFromGroup') && chosen > MAX_TABLE_CHANGE);
      b.title = !b.disabled || chosen <= MAX_TABLE_CHANGE ? '' : format(s.selectionTooLarge, String(MAX_TABLE_CHANGE));
    }
    grid.setAttribute('aria-busy', String(progress.loading));
  }

  // ── Selection and keys ───────────────────────────────────────────────────
  const reveal = (pos: number): void => {
    const top = pos * ROW_HEIGHT;
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
  };
  const changed = (): void => {
    if (selection.focus >= 0) reveal(selection.focus);
    draw();
    status();
  };
  const rowAt = (target: EventTarget | null): number => {
    const el = target instanceof Element ? target.closest<HTMLElement>('.table-body .table-row') : null;
    return pool.find((p) => p.el === el)?.pos ?? -1;
  };
  function openFocused(): void {
    const pos = selection.focus >= 0 ? selection.focus : selection.size === 1 ? shown.findIndex((i) => selection.has((rows[i] as TableRow)[idAt] ?? '')) : -1;
    const row = rows[shown[pos] ?? -1];
    if (pos >= 0 && row) ctx.channel.send({ type: 'tableOpen', id: row[idAt] ?? '' });
  }

  body.addEventListener('click', (e) => {
    const pos = rowAt(e.target);
    if (pos < 0) return;
    selection.click(pos, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
    viewport.focus();
    changed();
  });
  body.addEventListener('dblclick', (e) => {
    const pos = rowAt(e.target);
    if (pos < 0) return;
    selection.focus = pos;
    openFocused();
  });
  viewport.addEventListener('scroll', () => draw(), { passive: true });
  viewport.addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.floor(viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -shown.length, End: shown.length };
    const delta = moves[e.key];
    if (delta !== undefined) selection.move(delta, e.shiftKey);
    else if (e.key === ' ') selection.toggleFocused();
    else if (e.key === 'Enter') openFocused();
    else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') selection.selectAll();
    else if (e.key === 'Escape' && selection.size > 0) selection.clear();
    else return;
    e.preventDefault();
    changed();
  });
  new ResizeObserver(() => draw()).observe(viewport);

  // ── Actions ──────────────────────────────────────────────────────────────
  /** Sends the selection for `action` in parts the protocol allows; the extension asks the rest and answers `tableDone`. */
  function run(action: TableAction): void {
    const ids = selection.ids();
    if (pending !== undefined || ids.length === 0) return;
    if ((action === 'addToGroup' || action === 'removeFromGroup') && ids.length > MAX_TABLE_CHANGE) {
      message.textContent = format(s.selectionTooLarge, String(MAX_TABLE_CHANGE));
      return;
    }
    const requestId = ctx.channel.nextRequestId();
    pending = requestId;
    message.textContent = s.working;
    for (let at = 0; at < ids.length; at += MAX_TABLE_IDS) {
      ctx.channel.send({ type: 'tableRun', requestId, action, ids: ids.slice(at, at + MAX_TABLE_IDS), more: at + MAX_TABLE_IDS < ids.length });
    }
    status();
  }

  function receiveRows(incoming: string[][], reset: boolean): void {
    if (reset) {
      rows = [];
      byId.clear();
      order = undefined;
      computed = undefined;
    }
    for (const row of incoming) {
      if (row.length !== all.length) continue;
      const id = row[idAt] ?? '';
      const at = byId.get(id);
      if (at !== undefined) {
        rows[at] = row;
        computed = undefined;
      } else {
        byId.set(id, rows.length);
        rows.push(row);
      }
    }
    order = undefined;
  }

  function removeRows(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    rows = rows.filter((r) => !gone.has(r[idAt] ?? ''));
    byId.clear();
    rows.forEach((r, i) => byId.set(r[idAt] ?? '', i));
    order = undefined;
    computed = undefined;
  }

  buildGrid();
  recompute(true);
  viewport.focus();

  return {
    receive(reply: Reply): void {
      switch (reply.type) {
        case 'tableRows':
          receiveRows(reply.rows, reply.reset);
          return recompute();
        case 'tableChanged':
          receiveRows(reply.rows, false);
          removeRows(reply.removed);
          return recompute(true);
        case 'tableProgress':
          progress = { loading: reply.loading, loaded: reply.loaded, total: reply.total, error: reply.error };
          return recompute(!reply.loading);
        case 'tableDone': {
          if (reply.requestId !== pending) return;
          pending = undefined;
          message.textContent = reply.message;
          if (reply.outcomes.length > 0) {
            outcomes = new Map(reply.outcomes.map((o) => [o.id, o]));
            buildGrid();
          }
          return status();
        }
        default:
          return;
      }
    },
    pendingRequest: () => pending,
    dispose: () => clearTimeout(refreshTimer),
  };
}
