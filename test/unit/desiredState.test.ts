/** Desired-state files: read with positions, written in one canonical form, named safely. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { desiredStateFileName, duplicates, parseDesiredState, renderDesiredState } from '../../src/shared/desiredState';
import { currentStateUri, exportTarget } from '../../src/shared/desiredStatePaths';

const GROUP = { id: '0b6f2b0e-1111-4c1d-9d2e-000000000001', displayName: 'Sales "Team"' };
const alice = { id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Alice\nInjected', userPrincipalName: 'alice@contoso.com' };
const bob = { id: 'bbbbbbbb-0000-4000-8000-000000000002', displayName: 'Bob', userPrincipalName: 'Bob@contoso.com' };
const device = { id: 'cccccccc-0000-4000-8000-000000000003', displayName: 'Laptop' };

describe('desired-state files', () => {
  it('writes a sorted canonical file that reads back to the same entries, names as one-line comments', () => {
    const text = renderDesiredState(GROUP, { members: [device, bob, alice], owners: [bob] });
    const file = parseDesiredState(text);
    assert.deepEqual(file.problems, []);
    assert.equal(file.groupId?.value, GROUP.id);
    assert.equal(file.displayName?.value, GROUP.displayName);
    assert.deepEqual(file.members?.map((e) => e.value), ['alice@contoso.com', 'Bob@contoso.com', device.id]);
    assert.deepEqual(file.owners?.map((e) => e.value), ['Bob@contoso.com']);
    assert.match(text, /"alice@contoso\.com", \/\/ Alice Injected\n/);
    assert.ok(!text.includes('\nInjected'), 'a line break in a name cannot end the comment');
    // Each entry's position points at its literal.
    for (const e of file.members ?? []) assert.equal(text.slice(e.offset, e.offset + e.length), JSON.stringify(e.value));
  });

  it('leaves an omitted list out, writes an empty one as []', () => {
    const onlyOwners = parseDesiredState(renderDesiredState(GROUP, { owners: [] }));
    assert.deepEqual(onlyOwners.problems, []);
    assert.equal(onlyOwners.members, undefined);
    assert.deepEqual(onlyOwners.owners, []);
    const none = parseDesiredState(renderDesiredState(GROUP, {}));
    assert.deepEqual(none.problems, []);
    assert.equal(none.members, undefined);
    assert.equal(none.owners, undefined);
  });

  it('reads comments and trailing commas, and reports mistakes where they are', () => {
    const ok = parseDesiredState('/* x */ {\n "group": {"id": "g"}, // c\n "members": ["a@b.c",],\n}');
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.members?.map((e) => e.value), ['a@b.c']);

    const text = '{ "group": { "id": "g" }, "members": ["a@b.c", 42], "extra": 1 }';
    const bad = parseDesiredState(text);
    assert.deepEqual(bad.problems.map((p) => text.slice(p.offset, p.offset + p.length)), ['42', '"extra"']);

    const broken = '{ "group": { "id": "g" }, "members": ["a@b.c" "d@e.f"] }';
    const syntax = parseDesiredState(broken);
    assert.equal(syntax.problems.length, 1);
    assert.equal(syntax.problems[0]?.offset, broken.indexOf('"d@e.f"'));

    assert.match(parseDesiredState('{ "members": [] }').problems[0]?.message ?? '', /needs "group"/);
    assert.match(parseDesiredState('[1]').problems[0]?.message ?? '', /one object/);
    assert.match(parseDesiredState('{ "a": "open\n" }').problems[0]?.message ?? '', /not closed/);
  });

  it('finds duplicates case-insensitively, keeping the first', () => {
    const file = parseDesiredState('{ "group": {"id": "g"}, "members": ["A@b.c", "x", "a@B.c", "X"] }');
    assert.deepEqual(duplicates(file.members ?? []).map((e) => e.value), ['a@B.c', 'X']);
  });

  it('names files safely and builds paths with vscode-uri', () => {
    assert.equal(desiredStateFileName({ id: 'g', displayName: '../Sales: EU/West*' }), 'Sales-EU-West.entra-group.json');
    assert.equal(desiredStateFileName({ id: 'g-1', displayName: '///' }), 'g-1.entra-group.json');
    const folder = URI.file('/work/space');
    assert.equal(exportTarget(folder, { id: 'g', displayName: 'Sales Team' }).path, '/work/space/Sales-Team.entra-group.json');
    const storage = URI.parse('vscode-userdata:/global/storage/ext');
    assert.equal(currentStateUri(storage, 'ABC/..').toString(), 'vscode-userdata:/global/storage/ext/plans/abc%252F...current.jsonc');
  });
});
