/**
 * The webview channel as an attacker would use it: a compromised page posting malformed, oversized, unknown and
 * misdirected messages to every panel. Each must be refused and logged (without its content), with no Graph request,
 * no change event, no answer and no other effect; the panel keeps working afterwards.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { DirectoryChange } from '../../src/changes';
import { isExtensionMessage, MAX_MESSAGE_BYTES, type ExtensionMessage, type GroupCreateValues, type UserFormValues } from '../../src/webviews/protocol';
import { startEmulator, type Emulator, type GroupRecord, type UserRecord } from '../emulator';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

type Init = Extract<ExtensionMessage, { type: 'init' }>;
const loaded = (m: unknown): m is Init => isExtensionMessage(m) && m.type === 'init' && !m.state.loading;
const MARK = 'CANARY-WEBVIEW-PAYLOAD';
const GUID = '6b1c5e2a-3f4d-4e8b-9a6c-0d2e4f6a8b10';

let emu: Emulator;
let services: ReturnType<typeof emulatorServices>;
let fetches: string[];
let changes: DirectoryChange[];
let user: UserRecord;
let group: GroupRecord;

before(async () => {
  emu = await startEmulator({ users: 20, groups: 8 });
  const u = emu.state.findUser((x) => x.accountEnabled && x.onPremisesSyncEnabled !== true && x.id !== emu.state.adminUserId);
  const g = emu.state.findGroup((x) => x.securityEnabled && !x.mailEnabled && x.onPremisesSyncEnabled !== true && !x.groupTypes.includes('DynamicMembership'));
  assert.ok(u && g);
  user = u;
  group = g;
});
after(() => emu.close());
beforeEach(() => {
  fetches = [];
  services = emulatorServices(emu, { fetch: (input, init) => {
    fetches.push(`${init?.method ?? 'GET'} ${typeof input === 'string' ? input : input instanceof URL ? input.href : input.url}`);
    return fetch(input, init);
  } });
  changes = [];
  services.changes.onDidChange((c) => changes.push(c));
});
afterEach(() => {
  for (const p of vscode.webviewPanels.splice(0)) p.dispose();
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

function validCreate(): GroupCreateValues {
  return { kind: 'security', displayName: 'Valid name', mailNickname: 'valid-name', description: '', visibility: '', ownerIds: [], memberIds: [] };
}

function validUser(): UserFormValues {
  return {
    displayName: 'A', givenName: '', surname: '', jobTitle: '', department: '', officeLocation: '', mobilePhone: '', businessPhone: '', usageLocation: '',
    city: '', country: '', companyName: '', accountEnabled: true,
  };
}

/** Messages no panel may act on: not ours, malformed, oversized or not serializable. */
function hostileMessages(): Array<[string, unknown]> {
  const cyclic: Record<string, unknown> = { type: 'ready' };
  cyclic.self = cyclic;
  const throwing = { type: 'cancel', get extra(): string {
    throw new Error(MARK);
  } };
  const controlIds = Array.from({ length: 100 }, () => '\u0001'.repeat(128));
  return [
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['an empty object', {}],
    ['a numeric type', { type: 42 }],
    ['an unknown type', { type: `<script>${MARK}</script>` }],
    ['a type in capitals', { type: 'READY' }],
    ['an extra key on cancel', { type: 'cancel', reason: MARK }],
    ['a submit without fields', { type: 'submit' }],
    ['an unknown form', { type: 'submit', requestId: 1, form: 'deleteGroup', values: { id: GUID } }],
    ['a negative request id', { type: 'submit', requestId: -1, form: 'createGroup', values: validCreate() }],
    ['a fractional request id', { type: 'submit', requestId: 1.5, form: 'createGroup', values: validCreate() }],
    ['a huge request id', { type: 'submit', requestId: 2 ** 53, form: 'createGroup', values: validCreate() }],
    ['a text request id', { type: 'submit', requestId: '1', form: 'createGroup', values: validCreate() }],
    ['NaN as request id', { type: 'submit', requestId: Number.NaN, form: 'createGroup', values: validCreate() }],
    ['an extra group property', { type: 'submit', requestId: 1, form: 'createGroup', values: { ...validCreate(), securityEnabled: false, isAssignableToRole: true } }],
    ['a polluting __proto__ key', { type: 'submit', requestId: 1, form: 'createGroup', values: JSON.parse(`{"__proto__":{"polluted":"${MARK}"},"kind":"security","displayName":"x","mailNickname":"x","description":"","visibility":"","ownerIds":[],"memberIds":[]}`) as unknown }],
    ['a wrong kind', { type: 'submit', requestId: 1, form: 'createGroup', values: { ...validCreate(), kind: 'distribution' } }],
    ['21 owners', { type: 'submit', requestId: 1, form: 'createGroup', values: { ...validCreate(), ownerIds: Array.from({ length: 21 }, () => GUID) } }],
    ['101 members', { type: 'submit', requestId: 1, form: 'createGroup', values: { ...validCreate(), memberIds: Array.from({ length: 101 }, () => GUID) } }],
    ['a name over the bound', { type: 'submit', requestId: 1, form: 'createGroup', values: { ...validCreate(), displayName: 'x'.repeat(1025) } }],
    ['a non-boolean accountEnabled', { type: 'submit', requestId: 1, form: 'editUser', values: { ...validUser(), accountEnabled: 'false' } }],
    ['a missing user field', { type: 'submit', requestId: 1, form: 'editUser', values: { displayName: 'A' } }],
    ['a search term over the bound', { type: 'searchUsers', requestId: 1, term: 'x'.repeat(513) }],
    ['an unknown action', { type: 'action', action: 'deleteGroup' }],
    ['an action with an extra key', { type: 'action', action: 'copyId', target: GUID }],
    ['over 64 KB with a valid shape', { type: 'submit', requestId: 1, form: 'createGroup', values: { ...validCreate(), memberIds: controlIds } }],
    ['a megabyte of padding', { type: 'searchUsers', requestId: 1, term: 'x', pad: MARK.repeat(80_000) }],
    ['a cycle', cyclic],
    ['a BigInt', { type: 'submit', requestId: 1n, form: 'createGroup', values: validCreate() }],
    ['a function', { type: 'ready', then: () => MARK }],
    ['a throwing getter', throwing],
    ['a class instance', new (class {
      type = 'cancel';
    })()],
    ['an inherited type', Object.create({ type: 'cancel' }) as unknown],
  ];
}

interface Opened {
  panel: vscode.FakeWebviewPanel;
  init: Init;
}

async function open(show: () => unknown): Promise<Opened> {
  show();
  const panel = vscode.webviewPanels.at(-1);
  assert.ok(panel);
  panel.receive({ type: 'ready' });
  return { panel, init: await panel.waitFor(loaded) };
}

/**
 * Posts each message, then a probe whose answer is known and needs no Graph request; once that answer is back, the
 * messages before it have been dealt with. Checks that none of them had any effect.
 */
/** Event-loop turns until `done` holds (bounded; no timers). */
async function until(done: () => boolean, turns = 500): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(done(), 'the probe was answered');
}

async function assertRefused(opened: Opened, messages: Array<[string, unknown]>, probe: { message: unknown; answered: (posted: readonly unknown[]) => boolean; posts: number }): Promise<void> {
  const { panel } = opened;
  const lines = (services.log as unknown as { lines: string[] }).lines;
  const linesBefore = lines.length;
  const postedBefore = panel.posted.length;
  fetches.length = 0;
  emu.clearLog();
  for (const [, message] of messages) panel.receive(message);
  panel.receive(probe.message);
  await until(() => probe.answered(panel.posted.slice(postedBefore)));

  assert.deepEqual(fetches, [], 'no request was sent');
  assert.deepEqual(emu.log.filter((e) => e.path.startsWith('/v1.0')), [], 'Graph saw nothing');
  assert.deepEqual(changes, [], 'no change event');
  assert.equal(panel.disposed, false, 'the panel is still open');
  assert.equal(panel.posted.length, postedBefore + probe.posts, 'only the probe was answered');
  const logged = lines.slice(linesBefore);
  const refusals = logged.filter((l) => /ignored a message/.test(l));
  assert.equal(refusals.length, messages.length, `one refusal logged per message:\n${logged.join('\n')}`);
  assert.ok(!logged.some((l) => l.includes(MARK)), 'the log carries no content of the messages');
  assert.ok(logged.every((l) => l.length < 300), 'log lines stay short');
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
}

describe('webview channel: hostile messages', () => {
  it('are refused by the profile', async () => {
    const opened = await open(() => panelsOf(services).showProfile(user.id));
    const misdirected: Array<[string, unknown]> = [
      ['a submit', { type: 'submit', requestId: 3, form: 'editUser', values: validUser() }],
      ['a search', { type: 'searchUsers', requestId: 4, term: 'adele' }],
    ];
    await assertRefused(opened, [...hostileMessages(), ...misdirected], {
      message: { type: 'action', action: 'copyId' },
      answered: () => vscode.fakeUi.clipboard === user.id && vscode.shown.info.length === 1,
      posts: 0,
    });
  });

  it('are refused by the user form', async () => {
    const opened = await open(() => panelsOf(services).editUser(user.id));
    const values = opened.init.state.view === 'userForm' ? opened.init.state.values : validUser();
    const misdirected: Array<[string, unknown]> = [
      ['a search', { type: 'searchUsers', requestId: 4, term: 'adele' }],
      ['a profile action', { type: 'action', action: 'copyId' }],
      ['a group submit', { type: 'submit', requestId: 5, form: 'createGroup', values: validCreate() }],
    ];
    await assertRefused(opened, [...hostileMessages(), ...misdirected], {
      message: { type: 'submit', requestId: 77, form: 'editUser', values },
      answered: (posted) => posted.some((m) => isExtensionMessage(m) && m.type === 'validation' && m.requestId === 77),
      posts: 1,
    });
  });

  it('are refused by the group form when editing', async () => {
    const opened = await open(() => panelsOf(services).editGroup(group.id));
    const values = opened.init.state.view === 'groupForm' ? opened.init.state.values : validCreate();
    const misdirected: Array<[string, unknown]> = [
      ['a search (create only)', { type: 'searchUsers', requestId: 4, term: 'adele' }],
      ['a create submit', { type: 'submit', requestId: 5, form: 'createGroup', values: validCreate() }],
      ['a user submit', { type: 'submit', requestId: 6, form: 'editUser', values: validUser() }],
      ['an action', { type: 'action', action: 'copyId' }],
    ];
    const { displayName, mailNickname, description, visibility } = values;
    await assertRefused(opened, [...hostileMessages(), ...misdirected], {
      message: { type: 'submit', requestId: 78, form: 'editGroup', values: { displayName, mailNickname, description, visibility } },
      answered: (posted) => posted.some((m) => isExtensionMessage(m) && m.type === 'validation' && m.requestId === 78),
      posts: 1,
    });
  });

  it('are refused by the group form when creating', async () => {
    const opened = await open(() => panelsOf(services).createGroup());
    const misdirected: Array<[string, unknown]> = [
      ['an edit submit', { type: 'submit', requestId: 5, form: 'editGroup', values: { displayName: 'x', mailNickname: 'x', description: '', visibility: '' } }],
      ['a user submit', { type: 'submit', requestId: 6, form: 'editUser', values: validUser() }],
      ['an action', { type: 'action', action: 'refresh' }],
    ];
    await assertRefused(opened, [...hostileMessages(), ...misdirected], {
      message: { type: 'submit', requestId: 79, form: 'createGroup', values: { ...validCreate(), mailNickname: 'not valid' } },
      answered: (posted) => posted.some((m) => isExtensionMessage(m) && m.type === 'validation' && m.requestId === 79),
      posts: 1,
    });
  });

  it('include one of valid shape that is over the size limit', () => {
    const [, big] = hostileMessages().find(([name]) => name === 'over 64 KB with a valid shape') ?? [];
    assert.ok(new TextEncoder().encode(JSON.stringify(big)).length > MAX_MESSAGE_BYTES);
    const { memberIds: _dropped, ...rest } = (big as { values: GroupCreateValues }).values;
    assert.equal(rest.kind, 'security', 'everything else about it is well-formed');
  });

  it('do not stop the page from working: a valid search still runs afterwards', async () => {
    const opened = await open(() => panelsOf(services).createGroup());
    for (const [, message] of hostileMessages()) opened.panel.receive(message);
    const term = (user.displayName ?? '').split(' ')[0] ?? 'a';
    opened.panel.receive({ type: 'searchUsers', requestId: 90, term });
    const found = await opened.panel.waitFor((m): m is Extract<ExtensionMessage, { type: 'searchResult' }> => isExtensionMessage(m) && m.type === 'searchResult' && m.requestId === 90);
    assert.equal(found.error, undefined);
    assert.equal(fetches.length, 1, 'exactly the one search was sent');
  });
});
