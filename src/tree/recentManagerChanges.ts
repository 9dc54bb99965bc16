import type { DirectoryObject, Page } from '../core';

/**
 * How long a manager set or cleared here is laid over what Graph reads answer. Graph replicates directory writes
 * asynchronously, and a read in the meantime may answer as before the write
 * (https://devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/). Graph's pages call
 * the delay "typically brief" and advise retrying after a few seconds
 * (https://learn.microsoft.com/graph/api/group-post-members?view=graph-rest-1.0), without an upper bound. Two minutes is far beyond those
 * seconds, matches the time the client itself keeps retrying a request that waits for replication (its retry budget,
 * src/core/http.ts), and is short enough that a change made elsewhere afterwards soon shows.
 */
export const MANAGER_CHANGE_WINDOW_MS = 2 * 60_000;

interface Entry {
  user: DirectoryObject;
  /** The manager set here; null when it was cleared. */
  manager: DirectoryObject | null;
  at: number;
}

const lower = (id: string): string => id.toLowerCase();

/**
 * The manager changes this window made within the replication window, by user (the latest wins). The Manager and
 * Direct reports folders lay them over Graph's answers, so a folder first opened right after "Set Manager…" does not
 * show the replica's older answer. Once Graph agrees nothing changes; after the window Graph's answer is shown as is.
 * Ids compare lower-case, as change events carry them.
 */
export class RecentManagerChanges {
  private readonly byUser = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = MANAGER_CHANGE_WINDOW_MS,
  ) {}

  record(user: DirectoryObject, manager: DirectoryObject | null): void {
    this.byUser.set(lower(user.id), { user, manager, at: this.now() });
  }

  /** Another account may see another tenant: nothing made under the previous one applies. */
  clear(): void {
    this.byUser.clear();
  }

  /** The manager of `userId` to show, given Graph's answer (`read`, null for none). */
  managerOf(userId: string, read: DirectoryObject | null): DirectoryObject | null {
    const entry = this.live().get(lower(userId));
    if (!entry) return read;
    if (!entry.manager) return null;
    return read && lower(read.id) === lower(entry.manager.id) ? read : entry.manager;
  }

  /**
   * The first page of `managerId`'s direct reports to show: users recently moved away are dropped, users recently
   * given this manager are added when Graph did not list them; Graph's count follows. (When Graph lists such a user only on
   * a later page, the count shown is one too high for each until the window ends: the first page cannot tell.)
   */
  firstReportsPage(managerId: string, page: Page<DirectoryObject>): Page<DirectoryObject> {
    const live = this.live();
    const boss = lower(managerId);
    const items = page.items.filter((o) => !movedAway(live.get(lower(o.id)), boss));
    const listed = new Set(items.map((o) => lower(o.id)));
    const added = [...live.entries()].filter(([id, e]) => e.manager && lower(e.manager.id) === boss && !listed.has(id)).map(([, e]) => e.user);
    const shown = [...items, ...added];
    if (page.total === undefined) return { ...page, items: shown };
    return { ...page, items: shown, total: Math.max(0, page.total + shown.length - page.items.length) };
  }

  /**
   * A later page of the same list: every user with a recent change is left out, as the first page already placed them
   * (shown when they now report to `managerId`, gone when they moved away).
   */
  laterReportsPage(page: Page<DirectoryObject>): Page<DirectoryObject> {
    const live = this.live();
    return { ...page, items: page.items.filter((o) => !live.has(lower(o.id))) };
  }

  /** The entries still within the window; older ones are forgotten. */
  private live(): Map<string, Entry> {
    const now = this.now();
    for (const [id, e] of this.byUser) if (now - e.at >= this.windowMs) this.byUser.delete(id);
    return this.byUser;
  }
}

function movedAway(entry: Entry | undefined, managerId: string): boolean {
  return entry !== undefined && (entry.manager === null || lower(entry.manager.id) !== managerId);
}
