import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkCreateGroup, checkGroupEdit, checkUnpicked, checkUserEdit, createGroupInput, emptyGroupValues, groupChanges, groupValuesFrom, userChanges,
  userValuesFrom, wireError,
} from '../../src/webviews/formRules';
import { uiStrings } from '../../src/webviews/uiStrings';

/** The English strings the extension hands the page. */
const S = uiStrings();

const GUID = '2f7c1a4e-9a51-4a0e-8a7e-1b2c3d4e5f60';

describe('group form rules', () => {
  it('derives the nickname from the name when none is typed', () => {
    const values = { ...emptyGroupValues('microsoft365'), displayName: '  Équipe Café  ', visibility: 'HiddenMembership' as const, memberIds: [GUID] };
    assert.deepEqual(checkCreateGroup(values, S), []);
    assert.deepEqual(createGroupInput(values), { kind: 'microsoft365', displayName: 'Équipe Café', mailNickname: 'EquipeCafe', visibility: 'HiddenMembership', memberIds: [GUID] });
  });

  it('reports each field with the core rules', () => {
    const errors = checkCreateGroup({ ...emptyGroupValues(), displayName: '', mailNickname: 'bad nick', visibility: 'HiddenMembership', ownerIds: ['not-a-guid'], memberIds: [GUID, GUID] }, S);
    assert.deepEqual(errors.map((e) => e.field), ['displayName', 'mailNickname', 'visibility', 'ownerIds', 'memberIds']);
    assert.match(errors[1]?.message ?? '', /spaces/);
  });

  it('asks for a nickname when none can be derived', () => {
    const errors = checkCreateGroup({ ...emptyGroupValues(), displayName: '日本語' }, S);
    assert.deepEqual(errors.map((e) => e.field), ['mailNickname']);
  });

  it('sends only what changed, clearing a description with null', () => {
    const original = groupValuesFrom({ id: GUID, displayName: 'Ops', mailNickname: 'ops', description: 'Run things', visibility: 'Private', groupTypes: ['Unified'] });
    assert.equal(original.kind, 'microsoft365');
    assert.deepEqual(groupChanges(original, original), {});
    assert.deepEqual(groupChanges(original, { ...original, displayName: ' Ops ' }), {});
    assert.deepEqual(groupChanges(original, { ...original, displayName: 'Operations', description: '' }), { displayName: 'Operations', description: null });
    assert.deepEqual(groupChanges(original, { ...original, visibility: 'Public' }), { visibility: 'Public' });
    assert.deepEqual(checkGroupEdit({ visibility: 'HiddenMembership' }, S).map((e) => e.field), ['visibility']);
    assert.deepEqual(checkGroupEdit({ displayName: '', mailNickname: 'a:b' }, S).map((e) => e.field), ['displayName', 'mailNickname']);
  });
});

describe('user form rules', () => {
  const user = { id: GUID, displayName: 'Ada', givenName: 'Ada', surname: null, jobTitle: 'Engineer', businessPhones: ['+1 555'], accountEnabled: true, usageLocation: 'GB' };

  it('sends only what changed, as Graph expects it', () => {
    const original = userValuesFrom(user);
    assert.deepEqual(userChanges(original, original), {});
    const changed = { ...original, jobTitle: '', surname: 'Lovelace', businessPhone: '+1 556', usageLocation: 'us', accountEnabled: false };
    assert.deepEqual(userChanges(original, changed), { jobTitle: null, surname: 'Lovelace', businessPhones: ['+1 556'], usageLocation: 'US', accountEnabled: false });
    assert.deepEqual(userChanges(original, { ...original, businessPhone: '' }), { businessPhones: [] });
  });

  it('names problems after the form fields', () => {
    const original = userValuesFrom(user);
    const errors = checkUserEdit(userChanges(original, { ...original, displayName: ' ', usageLocation: 'USA', department: 'd'.repeat(65) }), S);
    assert.deepEqual(errors.map((e) => e.field).sort(), ['department', 'displayName', 'usageLocation']);
  });

  it('refuses to clear the usage location, which Graph cannot store as empty', () => {
    const original = userValuesFrom(user);
    const errors = checkUserEdit(userChanges(original, { ...original, usageLocation: '' }), S);
    assert.deepEqual(errors.map((e) => e.field), ['usageLocation']);
  });
});

describe('validation worded with the form\'s labels', () => {
  const group = (values: Partial<ReturnType<typeof emptyGroupValues>>): Record<string, string> =>
    Object.fromEntries(checkCreateGroup({ ...emptyGroupValues(), displayName: 'Ops', ...values }, S).map((e) => [e.field, e.message]));
  const user = userValuesFrom({ id: GUID, displayName: 'Ada', usageLocation: 'GB', accountEnabled: true });
  const userError = (values: Partial<typeof user>): Record<string, string> =>
    Object.fromEntries(checkUserEdit(userChanges(user, { ...user, ...values }), S).map((e) => [e.field, e.message]));

  it('an empty name', () => {
    assert.deepEqual(group({ displayName: '  ' }), { displayName: 'Name cannot be empty.' });
    assert.deepEqual(checkGroupEdit({ displayName: '' }, S), [{ field: 'displayName', message: 'Name cannot be empty.' }]);
    assert.deepEqual(userError({ displayName: ' ' }), { displayName: 'Display name cannot be empty.' });
  });

  it('a value over its limit, with its length and the limit', () => {
    assert.deepEqual(group({ displayName: 'n'.repeat(300) }), { displayName: 'Name is 300 characters long; the limit is 256.' });
    assert.deepEqual(group({ description: 'd'.repeat(1030) }), { description: 'Description is 1030 characters long; the limit is 1024.' });
    assert.deepEqual(userError({ department: 'd'.repeat(65) }), { department: 'Department is 65 characters long; the limit is 64.' });
  });

  it('a mail nickname with a space, another forbidden character, an accent or a control character', () => {
    assert.deepEqual(group({ mailNickname: 'bad nick' }), { mailNickname: 'Mail nickname may not contain spaces.' });
    assert.deepEqual(group({ mailNickname: 'a:b' }), { mailNickname: 'Mail nickname may not contain the character :.' });
    assert.deepEqual(group({ mailNickname: 'café' }), { mailNickname: 'Mail nickname may contain only letters without accents (A–Z), digits and simple punctuation such as - and _.' });
    assert.deepEqual(group({ mailNickname: 'a\u0007b' }), { mailNickname: 'Mail nickname may not contain control characters.' });
    assert.deepEqual(group({ displayName: '日本語' }), { mailNickname: 'No mail nickname can be made from this name; type one with letters A–Z and digits.' });
  });

  it('a usage location that is not a country code, or is cleared', () => {
    assert.deepEqual(userError({ usageLocation: 'USA' }), { usageLocation: 'Usage location is 3 characters long; the limit is 2.' });
    assert.deepEqual(userError({ usageLocation: 'U1' }), { usageLocation: 'Usage location must be a two-letter country code, such as US.' });
    assert.deepEqual(userError({ usageLocation: '' }), { usageLocation: 'Usage location cannot be cleared once set; enter another value.' });
  });

  it('visibility and people', () => {
    assert.deepEqual(group({ visibility: 'HiddenMembership' }), { visibility: 'Hidden membership is available only for Microsoft 365 groups.' });
    assert.deepEqual(checkGroupEdit({ visibility: 'HiddenMembership' }, S), [{ field: 'visibility', message: 'Hidden membership is set when a group is created and cannot be changed.' }]);
    assert.deepEqual(group({ ownerIds: ['not-a-guid'] }), { ownerIds: 'Owners: choose people from the search results.' });
    assert.deepEqual(group({ memberIds: [GUID, GUID.toUpperCase()] }), { memberIds: 'Members: each person can be added only once.' });
    assert.deepEqual(group({ ownerIds: Array.from({ length: 21 }, (_, i) => `${i.toString(16).padStart(8, '0')}-9a51-4a0e-8a7e-1b2c3d4e5f60`) }), { ownerIds: 'Owners: at most 20 can be added here.' });
  });

  it('never speaks Graph property names', () => {
    const all = [
      ...Object.values(group({ displayName: '', mailNickname: 'x y', description: 'd'.repeat(2000) })),
      ...Object.values(userError({ displayName: '', usageLocation: 'zz1', jobTitle: 'j'.repeat(200), givenName: 'g'.repeat(70) })),
    ];
    assert.ok(all.length >= 6);
    for (const message of all) assert.doesNotMatch(message, /displayName|mailNickname|usageLocation|jobTitle|givenName|description is/);
  });
});

describe('text typed in a people picker but not chosen', () => {
  it('blocks the form with a message on that field, quoting the text', () => {
    assert.deepEqual(checkUnpicked('memberIds', '  avery ', S), { field: 'memberIds', message: "You typed 'avery' but did not choose a person. Choose one from the list or clear the box." });
  });

  it('lets an empty box pass', () => {
    assert.equal(checkUnpicked('memberIds', '   ', S), undefined);
  });

  it('shortens a long text so the message stays readable', () => {
    const message = checkUnpicked('ownerIds', 'x'.repeat(500), S)?.message ?? '';
    assert.ok(message.length < 200, message);
    assert.match(message, /^You typed 'x+…' but did not choose a person\./);
  });
});

describe('wireError', () => {
  it('reads the field from Graph messages when the form has it', () => {
    const graph = { code: 'Request_BadRequest', status: 400, message: "Invalid value specified for property 'mailNickname' of resource 'Group'." };
    assert.equal(wireError(graph, ['mailNickname']).field, 'mailNickname');
    assert.equal(wireError(graph, ['displayName']).field, undefined);
    assert.equal(wireError({ code: 'Request_BadRequest', message: 'Another object with the same value for property mailNickname already exists.' }, ['mailNickname']).field, 'mailNickname');
    assert.equal(wireError({ code: 'ValidationError', message: 'x', field: 'businessPhones' }, ['businessPhone'], (p) => (p === 'businessPhones' ? 'businessPhone' : p)).field, 'businessPhone');
  });
});
