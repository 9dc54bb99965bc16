/** Pickers offer only the groups an action can work on: no Exchange-managed or dynamic groups for membership changes. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pickGroup, pickMember } from '../../src/commands/pickers';
import { acceptsManualMembers, isWritableThroughGraph } from '../../src/shared/groupKinds';
import { ACCESS_FIXTURES, startEmulator, type Emulator } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { installQuickPicks } from '../hardening/quickPick';
import { emulatorServices } from '../support/services';

let emu: Emulator;
let picks: ReturnType<typeof installQuickPicks>;
before(async () => {
  emu = await startEmulator({ users: 20, groups: 40, seed: 12 });
  picks = installQuickPicks();
});
after(async () => {
  picks.uninstall();
  await emu.close();
});

/** Every group a picker listed, after paging to the end (it is asked for a group that is not there). */
async function listed(filter: Parameters<typeof pickGroup>[2]): Promise<Set<string>> {
  picks.plans.push({ choose: 'no-such-group' });
  const chosen = await pickGroup(emulatorServices(emu), 'Which group?', filter);
  assert.equal(chosen, undefined);
  const pick = picks.opened.at(-1);
  assert.ok(pick);
  return new Set(pick.items.flatMap((row) => (row.object ? [row.object.id] : [])));
}

describe('group pickers', () => {
  it('offer no distribution list, mail-enabled security group or dynamic group for membership changes', async () => {
    const ids = await listed(acceptsManualMembers);
    const all = [...emu.state.groups()];
    const dynamic = all.filter((g) => g.groupTypes.includes('DynamicMembership'));
    assert.ok(dynamic.length > 0, 'the tenant has dynamic groups');
    for (const g of [...dynamic, { id: ACCESS_FIXTURES.groups.distribution.id }, { id: ACCESS_FIXTURES.groups.mailEnabledSecurity.id }]) {
      assert.ok(!ids.has(g.id), `${g.id} is not offered`);
    }
    const plain = all.filter((g) => !g.groupTypes.includes('DynamicMembership') && !g.mailEnabled && g.securityEnabled);
    assert.ok(plain.length > 0 && plain.every((g) => ids.has(g.id)), 'every assigned security group is offered');
  });

  it('offer dynamic groups, but not Exchange-managed ones, for edits', async () => {
    const ids = await listed(isWritableThroughGraph);
    assert.ok([...emu.state.groups()].some((g) => g.groupTypes.includes('DynamicMembership') && ids.has(g.id)));
    assert.ok(!ids.has(ACCESS_FIXTURES.groups.distribution.id));
    assert.ok(!ids.has(ACCESS_FIXTURES.groups.mailEnabledSecurity.id));
  });
});

describe('member pickers', () => {
  it('mark disabled accounts, so an admin sees whom they are choosing', async () => {
    const blocked = '7c000000-0000-4000-8000-000000000001';
    const active = '7c000000-0000-4000-8000-000000000002';
    const group = '7c000000-0000-4000-8000-000000000010';
    emu.state.addUser(makeUser({ id: blocked, userPrincipalName: 'aaron.blocked@contoso.test', displayName: 'Aaron Blocked', accountEnabled: false }));
    emu.state.addUser(makeUser({ id: active, userPrincipalName: 'abby.active@contoso.test', displayName: 'Abby Active', accountEnabled: true }));
    emu.state.addGroup(makeGroup({ id: group, displayName: 'Pickers', mailNickname: 'pickers', securityEnabled: true, mailEnabled: false, groupTypes: [] }));
    emu.state.addMember(group, blocked);
    emu.state.addMember(group, active);
    picks.plans.push({ choose: 'no-such-member' });
    assert.equal(await pickMember(emulatorServices(emu), group, 'Remove whom?'), undefined);
    const rows = picks.opened.at(-1)?.items.filter((r) => r.object) ?? [];
    const row = (id: string): { label: string; description?: string } | undefined => rows.find((r) => r.object?.id === id);
    assert.equal(row(blocked)?.label, '$(circle-slash) Aaron Blocked');
    assert.equal(row(blocked)?.description, 'Disabled · aaron.blocked@contoso.test');
    assert.equal(row(active)?.label, 'Abby Active');
    assert.equal(row(active)?.description, 'abby.active@contoso.test');
  });
});
