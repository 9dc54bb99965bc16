/**
 * The CSV export policy. Directory values are written by anyone in the tenant and the file is meant for a
 * spreadsheet, so no value may be read as a formula or move a column — whatever separator the spreadsheet assumes
 * (`,` here, `;` in many locales, TAB when the text is pasted). Editor-free: the commands and the tests apply this.
 */

/**
 * The one rule for the text mark `'` (a spreadsheet shows the cell as text and hides the mark). A value gets it when
 * - a formula start (`=` `+` `-` `@`, or their full-width forms, which some spreadsheets fold to ASCII) follows the
 *   beginning of the value or a place where a spreadsheet may start a new cell (`,` `;` `|` TAB, or a line break:
 *   a new row when pasted), blanks (space, NBSP, ideographic space, TAB) allowed in between — with `;` as the
 *   separator, `x;=1+1` would otherwise be a cell `=1+1`;
 * - or it holds a TAB or CR anywhere (Excel treats both as formula starts, and a paste may split on them).
 * The mark can only go at the start of the cell; it covers the whole value because every cell is quoted, so a
 * spreadsheet that opens the file reads each value as one cell whatever its separator.
 * TAB, CR and LF stay in the value (nothing is lost silently): the quotes keep them inside the cell, and the mark
 * tells the reader the value was treated as hostile.
 */
const NEEDS_TEXT_MARK = /[\t\r]|(?:^|[,;|\n])[ \u00A0\u3000\t]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

/** CSV that spreadsheets open safely: every cell (header too) quoted, the text mark where the rule says, CRLF rows. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const lines = [header.map(cell).join(',')];
  for (const row of rows) lines.push(row.map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cell(value: unknown): string {
  let text = Array.isArray(value) ? value.map(scalarText).join('; ') : scalarText(value);
  if (NEEDS_TEXT_MARK.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Missing values are empty cells; objects (and arrays inside arrays) are written as JSON. */
function scalarText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  return '';
}
