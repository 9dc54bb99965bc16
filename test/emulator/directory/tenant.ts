import type { DeviceRecord, DirectoryObject, GroupKind, GroupRecord, ServicePrincipalRecord, UserRecord } from './records.js';
import { groupKind } from './records.js';
import type { DirectoryRole } from './roles.js';
import { DeletedItems } from './deletedItems.js';

const NO_ROLES: ReadonlySet<DirectoryRole> = new Set();

export type LinkRelation = 'members' | 'owners';

/** Told before the primary copy of an object or link changes, so that replicas can keep the old one a while (replication.ts). */
export interface ChangeObserver {
  objectWillChange(id: string): void;
  linkWillChange(groupId: string, rel: LinkRelation, memberId: string): void;
  /** Before a user's manager link is set or removed. */
  managerWillChange(userId: string): void;
}

/**
 * The live directory: users and groups by id plus the indexes Graph answers from
 * (UPN, manager/direct reports, members/owners and their reverse). Everything is
 * kept in Maps and insertion-ordered Sets so 100k users and a 100k-member group
 * stay cheap, and collection order is stable.
 */
export class TenantState {
  readonly usersById = new Map<string, UserRecord>();
  readonly groupsById = new Map<string, GroupRecord>();
  readonly servicePrincipalsById = new Map<string, ServicePrincipalRecord>();
  readonly devicesById = new Map<string, DeviceRecord>();
  /** userId → managerId */
  readonly managers = new Map<string, string>();
  /** groupId → member ids (users or groups), in the order they were added */
  readonly members = new Map<string, Set<string>>();
  readonly owners = new Map<string, Set<string>>();
  /** Directory roles (tenant-wide assignments) by principal id: a user's id, or an app's service principal id. */
  readonly roleAssignments = new Map<string, Set<DirectoryRole>>();
  adminUserId = '';
  observer: ChangeObserver | undefined;
  /** Change tracking for delta query (graph/deltaApi.ts): a sequence number per change, and the epoch tokens belong to. */
  readonly journal = new ChangeJournal();
  /** Groups deleted within the last 30 days, restorable (deletedItems.ts). */
  readonly deletedItems: DeletedItems = new DeletedItems(this);

  private readonly upnIndex = new Map<string, string>();
  // Reverse indexes hold short lists per object (a user is in a handful of groups), so
  // arrays are used: 100k small Sets would cost far more memory and garbage collection.
  private readonly reports = new Map<string, string[]>();
  private readonly memberOfIndex = new Map<string, string[]>();
  private readonly ownerOfIndex = new Map<string, string[]>();

  constructor(readonly domain: string) {}

  // ---- lookups -------------------------------------------------------------

  user(idOrUpn: string): UserRecord | undefined {
    const byId = this.usersById.get(idOrUpn) ?? this.usersById.get(idOrUpn.toLowerCase());
    if (byId) return byId;
    const id = this.upnIndex.get(idOrUpn.toLowerCase());
    return id === undefined ? undefined : this.usersById.get(id);
  }

  userByUpn(upn: string): UserRecord | undefined {
    const id = this.upnIndex.get(upn.toLowerCase());
    return id === undefined ? undefined : this.usersById.get(id);
  }

  group(id: string): GroupRecord | undefined {
    return this.groupsById.get(id) ?? this.groupsById.get(id.toLowerCase());
  }

  object(id: string): DirectoryObject | undefined {
    const u = this.usersById.get(id) ?? this.usersById.get(id.toLowerCase());
    if (u) return { kind: 'user', rec: u };
    const g = this.group(id);
    if (g) return { kind: 'group', rec: g };
    const sp = this.servicePrincipalsById.get(id) ?? this.servicePrincipalsById.get(id.toLowerCase());
    if (sp) return { kind: 'servicePrincipal', rec: sp };
    const d = this.devicesById.get(id) ?? this.devicesById.get(id.toLowerCase());
    return d ? { kind: 'device', rec: d } : undefined;
  }

  addServicePrincipal(sp: ServicePrincipalRecord): void {
    this.observer?.objectWillChange(sp.id);
    this.servicePrincipalsById.set(sp.id, sp);
  }

  addDevice(d: DeviceRecord): void {
    this.observer?.objectWillChange(d.id);
    this.devicesById.set(d.id, d);
  }

  users(): IterableIterator<UserRecord> {
    return this.usersById.values();
  }

  groups(): IterableIterator<GroupRecord> {
    return this.groupsById.values();
  }

  findUser(pred: (u: UserRecord) => boolean): UserRecord | undefined {
    for (const u of this.usersById.values()) if (pred(u)) return u;
    return undefined;
  }

  findGroup(pred: (g: GroupRecord) => boolean): GroupRecord | undefined {
    for (const g of this.groupsById.values()) if (pred(g)) return g;
    return undefined;
  }

  groupsOfKind(kind: GroupKind): GroupRecord[] {
    return [...this.groupsById.values()].filter((g) => groupKind(g) === kind);
  }

  membersOf(groupId: string): string[] {
    return [...(this.members.get(groupId) ?? [])];
  }

  ownersOf(groupId: string): string[] {
    return [...(this.owners.get(groupId) ?? [])];
  }

  isMember(groupId: string, objectId: string): boolean {
    return this.members.get(groupId)?.has(objectId) ?? false;
  }

  isOwner(groupId: string, objectId: string): boolean {
    return this.owners.get(groupId)?.has(objectId) ?? false;
  }

  managerOf(userId: string): UserRecord | undefined {
    const m = this.managers.get(userId);
    return m === undefined ? undefined : this.usersById.get(m);
  }

  directReportsOf(userId: string): string[] {
    return [...(this.reports.get(userId) ?? [])];
  }

  /** Groups the object is a direct member of. */
  memberOfGroups(objectId: string): string[] {
    return [...(this.memberOfIndex.get(objectId) ?? [])];
  }

  ownedGroups(objectId: string): string[] {
    return [...(this.ownerOfIndex.get(objectId) ?? [])];
  }

  rolesOf(principalId: string): ReadonlySet<DirectoryRole> {
    return this.roleAssignments.get(principalId) ?? NO_ROLES;
  }

  /** Groups reachable upwards through nesting, nearest first; cycles are tolerated. */
  transitiveMemberOf(objectId: string): string[] {
    const seen = new Set<string>();
    const queue = [objectId];
    for (let i = 0; i < queue.length; i++) {
      for (const g of this.memberOfIndex.get(queue[i] as string) ?? []) {
        if (!seen.has(g) && g !== objectId) {
          seen.add(g);
          queue.push(g);
        }
      }
    }
    return [...seen];
  }

  /** Members of the group and of every nested group, each once. */
  transitiveMembersOf(groupId: string): string[] {
    const seen = new Set<string>();
    const queue = [groupId];
    for (let i = 0; i < queue.length; i++) {
      for (const m of this.members.get(queue[i] as string) ?? []) {
        if (seen.has(m) || m === groupId) continue;
        seen.add(m);
        if (this.groupsById.has(m)) queue.push(m);
      }
    }
    return [...seen];
  }

  // ---- mutations -----------------------------------------------------------

  /** For changes made to a record in place (PATCH): call before changing it. */
  willChange(id: string): void {
    this.journal.changed(id);
    this.observer?.objectWillChange(id);
  }

  addUser(u: UserRecord): void {
    this.journal.changed(u.id);
    this.observer?.objectWillChange(u.id);
    this.usersById.set(u.id, u);
    this.upnIndex.set(u.userPrincipalName.toLowerCase(), u.id);
  }

  /** Re-keys the UPN index after a userPrincipalName change. */
  renameUpn(u: UserRecord, newUpn: string): void {
    this.journal.changed(u.id);
    this.observer?.objectWillChange(u.id);
    this.upnIndex.delete(u.userPrincipalName.toLowerCase());
    u.userPrincipalName = newUpn;
    this.upnIndex.set(newUpn.toLowerCase(), u.id);
  }

  addGroup(g: GroupRecord): void {
    this.journal.changed(g.id);
    this.observer?.objectWillChange(g.id);
    this.groupsById.set(g.id, g);
    this.members.set(g.id, new Set());
    this.owners.set(g.id, new Set());
  }

  addMember(groupId: string, objectId: string): void {
    this.observer?.linkWillChange(groupId, 'members', objectId);
    this.members.get(groupId)?.add(objectId);
    indexAdd(this.memberOfIndex, objectId, groupId);
  }

  removeMember(groupId: string, objectId: string): void {
    this.observer?.linkWillChange(groupId, 'members', objectId);
    this.members.get(groupId)?.delete(objectId);
    indexRemove(this.memberOfIndex, objectId, groupId);
  }

  addOwner(groupId: string, objectId: string): void {
    this.observer?.linkWillChange(groupId, 'owners', objectId);
    this.owners.get(groupId)?.add(objectId);
    indexAdd(this.ownerOfIndex, objectId, groupId);
  }

  removeOwner(groupId: string, objectId: string): void {
    this.observer?.linkWillChange(groupId, 'owners', objectId);
    this.owners.get(groupId)?.delete(objectId);
    indexRemove(this.ownerOfIndex, objectId, groupId);
  }

  assignRole(principalId: string, role: DirectoryRole): void {
    const roles = this.roleAssignments.get(principalId);
    if (roles) roles.add(role);
    else this.roleAssignments.set(principalId, new Set([role]));
  }

  removeRole(principalId: string, role: DirectoryRole): void {
    this.roleAssignments.get(principalId)?.delete(role);
  }

  setManager(userId: string, managerId: string | undefined): void {
    this.observer?.managerWillChange(userId);
    const previous = this.managers.get(userId);
    if (previous !== undefined) indexRemove(this.reports, previous, userId);
    if (managerId === undefined) {
      this.managers.delete(userId);
    } else {
      this.managers.set(userId, managerId);
      indexAdd(this.reports, managerId, userId);
    }
  }

  /** Removes the object and every reference to it, as a hard delete does. */
  deleteObject(id: string): boolean {
    const obj = this.object(id);
    if (!obj) return false;
    const realId = obj.rec.id;
    this.journal.removed(realId);
    this.observer?.objectWillChange(realId);
    for (const g of this.memberOfGroups(realId)) this.removeMember(g, realId);
    for (const g of this.ownedGroups(realId)) this.removeOwner(g, realId);
    if (obj.kind === 'user') {
      this.setManager(realId, undefined);
      for (const r of this.directReportsOf(realId)) this.setManager(r, undefined);
      this.reports.delete(realId);
      this.upnIndex.delete(obj.rec.userPrincipalName.toLowerCase());
      this.usersById.delete(realId);
      this.roleAssignments.delete(realId);
    } else if (obj.kind === 'servicePrincipal') {
      this.servicePrincipalsById.delete(realId);
      this.roleAssignments.delete(realId);
    } else if (obj.kind === 'device') {
      this.devicesById.delete(realId);
    } else {
      for (const m of this.membersOf(realId)) this.removeMember(realId, m);
      for (const o of this.ownersOf(realId)) this.removeOwner(realId, o);
      this.members.delete(realId);
      this.owners.delete(realId);
      this.groupsById.delete(realId);
    }
    return true;
  }
}

/**
 * What delta query needs to answer "what changed since this token": the sequence number of each object's last change
 * or removal. Seeding counts as changes before any token exists, so a token from `$deltatoken=latest` sees none of it.
 * `reset()` starts a new epoch: tokens from an earlier one are no longer honoured (Graph's resync answer).
 */
export class ChangeJournal {
  private seq = 0;
  private epochValue = 1;
  private readonly changedAt = new Map<string, number>();
  private readonly removedAt = new Map<string, number>();

  get current(): number {
    return this.seq;
  }

  get epoch(): number {
    return this.epochValue;
  }

  changed(id: string): void {
    this.changedAt.set(id, ++this.seq);
    this.removedAt.delete(id);
  }

  removed(id: string): void {
    this.removedAt.set(id, ++this.seq);
    this.changedAt.delete(id);
  }

  /** Ids changed (still present) and removed after `since` and up to `upTo`, in the order they last changed. */
  since(since: number, upTo = this.seq): { changed: string[]; removed: string[] } {
    const after = (m: Map<string, number>): string[] => [...m].filter(([, at]) => at > since && at <= upTo).sort((a, b) => a[1] - b[1]).map(([id]) => id);
    return { changed: after(this.changedAt), removed: after(this.removedAt) };
  }

  /** The sequence number of the object's last change or removal (0: none recorded). */
  seqOf(id: string): number {
    return this.changedAt.get(id) ?? this.removedAt.get(id) ?? 0;
  }

  reset(): void {
    this.epochValue++;
  }
}

function indexAdd(index: Map<string, string[]>, key: string, value: string): void {
  const list = index.get(key);
  if (!list) index.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function indexRemove(index: Map<string, string[]>, key: string, value: string): void {
  const list = index.get(key);
  if (!list) return;
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) index.delete(key);
}
