import type { Group, User } from '../core';
import { GROUP_COLUMNS, USER_COLUMNS, type TableKind, type TableRow } from '../shared/directoryTable';
import { classifyGroup } from '../shared/groupKinds';
import { forWebview } from '../shared/text';
import { TABLE_CELL_LIMIT } from './protocol';

const flag = (v: unknown): string => (v === true ? '1' : v === false ? '0' : '');
const textOf = (v: unknown): string => (typeof v === 'string' ? forWebview(v, TABLE_CELL_LIMIT).replace(/\s+/g, ' ') : '');
/** Graph's ISO time, checked: anything else is shown as not set rather than sorted as a date. */
const dateOf = (v: unknown): string => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z?$/.test(v) ? v : '');

/** A user as a row of the users table (cells in USER_COLUMNS order), through the text policy. */
export function userRow(u: User): TableRow {
  const cells: Record<(typeof USER_COLUMNS)[number], string> = {
    displayName: textOf(u.displayName), userPrincipalName: textOf(u.userPrincipalName), mail: textOf(u.mail), jobTitle: textOf(u.jobTitle),
    department: textOf(u.department), accountEnabled: flag(u.accountEnabled), userType: textOf(u.userType), createdDateTime: dateOf(u.createdDateTime),
    id: forWebview(u.id, 128),
  };
  return USER_COLUMNS.map((c) => cells[c]);
}

/** A group as a row of the groups table (cells in GROUP_COLUMNS order): its kind and membership type as codes. */
export function groupRow(g: Group): TableRow {
  const c = classifyGroup(g);
  const cells: Record<(typeof GROUP_COLUMNS)[number], string> = {
    displayName: textOf(g.displayName), mail: textOf(g.mail), groupKind: c.kind, membershipType: c.dynamic ? 'dynamic' : 'assigned',
    description: textOf(g.description), createdDateTime: dateOf(g.createdDateTime), id: forWebview(g.id, 128),
  };
  return GROUP_COLUMNS.map((k) => cells[k]);
}

export function rowOf(kind: TableKind, o: User | Group): TableRow {
  return kind === 'users' ? userRow(o) : groupRow(o);
}

/**
 * A row with an announced change applied: each changed property that is a column of the row takes its new value,
 * through the same rules as a fresh row. A change that touches no column leaves the row as it was (undefined).
 */
export function patchedRow(kind: TableKind, row: TableRow, changes: Readonly<Record<string, unknown>>): TableRow | undefined {
  const columns: readonly string[] = kind === 'users' ? USER_COLUMNS : GROUP_COLUMNS;
  const cellFor = (column: string, value: unknown): string => (column === 'accountEnabled' ? flag(value) : column === 'createdDateTime' ? dateOf(value) : textOf(value));
  let next: string[] | undefined;
  columns.forEach((column, i) => {
    if (column === 'id' || !Object.prototype.hasOwnProperty.call(changes, column)) return;
    next ??= [...row];
    next[i] = cellFor(column, changes[column]);
  });
  return next;
}
