/**
 * The directory table's model: sorting (stable, locale-aware, empties last), filters, the chosen columns, the
 * selection (click, ctrl/cmd, shift ranges, arrows, space, ctrl+A), and the checks on the table's messages both ways.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cellIndex, chosenColumns, defaultColumns, GROUP_COLUMNS, NO_FILTERS, rowFilter, sortOrder, USER_COLUMNS, visibleRows, type TableColumn, type TableRow,
} from '../../src/shared/directoryTable';
import { TableSelection } from '../../src/webview-ui/tableSelection';
import { isExtensionMessage, isWebviewMessage, MAX_TABLE_CHUNK, MAX_TABLE_IDS, UI_STRING_KEYS, type UiStrings } from '../../src/webviews/protocol';

/** A users row from named cells (the rest empty). */
function user(cells: Partial<Record<(typeof USER_COLUMNS)[number], string>>): TableRow {
  return USER_COLUMNS.map((c) => cells[c] ?? '');
}

const people: TableRow[] = [
  user({ id: 'a', displayName: 'Émile Zola', department: 'Finance', jobTitle: 'Analyst', accountEnabled: '0', userType: 'Member', createdDateTime: '2021-03-04T10:00:00Z' }),
  user({ id: 'b', displayName: 'anna Berg', department: 'finance ', jobTitle: 'Senior analyst', accountEnabled: '1', userType: 'Guest', createdDateTime: '2022-01-01T00:00:00Z' }),
  user({ id: 'c', displayName: 'Zoë Adams', department: 'Sales', accountEnabled: '0', userType: 'Member', createdDateTime: '2020-12-31T23:59:59Z' }),
  user({ id: 'd', displayName: 'Bob', department: '', accountEnabled: '', userType: 'Member' }),
  user({ id: 'e', displayName: 'Anna Berg', department: 'Finance', jobTitle: 'Analyst', accountEnabled: '0', userType: 'Member', createdDateTime: '2023-06-30T08:00:00Z' }),
  user({ id: 'f', displayName: 'item 10', department: 'Sales', accountEnabled: '1', userType: 'Member', createdDateTime: '2023-06-30T09:00:00Z' }),
  user({ id: 'g', displayName: 'item 9', department: 'Sales', accountEnabled: '1', userType: 'Member', createdDateTime: '2021-03-04T00:00:00Z' }),
];
const en = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const words = (column: TableColumn, value: string): string => (column === 'accountEnabled' ? (value === '1' ? 'Yes' : value === '0' ? 'No' : '') : value);
const ids = (order: ArrayLike<number>, rows = people): string[] => Array.from(order, (i) => rows[i]?.[cellIndex('users', 'id')] ?? '?');

describe('directory table: sorting', () => {
  it('sorts names as people read them: accents and case ignored, numbers by value, equal names in arrival order', () => {
    const order = sortOrder('users', people, { column: 'displayName', descending: false }, en, words);
    // "anna Berg" (b) and "Anna Berg" (e) are equal at base sensitivity: b arrived first and stays first.
    assert.deepEqual(ids(order), ['b', 'e', 'd', 'a', 'g', 'f', 'c']);
  });

  it('descending reverses the values, keeps equal rows in arrival order and empty cells last', () => {
    const order = sortOrder('users', people, { column: 'department', descending: true }, en, words);
    // Sales (c, f, g in arrival order), then Finance (a, b — "finance " has a space so differs — e) …, then the empty one.
    const depts = ids(order).map((id) => people.find((r) => r[8] === id)?.[cellIndex('users', 'department')]);
    assert.equal(depts.at(-1), '', 'the empty department last');
    assert.deepEqual(ids(order).slice(0, 3), ['c', 'f', 'g']);
  });

  it('sorts dates by time and flags by their words', () => {
    const byDate = ids(sortOrder('users', people, { column: 'createdDateTime', descending: false }, en, words));
    assert.deepEqual(byDate, ['c', 'g', 'a', 'b', 'e', 'f', 'd']);
    const byFlag = ids(sortOrder('users', people, { column: 'accountEnabled', descending: false }, en, words));
    // "No" before "Yes", arrival order within each, the row without the flag last.
    assert.deepEqual(byFlag, ['a', 'c', 'e', 'b', 'f', 'g', 'd']);
  });

  it('is stable on 20,000 rows of few values', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => user({ id: String(i), department: ['B', 'a', 'C'][i % 3] ?? '' }));
    const order = sortOrder('users', many, { column: 'department', descending: false }, en, words);
    const dept = cellIndex('users', 'department');
    for (let k = 1; k < order.length; k++) {
      const a = many[order[k - 1] ?? 0] as TableRow;
      const b = many[order[k] ?? 0] as TableRow;
      const cmp = en.compare(a[dept] ?? '', b[dept] ?? '');
      assert.ok(cmp < 0 || (cmp === 0 && Number(a[8]) < Number(b[8])), `row ${k} out of order`);
    }
  });
});

describe('directory table: filters', () => {
  const shown = (f: Partial<typeof NO_FILTERS>): string[] => ids(visibleRows(people, undefined, rowFilter('users', { ...NO_FILTERS, ...f })));

  it('disabled Finance users: the enabled filter and part of the department, case and accents ignored', () => {
    assert.deepEqual(shown({ enabled: 'disabled', department: 'FINANCE' }), ['a', 'e']);
    assert.deepEqual(shown({ enabled: 'enabled', department: 'finan' }), ['b']);
  });

  it('user type, job title, and a creation range that includes both ends', () => {
    assert.deepEqual(shown({ userType: 'Guest' }), ['b']);
    assert.deepEqual(shown({ jobTitle: 'analyst' }), ['a', 'b', 'e']);
    assert.deepEqual(shown({ createdFrom: '2021-03-04', createdTo: '2023-06-30' }), ['a', 'b', 'e', 'f', 'g']);
    assert.deepEqual(shown({ createdTo: '2020-12-31' }), ['c'], 'a row without a date never matches a date filter');
  });

  it('text: every word must appear in the name, UPN or mail', () => {
    assert.deepEqual(shown({ text: 'berg ANNA' }), ['b', 'e']);
    assert.deepEqual(shown({ text: 'emile' }), ['a']);
  });

  it('groups: by kind and membership type', () => {
    const group = (cells: Partial<Record<(typeof GROUP_COLUMNS)[number], string>>): TableRow => GROUP_COLUMNS.map((c) => cells[c] ?? '');
    const groups = [group({ id: '1', groupKind: 'security', membershipType: 'dynamic' }), group({ id: '2', groupKind: 'microsoft365', membershipType: 'assigned' }), group({ id: '3', groupKind: 'security', membershipType: 'assigned' })];
    const keep = (f: Partial<typeof NO_FILTERS>): string[] => Array.from(visibleRows(groups, undefined, rowFilter('groups', { ...NO_FILTERS, ...f })), (i) => groups[i]?.[cellIndex('groups', 'id')] ?? '');
    assert.deepEqual(keep({ groupKind: 'security' }), ['1', '3']);
    assert.deepEqual(keep({ groupKind: 'security', membership: 'assigned' }), ['3']);
    assert.deepEqual(keep({ enabled: 'disabled' }), ['1', '2', '3'], 'user filters do not apply to groups');
  });

  it('continues a pass over rows only appended, without looking at the earlier ones again', () => {
    const keep = rowFilter('users', { ...NO_FILTERS, department: 'sales' });
    const first = visibleRows(people.slice(0, 4), undefined, keep);
    const seen: number[] = [];
    visibleRows(people, undefined, (row) => (seen.push(people.indexOf(row)), keep(row)), 4, first);
    assert.deepEqual(ids(first), ['c', 'f', 'g']);
    assert.deepEqual(seen, [4, 5, 6]);
  });
});

describe('directory table: columns', () => {
  it('keeps a remembered choice in table order with the name always shown; anything else gives the default', () => {
    assert.deepEqual(chosenColumns('users', ['department', 'id']), ['displayName', 'department', 'id']);
    assert.deepEqual(chosenColumns('users', ['groupKind']), defaultColumns('users'), 'columns of the other table');
    assert.deepEqual(chosenColumns('groups', 'displayName'), defaultColumns('groups'));
  });
});

describe('directory table: selection', () => {
  const make = (n: number): TableSelection => {
    const s = new TableSelection();
    const list = Array.from({ length: n }, (_, i) => `id${i}`);
    s.setShown(list.length, (p) => list[p]);
    return s;
  };

  it('click selects one, ctrl/cmd-click toggles, shift-click selects the range from the anchor', () => {
    const s = make(10);
    s.click(2);
    assert.deepEqual(s.ids(), ['id2']);
    s.click(5, { toggle: true });
    assert.deepEqual(s.ids(), ['id2', 'id5']);
    s.click(8, { shift: true });
    assert.deepEqual(s.ids(), ['id5', 'id6', 'id7', 'id8'], 'the range from the last anchor (5), replacing the rest');
    s.click(5, { toggle: true });
    assert.deepEqual(s.ids(), ['id6', 'id7', 'id8']);
  });

  it('arrows move the focus only; space toggles; shift+arrows select from the anchor; ctrl+A selects all shown', () => {
    const s = make(6);
    s.click(1);
    s.move(1);
    s.move(1);
    assert.equal(s.focus, 3);
    assert.deepEqual(s.ids(), ['id1']);
    s.toggleFocused();
    assert.deepEqual(s.ids(), ['id1', 'id3']);
    s.move(1, true);
    s.move(1, true);
    assert.deepEqual(s.ids(), ['id3', 'id4', 'id5'], 'from the anchor (3) to the focus');
    s.move(-100);
    assert.equal(s.focus, 0, 'clamped');
    s.selectAll();
    assert.equal(s.size, 6);
    s.clear();
    assert.equal(s.size, 0);
  });

  it('a sort keeps the selection and the focus on their rows; a filter lets go of rows no longer shown', () => {
    const s = make(5);
    s.click(1);
    s.click(3, { toggle: true });
    const reversed = ['id4', 'id3', 'id2', 'id1', 'id0'];
    s.setShown(5, (p) => reversed[p]);
    assert.deepEqual(s.ids(), ['id3', 'id1']);
    assert.equal(s.focus, 1, 'id3 is now second');
    const filtered = ['id0', 'id1'];
    s.setShown(2, (p) => filtered[p]);
    assert.deepEqual(s.ids(), ['id1']);
    s.selectAll();
    assert.deepEqual(s.ids(), ['id0', 'id1'], 'ctrl+A reaches only what is shown');
  });
});

describe('directory table: messages', () => {
  const id = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const strings = Object.fromEntries(UI_STRING_KEYS.map((k) => [k, k])) as UiStrings;

  it('accepts a selection part within the limits, and nothing else', () => {
    const ok = { type: 'tableRun', requestId: 1, action: 'addToGroup', ids: [id(1), id(2)], more: false };
    assert.ok(isWebviewMessage(ok));
    assert.ok(!isWebviewMessage({ ...ok, action: 'deleteAll' }), 'an action of no one');
    assert.ok(!isWebviewMessage({ ...ok, ids: [] }), 'an empty selection');
    assert.ok(!isWebviewMessage({ ...ok, ids: [id(1), id(1)] }), 'an id twice');
    assert.ok(!isWebviewMessage({ ...ok, ids: Array.from({ length: MAX_TABLE_IDS + 1 }, (_, i) => id(i)) }), 'too many in one part');
    assert.ok(!isWebviewMessage({ ...ok, more: 'yes' }));
    assert.ok(!isWebviewMessage({ ...ok, extra: 1 }), 'an unknown property');
    assert.ok(isWebviewMessage({ type: 'tableColumns', columns: ['displayName', 'department'] }));
    assert.ok(!isWebviewMessage({ type: 'tableColumns', columns: ['displayName', 'password'] }));
    assert.ok(!isWebviewMessage({ type: 'tableColumns', columns: ['displayName', 'displayName'] }));
    assert.ok(isWebviewMessage({ type: 'tableOpen', id: id(3) }));
    assert.ok(!isWebviewMessage({ type: 'tableOpen', id: '' }));
  });

  it('the page takes rows of either kind in parts of at most MAX_TABLE_CHUNK, and a well-formed frame', () => {
    const row = user({ id: id(1), displayName: 'A' }) as string[];
    assert.ok(isExtensionMessage({ type: 'tableRows', reset: true, rows: [row] }));
    assert.ok(!isExtensionMessage({ type: 'tableRows', reset: true, rows: [row.slice(1)] }), 'a row of neither kind');
    assert.ok(!isExtensionMessage({ type: 'tableRows', reset: true, rows: [[...row.slice(1), 42]] }), 'a cell that is not text');
    assert.ok(!isExtensionMessage({ type: 'tableRows', reset: false, rows: Array.from({ length: MAX_TABLE_CHUNK + 1 }, () => row) }));
    const frame = { view: 'table', strings, kind: 'users', loading: true, columns: ['displayName'], loaded: 0, total: 100_000, lang: 'en' };
    assert.ok(isExtensionMessage({ type: 'init', state: frame }));
    assert.ok(!isExtensionMessage({ type: 'init', state: { ...frame, kind: 'devices' } }));
    assert.ok(!isExtensionMessage({ type: 'init', state: { ...frame, rows: [row] } }), 'no rows inside the frame');
    assert.ok(isExtensionMessage({ type: 'tableDone', requestId: 4, message: 'Added 1 of 1.', outcomes: [{ id: id(1), displayName: 'A', done: true, message: 'Added.' }] }));
    assert.ok(!isExtensionMessage({ type: 'tableProgress', loading: false, loaded: -1 }));
  });
});
