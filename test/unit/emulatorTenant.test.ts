import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateTenant, ADVERSARIAL_USER_COUNT, ADVERSARIAL_GROUP_COUNT, ACCESS_FIXTURE_USER_COUNT, ACCESS_FIXTURE_GROUP_COUNT } from '../emulator/index';
import { parseFilter } from '../emulator/odata/filterParser';
import { tokenizeFilter } from '../emulator/odata/filterLexer';
import { compileFilter } from '../emulator/odata/filterEval';
import { compileSearch, searchTokens } from '../emulator/odata/search';
import { USER_TYPE, GROUP_TYPE } from '../emulator/directory/schema';
import { makeUser } from '../emulator/directory/factories';
import { GraphError } from '../emulator/graph/errors';
import { compileRule } from '../emulator/directory/dynamicRule';

const DOMAIN = 'contoso.onmicrosoft.com';

describe('generateTenant', () => {
  it('builds 100,000 users, 1,000 groups and an all-staff group with consistent indexes', () => {
    const t = generateTenant({ users: 100_000, groups: 1_000, seed: 7, adversarial: false, domain: DOMAIN });
    // The fixed users and groups of the access model come on top of the generated ones.
    assert.equal(t.usersById.size, 100_000 + ACCESS_FIXTURE_USER_COUNT);
    assert.equal(t.groupsById.size, 1_000 + ACCESS_FIXTURE_GROUP_COUNT);
    const all = t.findGroup((g) => g.displayName === 'All Staff');
    assert.ok(all);
    assert.equal(t.members.get(all.id)?.size, t.usersById.size);

    const upns = new Set<string>();
    let guests = 0;
    let disabled = 0;
    for (const u of t.users()) {
      const key = u.userPrincipalName.toLowerCase();
      assert.ok(!upns.has(key), `duplicate UPN ${u.userPrincipalName}`);
      upns.add(key);
      assert.match(u.userPrincipalName, /^[A-Za-z0-9'.\-_!#^~]+@contoso\.onmicrosoft\.com$/);
      if (u.userType === 'Guest') {
        guests++;
        assert.match(u.userPrincipalName, /_[a-z-]+\.example#EXT#@/);
      }
      if (!u.accountEnabled) disabled++;
      assert.equal(t.user(u.userPrincipalName.toUpperCase())?.id, u.id, 'UPN lookup is case-insensitive');
    }
    assert.ok(guests > 2_000 && guests < 4_000, `guests ${guests}`);
    assert.ok(disabled > 3_000 && disabled < 7_000, `disabled ${disabled}`);

    // Reporting tree: exactly one root chain to the CEO, no cycles, reverse index agrees.
    const ceo = [...t.users()][1];
    assert.equal(ceo?.jobTitle, 'Chief Executive Officer');
    assert.equal(t.managerOf(ceo?.id ?? ''), undefined);
    let withManager = 0;
    for (const [userId, managerId] of t.managers) {
      withManager++;
      assert.ok(t.directReportsOf(managerId).includes(userId));
    }
    assert.ok(withManager > 90_000);
    for (const u of [...t.users()].slice(0, 2_000)) {
      const seen = new Set<string>();
      for (let m = t.managerOf(u.id); m; m = t.managerOf(m.id)) {
        assert.ok(!seen.has(m.id), 'manager cycle');
        seen.add(m.id);
      }
    }

    // Membership and reverse membership agree.
    for (const g of [...t.groups()].slice(0, 200)) {
      for (const m of t.membersOf(g.id)) assert.ok(t.memberOfGroups(m).includes(g.id));
    }
    assert.ok(t.groupsOfKind('microsoft365').length > 100);
    assert.ok(t.groupsOfKind('dynamic').length > 20);
    assert.ok(t.groupsOfKind('security').some((g) => t.membersOf(g.id).some((m) => t.groupsById.has(m))), 'nested security groups');
  });

  it('is deterministic per seed and adds hostile values when adversarial', () => {
    const a = generateTenant({ users: 300, groups: 30, seed: 3, adversarial: true, domain: DOMAIN });
    const b = generateTenant({ users: 300, groups: 30, seed: 3, adversarial: true, domain: DOMAIN });
    const c = generateTenant({ users: 300, groups: 30, seed: 4, adversarial: true, domain: DOMAIN });
    assert.deepEqual([...a.usersById.keys()], [...b.usersById.keys()]);
    assert.notDeepEqual([...a.usersById.keys()], [...c.usersById.keys()]);
    assert.equal(a.usersById.size, 300 + ADVERSARIAL_USER_COUNT + ACCESS_FIXTURE_USER_COUNT);
    assert.equal(a.groupsById.size, 30 + ADVERSARIAL_GROUP_COUNT + ACCESS_FIXTURE_GROUP_COUNT);
    assert.equal(a.usersById.get(a.adminUserId)?.userPrincipalName, `admin@${DOMAIN}`);
    const names = [...a.users()].map((u) => u.displayName ?? '');
    for (const needle of ['<img src=x onerror=alert(1)>', '<script>', "O'Brien", '\u202E', '🦄', 'javascript:', '](command:']) {
      assert.ok(names.some((n) => n.includes(needle)), `missing hostile value ${needle}`);
    }
    assert.ok(names.some((n) => n.length === 256));
    assert.ok(names.some((n) => /[\u0400-\u04FF]/.test(n)) && names.some((n) => /[\u4E00-\u9FFF]/.test(n)), 'several scripts');
  });
});

describe('$filter parser', () => {
  it('tokenizes escaped quotes, GUIDs and timestamps', () => {
    const t = tokenizeFilter("surname eq 'O''Brien' or id eq 0f8fad5b-d9cb-469f-a165-70867728950e or createdDateTime ge 2021-01-01T00:00:00Z");
    assert.deepEqual(
      t.filter((x) => x.type !== 'ident').map((x) => [x.type, x.value ?? x.text]),
      [
        ['string', "O'Brien"],
        ['guid', '0f8fad5b-d9cb-469f-a165-70867728950e'],
        ['dateTime', '2021-01-01T00:00:00Z'],
        ['eof', ''],
      ],
    );
  });

  it('parses precedence, lambdas and in-lists', () => {
    const ast = parseFilter("not(groupTypes/any(c:c eq 'Unified')) and (mailEnabled eq true or displayName in ('a','b'))");
    assert.equal(ast.type, 'and');
    assert.equal(ast.type === 'and' && ast.left.type, 'not');
    assert.throws(() => parseFilter("displayName eq 'unterminated"));
    assert.throws(() => parseFilter('displayName eq'));
    assert.throws(() => parseFilter("displayName eq 'a' and"));
    assert.throws(() => parseFilter("startswith(displayName 'a')"));
  });

  it('compiles with Graph support tiers', () => {
    const scope = { types: [USER_TYPE], typeName: 'user', advanced: false };
    const u = makeUser({ id: 'x', userPrincipalName: `x@${DOMAIN}`, surname: "O'Brien", displayName: 'Siobhán', accountEnabled: true });
    assert.equal(compileFilter("surname eq 'o''brien'", scope)(u), true);
    assert.equal(compileFilter("startswith(displayName,'SIO')", scope)(u), true);
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
        return undefined;
      } catch (e) {
        return e instanceof GraphError ? e.code : 'other';
      }
    };
    assert.equal(code(() => compileFilter('accountEnabled ne false', scope)), 'Request_UnsupportedQuery');
    assert.equal(code(() => compileFilter('accountEnabled ne false', { ...scope, advanced: true })), undefined);
    assert.equal(code(() => compileFilter("endswith(mail,'@x.com')", scope)), 'Request_UnsupportedQuery');
    assert.equal(code(() => compileFilter("nope eq 'x'", scope)), 'Request_BadRequest');
    assert.equal(code(() => compileFilter("accountEnabled eq 'yes'", scope)), 'Request_BadRequest');
    assert.equal(code(() => compileFilter("description eq 'x'", { types: [GROUP_TYPE], typeName: 'group', advanced: false })), 'Request_UnsupportedQuery');
    assert.equal(code(() => compileFilter("displayName eq 'x' and", scope)), 'Request_BadRequest');
  });
});

describe('$search and dynamic rules', () => {
  it('tokenizes on case changes, digits and symbols', () => {
    assert.deepEqual(searchTokens('OneVideo Production-2024 HTML_team'), ['one', 'video', 'production', '2024', 'html', 'team']);
    const g = { ...makeUser({ id: 'g', userPrincipalName: 'g@x' }), displayName: 'OneVideo Production' };
    assert.equal(compileSearch('"displayName:vid"', [USER_TYPE], 'user')(g), true);
    assert.equal(compileSearch('"displayName:ideo"', [USER_TYPE], 'user')(g), false);
    assert.equal(compileSearch('"displayName:one" AND ("displayName:prod" OR "displayName:zzz")', [USER_TYPE], 'user')(g), true);
    assert.throws(() => compileSearch('"displayName:one" and "displayName:x"', [USER_TYPE], 'user'));
    assert.throws(() => compileSearch('"displayName:unterminated', [USER_TYPE], 'user'));
    assert.equal(compileSearch('"displayName:a \\"quoted\\" b"', [USER_TYPE], 'user')(g), false);
  });

  it('evaluates membership rules', () => {
    const u = makeUser({ id: 'u', userPrincipalName: 'u@x', department: 'Sales', accountEnabled: true, country: 'Japan' });
    assert.equal(compileRule('(user.department -eq "sales") -and (user.accountEnabled -eq true)')(u), true);
    assert.equal(compileRule('(user.country -ne "Japan") -or (user.department -startsWith "Eng")')(u), false);
    assert.throws(() => compileRule('user.department -like "x"'));
  });
});
