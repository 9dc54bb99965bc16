/** Search as you type over the cached directory: prefixes, words, accents, the order, and changes seen at once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CACHE_VERSION, DirectoryCache, fold, LocalSearch, type CacheChange } from '../../src/core';
import { generateTenant } from '../emulator/directory/generate';

const ID = (n: number): string => `7d000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ORIGIN = 'https://graph.microsoft.com/v1.0';

/** [displayName, upn, mail, jobTitle, department, enabled] in the order the snapshot stores users. */
const PEOPLE: Array<[string, string, string | null, string | null, string | null, boolean]> = [
  ['José Álvarez', 'jose.alvarez@contoso.test', 'jose.alvarez@contoso.test', 'Surveyor', 'Mapping', true],
  ['Joseph Quinn', 'jquinn@contoso.test', null, 'Analyst', 'Finance', true],
  ['Ana Joseph', 'ana.j@contoso.test', 'ana@fabrikam.test', 'Cartographer', 'Mapping', true],
  ['Zoë Brandt', 'zoe_brandt#EXT#@contoso.test', null, null, 'Research & Development', false],
  ['Ünal Kaya', '4711@contoso.test', null, 'Data Scientist', 'Research & Development', true],
];

function cacheOf(): DirectoryCache {
  const users = PEOPLE.map(([name, upn, mail, job, dept, enabled], i) => [ID(i + 1), name, upn, mail, job, dept, enabled, 'Member']);
  const groups = [[ID(100), 'Mapping Team', 'All cartographers', [], 'mapping@contoso.test', true, false, 'mapping', 'Public', '2026-01-01T00:00:00Z', null]];
  const loaded = DirectoryCache.fromSnapshot({ version: CACHE_VERSION, savedAt: '', userDeltaLink: `${ORIGIN}/users/delta?$deltatoken=a`, groupDeltaLink: `${ORIGIN}/groups/delta?$deltatoken=b`, users, groups }, ORIGIN);
  assert.ok('cache' in loaded, 'problem' in loaded ? loaded.problem : '');
  return loaded.cache;
}

const names = (found: ReadonlyArray<{ displayName?: string | null }>): Array<string | null | undefined> => found.map((u) => u.displayName);

describe('local search', () => {
  const cache = cacheOf();
  const search = new LocalSearch(cache);

  it('matches the beginning of a name, and of any word in it, without regard to accents or case', () => {
    assert.deepEqual(names(search.searchUsers('jose', 10)), ['José Álvarez', 'Joseph Quinn', 'Ana Joseph']);
    assert.deepEqual(names(search.searchUsers('ÁLV', 10)), ['José Álvarez']);
    assert.deepEqual(names(search.searchUsers('unal', 10)), ['Ünal Kaya']);
    assert.deepEqual(names(search.searchUsers('osé', 10)), [], 'the middle of a word is no match');
  });

  it('looks through the user principal name, mail, department and job title', () => {
    assert.deepEqual(names(search.searchUsers('jquinn@', 10)), ['Joseph Quinn']);
    assert.deepEqual(names(search.searchUsers('fabrikam', 10)), ['Ana Joseph']);
    assert.deepEqual(names(search.searchUsers('research', 10)), ['Ünal Kaya', 'Zoë Brandt']);
    assert.deepEqual(names(search.searchUsers('cartog', 10)), ['Ana Joseph']);
    assert.deepEqual(names(search.searchUsers('4711', 10)), ['Ünal Kaya']);
    assert.deepEqual(names(search.searchUsers('zoe_brandt#ext#', 10)), ['Zoë Brandt']);
  });

  it('needs every word typed; names that begin with the text come first', () => {
    assert.deepEqual(names(search.searchUsers('mapping jose', 10)), ['Ana Joseph', 'José Álvarez']);
    assert.deepEqual(names(search.searchUsers('surveyor jose', 10)), ['José Álvarez']);
    assert.deepEqual(names(search.searchUsers('jos', 2)), ['José Álvarez', 'Joseph Quinn']);
    assert.deepEqual(names(search.searchUsers('   ', 10)), []);
  });

  it('gives the same answers keystroke by keystroke as from scratch, also after deleting letters', () => {
    const typed = new LocalSearch(cache);
    const fresh = (term: string): Array<string | null | undefined> => names(new LocalSearch(cache).searchUsers(term, 10));
    for (const term of ['j', 'jo', 'jos', 'jose', 'jose ', 'jose a', 'jos', 'r', 're', 'research d', 'research', 'z']) {
      assert.deepEqual(names(typed.searchUsers(term, 10)), fresh(term), term);
    }
    assert.deepEqual(names(typed.searchUsers('research', 10, { includeDisabled: false })), ['Ünal Kaya']);
    assert.deepEqual(names(typed.searchUsers('research', 10)), ['Ünal Kaya', 'Zoë Brandt']);
  });

  it('leaves disabled accounts out when asked', () => {
    assert.deepEqual(names(search.searchUsers('research', 10, { includeDisabled: false })), ['Ünal Kaya']);
  });

  it('finds groups by name, nickname, mail and description', () => {
    assert.deepEqual(names(search.searchGroups('team', 5)), ['Mapping Team']);
    assert.deepEqual(names(search.searchGroups('cartographers', 5)), ['Mapping Team']);
    assert.deepEqual(names(search.searchGroups('joseph', 5)), []);
  });

  it('sees a change to the cache at the next keystroke', () => {
    const change: CacheChange = { kind: 'userUpdated', userId: ID(2), changes: { displayName: 'Joséphine Quinn' } };
    cache.apply(change);
    assert.deepEqual(names(search.searchUsers('josephine', 10)), ['Joséphine Quinn']);
  });
});

describe('local search over a generated tenant', () => {
  // Users of the emulator's generator (guests, disabled accounts, accents), loaded as a saved cache would be.
  const tenant = generateTenant({ users: 1500, groups: 30, seed: 7, adversarial: false, domain: 'contoso.test' });
  const rows = [...tenant.users()].map((u) => [u.id, u.displayName ?? null, u.userPrincipalName, u.mail ?? null, u.jobTitle ?? null, u.department ?? null, u.accountEnabled, u.userType ?? null]);
  const loaded = DirectoryCache.fromSnapshot({ version: CACHE_VERSION, savedAt: '', userDeltaLink: `${ORIGIN}/users/delta?$deltatoken=a`, groupDeltaLink: `${ORIGIN}/groups/delta?$deltatoken=b`, users: rows, groups: [] }, ORIGIN);
  assert.ok('cache' in loaded);
  const search = new LocalSearch(loaded.cache);
  const users = [...loaded.cache.users.values()];

  /** The rule written out once more, field by field with a regular expression: a word typed begins a word of a field. */
  function oracle(term: string): Set<string> {
    const plain = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const typed = plain(term).split(/[^a-z0-9\u00c0-\uffff]+/).filter(Boolean);
    return new Set(
      users
        .filter((u) => typed.every((w) => [u.displayName, u.userPrincipalName, u.mail, u.department, u.jobTitle].some((f) => f && new RegExp(`(^|[^\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').test(plain(f)))))
        .map((u) => u.id),
    );
  }

  it('finds exactly the users a field-by-field check finds, with the count of all of them', () => {
    const sample = users.slice(0, 40);
    const terms = ['a', 'ma', 'e', 'sales', 'eng', 'contoso', '1', 'x', ...sample.map((u) => (u.displayName ?? '').slice(0, 3)), ...sample.map((u) => `${(u.displayName ?? '').split(' ')[1] ?? ''} ${(u.department ?? '').slice(0, 2)}`)];
    for (const term of terms) {
      if (!term.trim()) continue;
      const expected = oracle(term);
      const found = search.matchingUsers(term, users.length);
      assert.equal(found.total, expected.size, term);
      assert.deepEqual(new Set(found.items.map((u) => u.id)), expected, term);
      const top = search.matchingUsers(term, 10);
      assert.equal(top.total, expected.size, `${term}: the count with a limit`);
      assert.equal(top.items.length, Math.min(10, expected.size));
    }
  });

  it('lists names that begin with the text first, each part in name order', () => {
    const term = (users[3]?.displayName ?? '').slice(0, 2);
    const names = search.matchingUsers(term, users.length).items.map((u) => fold(u.displayName ?? ''));
    const starts = names.filter((n) => n.startsWith(fold(term)));
    assert.ok(starts.length > 0);
    assert.deepEqual(names.slice(0, starts.length), starts, 'the names that begin with the text come first');
    for (const part of [names.slice(0, starts.length), names.slice(starts.length)]) assert.deepEqual(part, [...part].sort(), 'in name order');
  });
});
