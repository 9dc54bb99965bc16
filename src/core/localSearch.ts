import type { CachedUsers } from './compactUsers';
import type { CachedGroup, CachedUser, DirectoryCache } from './directoryCache';

/**
 * Search as you type over the cached users and groups, without Graph. A user matches when every word typed begins
 * a word of a field (display name, user principal name, mail, department, job title); words are runs of letters and
 * digits, so "jquinn@" and "zoe_brandt#ext#" are read as the words they hold. Accents and case are ignored ("jose"
 * finds "José"). Results whose name begins with the whole text typed come first, then by name.
 *
 * Built once per cache revision: the objects sorted by folded name, and a sorted list of the distinct words with, for
 * each, the positions of the objects holding it. A keystroke is a binary search per word typed and a walk over the
 * positions of the words it begins: no string of the directory is looked through.
 */

/** Lower case without diacritics: what is compared on both sides. */
export function fold(text: string): string {
  // Most directory text is ASCII: nothing to take apart then.
  return NON_ASCII.test(text) ? text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase() : text.toLowerCase();
}

const NON_ASCII = /[^ -~\t\n\r]/;
const WORD_BREAK = /[^\p{L}\p{N}]+/u;

/** The words of a text, folded. */
function wordsOf(text: string): string[] {
  return fold(text).split(WORD_BREAK).filter(Boolean);
}

/** The index of the first string in `sorted` that is not below `key` (code-unit order). */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The objects of one kind in name order, with their words. `K` is what is held per object (a slot of the compact user
 * store, or the object itself); `resolve` makes the object from it when a page or a result needs it.
 */
class WordIndex<K, T> {
  /** What is held per object, in name order. */
  readonly keys: K[];
  /** Folded display names, in the same (sorted) order as `keys`. */
  private readonly names: string[];
  /** Distinct words, sorted; `postings[starts[w] .. starts[w + 1])` are the positions of the objects holding word w. */
  private readonly words: string[];
  private readonly starts: Int32Array;
  private readonly postings: Int32Array;
  /** Per position: how many of the words typed it has matched so far (reused from keystroke to keystroke). */
  private readonly hits: Uint8Array;

  constructor(
    all: Iterable<K>,
    private readonly resolve: (key: K) => T,
    name: (o: T) => string | null | undefined,
    fields: (o: T) => ReadonlyArray<string | null | undefined>,
  ) {
    const keyed: Array<{ key: K; name: string; words: string[] }> = [];
    for (const key of all) {
      const object = resolve(key);
      const words = new Set<string>();
      for (const field of fields(object)) if (field) for (const word of wordsOf(field)) words.add(word);
      keyed.push({ key, name: fold(name(object) ?? ''), words: [...words] });
    }
    keyed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.keys = keyed.map((k) => k.key);
    this.names = keyed.map((k) => k.name);
    const byWord = new Map<string, number[]>();
    keyed.forEach((k, position) => {
      for (const word of k.words) {
        const list = byWord.get(word);
        if (list) list.push(position);
        else byWord.set(word, [position]);
      }
    });
    this.words = [...byWord.keys()].sort();
    this.starts = new Int32Array(this.words.length + 1);
    let total = 0;
    this.words.forEach((w, i) => {
      this.starts[i] = total;
      total += (byWord.get(w) as number[]).length;
    });
    this.starts[this.words.length] = total;
    this.postings = new Int32Array(total);
    this.words.forEach((w, i) => this.postings.set(byWord.get(w) as number[], this.starts[i]));
    this.hits = new Uint8Array(this.keys.length);
  }

  get size(): number {
    return this.keys.length;
  }

  find(term: string, max: number, keep: ((o: T) => boolean) | undefined): Found<T> {
    const typed = fold(term.trim()).replace(/\s+/g, ' ');
    // More than 255 words cannot be counted per object; nobody types that many.
    const words = [...new Set(typed.split(WORD_BREAK).filter(Boolean))].slice(0, 255);
    if (words.length === 0 || max <= 0) return { items: [], total: 0 };
    const hits = this.hits;
    hits.fill(0);
    words.forEach((word, k) => {
      // Every distinct word that begins with what was typed: a contiguous run of the sorted list.
      for (let w = lowerBound(this.words, word); w < this.words.length && (this.words[w] as string).startsWith(word); w++) {
        const end = this.starts[w + 1] as number;
        for (let p = this.starts[w] as number; p < end; p++) {
          const position = this.postings[p] as number;
          if (hits[position] === k) hits[position] = k + 1;
        }
      }
    });
    const all = words.length;
    // Objects are made only for the results shown, and for every match when some are to be left out.
    const matches = (position: number): boolean => hits[position] === all && (!keep || keep(this.resolve(this.keys[position] as K)));
    // Names that begin with the whole text typed are a contiguous run of the name order too.
    const firstFrom = lowerBound(this.names, typed);
    let firstTo = firstFrom;
    while (firstTo < this.names.length && (this.names[firstTo] as string).startsWith(typed)) firstTo++;
    const items: T[] = [];
    let total = 0;
    for (let p = firstFrom; p < firstTo; p++) {
      if (!matches(p)) continue;
      total++;
      if (items.length < max) items.push(this.resolve(this.keys[p] as K));
    }
    for (let p = 0; p < hits.length; p++) {
      if (p === firstFrom) p = firstTo;
      if (p >= hits.length) break;
      if (!matches(p)) continue;
      total++;
      if (items.length < max) items.push(this.resolve(this.keys[p] as K));
    }
    return { items, total };
  }
}

export class LocalSearch {
  private revision = -1;
  private users: WordIndex<number, CachedUser> | undefined;
  private groups: WordIndex<CachedGroup, CachedGroup> | undefined;
  /** The users' listing orders (all, and enabled only) and the groups', built when a view first lists from the cache. */
  private userOrders: { all: Int32Array; enabled: Int32Array } | undefined;
  private groupOrder: { groups: CachedGroup[]; order: Int32Array } | undefined;

  constructor(private readonly cache: DirectoryCache) {}

  /** The first `max` users matching `term`. */
  searchUsers(term: string, max: number, options: { includeDisabled?: boolean } = {}): CachedUser[] {
    return this.matchingUsers(term, max, options).items;
  }

  /** The first `max` users matching `term`, and how many match in all. */
  matchingUsers(term: string, max: number, options: { includeDisabled?: boolean } = {}): Found<CachedUser> {
    const keep = options.includeDisabled === false ? (u: CachedUser): boolean => u.accountEnabled !== false : undefined;
    return this.userIndex().find(term, max, keep);
  }

  searchGroups(term: string, max: number): CachedGroup[] {
    return this.matchingGroups(term, max).items;
  }

  matchingGroups(term: string, max: number): Found<CachedGroup> {
    return this.groupIndex().find(term, max, undefined);
  }

  /** Every cached group, in no particular order (the directory table's rows). */
  allGroups(): IterableIterator<CachedGroup> {
    return this.cache.groups.values();
  }

  /** Builds the indexes now (after a sync), rather than at the first keystroke. */
  prepare(): void {
    this.userIndex();
    this.groupIndex();
  }

  /**
   * A page of the users a view lists (disabled ones only when asked), in the order Graph's `$orderby=displayName`
   * gives, and how many there are in all: the Users view's pages when it lists from the cache.
   */
  listUsers(from: number, count: number, options: { includeDisabled?: boolean } = {}): Listed<CachedUser> {
    this.refresh();
    const users = this.cache.users;
    this.userOrders ??= userListingOrders(users);
    return pageOf(options.includeDisabled === false ? this.userOrders.enabled : this.userOrders.all, from, count, (slot) => users.at(slot));
  }

  /** A page of the groups the Groups view lists, in Graph's `$orderby=displayName` order, and how many there are. */
  listGroups(from: number, count: number): Listed<CachedGroup> {
    this.refresh();
    this.groupOrder ??= (() => {
      const groups = [...this.cache.groups.values()];
      const order = Int32Array.from(listingOrder(groups.keys(), (i) => groups[i] as CachedGroup), (s) => s.key);
      return { groups, order };
    })();
    const { groups, order } = this.groupOrder;
    return pageOf(order, from, count, (i) => groups[i] as CachedGroup);
  }

  private userIndex(): WordIndex<number, CachedUser> {
    this.refresh();
    const users = this.cache.users;
    this.users ??= new WordIndex(users.slotsInUse(), (slot) => users.at(slot), (u) => u.displayName, (u) => [u.displayName, u.userPrincipalName, u.mail, u.department, u.jobTitle]);
    return this.users;
  }

  private groupIndex(): WordIndex<CachedGroup, CachedGroup> {
    this.refresh();
    this.groups ??= new WordIndex(this.cache.groups.values(), (g) => g, (g) => g.displayName, (g) => [g.displayName, g.mail, g.mailNickname, g.description]);
    return this.groups;
  }

  /** Dropped when the cache changed since the last search; each kind is rebuilt when it is next searched. */
  private refresh(): void {
    if (this.revision === this.cache.revision) return;
    this.revision = this.cache.revision;
    this.users = undefined;
    this.groups = undefined;
    this.userOrders = undefined;
    this.groupOrder = undefined;
  }
}

export interface Found<T> {
  items: T[];
  /** How many match in all. */
  total: number;
}

export interface Listed<T> {
  items: T[];
  /** The position to go on from, when more follow. */
  next?: number;
  /** How many the whole list has. */
  total: number;
}

/**
 * The objects with their keys, in the order of Graph's `$orderby=displayName`: the display name in lower case
 * compared code unit by code unit, objects without a name last (as the server path, which the views used before a copy
 * existed, lists them), ties by id so that a list is the same each time it is built.
 */
function listingOrder<T extends { id: string; displayName?: string | null }>(keys: Iterable<number>, resolve: (key: number) => T): Array<{ key: number; object: T }> {
  const sorted: Array<{ key: number; name: string | undefined; object: T }> = [];
  for (const key of keys) {
    const object = resolve(key);
    sorted.push({ key, name: object.displayName?.toLowerCase(), object });
  }
  sorted.sort((a, b) => byListingName(a.name, b.name) || compareText(a.object.id, b.object.id));
  return sorted;
}

/** Names in lower case, code unit by code unit; no name after every name. */
function byListingName(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return compareText(a, b);
}

/**
 * Both of the Users view's orders from one sort: every user, and the enabled ones (the view's default). Only each
 * record's name and state are read, and an id only to break a tie.
 */
function userListingOrders(users: CachedUsers): { all: Int32Array; enabled: Int32Array } {
  const sorted: Array<{ key: number; name: string | undefined; enabled: boolean }> = [];
  for (const slot of users.slotsInUse()) {
    const { displayName, accountEnabled } = users.listingKeyAt(slot);
    sorted.push({ key: slot, name: displayName?.toLowerCase(), enabled: accountEnabled !== false });
  }
  sorted.sort((a, b) => byListingName(a.name, b.name) || compareText(users.idAt(a.key), users.idAt(b.key)));
  return {
    all: Int32Array.from(sorted, (s) => s.key),
    enabled: Int32Array.from(sorted.filter((s) => s.enabled), (s) => s.key),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pageOf<T>(order: Int32Array, from: number, count: number, resolve: (key: number) => T): Listed<T> {
  const start = Math.max(0, Math.min(from, order.length));
  const end = Math.min(order.length, start + Math.max(0, count));
  const items: T[] = [];
  for (let p = start; p < end; p++) items.push(resolve(order[p] as number));
  return { items, ...(end < order.length ? { next: end } : {}), total: order.length };
}
