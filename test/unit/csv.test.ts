import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCsv } from '../../src/commands/csv';

describe('CSV export', () => {
  it('keeps every value, quoting where needed', () => {
    const csv = toCsv(['id', 'displayName', 'groupTypes', 'mailEnabled', 'count'], [['1', 'Smith, "Jo"', ['Unified', 'DynamicMembership'], true, 3], ['2', null, [], false, undefined]]);
    assert.equal(csv, 'id,displayName,groupTypes,mailEnabled,count\r\n1,"Smith, ""Jo""",Unified;DynamicMembership,true,3\r\n2,,,false,\r\n');
  });

  it('makes cells that would start a spreadsheet formula literal', () => {
    for (const hostile of ['=HYPERLINK("http://x")', '+1+1', '-2', '@SUM(A1)', '\tx']) {
      const [, row] = toCsv(['v'], [[hostile]]).split('\r\n');
      assert.ok(row?.replace(/^"/, '').startsWith("'"), `${JSON.stringify(hostile)} → ${row}`);
    }
  });

  it('keeps line breaks inside one quoted cell', () => {
    assert.equal(toCsv(['v'], [['a\nb']]), 'v\r\n"a\nb"\r\n');
  });
});
