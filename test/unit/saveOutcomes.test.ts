/**
 * Saves that cannot hang or lose work: cancelling a write through DirectoryWrites and from a form, the honest wording
 * of a write that got no answer (how long, whether it may have been applied), Refresh, the confirmation before an
 * account is disabled, and a closed form's failed save reported as a notification.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { DirectoryChange } from '../../src/changes';
import { ErrorCodes, GraphClient, type GraphError } from '../../src/core';
import { describeFailure, humanDuration } from '../../src/ui/failureWords';
import { isExtensionMessage, type ExtensionMessage } from '../../src/webviews/protocol';
import { startEmulator, type Emulator } from '../emulator';
import { makeUser } from '../emulator/directory/factories';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

type Message<T extends ExtensionMessage['type']> = Extract<ExtensionMessage, { type: T }>;
const is = <T extends ExtensionMessage['type']>(type: T, requestId?: number) => (m: unknown): m is Message<T> =>
  isExtensionMessage(m) && m.type === type && (requestId === undefined || ('requestId' in m && m.requestId === requestId));
const loaded = (m: unknown): m is Message<'init'> => is('init')(m) && !m.state.loading;
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

async function until<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = probe();
    if (value) return value;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a failed change in people\'s words', () => {
  const timeout: GraphError = { code: ErrorCodes.timeout, message: 'Microsoft Graph did not answer PATCH /groups/0f8fad5b-d9cb-469f-a165-70867728950e within 30 s.', outcomeUnknown: true, waitedMs: 123_400, attempts: 4 };

  it('a timeout after retries: the whole wait, that it may have been applied, and Refresh; never the raw request', () => {
    const text = describeFailure(timeout, { change: true, refresh: true });
    assert.equal(text, 'Microsoft Graph did not answer. Waited 2 min 3 s in total over 4 attempts. The change may already have been applied. Refresh to see the current values (Microsoft Graph can take a moment to show a recent change).');
    assert.doesNotMatch(text, /PATCH|\/groups\/|30 s/);
  });

  it('a single timed-out attempt says how long it waited', () => {
    assert.equal(describeFailure({ ...timeout, waitedMs: 30_000, attempts: 1 }, { change: true }), 'Microsoft Graph did not answer within 30 s. The change may already have been applied. Check the object before trying again.');
  });

  it('a cancel before the request was sent: nothing changed', () => {
    assert.equal(describeFailure({ code: ErrorCodes.cancelled, message: 'The operation was cancelled.' }, { change: true, refresh: true }), 'Cancelled. Nothing was changed.');
  });

  it('a cancel after sending: may have been applied', () => {
    assert.equal(describeFailure({ code: ErrorCodes.cancelled, message: 'x', outcomeUnknown: true }, { change: true, refresh: true }), 'Cancelled. The change may already have been applied. Refresh to see the current values (Microsoft Graph can take a moment to show a recent change).');
  });

  it('a create that may have happened says what to look for', () => {
    const error: GraphError = { code: ErrorCodes.cancelled, message: 'x', outcomeUnknown: true, maybeCreated: { displayName: 'Night shift', mailNickname: 'nightshift', createdAfter: '2026-01-01T00:00:00Z' } };
    assert.equal(describeFailure(error, { change: true }), 'Cancelled. The change may already have been applied. Look for the group "Night shift" before creating it again.');
  });

  it('an unreachable Graph, and a read (no outcome to state)', () => {
    assert.equal(describeFailure({ code: ErrorCodes.network, message: 'Could not reach Microsoft Graph (ECONNREFUSED).', waitedMs: 9_000 }, { change: true }), 'Could not reach Microsoft Graph (tried for 9 s). Nothing was changed.');
    assert.equal(describeFailure({ ...timeout, outcomeUnknown: undefined }, { change: false }), 'Microsoft Graph did not answer. Waited 2 min 3 s in total over 4 attempts.');
  });

  it("keeps Graph's own refusals as Graph words them", () => {
    assert.equal(describeFailure({ code: 'Request_BadRequest', status: 400, message: 'Another object with the same value for property mailNickname already exists.' }, { change: true, refresh: true }), 'Another object with the same value for property mailNickname already exists.');
  });

  it('durations', () => {
    assert.deepEqual([humanDuration(400), humanDuration(45_000), humanDuration(120_000), humanDuration(123_400)], ['1 s', '45 s', '2 min', '2 min 3 s']);
  });
});

describe('the transport on a request that never answers', () => {
  it('reports every attempt and the whole wait, not one attempt\'s timeout', async () => {
    let slept = 0;
    const client = new GraphClient({
      baseUrl: 'https://graph.example.test/v1.0',
      getAccessToken: () => Promise.resolve('token'),
      timeoutMs: 20,
      maxRetries: 2,
      // Never answers; ends when the transport aborts the attempt.
      fetch: (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
      sleep: (ms) => {
        slept += ms;
        return Promise.resolve();
      },
      now: () => Date.now() + slept,
      random: () => 0,
    });
    const result = await client.updateGroup('0f8fad5b-d9cb-469f-a165-70867728950e', { description: 'x' });
    assert.equal(result.success, false);
    if (result.success) return;
    assert.equal(result.error.code, ErrorCodes.timeout);
    assert.equal(result.error.attempts, 3);
    assert.ok((result.error.waitedMs ?? 0) >= slept + 3 * 20, `waited ${result.error.waitedMs} ms, slept ${slept} ms`);
    assert.equal(result.error.outcomeUnknown, true, 'a PATCH that was sent may have been applied');
    assert.match(result.error.message, /did not answer PATCH \/groups\/.* within 20 ms\. Gave up after 3 attempts over /, 'the log keeps the raw request');
  });
});

describe('cancelling saves', () => {
  let emu: Emulator;
  let services: ReturnType<typeof emulatorServices>;
  let changes: DirectoryChange[];
  let userId: string;
  const upn = (): string => `casey-${userId.slice(0, 8)}@contoso.test`;

  before(async () => {
    emu = await startEmulator({ users: 8, groups: 2 });
  });
  after(() => emu.close());
  beforeEach(() => {
    userId = randomUUID();
    emu.state.addUser(makeUser({ id: userId, userPrincipalName: upn(), displayName: 'Casey Quill', jobTitle: 'Clerk', accountEnabled: true }));
    services = emulatorServices(emu);
    changes = [];
    services.changes.onDidChange((c) => changes.push(c));
    emu.clearLog();
  });
  afterEach(() => {
    emu.scriptFaults([]);
    for (const p of vscode.webviewPanels.splice(0)) p.dispose();
    vscode.shown.reset();
    vscode.fakeUi.reset();
  });

  const patches = (): number => emu.log.filter((e) => e.method === 'PATCH' && e.path === `/v1.0/users/${userId}`).length;

  it('DirectoryWrites: a cancel after the request was sent ends the write as "may have been applied" and announces nothing', async () => {
    emu.scriptFaults([{ kind: 'hang', match: { method: 'PATCH' } }]);
    const controller = new AbortController();
    const pending = services.writes.updateUser(userId, { jobTitle: 'Archivist' }, { signal: controller.signal, surface: 'command' });
    await until('the PATCH to reach Graph', () => patches() === 1);
    controller.abort();
    const result = await pending;
    assert.equal(result.success, false);
    if (result.success) return;
    assert.equal(result.error.code, ErrorCodes.cancelled);
    assert.equal(result.error.outcomeUnknown, true);
    assert.deepEqual(changes, [], 'nothing is announced for a change that may not have happened');
  });

  it('DirectoryWrites: a cancel before sending sends nothing and says nothing changed', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await services.writes.updateUser(userId, { jobTitle: 'Archivist' }, { signal: controller.signal, surface: 'command' });
    assert.equal(result.success, false);
    if (result.success) return;
    assert.equal(result.error.code, ErrorCodes.cancelled);
    assert.notEqual(result.error.outcomeUnknown, true);
    assert.equal(patches(), 0);
  });

  async function openForm(): Promise<{ panel: vscode.FakeWebviewPanel; values: Extract<Message<'init'>['state'], { view: 'userForm' }>['values'] }> {
    panelsOf(services).editUser(userId);
    const panel = vscode.webviewPanels.at(-1);
    assert.ok(panel);
    panel.receive({ type: 'ready' });
    const state = (await panel.waitFor(loaded)).state;
    assert.ok(state.view === 'userForm');
    return { panel, values: state.values };
  }

  it('the user form: Cancel during a hung save stops it, keeps the form open and offers Refresh, which reads the user again', async () => {
    const { panel, values } = await openForm();
    emu.scriptFaults([{ kind: 'hang', match: { method: 'PATCH' } }]);
    panel.receive({ type: 'submit', requestId: 7, form: 'editUser', values: { ...values, jobTitle: 'Archivist' } });
    await until('the PATCH to reach Graph', () => patches() === 1);
    panel.receive({ type: 'cancelRequest', requestId: 99 });
    await tick();
    assert.equal(panel.posted.filter(is('result', 7)).length, 0, 'a cancel for another request stops nothing');
    panel.receive({ type: 'cancelRequest', requestId: 7 });
    const result = await panel.waitFor(is('result', 7));
    assert.ok(!result.ok);
    assert.equal(result.error.message, 'Cancelled. The change may already have been applied. Refresh to see the current values (Microsoft Graph can take a moment to show a recent change).');
    assert.equal(result.error.outcomeUnknown, true);
    assert.equal(panel.disposed, false);
    assert.deepEqual(changes, []);

    const initsBefore = panel.posted.filter(loaded).length;
    emu.clearLog();
    panel.receive({ type: 'action', action: 'refresh' });
    await until('the form to be shown again', () => panel.posted.filter(loaded).length > initsBefore);
    assert.equal(emu.log.filter((e) => e.method === 'GET' && e.path === `/v1.0/users/${userId}`).length, 1, 'Refresh read the user again');
  });

  it('the user form: a save that times out says how long it waited in total, without the raw request', async () => {
    services = emulatorServices(emu, { timeoutMs: 30, maxRetries: 1, sleep: () => Promise.resolve() });
    const { panel, values } = await openForm();
    emu.scriptFaults([{ kind: 'hang', match: { method: 'PATCH' }, count: 2 }]);
    panel.receive({ type: 'submit', requestId: 8, form: 'editUser', values: { ...values, jobTitle: 'Archivist' } });
    const result = await panel.waitFor(is('result', 8));
    assert.ok(!result.ok);
    assert.match(result.error.message, /^Microsoft Graph did not answer\. Waited \d+ s in total over 2 attempts\. The change may already have been applied\. Refresh to see the current values/);
    assert.doesNotMatch(result.error.message, /PATCH|\/users\/|within/);
    assert.equal(result.error.outcomeUnknown, true);
    const logged = (services.log as unknown as { lines: string[] }).lines.join('\n');
    assert.match(logged, /Could not save the user "Casey Quill": Microsoft Graph did not answer PATCH \/users\//, 'the raw detail goes to the log');
  });

  it('the user form: unchecking Account enabled asks first, naming the user; declining sends nothing and keeps the form', async () => {
    const { panel, values } = await openForm();
    vscode.fakeUi.messageAnswers.push('Keep Enabled');
    panel.receive({ type: 'submit', requestId: 3, form: 'editUser', values: { ...values, jobTitle: 'Archivist', accountEnabled: false } });
    const declined = await panel.waitFor(is('notSaved', 3));
    assert.match(declined.message, /Not saved: the account stays enabled/);
    assert.deepEqual(vscode.shown.modals, [{
      text: `Disable the account of "Casey Quill" (${upn()})?`,
      detail: 'Casey Quill will be unable to sign in until the account is enabled again.',
      items: ['Keep Enabled', 'Disable Account'],
    }], 'the harmless choice comes first, as the default button');
    assert.equal(patches(), 0);
    assert.equal(panel.disposed, false);

    vscode.fakeUi.messageAnswers.push('Disable Account');
    panel.receive({ type: 'submit', requestId: 4, form: 'editUser', values: { ...values, jobTitle: 'Archivist', accountEnabled: false } });
    const saved = await panel.waitFor(is('result', 4));
    assert.equal(saved.ok, true);
    assert.deepEqual(emu.log.find((e) => e.method === 'PATCH')?.body, { jobTitle: 'Archivist', accountEnabled: false });
    assert.equal(emu.state.user(userId)?.accountEnabled, false);
    await until('the toast', () => vscode.shown.info.length > 0);
    assert.deepEqual(vscode.shown.info, ['Saved user "Casey Quill". The account is disabled: they can no longer sign in.']);
  });

  it('the user form: other edits of an enabled account ask nothing', async () => {
    const { panel, values } = await openForm();
    panel.receive({ type: 'submit', requestId: 5, form: 'editUser', values: { ...values, jobTitle: 'Archivist' } });
    assert.equal((await panel.waitFor(is('result', 5))).ok, true);
    assert.deepEqual(vscode.shown.modals, []);
  });

  it('a form closed during its save: a failure is reported as a notification instead of being lost', async () => {
    const { panel, values } = await openForm();
    emu.state.deleteObject(userId);
    panel.receive({ type: 'submit', requestId: 6, form: 'editUser', values: { ...values, jobTitle: 'Archivist' } });
    panel.dispose();
    const shown = await until('the error toast', () => vscode.shown.errors[0]);
    assert.match(shown, /^Could not save the user "Casey Quill": /);
  });
});
