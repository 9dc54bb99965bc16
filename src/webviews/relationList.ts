import type { DirectoryObject, Page, PageCursor, Result } from '../core/types';
import { forWebview } from '../shared/text';
import { personRef } from './directoryRefs';
import { wireError } from './formRules';
import { MAX_LIST_ROWS, type GroupListName, type GroupListState, type ListRow, type RowOutcome, type WireError } from './protocol';

/** Reads the first page of a list: the whole list, or the matches of `search`. */
export type FirstPage = (search: string | undefined, signal: AbortSignal) => Promise<Result<Page<DirectoryObject>>>;
export type NextPage = (at: PageCursor<DirectoryObject>, signal: AbortSignal) => Promise<Result<Page<DirectoryObject>>>;

const byName = (a: ListRow, b: ListRow): number => a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);

/** A user, a group, a service principal, a device or another kind of object, from `@odata.type` (or a group's own properties). */
export function rowKind(o: DirectoryObject): ListRow['kind'] {
  const type = o['@odata.type'];
  if (type === '#microsoft.graph.group' || (type === undefined && Array.isArray(o.groupTypes))) return 'group';
  if (type === '#microsoft.graph.user' || type === undefined) return 'user';
  if (type === '#microsoft.graph.servicePrincipal') return 'servicePrincipal';
  if (type === '#microsoft.graph.device') return 'device';
  return 'other';
}

export function listRow(o: DirectoryObject): ListRow {
  return { ...personRef(o), kind: rowKind(o), disabled: o.accountEnabled === false };
}

/**
 * The members or owners of a group as a page shows them: loaded page by page, searched through Graph, and patched by
 * the changes this extension makes (never re-read right after a write: Graph lags).
 */
export class RelationList {
  private items: DirectoryObject[] = [];
  private next: PageCursor<DirectoryObject> | undefined;
  /** Graph's count of the whole list; kept up to date by the changes applied. */
  private count: number | undefined;
  /** Graph's count of what is listed (the matches while searching). */
  private total: number | undefined;
  private search = '';
  private error: WireError | undefined;
  private loading = false;
  private reading: AbortController | undefined;
  busy = false;
  outcomes: RowOutcome[] | undefined;

  constructor(
    readonly name: GroupListName,
    private readonly first: FirstPage,
    private readonly nextPage: NextPage,
    /** Why rows cannot be added or removed here; undefined when they can. */
    public readOnly: string | undefined,
  ) {}

  /** Reads the first page again, for `search` ('' for the whole list); a read still running is dropped. */
  async load(search = this.search): Promise<void> {
    this.reading?.abort();
    this.search = search;
    const page = await this.read((signal) => this.first(search === '' ? undefined : search, signal));
    if (!page) return;
    this.items = page.items;
    this.next = page.next;
    this.total = page.total;
    if (search === '') this.count = page.total;
  }

  /** The next page, up to {@link MAX_LIST_ROWS} rows; past that the page asks for a search instead. */
  async more(): Promise<void> {
    const at = this.next;
    if (!at || this.loading || this.items.length >= MAX_LIST_ROWS) return;
    const page = await this.read((signal) => this.nextPage(at, signal));
    if (!page) return;
    const known = new Set(this.items.map((i) => i.id.toLowerCase()));
    this.items = [...this.items, ...page.items.filter((i) => !known.has(i.id.toLowerCase()))].slice(0, MAX_LIST_ROWS);
    this.next = page.next;
  }

  /** Runs one read as the list's current read: undefined when it failed (the error is kept) or a newer read replaced it. */
  private async read(page: (signal: AbortSignal) => Promise<Result<Page<DirectoryObject>>>): Promise<Page<DirectoryObject> | undefined> {
    const controller = new AbortController();
    this.reading = controller;
    this.loading = true;
    const result = await page(controller.signal);
    if (controller.signal.aborted) return undefined;
    this.reading = undefined;
    this.loading = false;
    if (!result.success) {
      this.error = wireError(result.error, []);
      return undefined;
    }
    this.error = undefined;
    return result.data;
  }

  /** The loaded row with this id (any case), if any: what a removal may name. */
  find(id: string): DirectoryObject | undefined {
    const lower = id.toLowerCase();
    return this.items.find((i) => i.id.toLowerCase() === lower);
  }

  has(id: string): boolean {
    return this.find(id) !== undefined;
  }

  /** Whole-list count, as Graph gave it and changes since have moved it. */
  get wholeCount(): number | undefined {
    return this.count;
  }

  /** An object added by this extension. While searching it is counted but not listed: it may not match. */
  added(o: DirectoryObject): boolean {
    if (this.has(o.id)) return false;
    if (this.count !== undefined) this.count++;
    if (this.search !== '') return true;
    if (this.total !== undefined) this.total++;
    this.items = [...this.items, o];
    return true;
  }

  removed(id: string): boolean {
    const found = this.find(id);
    // A removal made elsewhere of a row not loaded (or not matching) still changes the whole list's count.
    if (this.count !== undefined) this.count = Math.max(0, this.count - 1);
    if (!found) return true;
    if (this.total !== undefined) this.total = Math.max(0, this.total - 1);
    this.items = this.items.filter((i) => i !== found);
    return true;
  }

  /** Applies changed properties to a listed object (a renamed or disabled user). */
  updated(id: string, changes: Partial<DirectoryObject>): boolean {
    const found = this.find(id);
    if (!found) return false;
    this.items = this.items.map((i) => (i === found ? { ...i, ...changes, id: i.id } : i));
    return true;
  }

  dispose(): void {
    this.reading?.abort();
  }

  state(): GroupListState {
    const state: GroupListState = {
      rows: this.items.map(listRow).sort(byName),
      more: this.next !== undefined && this.items.length < MAX_LIST_ROWS,
      loading: this.loading,
      search: forWebview(this.search, 512),
      busy: this.busy,
    };
    if (this.count !== undefined) state.count = this.count;
    if (this.total !== undefined) state.total = this.total;
    if (this.error) state.error = this.error;
    if (this.readOnly) state.readOnly = this.readOnly;
    if (this.outcomes) state.outcomes = this.outcomes;
    return state;
  }
}
