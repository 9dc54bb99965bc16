import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkCreateGroup, checkGroupEdit, checkUserEdit, createGroupInput, emptyGroupValues, groupChanges, groupValuesFrom, userChanges,
  userValuesFrom, wireError,
} from '../../src/webviews/formRules';

const GUID = '2f7c1a4e-9a51-4a0e-8a7e-1b2c3d4e5f60';

describe('group form rules', () => {
  it('derives the nickname from the name when none is typed', () => {
    const values = { ...emptyGroupValues('microsoft365'), displayName: '  Équipe Café  ', visibility: 'HiddenMembership' as const, memberIds: [GUID] };
    assert.deepEqual(checkCreateGroup(values), []);
    assert.deepEqual(createGroupInput(values), { kind: 'microsoft365', displayName: 'Équipe Café', mailNickname: 'EquipeCafe', visibility: 'HiddenMembership', memberIds: [GUID] });
  });

  it('reports each field with the core rules', () => {
    const errors = checkCreateGroup({ ...emptyGroupValues(), displayName: '', mailNickname: 'bad nick', visibility: 'HiddenMembership', ownerIds: ['not-a-guid'], memberIds: [GUID, GUID] });
    assert.deepEqual(errors.map((e) => e.field), ['displayName', 'mailNickname', 'visibility', 'ownerIds', 'memberIds']);
    assert.match(errors[1]?.message ?? '', /spaces/);
  });

  it('asks for a nickname when none can be derived', () => {
    const errors = checkCreateGroup({ ...emptyGroupValues(), displayName: '日本語' });
    assert.deepEqual(errors.map((e) => e.field), ['mailNickname']);
  });

  it('sends only what changed, clearing a description with null', () => {
    const original = groupValuesFrom({ id: GUID, displayName: 'Ops', mailNickname: 'ops', description: 'Run things', visibility: 'Private', groupTypes: ['Unified'] });
    assert.equal(original.kind, 'microsoft365');
    assert.deepEqual(groupChanges(original, original), {});
    assert.deepEqual(groupChanges(original, { ...original, displayName: ' Ops ' }), {});
    assert.deepEqual(groupChanges(original, { ...original, displayName: 'Operations', description: '' }), { displayName: 'Operations', description: null });
    assert.deepEqual(groupChanges(original, { ...original, visibility: 'Public' }), { visibility: 'Public' });
    assert.deepEqual(checkGroupEdit({ visibility: 'HiddenMembership' }).map((e) => e.field), ['visibility']);
    assert.deepEqual(checkGroupEdit({ displayName: '', mailNickname: 'a:b' }).map((e) => e.field), ['displayName', 'mailNickname']);
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
    const errors = checkUserEdit(userChanges(original, { ...original, displayName: ' ', usageLocation: 'USA', department: 'd'.repeat(65) }));
    assert.deepEqual(errors.map((e) => e.field).sort(), ['department', 'displayName', 'usageLocation']);
  });

  it('refuses to clear the usage location, which Graph cannot store as empty', () => {
    const original = userValuesFrom(user);
    const errors = checkUserEdit(userChanges(original, { ...original, usageLocation: '' }));
    assert.deepEqual(errors.map((e) => e.field), ['usageLocation']);
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
