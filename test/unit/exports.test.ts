/** "List all users/groups" save a named CSV file through a save dialog; a cancelled dialog writes nothing. */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { exportGroups } from '../../src/commands/groupCommands';
import type { CommandDeps } from '../../src/commands/types';
import { exportUsers } from '../../src/commands/userCommands';
import { startEmulator, type Emulator } from '../emulator';
import { commandDeps } from '../support/commandDeps';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ users: 25, groups: 6, seed: 11 });
});
after(() => emu.close());
afterEach(() => {
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

function deps(): CommandDeps {
  return commandDeps(emulatorServices(emu));
}

/** The rows of a CSV file: RFC 4180 quoted fields (a quoted field may hold commas, quotes and line breaks). */
function rowsOf(bytes: Uint8Array): string[][] {
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte-order mark');
  const text = new TextDecoder().decode(bytes.slice(3));
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      endField();
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

describe('exports', () => {
  it('saves every enabled user to the chosen .csv file and says where', async () => {
    vscode.fakeUi.saveAnswers.push(vscode.Uri.file('/tmp/people'));
    await exportUsers(deps());
    const bytes = vscode.files.get(vscode.Uri.file('/tmp/people.csv').toString());
    assert.ok(bytes, 'written to the chosen name with .csv added');
    const [header, ...rows] = rowsOf(bytes);
    assert.deepEqual(header?.slice(0, 3), ['id', 'displayName', 'userPrincipalName']);
    const enabled = [...emu.state.users()].filter((u) => u.accountEnabled);
    assert.deepEqual(rows.map((r) => r[0]).sort(), enabled.map((u) => u.id).sort());
    assert.match(vscode.shown.info.at(-1) ?? '', new RegExp(`^Saved ${enabled.length} users to people\\.csv\\.$`));
    const proposed = (vscode.fakeUi.saveDialogs.at(-1) as { defaultUri?: { path: string } } | undefined)?.defaultUri?.path ?? '';
    assert.match(proposed, /entra-users-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('saves every group with its kind', async () => {
    vscode.fakeUi.saveAnswers.push(vscode.Uri.file('/tmp/groups.csv'));
    await exportGroups(deps());
    const bytes = vscode.files.get(vscode.Uri.file('/tmp/groups.csv').toString());
    assert.ok(bytes);
    const [header, ...rows] = rowsOf(bytes);
    assert.equal(header?.[2], 'kind');
    assert.equal(rows.length, [...emu.state.groups()].length);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    await exportUsers(deps());
    assert.equal(vscode.files.size, 0);
    assert.deepEqual(vscode.shown.info, []);
  });
});
