import type { GroupRecord } from './records.js';
import type { TenantState } from './tenant.js';

/**
 * Deleted items (https://learn.microsoft.com/graph/api/resources/directory?view=graph-rest-1.0, deletedItems): a
 * deleted group waits here with what it was, and a restore brings it back "fully"
 * (https://learn.microsoft.com/graph/api/directory-deleteditems-restore?view=graph-rest-1.0) — the same id and
 * properties, its members and owners, and its own group memberships — as long as those objects still exist. "A
 * recently deleted item remains available for up to 30 days. After 30 days, the item is permanently deleted" (same
 * page): expired items are dropped whenever the container is read.
 *
 * Which groups come here: "When deleted, both Microsoft 365 and security groups are moved to a temporary container and
 * can be restored within 30 days … This doesn't apply to Distribution groups which are permanently deleted immediately"
 * (https://learn.microsoft.com/graph/api/group-delete?view=graph-rest-1.0, current text; earlier versions of the page
 * said only Microsoft 365 groups). Distribution and mail-enabled security groups cannot be deleted through Graph at all
 * (groupsApi.ts), so every group Graph deletes lands here.
 */
export const DELETED_ITEM_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface DeletedGroup {
  rec: GroupRecord;
  /** When it was deleted (ms since the epoch, the emulator's clock). */
  deletedAt: number;
  members: string[];
  owners: string[];
  /** Groups it was a direct member of. */
  memberOf: string[];
}

export class DeletedItems {
  private readonly groups = new Map<string, DeletedGroup>();

  /** `now` is the emulator's clock for deletion dates and the 30 days; tests move it to age items. */
  constructor(private readonly state: TenantState, public now: () => number = Date.now) {}

  /** Moves a live group here (its links go with it); false when there is no such group. */
  deleteGroup(id: string): boolean {
    const rec = this.state.group(id);
    if (!rec) return false;
    const entry: DeletedGroup = {
      rec,
      deletedAt: this.now(),
      members: this.state.membersOf(rec.id),
      owners: this.state.ownersOf(rec.id),
      memberOf: this.state.memberOfGroups(rec.id),
    };
    this.state.deleteObject(rec.id);
    this.groups.set(rec.id.toLowerCase(), entry);
    return true;
  }

  /** The deleted groups still within their 30 days, oldest deletion first. */
  listGroups(): DeletedGroup[] {
    this.expire();
    return [...this.groups.values()].sort((a, b) => a.deletedAt - b.deletedAt);
  }

  group(id: string): DeletedGroup | undefined {
    this.expire();
    return this.groups.get(id.toLowerCase());
  }

  /** Puts the group back with the links whose other end still exists; undefined when it is not here. */
  restoreGroup(id: string): GroupRecord | undefined {
    const entry = this.group(id);
    if (!entry) return undefined;
    this.groups.delete(entry.rec.id.toLowerCase());
    const g = entry.rec;
    this.state.addGroup(g);
    for (const m of entry.members) if (this.state.object(m)) this.state.addMember(g.id, m);
    for (const o of entry.owners) if (this.state.object(o)) this.state.addOwner(g.id, o);
    for (const parent of entry.memberOf) if (this.state.group(parent)) this.state.addMember(parent, g.id);
    return g;
  }

  /** Permanent deletion (https://learn.microsoft.com/graph/api/directory-deleteditems-delete?view=graph-rest-1.0). */
  purge(id: string): boolean {
    return this.groups.delete(id.toLowerCase());
  }

  private expire(): void {
    const limit = this.now() - DELETED_ITEM_RETENTION_MS;
    for (const [key, entry] of this.groups) if (entry.deletedAt <= limit) this.groups.delete(key);
  }
}
