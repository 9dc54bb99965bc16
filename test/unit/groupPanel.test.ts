/**
 * The group page against the emulator: counts from Graph, paging and search, removing and adding many with an outcome
 * per row, the last-owner refusal, read-only groups, changes made elsewhere, and the checks on what the page sends.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { DirectoryChange } from '../../src/changes';
import { isExtensionMessage, isWebviewMessage, type ExtensionMessage, type GroupPageState } from '../../src/webviews/protocol';
import { startEmulator, type Emulator, type GroupRecord, type RequestLogEntry } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

type Init = Extract<ExtensionMessage, { type: 'init' }>;
type Reply<T extends ExtensionMessage['type']> = Extract<ExtensionMessage, { type: T }>;

let emu: Emulator;
let services: ReturnType<typeof emulatorServices>;
let changes: DirectoryChange[];

const graphRequests = (): RequestLogEntry[] => emu.log.filter((e) => e.path.startsWith('/v1.0/'));
const groupState = (m: unknown): GroupPageState | undefined => (isExtensionMessage(m) && m.type === 'init' && m.state.view === 'group' ? m.state : undefined);

/** The first state (posted or to come) that satisfies `check`. */
async function stateWhere(panel: vscode.FakeWebviewPanel, check: (s: GroupPageState) => boolean): Promise<GroupPageState> {
  const m = await panel.waitFor((x): x is Init => { const s = groupState(x); return s !== undefined && check(s); });
  return m.state as GroupPageState;
}

function reply<T extends ExtensionMessage['type']>(panel: vscode.FakeWebviewPanel, type: T, requestId: number): Promise<Reply<T>> {
  return panel.waitFor((m): m is Reply<T> => isExtensionMessage(m) && m.type === type && 'requestId' in m && m.requestId === requestId);
}

/** Opens the page of `groupId` and waits until it has loaded. */
async function open(groupId: string): Promise<{ panel: vscode.FakeWebviewPanel; state: GroupPageState }> {
  panelsOf(services).showGroup(groupId);
  const panel = vscode.webviewPanels.at(-1);
  assert.ok(panel);
  panel.receive({ type: 'ready' });
  return { panel, state: await stateWhere(panel, (s) => !s.loading && s.group !== undefined) };
}

/** A security group with `n` user members (named so that their order by name is known) and one owner, inside a parent. */
function seedGroup(n: number, o: Partial<GroupRecord> = {}): { group: GroupRecord; members: string[]; owner: string; parent: GroupRecord } {
  const tag = randomUUID().slice(0, 8);
  const group = makeGroup({ id: randomUUID(), displayName: `Page ${tag}`, mailNickname: `page-${tag}`, ...o });
  emu.state.addGroup(group);
  const members: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    emu.state.addUser(makeUser({ id, userPrincipalName: `m${String(i).padStart(3, '0')}-${tag}@${emu.domain}`, displayName: `Member ${String(i).padStart(3, '0')} ${tag}`, accountEnabled: i !== 1 }));
    emu.state.addMember(group.id, id);
    members.push(id);
  }
  const owner = randomUUID();
  emu.state.addUser(makeUser({ id: owner, userPrincipalName: `owner-${tag}@${emu.domain}`, displayName: `Owner ${tag}` }));
  emu.state.addOwner(group.id, owner);
  const parent = makeGroup({ id: randomUUID(), displayName: `Parent ${tag}`, mailNickname: `parent-${tag}` });
  emu.state.addGroup(parent);
  emu.state.addMember(parent.id, group.id);
  return { group, members, owner, parent };
}

before(async () => {
  emu = await startEmulator({ users: 40, groups: 10, seed: 8 });
});
after(() => emu.close());
beforeEach(() => {
  services = emulatorServices(emu);
  changes = [];
  services.changes.onDidChange((c) => changes.push(c));
  emu.clearLog();
});
afterEach(() => {
  for (const p of vscode.webviewPanels.splice(0)) p.dispose();
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

describe('GroupPanel', () => {
  it("shows Graph's counts, pages the members by 100 sorted by name, marks disabled accounts, and lists what the group is a member of", async () => {
    const { group, members, parent } = seedGroup(142);
    const { panel, state } = await open(group.id);
    assert.equal(state.group?.displayName, group.displayName);
    assert.equal(state.group?.kind, 'Security');
    assert.equal(state.group?.dynamic, false);
    assert.equal(state.members.count, 142);
    assert.equal(state.members.total, 142);
    assert.equal(state.members.rows.length, 100);
    assert.equal(state.members.more, true);
    assert.equal(state.owners.count, 1);
    assert.deepEqual(state.memberOf?.map((g) => g.id), [parent.id]);
    const names = state.members.rows.map((r) => r.displayName);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)), 'rows are sorted by name');
    assert.equal(state.members.readOnly, undefined);
    // The members request counted with Graph's $count (an advanced query), not by the rows it returned.
    const first = graphRequests().find((e) => e.path === `/v1.0/groups/${group.id}/members`);
    assert.equal(first?.query['$count'], 'true');
    assert.equal(first?.headers['consistencylevel'], 'eventual');

    panel.receive({ type: 'listMore', list: 'members' });
    const all = await stateWhere(panel, (s) => s.members.rows.length === 142);
    assert.equal(all.members.more, false);
    assert.deepEqual(new Set(all.members.rows.map((r) => r.id)), new Set(members));
    assert.equal(all.members.rows.find((r) => r.id === members[1])?.disabled, true, 'the disabled member is marked');
    assert.equal(all.members.rows.filter((r) => r.disabled).length, 1);
  });

  it("searches the list through Graph's $search and counts the matches", async () => {
    const { group, members } = seedGroup(12);
    const { panel } = await open(group.id);
    emu.clearLog();
    const target = emu.state.user(members[7] ?? '');
    assert.ok(target);
    panel.receive({ type: 'listSearch', list: 'members', term: 'm007' });
    const found = await stateWhere(panel, (s) => s.members.search === 'm007' && !s.members.loading);
    assert.deepEqual(found.members.rows.map((r) => r.id), [target.id]);
    assert.equal(found.members.total, 1);
    assert.equal(found.members.count, 12, 'the whole list is still counted as a whole');
    const request = graphRequests().find((e) => e.path === `/v1.0/groups/${group.id}/members`);
    assert.match(request?.query['$search'] ?? '', /"displayName:m007" OR "userPrincipalName:m007"/);
    assert.equal(request?.headers['consistencylevel'], 'eventual');
  });

  it('removes three selected members after one confirmation naming the count and the group, reporting each row', async () => {
    const { group, members } = seedGroup(6);
    const { panel } = await open(group.id);
    const [a, b, c] = members;
    assert.ok(a && b && c);
    // One of the three leaves by another way first: Graph answers 404 and the page must say so, not "removed".
    emu.state.removeMember(group.id, c);
    vscode.fakeUi.messageAnswers.push('Remove');
    panel.receive({ type: 'listRemove', requestId: 9, list: 'members', ids: [a, b, c] });
    const answer = await reply(panel, 'result', 9);
    assert.equal(answer.ok && answer.message, 'Removed 2 of 3.');
    const modal = vscode.shown.modals.at(-1);
    assert.equal(modal?.text, `Remove 3 members from "${group.displayName}"?`);
    const done = await stateWhere(panel, (s) => s.members.outcomes !== undefined);
    assert.deepEqual(done.members.outcomes?.map((o) => [o.id, o.done]), [[a, true], [b, true], [c, false]]);
    assert.equal(done.members.outcomes?.[0]?.message, 'Removed.');
    assert.ok(!emu.state.isMember(group.id, a) && !emu.state.isMember(group.id, b), 'the emulator agrees');
    assert.ok(!done.members.rows.some((r) => r.id === a || r.id === b), 'removed rows are gone');
    assert.equal(done.members.count, 4, 'the count follows the two removals');
    assert.deepEqual(changes.filter((ch) => ch.kind === 'memberRemoved').map((ch) => ch.kind === 'memberRemoved' && ch.memberId).sort(), [a, b].map((x) => x.toLowerCase()).sort());
  });

  it('sends nothing when the confirmation is dismissed', async () => {
    const { group, members } = seedGroup(3);
    const { panel } = await open(group.id);
    emu.clearLog();
    panel.receive({ type: 'listRemove', requestId: 4, list: 'members', ids: [members[0] ?? ''] });
    await reply(panel, 'result', 4);
    assert.equal(graphRequests().filter((e) => e.method === 'DELETE').length, 0);
    assert.ok(emu.state.isMember(group.id, members[0] ?? ''));
  });

  it('explains removing the last owner of a Microsoft 365 group first, and words Graph\'s refusal plainly', async () => {
    const { group, owner } = seedGroup(2, { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false });
    const { panel } = await open(group.id);
    vscode.fakeUi.messageAnswers.push('Remove');
    panel.receive({ type: 'listRemove', requestId: 5, list: 'owners', ids: [owner] });
    await reply(panel, 'result', 5);
    assert.match(vscode.shown.modals.at(-1)?.detail ?? '', /without an owner/);
    const done = await stateWhere(panel, (s) => s.owners.outcomes !== undefined);
    assert.equal(done.owners.outcomes?.[0]?.done, false);
    assert.match(done.owners.outcomes?.[0]?.message ?? '', /must keep at least one/);
    assert.ok(emu.state.isOwner(group.id, owner));
    assert.equal(done.owners.count, 1);
  });

  it('adds two users at once among those a search offered, and refuses ids it never offered', async () => {
    const { group } = seedGroup(2);
    const { panel } = await open(group.id);
    const tag = randomUUID().slice(0, 6);
    const newcomers = [0, 1].map((i) => {
      const id = randomUUID();
      emu.state.addUser(makeUser({ id, userPrincipalName: `new${i}-${tag}@${emu.domain}`, displayName: `Newcomer${tag} ${i}` }));
      return id;
    });
    panel.receive({ type: 'searchCandidates', requestId: 20, list: 'members', term: `Newcomer${tag}` });
    const offered = await reply(panel, 'searchResult', 20);
    assert.deepEqual(new Set(offered.users.map((u) => u.id)), new Set(newcomers));

    emu.clearLog();
    const stranger = [...emu.state.users()].find((u) => !emu.state.isMember(group.id, u.id) && !newcomers.some((n) => n === u.id));
    assert.ok(stranger);
    panel.receive({ type: 'listAdd', requestId: 21, list: 'members', ids: [stranger.id] });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(graphRequests().length, 0, 'an id the page was never offered is refused unsent');

    panel.receive({ type: 'listAdd', requestId: 22, list: 'members', ids: newcomers });
    const answer = await reply(panel, 'result', 22);
    assert.equal(answer.ok && answer.message, 'Added 2 of 2.');
    const done = await stateWhere(panel, (s) => s.members.outcomes !== undefined);
    assert.deepEqual(done.members.outcomes?.map((o) => o.done), [true, true]);
    assert.equal(done.members.count, 4);
    assert.ok(newcomers.every((id) => emu.state.isMember(group.id, id)));
    assert.equal(changes.filter((c) => c.kind === 'memberAdded').length, 2, 'each addition announced');
    // The bulk path: one PATCH with both binds.
    assert.equal(graphRequests().filter((e) => e.method === 'PATCH' && e.path === `/v1.0/groups/${group.id}`).length, 1);
  });

  it('offers service principals and devices to a security group, says which is which, and adds them', async () => {
    const { group } = seedGroup(1);
    const { panel } = await open(group.id);
    const tag = randomUUID().slice(0, 6);
    const sp = { id: randomUUID(), displayName: `Robot${tag} app`, appId: randomUUID(), accountEnabled: true, servicePrincipalType: 'Application' };
    const device = { id: randomUUID(), displayName: `Robot${tag} kiosk`, deviceId: randomUUID(), accountEnabled: true, operatingSystem: 'Windows' };
    emu.state.addServicePrincipal(sp);
    emu.state.addDevice(device);
    panel.receive({ type: 'searchCandidates', requestId: 30, list: 'members', term: `Robot${tag}` });
    const offered = await reply(panel, 'searchResult', 30);
    assert.deepEqual(new Set(offered.users.map((u) => u.id)), new Set([sp.id, device.id]));
    assert.equal(offered.users.find((u) => u.id === sp.id)?.detail, `Service principal · app ${sp.appId}`);
    assert.equal(offered.users.find((u) => u.id === device.id)?.detail, `Device · ${device.deviceId}`);

    panel.receive({ type: 'listAdd', requestId: 31, list: 'members', ids: [sp.id, device.id] });
    const answer = await reply(panel, 'result', 31);
    assert.equal(answer.ok && answer.message, 'Added 2 of 2.');
    assert.ok(emu.state.isMember(group.id, sp.id) && emu.state.isMember(group.id, device.id));
    const done = await stateWhere(panel, (s) => s.members.count === 3);
    assert.equal(done.members.rows.find((r) => r.id === sp.id)?.kind, 'servicePrincipal');
    assert.equal(done.members.rows.find((r) => r.id === device.id)?.kind, 'device');
  });

  it('never offers service principals or devices to a Microsoft 365 group, nor as owners', async () => {
    const { group } = seedGroup(1, { groupTypes: ['Unified'], mailEnabled: true, mail: `m365-${randomUUID().slice(0, 6)}@${emu.domain}` });
    const { panel } = await open(group.id);
    const tag = randomUUID().slice(0, 6);
    emu.state.addServicePrincipal({ id: randomUUID(), displayName: `Gizmo${tag} app`, appId: randomUUID(), accountEnabled: true, servicePrincipalType: 'Application' });
    emu.state.addDevice({ id: randomUUID(), displayName: `Gizmo${tag} kiosk`, deviceId: randomUUID(), accountEnabled: true, operatingSystem: 'Windows' });
    emu.clearLog();
    panel.receive({ type: 'searchCandidates', requestId: 40, list: 'members', term: `Gizmo${tag}` });
    assert.deepEqual((await reply(panel, 'searchResult', 40)).users, []);
    const { group: security } = seedGroup(1);
    const { panel: securityPanel } = await open(security.id);
    securityPanel.receive({ type: 'searchCandidates', requestId: 41, list: 'owners', term: `Gizmo${tag}` });
    assert.deepEqual((await reply(securityPanel, 'searchResult', 41)).users, []);
    assert.equal(graphRequests().filter((e) => e.path === '/v1.0/servicePrincipals' || e.path === '/v1.0/devices').length, 0, 'not even searched');
  });

  it('shows a distribution list read-only, says why, and refuses changes unsent', async () => {
    const { group, members } = seedGroup(2, { mailEnabled: true, securityEnabled: false, mail: `dl-${randomUUID().slice(0, 6)}@${emu.domain}` });
    const { panel, state } = await open(group.id);
    assert.equal(state.group?.kind, 'Distribution list');
    assert.equal(state.group?.editable, false);
    assert.equal(state.group?.exportable, false, 'its members are managed in Exchange');
    assert.match(state.members.readOnly ?? '', /managed in Exchange/);
    assert.match(state.owners.readOnly ?? '', /managed in Exchange/);
    emu.clearLog();
    panel.receive({ type: 'listRemove', requestId: 3, list: 'members', ids: [members[0] ?? ''] });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(vscode.shown.modals.length, 0);
    assert.equal(graphRequests().length, 0);
  });

  it('says a dynamic group takes no manual members but lets its owners be managed', async () => {
    const { group } = seedGroup(0, { groupTypes: ['DynamicMembership'], membershipRule: 'user.department -eq "Sales"', membershipRuleProcessingState: 'On' });
    const { state } = await open(group.id);
    assert.equal(state.group?.dynamic, true);
    assert.equal(state.group?.membershipRule, 'user.department -eq "Sales"');
    assert.match(state.members.readOnly ?? '', /membership rule/);
    assert.equal(state.owners.readOnly, undefined);
  });

  it('applies changes made elsewhere and closes when the group is deleted', async () => {
    const { group } = seedGroup(3);
    const { panel } = await open(group.id);
    const user = [...emu.state.users()].find((u) => !emu.state.isMember(group.id, u.id));
    assert.ok(user);
    assert.ok((await services.writes.addMember({ id: group.id }, { id: user.id, displayName: user.displayName }, { surface: 'command' })).success);
    const after = await stateWhere(panel, (s) => s.members.count === 4);
    assert.ok(after.members.rows.some((r) => r.id === user.id.toLowerCase()));
    assert.ok((await services.writes.updateGroup(group.id, { displayName: 'Renamed page group' }, { surface: 'command' })).success);
    await stateWhere(panel, (s) => s.group?.displayName === 'Renamed page group');
    assert.ok((await services.writes.deleteGroup(group.id, { surface: 'command' })).success);
    assert.equal(panel.disposed, true);
  });
});

describe('group page messages', () => {
  it('accept a selection of 1 to 100 distinct ids and refuse anything else', () => {
    const ids = (n: number): string[] => Array.from({ length: n }, () => randomUUID());
    assert.ok(isWebviewMessage({ type: 'listRemove', requestId: 1, list: 'members', ids: ids(1) }));
    assert.ok(isWebviewMessage({ type: 'listAdd', requestId: 1, list: 'owners', ids: ids(100) }));
    const one = randomUUID();
    for (const bad of [
      { type: 'listRemove', requestId: 1, list: 'members', ids: [] },
      { type: 'listRemove', requestId: 1, list: 'members', ids: ids(101) },
      { type: 'listRemove', requestId: 1, list: 'members', ids: [one, one] },
      { type: 'listRemove', requestId: 1, list: 'guests', ids: ids(1) },
      { type: 'listAdd', requestId: 1, list: 'members', ids: [''] },
      { type: 'listSearch', list: 'members', term: 'x'.repeat(513) },
      { type: 'listMore', list: 'members', extra: true },
      { type: 'groupAction', action: 'deleteGroup' },
      { type: 'openGroup', groupId: '' },
    ]) assert.equal(isWebviewMessage(bad), false, JSON.stringify(bad).slice(0, 80));
  });

  it('the profile opens only a group it lists', async () => {
    const user = [...emu.state.users()].find((u) => emu.state.memberOfGroups(u.id).some((g) => emu.state.group(g)?.groupTypes.includes('Unified')));
    assert.ok(user);
    const listed = emu.state.memberOfGroups(user.id).find((g) => emu.state.group(g)?.groupTypes.includes('Unified'));
    const other = [...emu.state.groups()].find((g) => !emu.state.isMember(g.id, user.id));
    assert.ok(listed && other);
    panelsOf(services).showProfile(user.id);
    const profile = vscode.webviewPanels.at(-1);
    assert.ok(profile);
    profile.receive({ type: 'ready' });
    await profile.waitFor((m): m is Init => isExtensionMessage(m) && m.type === 'init' && m.state.view === 'profile' && !m.state.loading);
    const before = vscode.webviewPanels.length;
    profile.receive({ type: 'openGroup', groupId: other.id });
    assert.equal(vscode.webviewPanels.length, before, 'an unlisted id opens nothing');
    profile.receive({ type: 'openGroup', groupId: listed.toUpperCase() });
    assert.equal(vscode.webviewPanels.length, before + 1);
    assert.equal(vscode.webviewPanels.at(-1)?.viewType, 'entraId.group');
  });
});
