/**
 * Where the directory table's rows come from: the directory cache when a complete copy is here, else Graph, page by
 * page (`@odata.nextLink`, 999 a page, `$select` of the table's columns). vscode-free.
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
  /** Says where the rows come from, for the log. */
  readonly name: string;
  read(kind: TableKind, signal: AbortSignal): AsyncIterable<Result<TableBatch>>;
}

/**
 * Graph, paged: every user (enabled or not: the table filters) or group with the table's columns. The true total
 * comes from `$count` (asked alongside the first page); without it the table says how many it has loaded.
 */
export function graphSource(graph: () => GraphClient): TableSource {
  return {
    name: 'Microsoft Graph',
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
 * What the table needs of the directory cache: its users and groups, and whether the copy is complete. The cache's
 * users hold no creation date, so that column stays empty from this source.
 */
export interface CachedDirectory {
  readonly isComplete: boolean;
  readonly users: ReadonlyMap<string, User>;
  readonly groups: ReadonlyMap<string, Group>;
}

/** The cache, in one batch: every row at once, counted. */
export function cacheSource(cache: CachedDirectory): TableSource {
  return {
    name: 'directory cache',
    // eslint-disable-next-line @typescript-eslint/require-await -- an async iterable like Graph's, though the rows are here
    async *read(kind) {
      const objects = [...(kind === 'users' ? cache.users.values() : cache.groups.values())];
      yield { success: true, data: { objects, total: objects.length } };
    },
  };
}

/** The cache when a complete copy is here at the time of reading, else Graph. */
export function tableSource(cached: () => CachedDirectory | undefined, graph: () => GraphClient): TableSource {
  const paged = graphSource(graph);
  return {
    get name() {
      return cached()?.isComplete ? 'directory cache' : paged.name;
    },
    read(kind, signal) {
      const cache = cached();
      return cache?.isComplete ? cacheSource(cache).read(kind, signal) : paged.read(kind, signal);
    },
  };
}
