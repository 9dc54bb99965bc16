import type { DirectoryObject, GroupRecord, ObjectKind, UserRecord } from './records.js';
import type { ChangeObserver, LinkRelation, TenantState } from './tenant.js';
import { Rng } from '../util/prng.js';

/**
 * Graph's eventual consistency. A write changes the primary copy (TenantState) at once; every later request reads a
 * replica, which shows each changed object, and each changed member/owner link, only once its replication delay has
 * passed (drawn per object and per link from the configured window, seeded).
 *
 * Sources:
 * - https://devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/ (2026-03-24):
 *   writes are accepted, then replicated asynchronously; reads are served from nearby replicas; during the window a
 *   newly created object can answer Not Found and a recently updated property may not be visible yet.
 * - group-list / user-list: "This request might have replication delays for groups [users] that were recently
 *   created, updated, or deleted." (graph-facts.md [GL], [UL]).
 * - user-list-memberof: memberOf items are specially indexed, "There can be a slight delay" ([UMO]).
 *
 * A replica applies one object's changes in the order they were made, and a link never before its group or member
 * exists there (a create reaches a replica before the links that reference it). A user's manager link replicates the
 * same way: the manager and direct reports a read sees lag a PUT or DELETE of `manager/$ref` (user-post-manager,
 * user-delete-manager: "This request might have replication delays" is not said there, but manager is a directory
 * link like members, and the eventual-consistency post above covers every directory write).
 */
export interface ConsistencyConfig {
  /** [min, max] in ms: a change reaches reads after a delay drawn uniformly from this window. */
  replicationDelayMs: readonly [number, number];
  /** Seeds the delays and the order of $batch items; default 1. */
  seed?: number;
}

/** What read handlers may see: the replica. Writes resolve their targets here, then change the primary copy. */
export interface DirectoryView {
  object(id: string): DirectoryObject | undefined;
  user(idOrUpn: string): UserRecord | undefined;
  group(id: string): GroupRecord | undefined;
  userIds(): Iterable<string>;
  groupIds(): Iterable<string>;
  /** Objects with a change this read does not see yet (delta query holds its token before them). */
  unsettledIds(): string[];
  servicePrincipalIds(): Iterable<string>;
  deviceIds(): Iterable<string>;
  /** Members or owners of a group, in the order they were added. */
  related(groupId: string, rel: LinkRelation): string[];
  /** A user's manager's id, as a replica has the link. */
  managerOf(userId: string): string | undefined;
  directReportsOf(managerId: string): string[];
  isLinked(groupId: string, rel: LinkRelation, memberId: string): boolean;
  memberOfGroups(objectId: string): string[];
  transitiveMemberOf(objectId: string): string[];
  transitiveMembersOf(groupId: string): string[];
}

interface Version<T> {
  at: number;
  value: T | undefined;
}

/** Changes not yet visible everywhere: `base` is what replicas showed before the first of them. */
interface Pending<T> {
  base: T | undefined;
  versions: Version<T>[];
}

interface PendingLink extends Pending<true> {
  groupId: string;
  rel: LinkRelation;
  memberId: string;
}

function visible<T>(p: Pending<T>, at: number): T | undefined {
  let value = p.base;
  for (const v of p.versions) {
    if (v.at > at) break;
    value = v.value;
  }
  return value;
}

const linkKey = (groupId: string, rel: LinkRelation, memberId: string): string => `${rel}|${groupId}|${memberId}`;

export class Replication implements ChangeObserver, DirectoryView {
  private cfg: { min: number; max: number } | undefined;
  private rng = new Rng(1);
  private readonly objects = new Map<string, Pending<DirectoryObject>>();
  private readonly links = new Map<string, PendingLink>();
  private readonly linksByGroup = new Map<string, Set<string>>();
  private readonly linksByMember = new Map<string, Set<string>>();
  /** Manager links not yet visible everywhere, by user: the manager's id (undefined: none). */
  private readonly managerLinks = new Map<string, Pending<string>>();
  private readonly dirtyManagers = new Set<string>();
  /** What the request being handled has changed (counted even when the model is off: it is the request's write cost). */
  private readonly dirtyObjects = new Set<string>();
  private readonly dirtyLinks = new Set<string>();
  /** The moment the current request reads the replica at. */
  private readAt = 0;

  constructor(
    private readonly state: TenantState,
    cfg: ConsistencyConfig | false | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    state.observer = this;
    this.configure(cfg);
  }

  get enabled(): boolean {
    return this.cfg !== undefined;
  }

  get config(): ConsistencyConfig | undefined {
    return this.cfg ? { replicationDelayMs: [this.cfg.min, this.cfg.max] } : undefined;
  }

  /** Changes not yet visible to every read. */
  get pending(): number {
    return this.objects.size + this.links.size + this.managerLinks.size;
  }

  /** Switching on or off, or to another window, makes every earlier change visible. */
  configure(cfg: ConsistencyConfig | false | undefined): void {
    const [min, max] = cfg ? cfg.replicationDelayMs : [0, 0];
    if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min)) {
      throw new Error('replicationDelayMs must be [min, max] with 0 <= min <= max.');
    }
    this.objects.clear();
    this.links.clear();
    this.linksByGroup.clear();
    this.linksByMember.clear();
    this.managerLinks.clear();
    this.cfg = cfg ? { min, max } : undefined;
    this.rng = new Rng(cfg ? (cfg.seed ?? 1) : 1);
  }

  /** The same items in a seeded random order when the model is on (for $batch), else as given. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    if (!this.cfg) return out;
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  // ---- request lifecycle -------------------------------------------------------

  /** Called as a request starts: fixes the moment its reads see and forgets changes visible everywhere. */
  beginRequest(): void {
    this.readAt = this.now();
    for (const [id, p] of this.objects) if ((p.versions.at(-1)?.at ?? 0) <= this.readAt) this.objects.delete(id);
    for (const [key, p] of this.links) if ((p.versions.at(-1)?.at ?? 0) <= this.readAt) this.dropLink(key, p);
    for (const [userId, p] of this.managerLinks) if ((p.versions.at(-1)?.at ?? 0) <= this.readAt) this.managerLinks.delete(userId);
  }

  /** Called when a request has been handled: schedules what it changed and returns how many objects and links that was. */
  commit(): number {
    const written = this.dirtyObjects.size + this.dirtyLinks.size + this.dirtyManagers.size;
    if (this.cfg) {
      const t = this.now();
      for (const id of this.dirtyObjects) {
        const p = this.objects.get(id);
        if (p) p.versions.push({ at: Math.max(t + this.delay(), this.lastAt(p)), value: this.snapshot(id) });
      }
      for (const key of this.dirtyLinks) {
        const p = this.links.get(key);
        if (!p) continue;
        const at = Math.max(t + this.delay(), this.lastAt(p), this.objectReadyAt(p.groupId), this.objectReadyAt(p.memberId));
        p.versions.push({ at, value: this.linkNow(p) });
      }
      for (const userId of this.dirtyManagers) {
        const p = this.managerLinks.get(userId);
        if (!p) continue;
        const manager = this.state.managers.get(userId);
        const at = Math.max(t + this.delay(), this.lastAt(p), this.objectReadyAt(userId), manager ? this.objectReadyAt(manager) : 0);
        p.versions.push({ at, value: manager });
      }
    }
    this.dirtyObjects.clear();
    this.dirtyLinks.clear();
    this.dirtyManagers.clear();
    return written;
  }

  // ---- ChangeObserver: told by TenantState before the primary copy changes --------

  objectWillChange(id: string): void {
    this.dirtyObjects.add(id);
    if (this.cfg && !this.objects.has(id)) this.objects.set(id, { base: this.snapshot(id), versions: [] });
  }

  linkWillChange(groupId: string, rel: LinkRelation, memberId: string): void {
    const key = linkKey(groupId, rel, memberId);
    this.dirtyLinks.add(key);
    if (!this.cfg || this.links.has(key)) return;
    const p: PendingLink = { groupId, rel, memberId, base: undefined, versions: [] };
    p.base = this.linkNow(p);
    this.links.set(key, p);
    index(this.linksByGroup, groupId, key);
    index(this.linksByMember, memberId, key);
  }

  managerWillChange(userId: string): void {
    this.dirtyManagers.add(userId);
    if (this.cfg && !this.managerLinks.has(userId)) this.managerLinks.set(userId, { base: this.state.managers.get(userId), versions: [] });
  }

  // ---- DirectoryView -------------------------------------------------------------

  managerOf(userId: string): string | undefined {
    const p = this.managerLinks.get(userId);
    return p ? visible(p, this.readAt) : this.state.managers.get(userId);
  }

  directReportsOf(managerId: string): string[] {
    const primary = this.state.directReportsOf(managerId);
    if (this.managerLinks.size === 0) return primary;
    const out = primary.filter((userId) => this.managerOf(userId) === managerId);
    for (const [userId, p] of this.managerLinks) if (!primary.includes(userId) && visible(p, this.readAt) === managerId) out.push(userId);
    return out;
  }

  object(id: string): DirectoryObject | undefined {
    const primary = this.state.object(id);
    if (this.objects.size === 0) return primary;
    const p = this.objects.get(primary?.rec.id ?? id) ?? this.objects.get(id.toLowerCase());
    return p ? visible(p, this.readAt) : primary;
  }

  user(idOrUpn: string): UserRecord | undefined {
    const byId = this.object(idOrUpn);
    if (byId) return byId.kind === 'user' ? byId.rec : undefined;
    if (this.objects.size === 0) return this.state.userByUpn(idOrUpn);
    // A user renamed or deleted a moment ago is still found by its old UPN.
    const upn = idOrUpn.toLowerCase();
    for (const p of this.objects.values()) {
      const v = visible(p, this.readAt);
      if (v?.kind === 'user' && v.rec.userPrincipalName.toLowerCase() === upn) return v.rec;
    }
    const u = this.state.userByUpn(idOrUpn);
    return u && !this.objects.has(u.id) ? u : undefined;
  }

  group(id: string): GroupRecord | undefined {
    const o = this.object(id);
    return o?.kind === 'group' ? o.rec : undefined;
  }

  userIds(): Iterable<string> {
    return this.ids('user', this.state.usersById);
  }

  unsettledIds(): string[] {
    const out: string[] = [];
    for (const [id, p] of this.objects) if (p.versions.some((v) => v.at > this.readAt)) out.push(id);
    return out;
  }

  groupIds(): Iterable<string> {
    return this.ids('group', this.state.groupsById);
  }

  servicePrincipalIds(): Iterable<string> {
    return this.ids('servicePrincipal', this.state.servicePrincipalsById);
  }

  deviceIds(): Iterable<string> {
    return this.ids('device', this.state.devicesById);
  }

  related(groupId: string, rel: LinkRelation): string[] {
    const primary = (rel === 'members' ? this.state.members : this.state.owners).get(groupId) ?? new Set<string>();
    const keys = this.linksByGroup.get(groupId);
    if (!keys) return [...primary];
    const out: string[] = [];
    for (const m of primary) if (this.isLinked(groupId, rel, m)) out.push(m);
    for (const key of keys) {
      const p = this.links.get(key);
      if (p && p.rel === rel && !primary.has(p.memberId) && visible(p, this.readAt)) out.push(p.memberId);
    }
    return out;
  }

  isLinked(groupId: string, rel: LinkRelation, memberId: string): boolean {
    const p = this.links.get(linkKey(groupId, rel, memberId));
    if (p) return visible(p, this.readAt) === true;
    return rel === 'members' ? this.state.isMember(groupId, memberId) : this.state.isOwner(groupId, memberId);
  }

  memberOfGroups(objectId: string): string[] {
    const primary = this.state.memberOfGroups(objectId);
    const keys = this.linksByMember.get(objectId);
    if (!keys) return primary;
    const out = primary.filter((g) => this.isLinked(g, 'members', objectId));
    for (const key of keys) {
      const p = this.links.get(key);
      if (p && p.rel === 'members' && !primary.includes(p.groupId) && visible(p, this.readAt)) out.push(p.groupId);
    }
    return out;
  }

  transitiveMemberOf(objectId: string): string[] {
    if (this.links.size === 0) return this.state.transitiveMemberOf(objectId);
    return walk(objectId, (id) => this.memberOfGroups(id), () => true);
  }

  transitiveMembersOf(groupId: string): string[] {
    if (this.links.size === 0) return this.state.transitiveMembersOf(groupId);
    return walk(groupId, (id) => this.related(id, 'members'), (id) => this.group(id) !== undefined);
  }

  // ---- internals ------------------------------------------------------------------

  private *ids(kind: ObjectKind, primary: ReadonlyMap<string, unknown>): Iterable<string> {
    yield* primary.keys();
    // Deleted a moment ago: still listed by replicas.
    for (const [id, p] of this.objects) if (!primary.has(id) && visible(p, this.readAt)?.kind === kind) yield id;
  }

  private delay(): number {
    const c = this.cfg;
    return c ? c.min + this.rng.next() * (c.max - c.min) : 0;
  }

  private lastAt<T>(p: Pending<T>): number {
    return p.versions.at(-1)?.at ?? 0;
  }

  private objectReadyAt(id: string): number {
    const p = this.objects.get(id);
    return p ? this.lastAt(p) : 0;
  }

  private snapshot(id: string): DirectoryObject | undefined {
    const o = this.state.object(id);
    return o ? ({ kind: o.kind, rec: structuredClone(o.rec) } as DirectoryObject) : undefined;
  }

  private linkNow(p: PendingLink): true | undefined {
    const linked = p.rel === 'members' ? this.state.isMember(p.groupId, p.memberId) : this.state.isOwner(p.groupId, p.memberId);
    return linked ? true : undefined;
  }

  private dropLink(key: string, p: PendingLink): void {
    this.links.delete(key);
    unindex(this.linksByGroup, p.groupId, key);
    unindex(this.linksByMember, p.memberId, key);
  }
}

function index(map: Map<string, Set<string>>, id: string, key: string): void {
  const set = map.get(id);
  if (set) set.add(key);
  else map.set(id, new Set([key]));
}

function unindex(map: Map<string, Set<string>>, id: string, key: string): void {
  const set = map.get(id);
  if (!set) return;
  set.delete(key);
  if (set.size === 0) map.delete(id);
}

/** Breadth-first closure through `next`, nearest first; cycles are tolerated. `expand` says whether to go on from an id. */
function walk(start: string, next: (id: string) => string[], expand: (id: string) => boolean): string[] {
  const seen = new Set<string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const id of next(queue[i] as string)) {
      if (seen.has(id) || id === start) continue;
      seen.add(id);
      if (expand(id)) queue.push(id);
    }
  }
  return [...seen];
}
