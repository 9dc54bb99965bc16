import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeRejected, isExtensionMessage, isWebviewMessage, MAX_MESSAGE_BYTES, UI_STRING_KEYS, type GroupCreateValues, type UiStrings,
  type UserFormValues,
} from '../../src/webviews/protocol';

const GUID = '2f7c1a4e-9a51-4a0e-8a7e-1b2c3d4e5f60';
const group: GroupCreateValues = { kind: 'security', displayName: 'Finance', mailNickname: 'finance', description: '', visibility: '', ownerIds: [GUID], memberIds: [] };
const editGroup = { displayName: 'Finance', mailNickname: 'finance', description: 'Money', visibility: 'Private' };
const user: UserFormValues = {
  displayName: 'Ada', givenName: 'Ada', surname: 'Lovelace', jobTitle: '', department: '', officeLocation: '', mobilePhone: '',
  businessPhone: '', usageLocation: 'GB', city: '', country: '', companyName: '', accountEnabled: true,
};
const submit = (form: string, values: unknown, requestId: unknown = 1): unknown => ({ type: 'submit', requestId, form, values });
const cyclic: Record<string, unknown> = { type: 'ready' };
cyclic.self = cyclic;

describe('isWebviewMessage', () => {
  const valid: Array<[string, unknown]> = [
    ['ready', { type: 'ready' }],
    ['cancel', { type: 'cancel' }],
    ...(['copyId', 'copyUpn', 'openManager', 'editUser', 'refresh'] as const).map((action): [string, unknown] => [`action ${action}`, { type: 'action', action }]),
    ['search', { type: 'searchUsers', requestId: 7, term: 'ad' }],
    ['search, empty term (the extension answers with a validation error)', { type: 'searchUsers', requestId: 0, term: '' }],
    ['create group', submit('createGroup', group)],
    ['create group, nickname the directory would refuse (a field error, not a bad message)', submit('createGroup', { ...group, mailNickname: 'bad nick:(' })],
    ['create group, 20 owners and 100 members', submit('createGroup', { ...group, ownerIds: Array(20).fill(GUID), memberIds: Array(100).fill(GUID) })],
    ['edit group', submit('editGroup', editGroup)],
    ['edit user', submit('editUser', user)],
    ['optional-free record with a null prototype', Object.assign(Object.create(null) as object, { type: 'ready' })],
  ];
  for (const [name, message] of valid) {
    it(`accepts: ${name}`, () => assert.equal(isWebviewMessage(message), true));
  }

  const invalid: Array<[string, unknown]> = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'ready'],
    ['a number', 42],
    ['an array', [{ type: 'ready' }]],
    ['an empty object', {}],
    ['an unknown type', { type: 'deleteTenant' }],
    ['a type in the wrong case', { type: 'READY' }],
    ['an extra key', { type: 'ready', token: 'x' }],
    ['a class instance', new (class { type = 'ready'; })()],
    ['a cycle', cyclic],
    ['an unknown action', { type: 'action', action: 'deleteUser' }],
    ['an action without its name', { type: 'action' }],
    ['an action name of the wrong type', { type: 'action', action: 1 }],
    ['a request id as text', { type: 'searchUsers', requestId: '1', term: 'a' }],
    ['a negative request id', { type: 'searchUsers', requestId: -1, term: 'a' }],
    ['a fractional request id', { type: 'searchUsers', requestId: 1.5, term: 'a' }],
    ['a huge request id', { type: 'searchUsers', requestId: 2 ** 31, term: 'a' }],
    ['NaN as request id', { type: 'searchUsers', requestId: Number.NaN, term: 'a' }],
    ['a BigInt request id', { type: 'searchUsers', requestId: 1n, term: 'a' }],
    ['a search without term', { type: 'searchUsers', requestId: 1 }],
    ['a search term that is not text', { type: 'searchUsers', requestId: 1, term: ['a'] }],
    ['a search term over 512 characters', { type: 'searchUsers', requestId: 1, term: 'a'.repeat(513) }],
    ['a submit without request id', { type: 'submit', form: 'createGroup', values: group }],
    ['an unknown form', submit('deleteGroup', group)],
    ['user values for the group form', submit('createGroup', user)],
    ['group values for the user form', submit('editUser', group)],
    ['create values for the edit form (extra keys)', submit('editGroup', group)],
    ['a group without kind', submit('createGroup', { ...group, kind: undefined })],
    ['a distribution group', submit('createGroup', { ...group, kind: 'distribution' })],
    ['an unknown visibility', submit('createGroup', { ...group, visibility: 'Secret' })],
    ['owners that are not a list', submit('createGroup', { ...group, ownerIds: GUID })],
    ['an owner id that is not text', submit('createGroup', { ...group, ownerIds: [42] })],
    ['21 owners', submit('createGroup', { ...group, ownerIds: Array(21).fill(GUID) })],
    ['101 members', submit('createGroup', { ...group, memberIds: Array(101).fill(GUID) })],
    ['a 129-character id', submit('createGroup', { ...group, memberIds: ['a'.repeat(129)] })],
    ['a 1025-character name', submit('createGroup', { ...group, displayName: 'n'.repeat(1025) })],
    ['a 4097-character description', submit('createGroup', { ...group, description: 'd'.repeat(4097) })],
    ['a name that is null', submit('createGroup', { ...group, displayName: null })],
    ['an unknown property in values', submit('createGroup', { ...group, securityEnabled: true })],
    ['a __proto__ key', submit('createGroup', JSON.parse(`{"__proto__":{"admin":true},${JSON.stringify(group).slice(1)}`) as unknown)],
    ['accountEnabled as text', submit('editUser', { ...user, accountEnabled: 'true' })],
    ['a user without city', submit('editUser', { ...user, city: undefined })],
    ['a user with businessPhones as a list', submit('editUser', { ...user, businessPhone: ['1'] })],
    ['a user with an extra property', submit('editUser', { ...user, passwordProfile: { password: 'x' } })],
    ['an edit with the group kind', submit('editGroup', { ...editGroup, kind: 'security' })],
    ['over 64 KB', { type: 'searchUsers', requestId: 1, term: 'x'.repeat(MAX_MESSAGE_BYTES + 1) }],
  ];
  for (const [name, message] of invalid) {
    it(`rejects: ${name}`, () => assert.equal(isWebviewMessage(message), false));
  }

  it('describes a rejected message without its content', () => {
    const text = describeRejected({ type: 'submit', requestId: 1, form: 'createGroup', values: { displayName: 'Top secret project' } });
    assert.match(text, /type "submit", \d+ bytes/);
    assert.doesNotMatch(text, /secret/i);
    assert.match(describeRejected({ type: '<script>' }), /no known type/);
    assert.match(describeRejected(cyclic), /not serializable/);
    assert.match(describeRejected({ type: 'x', pad: 'y'.repeat(MAX_MESSAGE_BYTES) }), /over the limit/);
  });
});

describe('isExtensionMessage', () => {
  const strings = Object.fromEntries(UI_STRING_KEYS.map((k) => [k, k])) as UiStrings;
  const ref = { id: GUID, displayName: 'Grace', detail: 'grace@contoso.com' };
  const profile = {
    view: 'profile', strings, loading: false,
    user: { id: GUID, displayName: 'Ada', userPrincipalName: 'ada@contoso.com', fields: [{ key: 'jobTitle', value: 'Engineer' }] },
    manager: null, groups: [ref],
  };
  const valid: Array<[string, unknown]> = [
    ['profile init', { type: 'init', state: profile }],
    ['profile init while loading', { type: 'init', state: { view: 'profile', strings, loading: true } }],
    ['profile init with errors', { type: 'init', state: { view: 'profile', strings, loading: false, error: { code: 'Request_ResourceNotFound', message: 'Gone', status: 404 } } }],
    ['group form init', { type: 'init', state: { view: 'groupForm', strings, mode: 'create', loading: false, values: group } }],
    ['user form init', { type: 'init', state: { view: 'userForm', strings, loading: false, subject: 'ada@contoso.com', values: user } }],
    ['ok result', { type: 'result', requestId: 3, ok: true, message: 'Saved.' }],
    ['error result', { type: 'result', requestId: 3, ok: false, error: { code: 'ValidationError', message: 'No', field: 'mailNickname' } }],
    ['validation', { type: 'validation', requestId: 3, errors: [{ field: 'displayName', message: 'Required' }] }],
    ['search result', { type: 'searchResult', requestId: 4, users: [ref] }],
    ['search error', { type: 'searchResult', requestId: 4, users: [], error: { code: 'Throttled', message: 'Later' } }],
  ];
  for (const [name, message] of valid) {
    it(`accepts: ${name}`, () => assert.equal(isExtensionMessage(message), true));
  }

  const { save: _save, ...missingKey } = strings;
  const invalid: Array<[string, unknown]> = [
    ['an unknown type', { type: 'eval', code: 'alert(1)' }],
    ['strings with a key missing', { type: 'init', state: { ...profile, strings: missingKey } }],
    ['strings with an extra key', { type: 'init', state: { ...profile, strings: { ...strings, extra: 'x' } } }],
    ['a string that is not text', { type: 'init', state: { ...profile, strings: { ...strings, save: 1 } } }],
    ['an unknown view', { type: 'init', state: { ...profile, view: 'settings' } }],
    ['an unknown profile field', { type: 'init', state: { ...profile, user: { ...profile.user, fields: [{ key: 'passwordProfile', value: 'x' }] } } }],
    ['a manager without id', { type: 'init', state: { ...profile, manager: { displayName: 'x', detail: '' } } }],
    ['an ok result carrying an error', { type: 'result', requestId: 1, ok: true, message: '', error: { code: 'x', message: 'y' } }],
    ['ok as text', { type: 'result', requestId: 1, ok: 'true', message: '' }],
    ['a result without request id', { type: 'result', ok: true, message: '' }],
    ['validation errors that are not a list', { type: 'validation', requestId: 1, errors: { field: 'x', message: 'y' } }],
    ['51 search results', { type: 'searchResult', requestId: 1, users: Array(51).fill(ref) }],
    ['a status that is not a number', { type: 'result', requestId: 1, ok: false, error: { code: 'x', message: 'y', status: '404' } }],
  ];
  for (const [name, message] of invalid) {
    it(`rejects: ${name}`, () => assert.equal(isExtensionMessage(message), false));
  }
});
