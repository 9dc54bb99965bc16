import type * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import { DirectoryCache, firstPageOf, LocalSearch, samePage, type FirstScreen, type FirstScreenList, type GraphClient, type Listed } from '../core';
import type { CacheKey, DirectoryCacheStore } from './cacheStore';

/** Our own writes reach the file at most this long after they are made; more writes in the meantime are saved once. */
const SAVE_DELAY_MS = 1_000;

/**
 * How old the copy may be when a search answers from it: older, and a delta round (one request per kind when nothing
 * changed) is read first, so that what others changed in the directory since is found too. Opening a picker or running
 * a view's search starts a round; a picker's keystrokes wait for that round, then answer from the copy alone.
 */
export const FRESH_FOR_MS = { opening: 0, keystroke: 60_000 } as const;

/** What the rest of the extension asks of the local directory. */
export interface LocalDirectoryAccess {
  /** Search over the signed-in tenant's cached users and groups, once a complete copy is here; undefined before. */
  search(): LocalSearch | undefined;
  /** Loads the saved copy and brings it up to date with Graph, once per sign-in; later calls wait for the same work. */
  ensure(): Promise<void>;
  /**
   * Search over a complete copy brought up to date by delta query unless a round began less than `maxAgeMs` ago (a
   * round under way is awaited); undefined when the cache is off or not built yet: the caller asks Graph.
   */
  fresh(maxAgeMs: number): Promise<LocalSearch | undefined>;
  /** Starts a delta round in the background unless one began less than `maxAgeMs` ago (a picker opening). */
  refresh(maxAgeMs: number): void;
  /**
   * For a view's list: the complete copy (brought up to date as {@link fresh} does), or — when a copy was saved by an
   * earlier session — that copy loaded and brought up to date by its delta (a warm start). Undefined while a first copy
   * is being built (its building is started; the view lists from Graph meanwhile) and when the cache is off.
   */
  listing(maxAgeMs: number): Promise<LocalSearch | undefined>;
  /**
   * While a saved copy is still being read: the first page of a view as it was saved with the copy, and a promise that
   * tells, once the copy is read and up to date, whether the view's first page is now different (or the copy could
   * not be used). Undefined when the copy is ready (list from it), or there is no saved first page of that size.
   */
  savedFirstPage(list: FirstScreenList, size: number): Promise<SavedFirstPage | undefined>;
}

export interface SavedFirstPage {
  page: Listed<CachedObject>;
  /** Resolves true when the view must list again: its first page changed, or the copy turned out unusable. */
  changed: Promise<boolean>;
}

type CachedObject = FirstScreen[FirstScreenList]['items'][number];

/**
 * The signed-in tenant's directory cache: loaded from global storage, kept current by delta query, changed at once by
 * our own writes (the change bus) and saved after them. Dropped when the account changes; every saved copy is removed
 * on sign-out and when the tenant or cloud changes, so no copy of a directory outlives the sign-in that read it.
 */
export class LocalDirectory implements LocalDirectoryAccess, vscode.Disposable {
  private cache: DirectoryCache | undefined;
  private finder: LocalSearch | undefined;
  private loading: Promise<void> | undefined;
  /** The first screen saved with the copy being loaded, read once per load. */
  private firstScreen: Promise<FirstScreen | undefined> | undefined;
  private key: CacheKey | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  /** The delta round under way, and when the last one began. */
  private syncing: Promise<void> | undefined;
  /** Stops the reads of the copy being built or brought up to date when it is dropped (sign-out, another account). */
  private reads = new AbortController();
  private lastRoundAt = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: DirectoryCacheStore,
    private readonly graph: () => GraphClient,
    private readonly keyOf: () => CacheKey | undefined,
    events: { onDidChangeAccount: vscode.Event<unknown>; onDidChange: vscode.Event<DirectoryChange>; onDidChangeEnabled?: (listener: () => void) => vscode.Disposable },
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
    /** `entraId.directoryCache.enabled`: off, nothing is kept on disk and every search asks Graph. */
    private readonly enabled: () => boolean = () => true,
    /** `entraId.pageSize`: how many rows of each view's first page are saved with the copy. */
    private readonly pageSize: () => number = () => 100,
  ) {
    this.subscriptions.push(events.onDidChangeAccount(() => void this.accountChanged()));
    this.subscriptions.push(events.onDidChange((change) => this.applyOwn(change)));
    if (events.onDidChangeEnabled) this.subscriptions.push(events.onDidChangeEnabled(() => void this.enabledChanged()));
  }

  search(): LocalSearch | undefined {
    return this.enabled() && this.cache?.isComplete ? this.finder : undefined;
  }

  ensure(): Promise<void> {
    if (!this.enabled()) return Promise.resolve();
    this.loading ??= this.load();
    return this.loading;
  }

  async fresh(maxAgeMs: number): Promise<LocalSearch | undefined> {
    if (!this.search()) return undefined;
    await this.round(maxAgeMs);
    return this.search();
  }

  refresh(maxAgeMs: number): void {
    if (this.search()) void this.round(maxAgeMs);
  }

  async listing(maxAgeMs: number): Promise<LocalSearch | undefined> {
    if (this.search()) return this.fresh(maxAgeMs);
    const key = this.keyOf();
    if (!this.enabled() || !key) return undefined;
    // A saved copy makes the first list wait for its (cheap) delta; without one, the list does not wait for a whole
    // enumeration of the tenant.
    const saved = await this.store.exists(key);
    const ready = this.ensure();
    if (!saved) return undefined;
    await ready;
    return this.search();
  }

  async savedFirstPage(list: FirstScreenList, size: number): Promise<SavedFirstPage | undefined> {
    const key = this.keyOf();
    if (this.search() || !this.enabled() || !key) return undefined;
    this.firstScreen ??= this.store.loadFirstScreen(key);
    const screen = await this.firstScreen;
    const page = screen && firstPageOf<CachedObject>(screen[list], size);
    if (!page || this.keyOf()?.tenantId !== key.tenantId) return undefined;
    const changed = this.ensure().then(() => {
      const now = this.search();
      if (!now) return true;
      const current = list === 'groups' ? now.listGroups(0, size) : now.listUsers(0, size, { includeDisabled: list === 'allUsers' });
      return !samePage(list, page, current);
    });
    return { page, changed };
  }

  /** One delta round at a time; a failed round leaves the copy as it was (logged), and the search answers from it. */
  private round(maxAgeMs: number): Promise<void> {
    if (this.syncing) return this.syncing;
    const cache = this.cache;
    if (!cache || Date.now() - this.lastRoundAt < maxAgeMs) return Promise.resolve();
    this.lastRoundAt = Date.now();
    this.syncing = (async () => {
      const before = cache.revision;
      const synced = await cache.sync(this.graph(), this.reads.signal);
      if (this.cache !== cache) return;
      if (!synced.success) this.log.warn(`The directory cache could not be brought up to date: ${synced.error.code}: ${synced.error.message}`);
      else if (cache.revision !== before) await this.save();
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Applies one of our own writes and schedules a save. */
  private applyOwn(change: DirectoryChange): void {
    if (!this.cache) return;
    this.cache.apply(change);
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, SAVE_DELAY_MS);
  }

  private async load(): Promise<void> {
    const key = this.keyOf();
    if (!key) return;
    const saved = await this.store.load(key);
    if (this.keyOf()?.tenantId !== key.tenantId) return;
    const cache = saved ?? new DirectoryCache();
    this.key = key;
    this.cache = cache;
    this.finder = new LocalSearch(cache);
    this.lastRoundAt = Date.now();
    const synced = await cache.sync(this.graph(), this.reads.signal);
    if (this.cache !== cache) return;
    if (!synced.success) {
      this.log.warn(`The directory cache could not be brought up to date: ${synced.error.code}: ${synced.error.message}`);
      return;
    }
    const { mode, changed, removed } = synced.data;
    this.log.info(`Directory cache ready (${mode}): ${cache.users.size} users, ${cache.groups.size} groups; ${changed} changed and ${removed} removed since the last copy.`);
    await this.save();
  }

  private async save(): Promise<void> {
    if (this.cache && this.key && this.enabled()) await this.store.save(this.key, this.cache, this.finder, this.pageSize());
  }

  /** Turned off: the copy is dropped and every saved file removed. Turned on: built at the next listing. */
  private async enabledChanged(): Promise<void> {
    if (this.enabled()) return;
    this.drop();
    await this.store.clear();
  }

  private drop(): void {
    this.reads.abort();
    this.reads = new AbortController();
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.cache = undefined;
    this.finder = undefined;
    this.loading = undefined;
    this.firstScreen = undefined;
    this.key = undefined;
    this.lastRoundAt = 0;
  }

  private async accountChanged(): Promise<void> {
    const before = this.key;
    const now = this.keyOf();
    this.drop();
    if (!now || (before && (before.tenantId !== now.tenantId || before.graphBaseUrl !== now.graphBaseUrl))) await this.store.clear();
  }

  dispose(): void {
    // A write still waiting to be saved is saved now rather than lost with the window.
    if (this.saveTimer) void this.save();
    clearTimeout(this.saveTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
