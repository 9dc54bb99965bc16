import type * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import { DirectoryCache, LocalSearch, type GraphClient } from '../core';
import type { CacheKey, DirectoryCacheStore } from './cacheStore';

/** Our own writes reach the file at most this long after they are made; more writes in the meantime are saved once. */
const SAVE_DELAY_MS = 1_000;

/** What the rest of the extension asks of the local directory. */
export interface LocalDirectoryAccess {
  /** Search over the signed-in tenant's cached users and groups, once a complete copy is here; undefined before. */
  search(): LocalSearch | undefined;
  /** Loads the saved copy and brings it up to date with Graph, once per sign-in; later calls wait for the same work. */
  ensure(): Promise<void>;
}

/**
 * The signed-in tenant's directory cache: loaded from global storage, kept current by delta query, changed at once by
 * our own writes (the change bus) and saved after them. Dropped when the account changes; every saved copy is removed
 * on sign-out and when the tenant or cloud changes, so no copy of a directory outlives the sign-in that read it.
 */
export class LocalDirectory implements LocalDirectoryAccess, vscode.Disposable {
  private cache: DirectoryCache | undefined;
  private finder: LocalSearch | undefined;
  private loading: Promise<void> | undefined;
  private key: CacheKey | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: DirectoryCacheStore,
    private readonly graph: () => GraphClient,
    private readonly keyOf: () => CacheKey | undefined,
    events: { onDidChangeAccount: vscode.Event<unknown>; onDidChange: vscode.Event<DirectoryChange> },
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
  ) {
    this.subscriptions.push(events.onDidChangeAccount(() => void this.accountChanged()));
    this.subscriptions.push(events.onDidChange((change) => this.applyOwn(change)));
  }

  search(): LocalSearch | undefined {
    return this.cache?.isComplete ? this.finder : undefined;
  }

  ensure(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
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
    const synced = await cache.sync(this.graph());
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
    if (this.cache && this.key) await this.store.save(this.key, this.cache);
  }

  private async accountChanged(): Promise<void> {
    const before = this.key;
    const now = this.keyOf();
    clearTimeout(this.saveTimer);
    this.cache = undefined;
    this.finder = undefined;
    this.loading = undefined;
    this.key = undefined;
    if (!now || (before && (before.tenantId !== now.tenantId || before.graphBaseUrl !== now.graphBaseUrl))) await this.store.clear();
  }

  dispose(): void {
    // A write still waiting to be saved is saved now rather than lost with the window.
    if (this.saveTimer) void this.save();
    clearTimeout(this.saveTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
