import { groupRows, userRows, type CachedGroup, type CachedUser } from './directoryCache';
import { isRecord } from './errors';
import type { Listed, LocalSearch } from './localSearch';

/**
 * The first page of each view (enabled users, all users, groups) as the copy listed them when it was saved. It is
 * written at the head of the saved file, so that a warm start shows it at once: reading a whole copy of 100,000 users
 * and applying its delta takes seconds. Once the copy is read and up to date, a view whose first page changed meanwhile
 * is drawn again.
 */
export interface FirstScreen {
  /** How many rows each list holds at most (the page size when it was saved). */
  rows: number;
  enabledUsers: Listed<CachedUser>;
  allUsers: Listed<CachedUser>;
  groups: Listed<CachedGroup>;
}

export type FirstScreenList = 'enabledUsers' | 'allUsers' | 'groups';

/** The first `rows` of each view's list, from a copy's listing order. */
export function firstScreenOf(search: LocalSearch, rows: number): FirstScreen {
  return {
    rows,
    enabledUsers: search.listUsers(0, rows, { includeDisabled: false }),
    allUsers: search.listUsers(0, rows, { includeDisabled: true }),
    groups: search.listGroups(0, rows),
  };
}

/** The first screen as it is saved: each list's rows (fixed field order, as the copy's) and its whole length. */
export function savedFirstScreen(screen: FirstScreen): unknown {
  const list = <T>(l: Listed<T>, toRow: (item: T) => unknown[]): unknown => ({ total: l.total, rows: l.items.map(toRow) });
  return { rows: screen.rows, enabledUsers: list(screen.enabledUsers, userRows.to), allUsers: list(screen.allUsers, userRows.to), groups: list(screen.groups, groupRows.to) };
}

/** The first screen a saved head describes, or undefined when it is malformed (the copy itself is then waited for). */
export function readFirstScreen(value: unknown): FirstScreen | undefined {
  if (!isRecord(value) || !Number.isSafeInteger(value.rows) || (value.rows as number) < 1) return undefined;
  const rows = value.rows as number;
  const enabledUsers = readList(value.enabledUsers, rows, userRows.from);
  const allUsers = readList(value.allUsers, rows, userRows.from);
  const groups = readList(value.groups, rows, groupRows.from);
  return enabledUsers && allUsers && groups ? { rows, enabledUsers, allUsers, groups } : undefined;
}

function readList<T>(value: unknown, rows: number, fromRow: (row: unknown) => T | undefined): Listed<T> | undefined {
  if (!isRecord(value) || !Array.isArray(value.rows) || !Number.isSafeInteger(value.total)) return undefined;
  const total = value.total as number;
  // A list is either whole or cut at `rows`: anything else is not what a save wrote.
  if (value.rows.length > rows || total < value.rows.length || (total > value.rows.length && value.rows.length !== rows)) return undefined;
  const items: T[] = [];
  for (const row of value.rows) {
    const item = fromRow(row);
    if (!item) return undefined;
    items.push(item);
  }
  return { items, total, ...(items.length < total ? { next: items.length } : {}) };
}

/**
 * The first `size` of a saved list, as a view's first page; undefined when the saved list was cut shorter than that
 * (the page size grew since it was saved).
 */
export function firstPageOf<T>(list: Listed<T>, size: number): Listed<T> | undefined {
  if (list.items.length < size && list.items.length < list.total) return undefined;
  const items = list.items.slice(0, size);
  return { items, total: list.total, ...(items.length < list.total ? { next: items.length } : {}) };
}

/** Whether two first pages show the same rows with the same fields and the same count. */
export function samePage(list: FirstScreenList, a: Listed<CachedUser | CachedGroup>, b: Listed<CachedUser | CachedGroup>): boolean {
  if (a.total !== b.total || a.items.length !== b.items.length) return false;
  const toRow = list === 'groups' ? (o: CachedUser | CachedGroup) => groupRows.to(o) : (o: CachedUser | CachedGroup) => userRows.to(o);
  return a.items.every((item, i) => JSON.stringify(toRow(item)) === JSON.stringify(toRow(b.items[i] as CachedUser | CachedGroup)));
}
