/**
 * Every kind of group Graph knows, in the Groups view: the row names its kind, and its context menu offers only what
 * Graph allows on that kind — editing and deleting security and Microsoft 365 groups (dynamic ones too), adding members
 * only where membership is assigned, and none of these on mail-enabled security groups and distribution lists, which
 * Exchange manages. The menus are the manifest's `when` clauses evaluated by VS Code on the rows' context values.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { GroupRecord } from '../../emulator';
import { e2e } from '../harness/context';
import { DirectoryUi, freshTag, groupRowName, seedGroup, type SeedKind } from './directoryUi';

const EDIT = 'Edit Group';
const ADD = 'Add Member to Group…';
const DELETE = 'Delete Group…';
const GROUP_ACTIONS = [EDIT, ADD, 'Remove Member from Group…', DELETE];

interface Case {
  label: string;
  kind: SeedKind;
  dynamic: boolean;
  /** The row's kind as the tree words it. */
  shown: string;
  actions: string[];
}

const CASES: Case[] = [
  { label: 'Alder', kind: 'security', dynamic: false, shown: 'Security', actions: [EDIT, ADD, DELETE] },
  { label: 'Birch', kind: 'microsoft365', dynamic: false, shown: 'Microsoft 365', actions: [EDIT, ADD, DELETE] },
  { label: 'Cedar', kind: 'security', dynamic: true, shown: 'Dynamic security', actions: [EDIT, DELETE] },
  { label: 'Dogwood', kind: 'microsoft365', dynamic: true, shown: 'Dynamic Microsoft 365', actions: [EDIT, DELETE] },
  { label: 'Elm', kind: 'mailEnabledSecurity', dynamic: false, shown: 'Mail-enabled security', actions: [] },
  { label: 'Fir', kind: 'distribution', dynamic: false, shown: 'Distribution list', actions: [] },
];

describe('group kinds in the Groups view', function () {
  this.timeout(120_000);
  const tag = freshTag();
  let ui: DirectoryUi | undefined;
  const seeded: Array<{ group: GroupRecord; expected: Case }> = [];

  before(async () => {
    const { emulator } = e2e();
    for (const c of CASES) seeded.push({ group: seedGroup(emulator, `${c.label} ${tag}`, { kind: c.kind, dynamic: c.dynamic }), expected: c });
    ui = await DirectoryUi.open();
    await ui.search('Groups', tag);
  });

  after(async () => {
    await ui?.viewAction('Groups', 'Clear Group Search').catch(() => undefined);
    await ui?.close();
    for (const { group } of seeded) e2e().emulator.state.deleteObject(group.id);
  });

  it('names each kind as Graph defines it', async () => {
    assert.ok(ui);
    const expected = seeded.map(({ group }) => groupRowName(group));
    // The oracle and the table agree, so a row found by the oracle's name shows the kind the table states.
    assert.deepEqual(expected, CASES.map((c) => `${c.label} ${tag}, ${c.shown}`));
    await ui.expectRows('Groups', expected);
  });

  for (const c of CASES) {
    it(`offers ${c.actions.length ? c.actions.join(', ') : 'no edit, member or delete action'} on a ${c.shown} group`, async () => {
      assert.ok(ui);
      const entry = seeded.find((s) => s.expected === c);
      assert.ok(entry);
      const row = await ui.waitForRow('Groups', groupRowName(entry.group));
      const offered = await ui.contextMenuEntries(row);
      assert.ok(offered.includes('Copy Object ID'), `the menu is the row's: ${offered.join(', ')}`);
      assert.deepEqual(offered.filter((t) => GROUP_ACTIONS.includes(t)), c.actions);
      // The inline pencil follows the same rule as the menu's "Edit Group".
      assert.equal(await row.locator(`.actions .action-label[aria-label="${EDIT}"]`).count(), c.actions.includes(EDIT) ? 1 : 0, 'the inline Edit Group action');
    });
  }
});
