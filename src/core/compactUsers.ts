import type { CachedUser } from './directoryCache';

/**
 * The cached users, held compactly: a large tenant's copy stays in memory for the whole session (the tree and the
 * search answer from it), so an object per user (about 500 bytes) is too much. Each user is one record of UTF-8 bytes
 * in a shared buffer (fields apart by a separator, a user principal name's domain by its number in a small table, mail
 * left out when it is the user principal name), its id as 16 bytes, and a hash table from id to slot. Objects are made
 * only for the users a page or a search result shows.
 */

const SEP = 0x1f;
/** An absent (null) field. */
const NULL_MARK = '\u0001';
/** Mail equal to the user principal name. */
const SAME_AS_UPN = '\u0002';
/** Before a domain's number in the user principal name. */
const DOMAIN_MARK = '\u0003';
/** Before a record written as JSON: one whose text holds the marks or the separator itself (hostile text). */
const JSON_MARK = '\u0004';
/** Whether a text holds one of the marks or the separator (hostile text), which a record cannot carry as they are. */
function holdsMarks(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x04 || c === SEP) return true;
  }
  return false;
}
const EMPTY = 0xffffffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Two hex digits per byte value, so that an id is written back without a string per digit. */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** Where a GUID's dashes stand; its 32 hex digits are around them. */
const DASHES = new Set([8, 13, 18, 23]);

/**
 * Reads a lower-case GUID into 16 bytes; false for any other id (Graph's ids are GUIDs; a test's may not be). Ids are
 * compared and hashed as these bytes: a look-up makes no strings, which matters when 100,000 users are loaded.
 */
function guidBytes(id: string, out: Uint8Array): boolean {
  if (id.length !== 36) return false;
  let b = 0;
  for (let i = 0; i < 36; i++) {
    if (DASHES.has(i)) {
      if (id.charCodeAt(i) !== 0x2d) return false;
      continue;
    }
    const hi = hexValue(id.charCodeAt(i++));
    const lo = hexValue(id.charCodeAt(i));
    if (hi < 0 || lo < 0) return false;
    out[b++] = (hi << 4) | lo;
  }
  return true;
}

function hexValue(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
}

/** What the rest of the code reads of the cached users. */
export interface CachedUsers {
  readonly size: number;
  get(id: string): CachedUser | undefined;
  has(id: string): boolean;
  values(): IterableIterator<CachedUser>;
  keys(): IterableIterator<string>;
  /** The slots in use: numbers to hold instead of objects (see {@link at}). */
  slotsInUse(): IterableIterator<number>;
  at(slot: number): CachedUser;
  /** What the Users view orders and filters by, read without the rest of the record. */
  listingKeyAt(slot: number): ListingKey;
  idAt(slot: number): string;
}

export interface ListingKey {
  displayName: string | null;
  accountEnabled: boolean | null;
}

export class CompactUsers implements CachedUsers {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** Bytes of records replaced or removed: the buffer is rewritten when they are half of it. */
  private wasted = 0;
  private starts = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  private ids = new Uint8Array(1024 * 16);
  /** Ids that are not GUIDs (Graph's are; a test's may not be) are kept as text. */
  private readonly otherIds = new Map<number, string>();
  /** A looked-up id's bytes (reused: one look-up at a time). */
  private readonly probe = new Uint8Array(16);
  private slots = 0;
  private readonly freeSlots: number[] = [];
  /** Open addressing: id hash → slot + 1 (0 = empty). */
  private table = new Int32Array(2048);
  private readonly domains: string[] = [];
  private readonly domainIndex = new Map<string, number>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.slotOf(id) >= 0;
  }

  get(id: string): CachedUser | undefined {
    const slot = this.slotOf(id);
    return slot < 0 ? undefined : this.at(slot);
  }

  /** Adds or replaces the user with this (lower-case) id. */
  set(id: string, user: CachedUser): void {
    const record = encoder.encode(this.pack(user));
    let slot = this.slotOf(id);
    if (slot >= 0) this.wasted += this.lengths[slot] as number;
    else {
      slot = this.freeSlots.pop() ?? this.newSlot();
      this.writeId(slot, id);
      this.insertInTable(slot);
      this.count++;
    }
    this.ensureBytes(record.length);
    this.bytes.set(record, this.used);
    this.starts[slot] = this.used;
    this.lengths[slot] = record.length;
    this.used += record.length;
    if (this.wasted > this.used / 2 && this.used > 1 << 20) this.compact();
  }

  delete(id: string): boolean {
    const slot = this.slotOf(id);
    if (slot < 0) return false;
    this.wasted += this.lengths[slot] as number;
    this.starts[slot] = EMPTY;
    this.otherIds.delete(slot);
    this.count--;
    this.freeSlots.push(slot);
    // The table is rebuilt rather than tombstoned: removals are rare (a delta's @removed, a deleted user).
    this.rebuildTable(this.table.length);
    return true;
  }

  clear(): void {
    this.used = 0;
    this.wasted = 0;
    this.slots = 0;
    this.count = 0;
    this.freeSlots.length = 0;
    this.otherIds.clear();
    this.table.fill(0);
  }

  /** The slots in use, in no particular order; stable until the next change. */
  *slotsInUse(): IterableIterator<number> {
    for (let slot = 0; slot < this.slots; slot++) if (this.starts[slot] !== EMPTY) yield slot;
  }

  *keys(): IterableIterator<string> {
    for (const slot of this.slotsInUse()) yield this.readId(slot);
  }

  *values(): IterableIterator<CachedUser> {
    for (const slot of this.slotsInUse()) yield this.at(slot);
  }

  /** The user in a slot, as a new object. */
  at(slot: number): CachedUser {
    const start = this.starts[slot] as number;
    const text = decoder.decode(this.bytes.subarray(start, start + (this.lengths[slot] as number)));
    return this.unpack(this.readId(slot), text);
  }

  listingKeyAt(slot: number): ListingKey {
    const start = this.starts[slot] as number;
    const end = start + (this.lengths[slot] as number);
    const bytes = this.bytes;
    if (bytes[start] === JSON_MARK.charCodeAt(0)) {
      const user = this.at(slot);
      return { displayName: user.displayName ?? null, accountEnabled: user.accountEnabled ?? null };
    }
    // The name is the first field; the account's state the sixth, one character ('t', 'f' or the null mark).
    let nameEnd = start;
    while (nameEnd < end && bytes[nameEnd] !== SEP) nameEnd++;
    let field = 1;
    let at = nameEnd;
    while (at < end && field < 5) if (bytes[++at] === SEP) field++;
    const enabled = bytes[at + 1];
    const name = decoder.decode(bytes.subarray(start, nameEnd));
    return {
      displayName: name === NULL_MARK ? null : name,
      accountEnabled: enabled === 0x74 ? true : enabled === 0x66 ? false : null,
    };
  }

  idAt(slot: number): string {
    return this.readId(slot);
  }

  private pack(u: CachedUser): string {
    const values = [u.displayName, u.userPrincipalName, u.mail, u.jobTitle, u.department, u.userType];
    if (values.some((v) => typeof v === 'string' && holdsMarks(v))) return JSON_MARK + JSON.stringify([...values, u.accountEnabled ?? null]);
    const f = (v: string | null | undefined): string => (v === null || v === undefined ? NULL_MARK : v);
    const upn = u.userPrincipalName;
    let packedUpn = f(upn);
    if (upn) {
      const at = upn.lastIndexOf('@');
      if (at >= 0) packedUpn = `${upn.slice(0, at)}${DOMAIN_MARK}${this.domainNumber(upn.slice(at + 1)).toString(36)}`;
    }
    const mail = u.mail && u.mail === upn ? SAME_AS_UPN : f(u.mail);
    const enabled = u.accountEnabled === true ? 't' : u.accountEnabled === false ? 'f' : NULL_MARK;
    return [f(u.displayName), packedUpn, mail, f(u.jobTitle), f(u.department), enabled, f(u.userType)].join(String.fromCharCode(SEP));
  }

  private unpack(id: string, text: string): CachedUser {
    if (text.startsWith(JSON_MARK)) {
      const [displayName, userPrincipalName, mail, jobTitle, department, userType, accountEnabled] = JSON.parse(text.slice(1)) as Array<string | boolean | null>;
      return { id, displayName, userPrincipalName, mail, jobTitle, department, accountEnabled, userType } as CachedUser;
    }
    const [displayName, packedUpn, mail, jobTitle, department, enabled, userType] = text.split(String.fromCharCode(SEP));
    const v = (s: string | undefined): string | null => (s === NULL_MARK || s === undefined ? null : s);
    let upn = v(packedUpn);
    const mark = upn?.lastIndexOf(DOMAIN_MARK) ?? -1;
    if (upn && mark >= 0) upn = `${upn.slice(0, mark)}@${this.domains[parseInt(upn.slice(mark + 1), 36)] ?? ''}`;
    return {
      id,
      displayName: v(displayName),
      userPrincipalName: upn,
      mail: mail === SAME_AS_UPN ? upn : v(mail),
      jobTitle: v(jobTitle),
      department: v(department),
      accountEnabled: enabled === 't' ? true : enabled === 'f' ? false : null,
      userType: v(userType),
    };
  }

  private domainNumber(domain: string): number {
    let n = this.domainIndex.get(domain);
    if (n === undefined) {
      n = this.domains.length;
      this.domains.push(domain);
      this.domainIndex.set(domain, n);
    }
    return n;
  }

  private newSlot(): number {
    if (this.slots === this.starts.length) {
      const grow = <A extends Uint32Array | Uint8Array>(a: A, size: number): A => {
        const b = new (a.constructor as new (n: number) => A)(size);
        b.set(a);
        return b;
      };
      const capacity = this.starts.length * 2;
      this.starts = grow(this.starts, capacity);
      this.lengths = grow(this.lengths, capacity);
      this.ids = grow(this.ids, capacity * 16);
    }
    if (this.slots * 2 >= this.table.length) this.rebuildTable(this.table.length * 2);
    return this.slots++;
  }

  private ensureBytes(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.used + extra));
    bigger.set(this.bytes.subarray(0, this.used));
    this.bytes = bigger;
  }

  /** After a bulk load: the buffers hold what is there and an eighth more, rather than up to twice that. */
  trim(): void {
    const capacity = Math.max(1024, Math.ceil(this.slots * 1.125));
    const cut = <A extends Uint32Array | Uint8Array>(a: A, size: number): A => {
      const b = new (a.constructor as new (n: number) => A)(size);
      b.set(a.subarray(0, Math.min(size, a.length)));
      return b;
    };
    this.starts = cut(this.starts, capacity);
    this.lengths = cut(this.lengths, capacity);
    this.ids = cut(this.ids, capacity * 16);
    this.compact(1.125);
  }

  /** Rewrites the buffer without the records replaced or removed since, with `room` times their size. */
  private compact(room = 2): void {
    const fresh = new Uint8Array(Math.max(1 << 16, Math.ceil((this.used - this.wasted) * room)));
    let at = 0;
    for (const slot of this.slotsInUse()) {
      const start = this.starts[slot] as number;
      const length = this.lengths[slot] as number;
      fresh.set(this.bytes.subarray(start, start + length), at);
      this.starts[slot] = at;
      at += length;
    }
    this.bytes = fresh;
    this.used = at;
    this.wasted = 0;
  }

  private writeId(slot: number, id: string): void {
    if (guidBytes(id, this.probe)) {
      this.otherIds.delete(slot);
      this.ids.set(this.probe, slot * 16);
    } else this.otherIds.set(slot, id);
  }

  private readId(slot: number): string {
    const other = this.otherIds.get(slot);
    if (other !== undefined) return other;
    const ids = this.ids;
    const at = slot * 16;
    let hex = '';
    for (let i = 0; i < 16; i++) hex += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + (BYTE_HEX[ids[at + i] as number] as string);
    return hex;
  }

  private slotOf(id: string): number {
    const guid = guidBytes(id, this.probe);
    const mask = this.table.length - 1;
    for (let i = (guid ? hashBytes(this.probe, 0) : hashText(id)) & mask; ; i = (i + 1) & mask) {
      const entry = this.table[i] as number;
      if (entry === 0) return -1;
      const slot = entry - 1;
      if (this.starts[slot] === EMPTY) continue;
      const other = this.otherIds.get(slot);
      if (guid ? other === undefined && this.sameId(slot) : other === id) return slot;
    }
  }

  /** Whether the slot's id is the one in {@link probe}. */
  private sameId(slot: number): boolean {
    const at = slot * 16;
    for (let i = 0; i < 16; i++) if (this.ids[at + i] !== this.probe[i]) return false;
    return true;
  }

  private hashOf(slot: number): number {
    const other = this.otherIds.get(slot);
    return other !== undefined ? hashText(other) : hashBytes(this.ids, slot * 16);
  }

  private insertInTable(slot: number): void {
    const mask = this.table.length - 1;
    let i = this.hashOf(slot) & mask;
    while (this.table[i] !== 0) i = (i + 1) & mask;
    this.table[i] = slot + 1;
  }

  private rebuildTable(size: number): void {
    this.table = new Int32Array(size);
    for (const slot of this.slotsInUse()) this.insertInTable(slot);
  }
}

/** FNV-1a over an id's 16 bytes. */
function hashBytes(bytes: Uint8Array, at: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i++) h = Math.imul(h ^ (bytes[at + i] as number), 0x01000193);
  return h >>> 0;
}

/** FNV-1a over the characters of an id that is not a GUID. */
function hashText(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
