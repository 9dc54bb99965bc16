import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { DirectoryChange } from '../../src/changes';
import { MAX_LISTED_GROUPS, isExtensionMessage, type ExtensionMessage, type GroupCreateValues, type UserFormValues } from '../../src/webviews/protocol';
import { randomUUID } from 'node:crypto';
import { startEmulator, type Emulator, type RequestLogEntry } from '../emulator';
import { makeGroup, makeUser } from '../emulator/directory/factories';
import { panelsOf } from '../support/panels';
import { ALL_DELEGATED, emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

type Message<T extends ExtensionMessage['type']> = Extract<ExtensionMessage, { type: T }>;
const is = <T extends ExtensionMessage['type']>(type: T, requestId?: number) => (m: unknown): m is Message<T> =>
  isExtensionMessage(m) && m.type === type && (requestId === undefined || ('requestId' in m && m.requestId === requestId));
const loaded = (m: unknown): m is Message<'init'> => is('init')(m) && !m.state.loading;

let emu: Emulator;
let services: ReturnType<typeof emulatorServices>;
let changes: DirectoryChange[];

function graphRequests(): RequestLogEntry[] {
  return emu.log.filter((e) => e.path.startsWith('/v1.0/'));
}

function openedPanel(): vscode.FakeWebviewPanel {
  const panel = vscode.webviewPanels.at(-1);
  assert.ok(panel);
  return panel;
}

/** Opens the page side: says ready and waits for the loaded state. */
async function ready(panel: vscode.FakeWebviewPanel): Promise<Message<'init'>['state']> {
  panel.receive({ type: 'ready' });
  return (await panel.waitFor(loaded)).state;
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

function newGroup(values: Partial<GroupCreateValues>): GroupCreateValues {
  return { kind: 'security', displayName: '', mailNickname: '', description: '', visibility: '', ownerIds: [], memberIds: [], ...values };
}

before(async () => {
  emu = await startEmulator({ users: 30, groups: 10 });
});
after(async () => {
  await emu.close();
});
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

describe('GroupFormPanel, create', () => {
  it('answers an invalid mail nickname with a field error and sends nothing to Graph', async () => {
    panelsOf(services).createGroup();
    const panel = openedPanel();
    await ready(panel);
    panel.receive({ type: 'submit', requestId: 1, form: 'createGroup', values: newGroup({ displayName: 'Night shift', mailNickname: 'night shift' }) });
    const answer = await panel.waitFor(is('validation', 1));
    assert.deepEqual(answer.errors.map((e) => e.field), ['mailNickname']);
    assert.deepEqual(graphRequests(), []);
    assert.equal(panel.disposed, false);
  });

  it('creates the group with the owner picked through search, announces it and closes', async () => {
    panelsOf(services).createGroup({ kind: 'microsoft365' });
    const panel = openedPanel();
    const state = await ready(panel);
    assert.equal(state.view === 'groupForm' && state.values.kind, 'microsoft365');

    const owner = [...emu.state.usersById.values()].find((u) => u.accountEnabled && /^[A-Za-z]+ [A-Za-z]+$/.test(u.displayName ?? ''));
    assert.ok(owner);
    const term = (owner.displayName ?? '').split(' ')[0] ?? '';
    panel.receive({ type: 'searchUsers', requestId: 2, term });
    const found = await panel.waitFor(is('searchResult', 2));
    assert.ok(found.users.some((u) => u.id === owner.id), 'the owner is among the results');
    assert.ok(found.users.length <= 20);
    assert.ok(graphRequests().some((e) => e.method === 'GET' && e.path === '/v1.0/users' && e.query.$top === '20' && (e.query.$search ?? '').includes(term)));

    panel.receive({ type: 'submit', requestId: 3, form: 'createGroup', values: newGroup({ kind: 'microsoft365', displayName: 'Harbour Pilots', visibility: 'HiddenMembership', ownerIds: [owner.id] }) });
    const result = await panel.waitFor(is('result', 3));
    assert.equal(result.ok, true);
    const created = emu.state.findGroup((g) => g.displayName === 'Harbour Pilots');
    assert.ok(created, 'the group exists in the directory');
    assert.equal(created.mailNickname, 'HarbourPilots');
    assert.equal(created.visibility, 'HiddenMembership');
    assert.deepEqual(emu.state.ownersOf(created.id), [owner.id]);
    const change = changes.find((c) => c.kind === 'groupCreated');
    assert.equal(change?.kind === 'groupCreated' && change.group.id, created.id);
    assert.match(vscode.shown.info.join('\n'), /Harbour Pilots/);
    assert.equal(panel.disposed, true);
  });

  it("shows Graph's refusal at the field it names, and keeps the form open", async () => {
    const taken = emu.state.findGroup((g) => g.groupTypes.includes('Unified'));
    assert.ok(taken);
    panelsOf(services).createGroup();
    const panel = openedPanel();
    await ready(panel);
    panel.receive({ type: 'submit', requestId: 4, form: 'createGroup', values: newGroup({ kind: 'microsoft365', displayName: 'Copycat', mailNickname: taken.mailNickname }) });
    const result = await panel.waitFor(is('result', 4));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.field, 'mailNickname');
    assert.equal(!result.ok && result.error.status, 400);
    assert.equal(panel.disposed, false);
    assert.equal(changes.length, 0);
  });

  it('runs one create at a time', async () => {
    panelsOf(services).createGroup();
    const panel = openedPanel();
    await ready(panel);
    const values = newGroup({ displayName: 'Twice Clicked' });
    panel.receive({ type: 'submit', requestId: 5, form: 'createGroup', values });
    panel.receive({ type: 'submit', requestId: 6, form: 'createGroup', values });
    await panel.waitFor(is('result', 5));
    await tick();
    assert.equal(graphRequests().filter((e) => e.method === 'POST' && e.path === '/v1.0/groups').length, 1);
  });

  it('finishes a create when the panel is closed meanwhile, and still announces it', async () => {
    panelsOf(services).createGroup();
    const panel = openedPanel();
    await ready(panel);
    panel.receive({ type: 'submit', requestId: 9, form: 'createGroup', values: newGroup({ displayName: 'Closed Early' }) });
    panel.dispose();
    for (let i = 0; i < 50 && !changes.length; i++) await tick();
    assert.equal(changes[0]?.kind, 'groupCreated');
    assert.ok(emu.state.findGroup((g) => g.displayName === 'Closed Early'));
  });

  it('ignores a malformed submit: no request, no answer, no change', async () => {
    panelsOf(services).createGroup();
    const panel = openedPanel();
    await ready(panel);
    const posted = panel.posted.length;
    panel.receive({ type: 'submit', requestId: 7, form: 'createGroup', values: { ...newGroup({ displayName: 'Sneaky' }), securityEnabled: false } });
    panel.receive({ type: 'submit', requestId: 8, form: 'editGroup', values: { displayName: 'Sneaky', mailNickname: 'sneaky', description: '', visibility: '' } });
    await tick();
    assert.equal(panel.posted.length, posted);
    assert.deepEqual(graphRequests(), []);
    assert.equal(changes.length, 0);
    assert.equal(emu.state.findGroup((g) => g.displayName === 'Sneaky'), undefined);
    assert.ok((vscode.outputChannels.at(-1)?.lines ?? []).filter((l) => l.startsWith('[warning]')).length >= 2);
  });
});

describe('GroupFormPanel, edit', () => {
  it('sends only the changed fields and shows the saved values', async () => {
    const group = emu.state.findGroup((g) => !g.groupTypes.includes('DynamicMembership') && g.description !== null && !g.groupTypes.includes('Unified'));
    assert.ok(group);
    panelsOf(services).editGroup(group.id);
    const panel = openedPanel();
    const state = await ready(panel);
    assert.ok(state.view === 'groupForm' && state.mode === 'edit');
    assert.equal(state.values.displayName, group.displayName);
    emu.clearLog();

    panel.receive({ type: 'submit', requestId: 1, form: 'editGroup', values: { displayName: group.displayName, mailNickname: group.mailNickname, description: 'Keeps the lights on', visibility: state.values.visibility } });
    const result = await panel.waitFor(is('result', 1));
    assert.equal(result.ok, true);
    const patches = graphRequests().filter((e) => e.method === 'PATCH');
    assert.equal(patches.length, 1);
    assert.equal(patches[0]?.path, `/v1.0/groups/${group.id}`);
    assert.deepEqual(patches[0]?.body, { description: 'Keeps the lights on' });
    assert.equal(emu.state.group(group.id)?.description, 'Keeps the lights on');
    assert.deepEqual(changes, [{ kind: 'groupUpdated', groupId: group.id, changes: { description: 'Keeps the lights on' } }]);
    const refreshed = panel.posted.filter(loaded).at(-1);
    assert.equal(refreshed?.state.view === 'groupForm' && refreshed.state.values.description, 'Keeps the lights on');
    assert.equal(panel.disposed, false);

    // Clearing the description sends null, the value Graph clears it with.
    panel.receive({ type: 'submit', requestId: 2, form: 'editGroup', values: { displayName: group.displayName, mailNickname: group.mailNickname, description: '  ', visibility: state.values.visibility } });
    await panel.waitFor(is('result', 2));
    assert.deepEqual(graphRequests().filter((e) => e.method === 'PATCH').at(-1)?.body, { description: null });
    assert.equal(emu.state.group(group.id)?.description, null);
  });

  it('sends nothing when nothing changed', async () => {
    const group = emu.state.findGroup(() => true);
    assert.ok(group);
    panelsOf(services).editGroup(group.id);
    const panel = openedPanel();
    const state = await ready(panel);
    assert.ok(state.view === 'groupForm');
    emu.clearLog();
    const { kind: _k, ownerIds: _o, memberIds: _m, ...values } = state.values;
    panel.receive({ type: 'submit', requestId: 3, form: 'editGroup', values });
    const answer = await panel.waitFor(is('validation', 3));
    assert.equal(answer.errors[0]?.field, '');
    assert.deepEqual(graphRequests(), []);
  });

  it('shows a load error for a group that does not exist', async () => {
    panelsOf(services).editGroup('00000000-0000-4000-8000-000000000000');
    const state = await ready(openedPanel());
    assert.equal(state.view === 'groupForm' && state.error?.status, 404);
  });
});

describe('UserFormPanel', () => {
  const pickUser = () => {
    const user = [...emu.state.usersById.values()].find((u) => u.id !== emu.state.adminUserId && u.accountEnabled && !u.onPremisesSyncEnabled && u.jobTitle !== null && u.displayName !== null && /^[\w .'-]+$/.test(u.displayName));
    assert.ok(user);
    return user;
  };

  it('sends only the changed fields, in the shape Graph expects', async () => {
    const user = pickUser();
    panelsOf(services).editUser(user.id);
    const panel = openedPanel();
    const state = await ready(panel);
    assert.ok(state.view === 'userForm');
    assert.equal(state.subject, user.userPrincipalName);
    emu.clearLog();

    const values: UserFormValues = { ...state.values, jobTitle: 'Lighthouse keeper', businessPhone: '+1 555 0100', usageLocation: 'nl' };
    panel.receive({ type: 'submit', requestId: 1, form: 'editUser', values });
    const result = await panel.waitFor(is('result', 1));
    assert.equal(result.ok, true, JSON.stringify(result));
    const patches = graphRequests().filter((e) => e.method === 'PATCH');
    assert.equal(patches.length, 1);
    assert.equal(patches[0]?.path, `/v1.0/users/${user.id}`);
    assert.deepEqual(patches[0]?.body, { jobTitle: 'Lighthouse keeper', businessPhones: ['+1 555 0100'], usageLocation: 'NL' });
    const stored = emu.state.user(user.id);
    assert.equal(stored?.jobTitle, 'Lighthouse keeper');
    assert.deepEqual(stored?.businessPhones, ['+1 555 0100']);
    assert.deepEqual(changes, [{ kind: 'userUpdated', userId: user.id, changes: { jobTitle: 'Lighthouse keeper', businessPhones: ['+1 555 0100'], usageLocation: 'NL' } }]);
    const refreshed = panel.posted.filter(loaded).at(-1);
    assert.equal(refreshed?.state.view === 'userForm' && refreshed.state.values.jobTitle, 'Lighthouse keeper');
  });

  it('shows a synced user\'s synced fields locked with the reason, refuses changes to them, and saves the usage location', async () => {
    const synced = makeUser({ id: randomUUID(), userPrincipalName: `synced-${randomUUID().slice(0, 8)}@${emu.domain}`, displayName: 'Sam Synced', jobTitle: 'Clerk', onPremisesSyncEnabled: true, usageLocation: 'US' });
    emu.state.addUser(synced);
    panelsOf(services).editUser(synced.id);
    const panel = openedPanel();
    const state = await ready(panel);
    assert.ok(state.view === 'userForm');
    assert.ok(state.locked, 'the page is told which fields are locked');
    assert.ok(state.locked.fields.includes('jobTitle') && state.locked.fields.includes('accountEnabled'));
    assert.ok(!state.locked.fields.includes('usageLocation'), 'the usage location is cloud-only and stays editable');
    assert.match(state.locked.reason, /on-premises/);

    emu.clearLog();
    panel.receive({ type: 'submit', requestId: 3, form: 'editUser', values: { ...state.values, jobTitle: 'Changed' } });
    const refused = await panel.waitFor(is('validation', 3));
    assert.deepEqual(refused.errors.map((e) => e.field), ['jobTitle']);
    assert.deepEqual(graphRequests().filter((e) => e.method === 'PATCH'), [], 'nothing sent for a locked field');

    panel.receive({ type: 'submit', requestId: 4, form: 'editUser', values: { ...state.values, usageLocation: 'NL' } });
    const saved = await panel.waitFor(is('result', 4));
    assert.equal(saved.ok, true, JSON.stringify(saved));
    assert.equal(emu.state.user(synced.id)?.usageLocation, 'NL');
  });

  it('answers invalid input with field errors before any request', async () => {
    const user = pickUser();
    panelsOf(services).editUser(user.id);
    const panel = openedPanel();
    const state = await ready(panel);
    assert.ok(state.view === 'userForm');
    emu.clearLog();
    panel.receive({ type: 'submit', requestId: 2, form: 'editUser', values: { ...state.values, displayName: ' ', usageLocation: 'Holland' } });
    const answer = await panel.waitFor(is('validation', 2));
    assert.deepEqual(answer.errors.map((e) => e.field).sort(), ['displayName', 'usageLocation']);
    assert.deepEqual(graphRequests(), []);
  });
});

describe('ProfilePanel', () => {
  it('shows the signed-in user with manager and Microsoft 365 groups, and runs its actions', async () => {
    const withManager = [...emu.state.managers.keys()][0];
    assert.ok(withManager);
    // The client signs in as this user, so the profile reads /me.
    services = emulatorServices(emu, { getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', userId: withManager, scopes: ALL_DELEGATED })) });
    const profile = panelsOf(services).showProfile(undefined);
    const panel = openedPanel();
    const state = await ready(panel);
    assert.ok(state.view === 'profile' && state.user);
    assert.equal(state.user.id, withManager);
    assert.equal(state.manager?.id, emu.state.managers.get(withManager));
    const unified = [...emu.state.groupsById.values()].filter((g) => g.groupTypes.includes('Unified') && emu.state.membersOf(g.id).includes(withManager));
    assert.deepEqual(state.groups?.map((g) => g.id).sort(), unified.map((g) => g.id).sort());
    assert.ok(graphRequests().some((e) => e.path === '/v1.0/me'));

    panel.receive({ type: 'action', action: 'copyId' });
    await tick();
    assert.equal(vscode.fakeUi.clipboard, withManager);
    panel.receive({ type: 'action', action: 'copyUpn' });
    await tick();
    assert.equal(vscode.fakeUi.clipboard, state.user.userPrincipalName);

    panel.receive({ type: 'action', action: 'openManager' });
    const managerPanel = openedPanel();
    assert.notEqual(managerPanel, panel);
    const managerState = await ready(managerPanel);
    assert.equal(managerState.view === 'profile' && managerState.user?.id, state.manager?.id);

    panel.receive({ type: 'action', action: 'editUser' });
    const form = openedPanel();
    assert.equal(form.viewType, 'entraId.userForm');
    assert.equal(profile.isDisposed, false);
  });

  it('shows an error for a user that does not exist', async () => {
    panelsOf(services).showProfile('nobody@contoso.onmicrosoft.com');
    const state = await ready(openedPanel());
    assert.equal(state.view === 'profile' && state.error?.status, 404);
  });
  it('marks a disabled manager, and follows the manager being set elsewhere', async () => {
    const user = emu.state.findUser((u) => u.accountEnabled && u.userType !== 'Guest' && !emu.state.managerOf(u.id));
    const blocked = emu.state.findUser((u) => u.accountEnabled === false);
    const active = emu.state.findUser((u) => u.accountEnabled && u.id !== user?.id);
    assert.ok(user && blocked && active);
    emu.state.setManager(user.id, blocked.id);
    panelsOf(services).showProfile(user.id);
    const panel = openedPanel();
    const state = await ready(panel);
    assert.ok(state.view === 'profile');
    assert.equal(state.manager?.id, blocked.id);
    assert.equal(state.managerDisabled, true);

    const result = await services.writes.setManager({ id: user.id }, { id: active.id, displayName: active.displayName, accountEnabled: true }, { surface: 'command' });
    assert.equal(result.success, true);
    const after = [...panel.posted].reverse().find(loaded)?.state;
    assert.ok(after?.view === 'profile');
    assert.equal(after.manager?.id, active.id);
    assert.equal(after.managerDisabled, undefined, 'the new manager is not marked');
    emu.state.setManager(user.id, undefined);
  });

  it('says so when the user belongs to more Microsoft 365 groups than the profile lists', async () => {
    const user = emu.state.findUser((u) => u.accountEnabled && u.userType !== 'Guest');
    assert.ok(user);
    for (let i = 0; i <= MAX_LISTED_GROUPS; i++) {
      const id = randomUUID();
      emu.state.addGroup(makeGroup({ id, displayName: `Many ${i}`, mailNickname: `many-${i}`, groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false }));
      emu.state.addMember(id, user.id);
    }
    panelsOf(services).showProfile(user.id);
    const state = await ready(openedPanel());
    assert.ok(state.view === 'profile');
    assert.equal(state.groups?.length, MAX_LISTED_GROUPS);
    assert.equal(state.groupsMore, true);
  });
});
