/**
 * The change journal's format and store: one whole JSON line per entry, damaged lines skipped and reported, secrets
 * never kept, rotation by size, and the rules History's Undo relies on (inverse operations, "changed since").
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JournalStore } from '../../src/journalStore';
import {
  filterEntries, inverseOf, journalUri, journalValues, newerChanges, newestFirst, outcomeOf, parseJournal, serialiseEntry, URI, type JournalEntry,
} from '../../src/shared/journal';
import * as vscode from '../support/vscodeFake';

const GROUP = { id: '5b000000-0000-4000-8000-000000000001', kind: 'group' as const, name: 'Harbour crew' };
const ALICE = { id: '5b000000-0000-4000-8000-000000000002', kind: 'user' as const, name: 'Alice' };
const BOB = { id: '5b000000-0000-4000-8000-000000000003', kind: 'user' as const, name: 'Bob' };

let seq = 0;
function entry(over: Partial<JournalEntry>): JournalEntry {
  seq++;
  return {
    v: 1, id: `e${seq}`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), who: { label: 'admin@contoso.test', tenantId: 'T1' },
    surface: 'command', action: 'addMember', object: GROUP, related: ALICE, outcome: 'done', requests: [], ...over,
  };
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'entra-journal-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('journal format', () => {
  it('writes one line per entry and reads it back unchanged, line breaks in values included', () => {
    const e = entry({ object: { ...GROUP, name: 'two\nlines "quoted"' } });
    const line = serialiseEntry(e);
    assert.equal(line.indexOf('\n'), line.length - 1, 'exactly one line break, at the end');
    assert.deepEqual(parseJournal(line + line).entries, [e, e]);
  });

  it('skips a damaged line (a half-written append, another version, a wrong shape), says which and why, and keeps the rest', () => {
    const good = [entry({}), entry({ action: 'removeMember' })];
    const text = [
      serialiseEntry(good[0]!).trimEnd(),
      '{"v":1,"id":"x","at":"2026-01-01T00:00:00Z","who":{"lab',
      JSON.stringify({ ...good[0], v: 2 }),
      JSON.stringify({ ...good[0], surface: 'telepathy' }),
      JSON.stringify({ ...good[0], object: { id: 7 } }),
      '',
      serialiseEntry(good[1]!).trimEnd(),
    ].join('\n');
    const reading = parseJournal(text);
    assert.deepEqual(reading.entries, good);
    assert.deepEqual(reading.skipped.map((s) => s.line), [2, 3, 4, 5]);
    assert.match(reading.skipped[0]!.reason, /not JSON/);
    assert.match(reading.skipped[1]!.reason, /version 2/);
    assert.match(reading.skipped[2]!.reason, /telepathy/);
  });

  it('never keeps a password, secret or token, whatever an update carried', () => {
    const kept = journalValues({ jobTitle: 'Pilot', passwordProfile: { password: 'P@ss' }, clientSecret: 's', accessToken: 't', signInKey: 'k', department: undefined, description: null });
    assert.deepEqual(kept, { jobTitle: 'Pilot', description: null });
  });

  it('records the outcome: done, failed with Graph\'s code, or unknown when the answer was lost', () => {
    assert.deepEqual(outcomeOf(undefined), { outcome: 'done' });
    assert.deepEqual(outcomeOf({ code: 'Authorization_RequestDenied', message: 'no', status: 403, requestId: 'r1' }), { outcome: 'failed', error: { code: 'Authorization_RequestDenied', status: 403, requestId: 'r1' } });
    assert.deepEqual(outcomeOf({ code: 'Timeout', message: 'late', outcomeUnknown: true }), { outcome: 'unknown', error: { code: 'Timeout' } });
  });

  it('keeps one file per tenant under the storage folder, the tenant id made a safe file name', () => {
    const storage = URI.file('/home/me/.vscode/globalStorage/entra');
    assert.equal(journalUri(storage, 'ABC-def').path, '/home/me/.vscode/globalStorage/entra/journal/abc-def.jsonl');
    assert.equal(journalUri(storage, '../x/y', true).path, '/home/me/.vscode/globalStorage/entra/journal/..%2Fx%2Fy.1.jsonl');
    assert.equal(journalUri(storage, undefined).path, '/home/me/.vscode/globalStorage/entra/journal/unknown-tenant.jsonl');
  });
});

describe('journal filters and order', () => {
  const a = entry({ surface: 'chat', at: '2026-02-01T10:00:00.000Z' });
  const b = entry({ related: BOB, surface: 'form', at: '2026-02-03T10:00:00.000Z' });
  const c = entry({ action: 'updateUser', object: ALICE, related: undefined, after: { jobTitle: 'x' }, before: { jobTitle: 'y' }, surface: 'undo', at: '2026-02-03T10:00:00.000Z' });

  it('lists newest first; entries of the same moment in reverse file order', () => {
    assert.deepEqual(newestFirst([a, b, c]).map((e) => e.id), [c.id, b.id, a.id]);
  });

  it('filters by object (as the changed object or as the member), surface and date', () => {
    assert.deepEqual(filterEntries([a, b, c], { objectId: ALICE.id.toUpperCase() }).map((e) => e.id), [a.id, c.id]);
    assert.deepEqual(filterEntries([a, b, c], { surface: 'form' }).map((e) => e.id), [b.id]);
    assert.deepEqual(filterEntries([a, b, c], { from: '2026-02-02T00:00:00.000Z' }).map((e) => e.id), [b.id, c.id]);
    assert.deepEqual(filterEntries([a, b, c], { to: '2026-02-02T00:00:00.000Z', surface: 'chat' }).map((e) => e.id), [a.id]);
  });
});

describe('inverse operations', () => {
  it('reverses membership and owner changes with the opposite one on the same group and object', () => {
    assert.deepEqual(inverseOf(entry({ action: 'addMember' })), { inverse: { action: 'removeMember', group: GROUP, target: ALICE } });
    assert.deepEqual(inverseOf(entry({ action: 'removeMember' })), { inverse: { action: 'addMember', group: GROUP, target: ALICE } });
    assert.deepEqual(inverseOf(entry({ action: 'addOwner' })), { inverse: { action: 'removeOwner', group: GROUP, target: ALICE } });
    assert.deepEqual(inverseOf(entry({ action: 'removeOwner' })), { inverse: { action: 'addOwner', group: GROUP, target: ALICE } });
  });

  it('reverses an update to the values before it, clearing a field that had none; expects the values it left', () => {
    const e = entry({ action: 'updateGroup', related: undefined, before: { displayName: 'Old' }, after: { displayName: 'New', description: 'added' } });
    assert.deepEqual(inverseOf(e), { inverse: { action: 'updateGroup', object: GROUP, values: { displayName: 'Old', description: null }, expected: { displayName: 'New', description: 'added' } } });
  });

  it('reverses a delete with a restore; has none for a failed change or an update without its old values', () => {
    assert.deepEqual(inverseOf(entry({ action: 'deleteGroup', related: undefined })), { inverse: { action: 'restoreGroup', group: GROUP } });
    assert.deepEqual(inverseOf(entry({ outcome: 'failed' })), { reason: 'failed' });
    assert.deepEqual(inverseOf(entry({ action: 'updateUser', object: ALICE, related: undefined, after: { jobTitle: 'x' } })), { reason: 'noBefore' });
    assert.deepEqual(inverseOf(entry({ action: 'createGroup', related: undefined })), { reason: 'notReversible' });
    assert.deepEqual(inverseOf(entry({ action: 'addMember', related: undefined })), { reason: 'noRelated' });
  });

  it('an undo that was itself done can be undone again (its inverse is the original change)', () => {
    assert.deepEqual(inverseOf(entry({ action: 'removeMember', surface: 'undo', undoOf: 'e1' })), { inverse: { action: 'addMember', group: GROUP, target: ALICE } });
  });
});

describe('"changed since": later entries an undo would overwrite', () => {
  it('a later change of the same member of the same group counts; another member, a failed change or an earlier one does not', () => {
    const before = entry({ action: 'removeMember' });
    const added = entry({ action: 'addMember' });
    const otherMember = entry({ action: 'removeMember', related: BOB });
    const failed = entry({ action: 'removeMember', outcome: 'failed' });
    const owner = entry({ action: 'addOwner' });
    const again = entry({ action: 'removeMember' });
    const log = [before, added, otherMember, failed, owner, again];
    assert.deepEqual(newerChanges(log, added).map((e) => e.id), [again.id]);
  });

  it('for updates, a later update of one of the same fields counts; of other fields it does not', () => {
    const first = entry({ action: 'updateUser', object: ALICE, related: undefined, before: { jobTitle: 'a' }, after: { jobTitle: 'b' } });
    const other = entry({ action: 'updateUser', object: ALICE, related: undefined, before: { department: 'a' }, after: { department: 'b' } });
    const same = entry({ action: 'updateUser', object: ALICE, related: undefined, before: { jobTitle: 'b', city: 'x' }, after: { jobTitle: 'c', city: 'y' } });
    assert.deepEqual(newerChanges([first, other], first), []);
    assert.deepEqual(newerChanges([first, other, same], first).map((e) => e.id), [same.id]);
  });

  it('deleting the group later counts for a membership change', () => {
    const added = entry({ action: 'addMember' });
    const deleted = entry({ action: 'deleteGroup', related: undefined });
    assert.deepEqual(newerChanges([added, deleted], added).map((e) => e.id), [deleted.id]);
  });
});

describe('the journal store', () => {
  const log = (): { lines: string[]; warn(m: string): void } => {
    const lines: string[] = [];
    return { lines, warn: (m: string) => lines.push(m) };
  };

  it('appends whole lines (concurrent appends too) to the tenant\'s file and reads them oldest first', async () => {
    const dir = tempDir();
    const store = new JournalStore(vscode.Uri.file(dir), () => 'T1', log());
    const entries = Array.from({ length: 40 }, (_, i) => entry({ id: `c${i}` }));
    await Promise.all(entries.map((e) => store.append(e)));
    const text = readFileSync(join(dir, 'journal', 't1.jsonl'), 'utf8');
    assert.equal(text.split('\n').filter(Boolean).length, 40);
    assert.deepEqual((await store.read()).map((e) => e.id), entries.map((e) => e.id));
  });

  it('skips a damaged line with a log line naming the file and line, and reads the others', async () => {
    const dir = tempDir();
    const sink = log();
    const store = new JournalStore(vscode.Uri.file(dir), () => 'T1', sink);
    await store.append(entry({ id: 'first' }));
    const file = join(dir, 'journal', 't1.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"v":1,"id":"torn`, 'utf8');
    await store.append(entry({ id: 'third' }));
    assert.deepEqual((await store.read()).map((e) => e.id), ['first', 'third']);
    assert.equal(sink.lines.length, 1);
    assert.match(sink.lines[0]!, /t1\.jsonl, line 2 skipped: not JSON/);
  });

  it('rotates when the file would pass its size bound, keeping one older file that History still reads', async () => {
    const dir = tempDir();
    const one = serialiseEntry(entry({ id: 'size-probe' })).length;
    const store = new JournalStore(vscode.Uri.file(dir), () => 'T1', log(), one * 3 + 10);
    for (let i = 0; i < 7; i++) await store.append(entry({ id: `r${i}` }));
    assert.deepEqual(readdirSync(join(dir, 'journal')).sort(), ['t1.1.jsonl', 't1.jsonl']);
    const ids = (await store.read()).map((e) => e.id);
    assert.deepEqual(ids, ['r3', 'r4', 'r5', 'r6'], 'the oldest file was dropped at the second rotation; order kept');
    for (const name of readdirSync(join(dir, 'journal'))) assert.ok(readFileSync(join(dir, 'journal', name)).length <= one * 3 + 10, name);
  });

  it('keeps tenants apart: each reads only its own file', async () => {
    const dir = tempDir();
    let tenant = 'T1';
    const store = new JournalStore(vscode.Uri.file(dir), () => tenant, log());
    await store.append(entry({ id: 'in-t1' }));
    await store.append(entry({ id: 'in-t2', who: { label: 'x', tenantId: 'T2' } }));
    assert.deepEqual((await store.read()).map((e) => e.id), ['in-t1']);
    tenant = 'T2';
    assert.deepEqual((await store.read()).map((e) => e.id), ['in-t2']);
  });

  it('a journal that cannot be written is logged, never thrown (the change itself was made)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'journal'), 'a file where the folder should be');
    const sink = log();
    const store = new JournalStore(vscode.Uri.file(dir), () => 'T1', sink);
    await store.append(entry({}));
    assert.equal(sink.lines.length, 1);
    assert.match(sink.lines[0]!, /could not be written/);
  });
});
