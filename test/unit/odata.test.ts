import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { odataString, pathSegment, queryString, searchAny, searchClause, userPath } from '../../src/core/odata';

describe('OData building', () => {
  it('doubles single quotes in string literals', () => {
    assert.equal(odataString("O'Brien"), "'O''Brien'");
    assert.equal(odataString("''"), "''''''");
  });

  it('escapes quotes and backslashes inside $search clauses', () => {
    assert.equal(searchClause('displayName', 'say "hi"'), '"displayName:say \\"hi\\""');
    assert.equal(searchClause('description', 'a\\b'), '"description:a\\\\b"');
    assert.equal(searchAny(['displayName', 'description'], 'x'), '"displayName:x" OR "description:x"');
  });

  it('refuses a property name that could add a clause', () => {
    assert.throws(() => searchClause('displayName:x" OR "mail', 'y'));
  });

  it('encodes path segments so an id cannot add a segment or a query', () => {
    assert.equal(pathSegment('a/b?c#d'), 'a%2Fb%3Fc%23d');
    assert.equal(userPath('first_ext.example#EXT#@contoso.onmicrosoft.com'), '/users/first_ext.example%23EXT%23%40contoso.onmicrosoft.com');
    assert.equal(userPath('$admin@contoso.com'), "/users(%27%24admin%40contoso.com%27)");
  });

  it('percent-encodes query values and skips undefined ones', () => {
    assert.equal(queryString({ $filter: "displayName eq 'a&b'", $top: 5, $x: undefined }), "?$filter=displayName%20eq%20%27a%26b%27&$top=5");
    assert.equal(queryString({}), '');
  });
});
