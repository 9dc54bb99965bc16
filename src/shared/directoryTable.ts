/**
 * The directory table's model, shared by the extension (which makes the rows) and the page (which sorts, filters and
 * shows them). A row is an array of texts in the order of its kind's columns: compact enough to post 100,000 of them.
 * Flags are '1', '0' or '' (not read); dates are Graph's ISO text or ''; the group kind and membership type are codes
 * the page words in the admin's language.
 */
import type { GroupClassKind } from './groupKinds';

export type TableKind = 'users' | 'groups';
export const TABLE_KINDS = ['users', 'groups'] as const satisfies readonly TableKind[];

export const USER_COLUMNS = ['displayName', 'userPrincipalName', 'mail', 'jobTitle', 'department', 'accountEnabled', 'userType', 'createdDateTime', 'id'] as const;
export const GROUP_COLUMNS = ['displayName', 'mail', 'groupKind', 'membershipType', 'description', 'createdDateTime', 'id'] as const;
export type UserColumn = (typeof USER_COLUMNS)[number];
export type GroupColumn = (typeof GROUP_COLUMNS)[number];
export type TableColumn = UserColumn | GroupColumn;

export const GROUP_KIND_CODES = ['microsoft365', 'security', 'mailEnabledSecurity', 'distribution'] as const satisfies readonly GroupClassKind[];
export const MEMBERSHIP_CODES = ['assigned', 'dynamic'] as const;
export type MembershipCode = (typeof MEMBERSHIP_CODES)[number];

/** How a column's cells are compared and shown. */
export type ColumnType = 'text' | 'flag' | 'date' | 'code';
const TYPES: Partial<Record<TableColumn, ColumnType>> = { accountEnabled: 'flag', createdDateTime: 'date', groupKind: 'code', membershipType: 'code' };
export function columnType(column: TableColumn): ColumnType {
  return TYPES[column] ?? 'text';
}

export function columnsOf(kind: TableKind): readonly TableColumn[] {
  return kind === 'users' ? USER_COLUMNS : GROUP_COLUMNS;
}

/** Shown when nothing was remembered: what identifies a row and what the filters work on. */
export function defaultColumns(kind: TableKind): TableColumn[] {
  return kind === 'users'
    ? ['displayName', 'userPrincipalName', 'jobTitle', 'department', 'accountEnabled', 'userType', 'createdDateTime']
    : ['displayName', 'mail', 'groupKind', 'membershipType', 'createdDateTime'];
}

/** The remembered choice if it still names columns of this kind (in the table's order, the name always first), else the default. */
export function chosenColumns(kind: TableKind, remembered: unknown): TableColumn[] {
  const all = columnsOf(kind);
  if (!Array.isArray(remembered)) return defaultColumns(kind);
  const picked = all.filter((c) => remembered.includes(c));
  if (picked.length === 0) return defaultColumns(kind);
  return picked.includes('displayName') ? picked : ['displayName', ...picked];
}

export type TableRow = readonly string[];

/** Where a column's cell sits in a row of this kind, or -1. */
export function cellIndex(kind: TableKind, column: TableColumn): number {
  return (columnsOf(kind) as readonly string[]).indexOf(column);
}


// ── Filters ─────────────────────────────────────────────────────────────────

export interface TableFilters {
  /** Words that must each appear in the name, UPN or mail (case and accents ignored). */
  text: string;
  enabled: 'any' | 'enabled' | 'disabled';
  userType: 'any' | 'Member' | 'Guest';
  /** Part of the department or job title (case and accents ignored); '' = any. */
  department: string;
  jobTitle: string;
  groupKind: 'any' | GroupClassKind;
  membership: 'any' | MembershipCode;
  /** Created on or after / on or before this day (YYYY-MM-DD, UTC, inclusive); '' = open. */
  createdFrom: string;
  createdTo: string;
}

export const NO_FILTERS: TableFilters = {
  text: '', enabled: 'any', userType: 'any', department: '', jobTitle: '', groupKind: 'any', membership: 'any', createdFrom: '', createdTo: '',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Case- and accent-free text for "contains" matching. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** A test for one row, made once per filter change; the filters that do not apply to the kind are ignored. */
export function rowFilter(kind: TableKind, f: TableFilters): (row: TableRow) => boolean {
  const tests: Array<(row: TableRow) => boolean> = [];
  const at = (column: TableColumn): number => cellIndex(kind, column);
  const contains = (column: TableColumn, part: string): void => {
    const needle = fold(part.trim());
    if (needle === '') return;
    const i = at(column);
    tests.push((row) => fold(row[i] ?? '').includes(needle));
  };
  const equals = (column: TableColumn, value: string): void => {
    const i = at(column);
    tests.push((row) => row[i] === value);
  };
  const words = fold(f.text).split(/\s+/).filter((w) => w !== '');
  if (words.length > 0) {
    const fields = (kind === 'users' ? ['displayName', 'userPrincipalName', 'mail'] : ['displayName', 'mail', 'description']).map((c) => at(c as TableColumn));
    tests.push((row) => {
      const hay = fold(fields.map((i) => row[i] ?? '').join('\n'));
      return words.every((w) => hay.includes(w));
    });
  }
  if (kind === 'users') {
    if (f.enabled !== 'any') equals('accountEnabled', f.enabled === 'enabled' ? '1' : '0');
    if (f.userType !== 'any') equals('userType', f.userType);
    contains('department', f.department);
    contains('jobTitle', f.jobTitle);
  } else {
    if (f.groupKind !== 'any') equals('groupKind', f.groupKind);
    if (f.membership !== 'any') equals('membershipType', f.membership);
  }
  const created = at('createdDateTime');
  // ISO text sorts by time, so the day is its first ten characters (UTC, as Graph writes it).
  if (DAY.test(f.createdFrom)) tests.push((row) => (row[created] ?? '') !== '' && (row[created] ?? '').slice(0, 10) >= f.createdFrom);
  if (DAY.test(f.createdTo)) tests.push((row) => (row[created] ?? '') !== '' && (row[created] ?? '').slice(0, 10) <= f.createdTo);
  return (row) => tests.every((t) => t(row));
}

// ── Sorting ─────────────────────────────────────────────────────────────────

export interface TableSort {
  column: TableColumn;
  descending: boolean;
}

/**
 * Row positions in `rows` sorted by one column, stable (equal cells keep the order the rows arrived in) and
 * locale-aware: texts are compared as shown (`shown` words flags and codes) with `collator`; dates by time. Empty
 * cells go last in either direction. Each distinct value is ranked once, so 100,000 rows with few departments sort fast.
 */
export function sortOrder(kind: TableKind, rows: readonly TableRow[], sort: TableSort, collator: Intl.Collator, shown: (column: TableColumn, value: string) => string): Int32Array {
  const i = cellIndex(kind, sort.column);
  const type = columnType(sort.column);
  const keyOf = (v: string): string => (type === 'date' || type === 'text' ? v : shown(sort.column, v));
  const distinct = [...new Set(rows.map((r) => r[i] ?? ''))];
  const keys = new Map(distinct.map((v) => [v, keyOf(v)]));
  const compare = type === 'date' ? (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0) : (a: string, b: string) => collator.compare(a, b);
  distinct.sort((a, b) => {
    const ka = keys.get(a) ?? '';
    const kb = keys.get(b) ?? '';
    if (ka === '' || kb === '') return ka === kb ? 0 : ka === '' ? 1 : -1;
    return sort.descending ? compare(kb, ka) : compare(ka, kb);
  });
  const rank = new Map(distinct.map((v, r) => [v, r]));
  const ranks = new Int32Array(rows.length);
  rows.forEach((row, n) => (ranks[n] = rank.get(row[i] ?? '') ?? 0));
  const order = Int32Array.from(rows.keys());
  // Int32Array#sort is not promised stable: ties are broken by position explicitly.
  order.sort((a, b) => (ranks[a] ?? 0) - (ranks[b] ?? 0) || a - b);
  return order;
}

/**
 * The rows to show: positions in `order` (a sort) kept where `keep` says, or in arrival order without one. `from`
 * and `into` continue an earlier pass when rows were only added at the end (no sort): the earlier rows are not
 * looked at again.
 */
export function visibleRows(rows: readonly TableRow[], order: Int32Array | undefined, keep: (row: TableRow) => boolean, from = 0, into: number[] = []): number[] {
  const count = order ? order.length : rows.length;
  for (let k = from; k < count; k++) {
    const at = order ? (order[k] ?? 0) : k;
    const row = rows[at];
    if (row && keep(row)) into.push(at);
  }
  return into;
}
