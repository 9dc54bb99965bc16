/**
 * Where the directory table's rows come from: Graph, page by page (`@odata.nextLink`, 999 a page, `$select` of the
 * table's columns), or — for groups — the directory cache when a complete copy is here. vscode-free.
 */
import { Select, type GraphClient, type Group, type Result, type User } from '../core';
import type { TableKind } from '../shared/directoryTable';

/** Some of the objects, as they arrive; `total` is how many there are in all, once known. */
export interface TableBatch {
  objects: Array<User | Group>;
  total?: number;
}

/** Every user or every group, in batches; ends after the last batch or the first failure (which it yields). */
export interface TableSource {
  /** Says where the rows of `kind` come from, for the log. */
  name(kind: TableKind): string;
  read(kind: TableKind, signal: AbortSignal): AsyncIterable<Result<TableBatch>>;
}

/**
 * Graph, paged: every user (enabled or not: the table filters) or group with the table's columns. The true total
 * comes from `$count` (asked alongside the first page); without it the table says how many it has loaded.
 */
export function graphSource(graph: () => GraphClient): TableSource {
  return {
    name: () => 'Microsoft Graph',
    async *read(kind, signal) {
      const client = graph();
      const counting = kind === 'users' ? client.countUsers({ includeDisabled: true, signal }) : client.countGroups({ signal });
      const pages = kind === 'users'
        ? client.iterateUsers({ includeDisabled: true, select: Select.userTable, signal })
        : client.iterateGroups({ select: Select.groupTable, signal });
      let total: number | undefined;
      let first = true;
      for await (const page of pages) {
        if (!page.success) {
          yield page;
          return;
        }
        if (first) {
          first = false;
          const counted = await counting;
          // Only a count is lost when counting fails: the rows are still the whole list, and the table says how many it has.
          if (counted.success) total = counted.data;
        }
        yield { success: true, data: { objects: page.data.items, ...(total !== undefined ? { total } : {}) } };
      }
    },
  };
}

/**
 * What the table reads of the directory cache: whether a complete copy is here, and every group of it (brought up to
 * date by its delta first), or undefined when there is none. Only groups: the cached users hold no creation date, a
 * column the table shows and filters by, so the users table always reads Graph.
 */
export interface CachedGroups {
  ready(): boolean;
  read(): Promise<Iterable<Group> | undefined>;
}

/** The cached groups, in one batch (every row at once, counted), when a copy is here; else Graph's pages. */
export function tableSource(cached: CachedGroups, graph: () => GraphClient): TableSource {
  const paged = graphSource(graph);
  return {
    name: (kind) => (kind === 'groups' && cached.ready() ? 'directory cache' : paged.name(kind)),
    async *read(kind, signal) {
      const groups = kind === 'groups' ? await cached.read() : undefined;
      if (!groups) {
        yield* paged.read(kind, signal);
        return;
      }
      const objects = [...groups];
      yield { success: true, data: { objects, total: objects.length } };
    },
  };
}
