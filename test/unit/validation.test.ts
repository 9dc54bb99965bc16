import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkGroupChanges, checkMailNickname, checkUserChanges, checkUserKey, deriveMailNickname, isGuid, isUpn, mailNicknameBreach } from '../../src/core/validation';

describe('input validation', () => {
  it('accepts GUIDs and UPNs, including guests', () => {
    assert.ok(isGuid('0f8fad5b-d9cb-469f-a165-70867728950e'));
    assert.ok(!isGuid('0f8fad5b-d9cb-469f-a165-70867728950'));
    assert.ok(isUpn('adele.vance@contoso.onmicrosoft.com'));
    assert.ok(isUpn("o'brien_ext.example#EXT#@contoso.onmicrosoft.com"));
    assert.ok(!isUpn('no-at-sign'));
    assert.ok(!isUpn('a@b/c.com'));
    assert.match(checkUserKey('../../groups', 'userId') ?? '', /object id \(GUID\) or a user principal name/);
    assert.match(checkUserKey('', 'userId') ?? '', /required/);
  });

  it('applies the mailNickname rules', () => {
    assert.equal(checkMailNickname('sales-emea_2026'), undefined);
    for (const bad of ['a b', 'a/b', "a'b", 'a@b', 'a(b', 'a)b', 'a\\b', 'a[b', 'a]b', 'a"b', 'a;b', 'a:b', 'a<b', 'a>b', 'a,b', 'a.b', 'ünï', 'x'.repeat(65), '']) {
      assert.ok(checkMailNickname(bad), `expected ${JSON.stringify(bad)} to be rejected`);
    }
  });

  it('derives a valid mailNickname from a display name', () => {
    assert.equal(deriveMailNickname('Sales – EMEA (Zürich)'), 'SalesEMEAZurich');
    assert.equal(checkMailNickname(deriveMailNickname('Ünïcödé Team: Ops/Dev')), undefined);
    assert.equal(deriveMailNickname('日本'), '');
    // The create and update pages exclude "." too: a derived nickname never carries one.
    assert.equal(deriveMailNickname('St. John\'s v2.0'), 'StJohnsv20');
  });

  it('checks group change sets', () => {
    assert.match(checkGroupChanges({})?.message ?? '', /no changes/);
    assert.match(checkGroupChanges({ displayName: '' })?.message ?? '', /empty/);
    assert.equal(checkGroupChanges({ visibility: 'HiddenMembership' })?.field, 'visibility');
    assert.equal(checkGroupChanges({ securityEnabled: false })?.field, 'securityEnabled');
    assert.equal(checkGroupChanges({ description: 'x', displayName: 'Ops' }), undefined);
  });

  it('checks user change sets', () => {
    assert.match(checkUserChanges({})?.message ?? '', /no changes/);
    assert.equal(checkUserChanges({ id: 'x' })?.field, 'id');
    assert.equal(checkUserChanges({ proxyAddresses: [] })?.field, 'proxyAddresses');
    assert.equal(checkUserChanges({ jobTitle: 'x'.repeat(129) })?.field, 'jobTitle');
    assert.equal(checkUserChanges({ usageLocation: 'usa' })?.field, 'usageLocation');
    assert.equal(checkUserChanges({ accountEnabled: 'yes' })?.field, 'accountEnabled');
    assert.equal(checkUserChanges({ businessPhones: ['1', '2'] })?.field, 'businessPhones');
    assert.equal(checkUserChanges({ displayName: ' ' })?.field, 'displayName');
    assert.equal(checkUserChanges({ jobTitle: 'Engineer', department: null, accountEnabled: false }), undefined);
    // usageLocation is not nullable (user resource page): clearing it is refused before any request.
    assert.equal(checkUserChanges({ usageLocation: null })?.field, 'usageLocation');
  });

  it('names the broken rule and its numbers, so every surface can word it', () => {
    assert.deepEqual(checkUserChanges({ jobTitle: 'x'.repeat(129) })?.breach, { rule: 'tooLong', length: 129, limit: 128 });
    assert.deepEqual(checkUserChanges({ usageLocation: 'us' })?.breach, { rule: 'countryCode' });
    assert.deepEqual(checkUserChanges({ usageLocation: null })?.breach, { rule: 'notClearable' });
    assert.deepEqual(checkUserChanges({ displayName: '' })?.breach, { rule: 'empty' });
    assert.deepEqual(checkGroupChanges({ mailNickname: 'a b' })?.breach, { rule: 'forbiddenCharacter', character: ' ' });
    assert.deepEqual(checkGroupChanges({ description: 'd'.repeat(1025) })?.breach, { rule: 'tooLong', length: 1025, limit: 1024 });
    assert.deepEqual(checkGroupChanges({ visibility: 'HiddenMembership' })?.breach, { rule: 'hiddenOnlyAtCreation' });
    assert.deepEqual(mailNicknameBreach('ünï'), { rule: 'notAscii' });
    assert.deepEqual(mailNicknameBreach('a\u0001'), { rule: 'controlCharacters' });
    // Rules with nothing to word per field carry only the message.
    assert.equal(checkUserChanges({ businessPhones: ['1', '2'] })?.breach, undefined);
  });

  it('keeps Graph property names in its own messages (chat tools fix the property the model sent)', () => {
    assert.equal(checkUserChanges({ usageLocation: 'usa' })?.message, 'usageLocation is 3 characters long; the limit is 2.');
    assert.equal(checkUserChanges({ usageLocation: 'u1' })?.message, 'usageLocation must be a two-letter country code such as "US".');
    assert.equal(checkMailNickname('a b'), 'mailNickname may not contain spaces (nor any of @ ( ) \\ / [ ] " \' ; : . < > ,).');
    assert.equal(checkMailNickname('a:b'), 'mailNickname may not contain ":" (nor spaces or any of @ ( ) \\ / [ ] " \' ; : . < > ,).');
  });
});
