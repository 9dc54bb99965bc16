import type { CachedGroup, CachedUser, DirectoryCache } from './directoryCache';

/**
 * Search as you type over the cached users and groups, without Graph. A user matches when every word typed begins
 * a field (display name, user principal name, mail, department, job title) or a word inside one; accents and case
 * are ignored ("jose" finds "José"). Results that begin with the whole text typed come first, then by name.
 */

/** Lower case without diacritics: what is compared on both sides. */
export function fold(text: string): string {
  // Most directory text is ASCII: nothing to take apart then.
  return NON_ASCII.test(text) ? text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase() : text.toLowerCase();
}

const NON_ASCII = /[^ -~\t\n\r]/;

/**
 * One string per object to look through: each field as a whole and split into words, each after a space, so that
 * "begins a field or a word" is `includes(' ' + typed)`. Built once per cache revision.
 */
function haystack(fields: ReadonlyArray<string | null | undefined>): string {
  let out = '';
  for (const field of fields) {
    if (!field) continue;
    const folded = fold(field);
    out += ` ${folded}`;
    const words = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    // A field of one word is already there as a whole.
    if (words.length > 1 || words[0] !== folded) out += ` ${words.join(' ')}`;
  }
  return out;
}

/** The last search's matches: a keystroke that only adds to the text looks through these alone. */
interface Narrowing<T> {
  typed: string;
  matches: Array<Entry<T>>;
}

interface Entry<T> {
  object: T;
  text: string;
  /** Folded display name, for "begins with what was typed" and the order. */
  name: string;
}

export class LocalSearch {
  private revision = -1;
  private users: Array<Entry<CachedUser>> = [];
  private groups: Array<Entry<CachedGroup>> = [];
  private readonly lastUsers = new Map<string, Narrowing<CachedUser>>();
  private readonly lastGroups = new Map<string, Narrowing<CachedGroup>>();

  constructor(private readonly cache: DirectoryCache) {}

  /** The first `max` users matching `term`. */
  searchUsers(term: string, max: number, options: { includeDisabled?: boolean } = {}): CachedUser[] {
    return this.matchingUsers(term, max, options).items;
  }

  /** The first `max` users matching `term`, and how many match in all. */
  matchingUsers(term: string, max: number, options: { includeDisabled?: boolean } = {}): Found<CachedUser> {
    this.refresh();
    const keep = options.includeDisabled === false ? (u: CachedUser): boolean => u.accountEnabled !== false : undefined;
    return find(this.users, term, max, keep, this.lastUsers, keep ? 'enabled' : 'all');
  }

  searchGroups(term: string, max: number): CachedGroup[] {
    return this.matchingGroups(term, max).items;
  }

  matchingGroups(term: string, max: number): Found<CachedGroup> {
    this.refresh();
    return find(this.groups, term, max, undefined, this.lastGroups, 'all');
  }

  /** Rebuilt only when the cache changed since the last search. */
  private refresh(): void {
    if (this.revision === this.cache.revision) return;
    this.revision = this.cache.revision;
    this.lastUsers.clear();
    this.lastGroups.clear();
    this.users = [...this.cache.users.values()].map((u) => ({
      object: u,
      text: haystack([u.displayName, u.userPrincipalName, u.mail, u.department, u.jobTitle]),
      name: fold(u.displayName ?? ''),
    }));
    this.groups = [...this.cache.groups.values()].map((g) => ({ object: g, text: haystack([g.displayName, g.mail, g.mailNickname, g.description]), name: fold(g.displayName ?? '') }));
  }
}

export interface Found<T> {
  items: T[];
  /** How many match in all. */
  total: number;
}

function find<T>(
  all: ReadonlyArray<Entry<T>>,
  term: string,
  max: number,
  keep: ((o: T) => boolean) | undefined,
  memo: Map<string, Narrowing<T>>,
  memoKey: string,
): Found<T> {
  const typed = fold(term.trim()).replace(/\s+/g, ' ');
  const words = typed.split(' ').filter(Boolean).map((w) => ` ${w}`);
  if (words.length === 0 || max <= 0) return { items: [], total: 0 };
  // Text that extends the last search's (each word typed so far only grows) can match only what that one matched.
  const last = memo.get(memoKey);
  const entries = last && typed.startsWith(last.typed) ? last.matches : all;
  const first: Array<Entry<T>> = [];
  const rest: Array<Entry<T>> = [];
  for (const entry of entries) {
    if (!words.every((w) => entry.text.includes(w)) || (keep && !keep(entry.object))) continue;
    (entry.name.startsWith(typed) ? first : rest).push(entry);
  }
  memo.set(memoKey, { typed, matches: [...first, ...rest] });
  const chosen = smallestByName(first, max);
  if (chosen.length < max) chosen.push(...smallestByName(rest, max - chosen.length));
  return { items: chosen.map((e) => e.object), total: first.length + rest.length };
}

/** The `k` first by name, in order, without sorting all of them (a one-letter search matches most of a tenant). */
function smallestByName<T>(entries: ReadonlyArray<Entry<T>>, k: number): Array<Entry<T>> {
  const out: Array<Entry<T>> = [];
  for (const entry of entries) {
    if (out.length === k && entry.name >= (out[k - 1] as Entry<T>).name) continue;
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((out[mid] as Entry<T>).name <= entry.name) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, entry);
    if (out.length > k) out.pop();
  }
  return out;
}
