/**
 * Diagnostics for desired-state files as they are opened and edited: debounced, cancelled by a newer edit, not
 * repeated for a version already checked; and what the check reports (unknown entries, duplicates, guests, dynamic
 * groups, a renamed group) for documents the editor opens.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { DesiredStateDiagnostics } from '../../src/desiredStateDiagnostics';
import { DesiredStateEditor } from '../../src/desiredStateEditor';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup } from '../emulator/directory/factories';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

type Doc = ReturnType<typeof vscode.textDocument>;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('desired-state diagnostics: when files are checked', () => {
  const uri = vscode.Uri.file('/work/team.entra-group.json');
  let scheduler: DesiredStateDiagnostics | undefined;
  const account = new vscode.EventEmitter<unknown>();
  const logged: string[] = [];
  const logError = (message: string): void => void logged.push(message);
  afterEach(() => {
    scheduler?.dispose();
    vscode.workspace.textDocuments.length = 0;
    logged.length = 0;
  });

  function recorder(): { calls: Array<{ version: number; signal: AbortSignal }>; release: () => void; check: (d: unknown, s: AbortSignal) => Promise<void> } {
    const calls: Array<{ version: number; signal: AbortSignal }> = [];
    let open: Array<() => void> = [];
    return {
      calls,
      release: () => {
        for (const r of open) r();
        open = [];
      },
      check: (d, signal) => {
        calls.push({ version: (d as Doc).version, signal });
        return new Promise<void>((r) => open.push(r));
      },
    };
  }

  it('checks a file when it is opened, and only once per version', async () => {
    const r = recorder();
    scheduler = new DesiredStateDiagnostics(r.check, () => true, account.event, logError, 30);
    scheduler.register();
    vscode.textDocumentEvents.open.fire(vscode.textDocument(uri, '{}', 1));
    await until('the first check', () => r.calls[0]);
    r.release();
    await sleep(5);
    vscode.textDocumentEvents.open.fire(vscode.textDocument(uri, '{}', 1));
    await sleep(60);
    assert.equal(r.calls.length, 1, 'the same version is not checked again');
  });

  it('waits for typing to pause: two quick edits make one check, of the last version', async () => {
    const r = recorder();
    scheduler = new DesiredStateDiagnostics(r.check, () => true, account.event, logError, 40);
    scheduler.register();
    vscode.textDocumentEvents.change.fire({ document: vscode.textDocument(uri, '{ ', 2) });
    await sleep(10);
    vscode.textDocumentEvents.change.fire({ document: vscode.textDocument(uri, '{ }', 3) });
    await sleep(20);
    assert.equal(r.calls.length, 0, 'nothing while typing');
    await until('the check', () => r.calls[0]);
    await sleep(60);
    assert.deepEqual(r.calls.map((c) => c.version), [3]);
    r.release();
  });

  it('an edit cancels the check under way; the newer version is checked', async () => {
    const r = recorder();
    scheduler = new DesiredStateDiagnostics(r.check, () => true, account.event, logError, 10);
    scheduler.register();
    vscode.textDocumentEvents.change.fire({ document: vscode.textDocument(uri, 'a', 4) });
    const first = await until('the first check', () => r.calls[0]);
    vscode.textDocumentEvents.change.fire({ document: vscode.textDocument(uri, 'ab', 5) });
    assert.equal(first.signal.aborted, true);
    const second = await until('the second check', () => r.calls[1]);
    assert.equal(second.version, 5);
    assert.equal(second.signal.aborted, false);
    r.release();
  });

  it('leaves other files alone, and checks nothing while signed out', async () => {
    const r = recorder();
    let signedIn = false;
    scheduler = new DesiredStateDiagnostics(r.check, () => signedIn, account.event, logError, 0);
    scheduler.register();
    vscode.textDocumentEvents.open.fire(vscode.textDocument(vscode.Uri.file('/work/settings.json'), '{}', 1));
    vscode.textDocumentEvents.open.fire(vscode.textDocument(uri, '{}', 7));
    await sleep(30);
    assert.equal(r.calls.length, 0);
    signedIn = true;
    vscode.textDocumentEvents.open.fire(vscode.textDocument(uri, '{}', 7));
    await until('the check once signed in', () => r.calls[0]);
    r.release();
  });

  it('a file opened while signed out is checked when someone signs in', async () => {
    const r = recorder();
    let signedIn = false;
    const opened = vscode.textDocument(uri, '{}', 3);
    const lingering = vscode.textDocument(vscode.Uri.file('/work/closed.entra-group.json'), '{}', 1);
    // Only the document in a tab is checked: the other one's editor was closed (VS Code keeps it a while).
    scheduler = new DesiredStateDiagnostics(r.check, () => signedIn, account.event, logError, 0, () => [opened] as never);
    vscode.workspace.textDocuments.push(opened, lingering);
    scheduler.register();
    await sleep(20);
    assert.equal(r.calls.length, 0, 'nothing while signed out');
    signedIn = true;
    account.fire(undefined);
    const call = await until('the check after sign-in', () => r.calls[0]);
    assert.equal(call.version, 3);
    await sleep(20);
    assert.equal(r.calls.length, 1, 'the document whose editor was closed is not checked');
    r.release();
  });

  it('a check that fails is logged, not left as an unhandled rejection', async () => {
    let rejected = 0;
    const failing = (): Promise<void> => {
      rejected++;
      return Promise.reject(new Error('signed out mid-check'));
    };
    scheduler = new DesiredStateDiagnostics(failing, () => true, account.event, logError, 0);
    scheduler.register();
    vscode.textDocumentEvents.open.fire(vscode.textDocument(uri, '{}', 9));
    await until('the failure to be logged', () => logged[0]);
    assert.equal(rejected, 1);
    assert.match(logged[0] ?? '', /team\.entra-group\.json against the directory failed/);
  });
});

describe('desired-state diagnostics: what an opened file is told', () => {
  let emu: Emulator;
  let editor: DesiredStateEditor | undefined;
  before(async () => {
    emu = await startEmulator({ users: 60, groups: 8, seed: 13 });
  });
  after(() => emu.close());
  afterEach(() => {
    editor?.dispose();
    vscode.diagnostics.clear();
  });

  const open = async (text: string): Promise<Array<{ message: string; severity: number }>> => {
    editor = new DesiredStateEditor(emulatorServices(emu), vscode.Uri.file('/tmp/entra-diagnostics-tests'));
    editor.register();
    const uri = vscode.Uri.file(`/work/${randomUUID()}.entra-group.json`);
    vscode.textDocumentEvents.open.fire(vscode.textDocument(uri, text, 1));
    return until('diagnostics for the file', () => vscode.diagnostics.get(uri.toString()) as Array<{ message: string; severity: number }> | undefined);
  };

  it('unknown entries, duplicates, guests and a renamed group', async () => {
    const group = makeGroup({ id: randomUUID(), displayName: 'Dock Crew', mailNickname: `dock-${randomUUID().slice(0, 6)}` });
    emu.state.addGroup(group);
    const member = [...emu.state.users()].find((u) => u.userType === 'Member' && u.accountEnabled);
    const guest = [...emu.state.users()].find((u) => u.userType === 'Guest');
    assert.ok(member && guest, 'a member and a guest user');
    const text = JSON.stringify({
      group: { id: group.id, displayName: 'Dock Crew (old name)' },
      members: [member.userPrincipalName, member.userPrincipalName, guest.id, 'nobody-here@contoso.example'],
    }, null, 2);
    const found = await open(text);
    const bySeverity = (sev: number): string[] => found.filter((d) => d.severity === sev).map((d) => d.message).sort();
    assert.deepEqual(bySeverity(Number(vscode.DiagnosticSeverity.Error)), ['No user or object matches "nobody-here@contoso.example" (or more than one does).']);
    assert.deepEqual(bySeverity(Number(vscode.DiagnosticSeverity.Warning)), ['Listed twice in "members".', 'The group is now named "Dock Crew".']);
    assert.deepEqual(bySeverity(Number(vscode.DiagnosticSeverity.Information)), ['A guest user.']);
    emu.state.deleteObject(group.id);
  });

  it('a dynamic group: its membership cannot be managed by a file', async () => {
    const group = makeGroup({ id: randomUUID(), displayName: 'Rule Bound', mailNickname: `rule-${randomUUID().slice(0, 6)}`, groupTypes: ['DynamicMembership'], membershipRule: 'user.department -eq "Nowhere"', membershipRuleProcessingState: 'On' });
    emu.state.addGroup(group);
    const found = await open(JSON.stringify({ group: { id: group.id, displayName: 'Rule Bound' }, members: [] }));
    assert.deepEqual(found.map((d) => [d.severity, d.message]), [[vscode.DiagnosticSeverity.Error, '"Rule Bound" has dynamic membership: its members follow its rule and cannot be managed by a file.']]);
    emu.state.deleteObject(group.id);
  });
});
