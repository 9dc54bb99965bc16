/**
 * The CSV export policy, checked by reading the output back the way a spreadsheet might: with `,`, with `;` (many
 * locales) and with TAB (a paste) as the separator. The oracle — the parser and the "must be marked as text"
 * predicate below — is written here from the policy, not from the implementation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toCsv } from '../../src/shared/csv';

// ── Oracle ───────────────────────────────────────────────────────────────────────────────────────

/**
 * RFC 4180 fields and CRLF records, with `separator` as the field separator. A `"` opens quoting wherever it appears
 * and `""` inside quotes is one `"`; outside quotes CRLF or LF ends a record. A file whose every field is quoted reads
 * the same in a strict RFC 4180 reader.
 */
function parse(text: string, separator: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text.charAt(i + 1) === '\n')) {
      if (c === '\r') i++;
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
    } else field += c;
  }
  assert.equal(quoted, false, 'every quote is closed');
  assert.ok(field === '' && fields.length === 0, 'the text ends with a line break');
  return records;
}

const FORMULA_CHARS = ['=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];
const BLANK_CHARS = [' ', '\u00A0', '\u3000', '\t'];
/** Where a spreadsheet may start a new cell (or row) inside a value. */
const BREAK_CHARS = [',', ';', '\t', '|', '\r', '\n'];

/** The policy: does this value have to be written with a leading `'`? */
function mustBeMarked(value: string): boolean {
  if (value.includes('\t') || value.includes('\r')) return true;
  const pieces: string[] = [''];
  for (const ch of value) {
    if (BREAK_CHARS.includes(ch)) pieces.push('');
    else pieces[pieces.length - 1] += ch;
  }
  return pieces.some((piece) => {
    const first = [...piece].find((ch) => !BLANK_CHARS.includes(ch));
    return first !== undefined && FORMULA_CHARS.includes(first);
  });
}

/** What a cell holding `text` must read back as. */
const expectedCell = (text: string): string => (mustBeMarked(text) ? `'${text}` : text);

/** Problems with `csv` as the export of `header` and `rows`, whose cells hold `texts` (the values as text). */
function problems(csv: string, texts: string[][]): string[] {
  const found: string[] = [];
  const width = texts[0]?.length ?? 0;
  const asComma = parse(csv, ',');
  if (asComma.length !== texts.length) found.push(`${asComma.length} records for ${texts.length} rows`);
  asComma.forEach((record, r) => {
    if (record.length !== width) found.push(`row ${r}: ${record.length} fields for ${width}`);
    record.forEach((got, c) => {
      const want = expectedCell(texts[r]?.[c] ?? '');
      if (got !== want) found.push(`row ${r} col ${c}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    });
  });
  for (const separator of [',', ';', '\t']) {
    const records = parse(csv, separator);
    // Every separator character of a value is inside quotes: `,` splits exactly the columns, `;` and TAB nothing.
    const fields = separator === ',' ? width : 1;
    if (records.some((record) => record.length !== fields)) found.push(`with ${JSON.stringify(separator)}: field counts ${records.map((x) => x.length).join('/')}`);
    for (const field of records.flat()) {
      const first = [...field].find((ch) => ch !== ' ' && ch !== '\u00A0' && ch !== '\u3000');
      if (first !== undefined && [...FORMULA_CHARS, '\t', '\r'].includes(first)) found.push(`with ${JSON.stringify(separator)}: a field starts a formula: ${JSON.stringify(field.slice(0, 30))}`);
    }
  }
  return found;
}

// ── Tests ────────────────────────────────────────────────────────────────────────────────────────

describe('CSV export', () => {
  it('quotes every cell, header included, and ends every row with CRLF', () => {
    assert.equal(toCsv(['id', 'name'], [['1', 'Adele'], ['2', '']]), '"id","name"\r\n"1","Adele"\r\n"2",""\r\n');
  });

  it('writes arrays joined with "; ", objects as JSON, missing values empty', () => {
    const csv = toCsv(['id', 'groupTypes', 'extra', 'mailEnabled', 'count', 'none', 'missing'], [['1', ['Unified', 'DynamicMembership'], { a: 1 }, true, 3, null, undefined]]);
    assert.deepEqual(parse(csv, ',')[1], ['1', 'Unified; DynamicMembership', '{"a":1}', 'true', '3', '', '']);
  });

  it('keeps hostile values whole and marks them as text exactly where the policy says', () => {
    const hostile = [
      'x;=1+1', 'a;@SUM(1)', ' =1+1', '\u00A0=1', '\u3000+1', '\uFF1D1+1', '\uFF0D1', 'a,=b', 'a\t=b', '\t=1', '\r=1', 'a|=b',
      '=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', 'a, ;\u3000 -1', 'line one\n=cmd', 'tab\tinside', 'cr\rinside',
      '"quoted"', 'Smith, "Jo"', 'a""b', 'a:=b', 'a/-b', 'line one\r\nline two', 'line one\nline two', '', ' ', "'=already", 'a=b', 'x-y', 'user@contoso.com', '1+1',
    ];
    const texts = [['v'], ...hostile.map((h) => [h])];
    const csv = toCsv(['v'], hostile.map((h) => [h]));
    assert.deepEqual(problems(csv, texts), []);
    // The oracle itself: these are the cases the security review named, and values that must stay unmarked.
    for (const h of ['x;=1+1', 'a;@SUM(1)', ' =1+1', '\u00A0=1', '\u3000+1', '\uFF1D1+1', '\uFF0D1', 'a,=b', 'a\t=b', '\t=1', '\r=1', 'a|=b', 'line one\n=cmd']) {
      assert.equal(parse(csv, ',')[hostile.indexOf(h) + 1]?.[0], `'${h}`, JSON.stringify(h));
    }
    for (const h of ['"quoted"', 'Smith, "Jo"', 'line one\nline two', '', 'a=b', 'x-y', 'a:=b', 'a/-b', 'user@contoso.com', '1+1', "'=already"]) {
      assert.equal(parse(csv, ',')[hostile.indexOf(h) + 1]?.[0], h, JSON.stringify(h));
    }
  });

  it('marks an array cell when any item would start a formula', () => {
    const csv = toCsv(['groupTypes'], [[['Unified', '=1+1']], [['a', ' @x']], [['-1']], [['Unified', 'b']], [[]]]);
    assert.deepEqual(parse(csv, ',').slice(1).map((r) => r[0]), ["'Unified; =1+1", "'a;  @x", "'-1", 'Unified; b', '']);
    assert.deepEqual(problems(csv, [['groupTypes'], ['Unified; =1+1'], ['a;  @x'], ['-1'], ['Unified; b'], ['']]), []);
  });

  it('marks negative numbers, which a spreadsheet would otherwise evaluate', () => {
    assert.deepEqual(parse(toCsv(['n'], [[-5], [5]]), ','), [['n'], ["'-5"], ['5']]);
  });

  it('keeps every value, in place, for any mix of separators, quotes, blanks, line breaks and formula starts', () => {
    const unit = fc.constantFrom(...FORMULA_CHARS, ...BLANK_CHARS, ...BREAK_CHARS, '"', "'", ':', '/', 'a', 'Z', '1', 'é', '中', '{', '\u2028');
    const value = fc.string({ unit, maxLength: 12 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((width) => fc.tuple(fc.array(value, { minLength: width, maxLength: width }), fc.array(fc.array(value, { minLength: width, maxLength: width }), { maxLength: 6 }))), ([header, rows]) => {
        assert.deepEqual(problems(toCsv(header, rows), [header, ...rows]), []);
      }),
      { numRuns: 500, seed: 4180 },
    );
  });

  it('keeps every item of an array cell, marking the cell when any item needs it', () => {
    const unit = fc.constantFrom(...FORMULA_CHARS, ' ', '\u3000', ',', ';', '|', '\n', '"', 'a', '1');
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 6 }), { maxLength: 4 }), (items) => {
        assert.deepEqual(problems(toCsv(['items'], [[items]]), [['items'], [items.join('; ')]]), []);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
