/** The compact user store: what goes in comes out, field for field, through replacements, removals and growth. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompactUsers } from '../../src/core/compactUsers';
import type { CachedUser } from '../../src/core/directoryCache';

const ID = (n: number): string => `7c000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function user(n: number, extra: Partial<CachedUser> = {}): CachedUser {
  return { id: ID(n), displayName: `Person ${n}`, userPrincipalName: `p${n}@contoso.test`, mail: `p${n}@contoso.test`, jobTitle: n % 3 ? 'Analyst' : null, department: 'Finance', accountEnabled: n % 7 !== 0, userType: n % 11 ? 'Member' : 'Guest', ...extra };
}

describe('compact user store', () => {
  it('gives back every field as it was given, odd text included', () => {
    const store = new CompactUsers();
    const odd: CachedUser[] = [
      user(1, { displayName: 'Zoë Brandt', userPrincipalName: 'zoe_brandt_fabrikam.test#EXT#@contoso.test', mail: 'zoe@fabrikam.test' }),
      user(2, { displayName: 'विवान जोशी 🌍', mail: null, jobTitle: '' }),
      user(3, { displayName: 'Sep\u001farated\u0001\u0002\u0003\u0004', department: 'R&D \u0000', accountEnabled: null as unknown as boolean }),
      user(4, { userPrincipalName: 'no-domain', mail: 'no-domain' }),
      user(5, { displayName: null, userPrincipalName: null as unknown as string, mail: null, userType: null }),
      { ...user(6), id: 'not-a-guid-id' },
    ];
    for (const u of odd) store.set(u.id, u);
    assert.equal(store.size, odd.length);
    for (const u of odd) assert.deepEqual(store.get(u.id), u, u.id);
    assert.deepEqual([...store.keys()].sort(), odd.map((u) => u.id).sort());
    // The Users view's sort key, read without the whole record, is the record's own name and state.
    for (const slot of store.slotsInUse()) {
      const whole = odd.find((u) => u.id === store.idAt(slot));
      assert.ok(whole);
      assert.deepEqual(store.listingKeyAt(slot), { displayName: whole.displayName ?? null, accountEnabled: whole.accountEnabled ?? null }, whole.id);
    }
  });

  it('replaces, removes and reuses slots, and grows past its first buffers', () => {
    const store = new CompactUsers();
    const expected = new Map<string, CachedUser>();
    for (let n = 1; n <= 5000; n++) {
      const u = user(n);
      store.set(u.id, u);
      expected.set(u.id, u);
    }
    for (let n = 1; n <= 5000; n += 3) {
      const u = user(n, { displayName: `Renamed ${n} ${'x'.repeat(n % 50)}` });
      store.set(u.id, u);
      expected.set(u.id, u);
    }
    for (let n = 2; n <= 5000; n += 5) {
      assert.ok(store.delete(ID(n)));
      expected.delete(ID(n));
    }
    assert.equal(store.delete(ID(2)), false, 'a second removal finds nothing');
    for (let n = 6000; n < 6500; n++) {
      const u = user(n);
      store.set(u.id, u);
      expected.set(u.id, u);
    }
    store.trim();
    assert.equal(store.size, expected.size);
    for (const [id, u] of expected) assert.deepEqual(store.get(id), u, id);
    assert.equal(store.get(ID(2)), undefined);
    assert.equal(store.has(ID(7)), false);
    assert.deepEqual(new Set([...store.values()].map((u) => u.id)), new Set(expected.keys()));
  });
});
