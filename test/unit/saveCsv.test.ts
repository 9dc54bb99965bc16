import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { saveCsv } from '../../src/ui/saveCsv';
import * as vscode from '../support/vscodeFake';

const folder = vscode.Uri.file('/exports');
const csv = '"id","displayName"\r\n"1","Zoë 佐藤"\r\n';

/** The options the one save dialog was opened with. */
function dialog(): { filters?: unknown; defaultUri?: { path: string }; saveLabel?: string } {
  assert.equal(vscode.fakeUi.saveDialogs.length, 1, 'one save dialog');
  return vscode.fakeUi.saveDialogs[0] as { filters?: unknown; defaultUri?: { path: string }; saveLabel?: string };
}

describe('saveCsv', () => {
  beforeEach(() => vscode.fakeUi.reset());

  it('writes nothing and returns undefined when the dialog is cancelled', async () => {
    assert.equal(await saveCsv(csv, 'users', folder), undefined);
    dialog();
    assert.equal(vscode.files.size, 0);
  });

  it('proposes the name with .csv in the given folder, offering CSV files only', async () => {
    vscode.fakeUi.saveAnswers.push(undefined);
    await saveCsv(csv, 'users', folder);
    const o = dialog();
    assert.equal(o.defaultUri?.path, '/exports/users.csv');
    assert.deepEqual(o.filters, { CSV: ['csv'] });
    assert.ok(o.saveLabel);
  });

  it('keeps a suggested name from the directory inside the folder', async () => {
    vscode.fakeUi.saveAnswers.push(undefined);
    await saveCsv(csv, '../../etc/Members of a\\b: "x"?', folder);
    assert.equal(dialog().defaultUri?.path, '/exports/_.._etc_Members of a_b_ _x__.csv');
  });

  it('appends .csv when the chosen name has none, and writes there', async () => {
    vscode.fakeUi.saveAnswers.push(vscode.Uri.file('/chosen/report'));
    const written = await saveCsv(csv, 'users.csv', folder);
    assert.equal(written?.path, '/chosen/report.csv');
    assert.deepEqual([...vscode.files.keys()], [vscode.Uri.file('/chosen/report.csv').toString()]);
  });

  it('keeps a chosen name that already ends in .csv, whatever its case', async () => {
    vscode.fakeUi.saveAnswers.push(vscode.Uri.file('/chosen/Report.CSV'));
    assert.equal((await saveCsv(csv, 'users', folder))?.path, '/chosen/Report.CSV');
    assert.deepEqual([...vscode.files.keys()], [vscode.Uri.file('/chosen/Report.CSV').toString()]);
  });

  it('writes the CSV as UTF-8 after a byte-order mark, so spreadsheets read non-ASCII names right', async () => {
    const target = vscode.Uri.file('/chosen/users.csv');
    vscode.fakeUi.saveAnswers.push(target);
    await saveCsv(csv, 'users', folder);
    const bytes = vscode.files.get(target.toString());
    assert.ok(bytes);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the UTF-8 byte-order mark');
    assert.equal(Buffer.from(bytes.subarray(3)).toString('utf8'), csv);
    // Decoded the way a BOM-aware reader does, the text is exactly the CSV (the mark is not part of the first cell).
    assert.equal(new TextDecoder('utf-8').decode(bytes), csv);
  });
});
