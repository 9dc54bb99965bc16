/**
 * Tokenizer for the OData $filter subset Graph accepts on directory objects.
 * String literals use '' for an embedded quote; GUID and DateTimeOffset literals
 * are recognised before numbers and identifiers because both can start like them.
 */
export type FilterTokenType = 'ident' | 'string' | 'number' | 'guid' | 'dateTime' | '(' | ')' | ',' | ':' | '/' | 'eof';

export interface FilterToken {
  type: FilterTokenType;
  text: string;
  /** Decoded value for string literals. */
  value?: string;
  pos: number;
}

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})(?![\w:])/;
const NUMBER_RE = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])/;
const IDENT_RE = /^[A-Za-z_$][\w.$]*/;

export function tokenizeFilter(src: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === ':' || ch === '/') {
      tokens.push({ type: ch, text: ch, pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterSyntaxError(`Unterminated string literal at position ${start}`, start);
        const c = src[i] as string;
        if (c === "'") {
          if (src[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ type: 'string', text: src.slice(start, i), value, pos: start });
      continue;
    }
    const rest = src.slice(i);
    const m = GUID_RE.exec(rest) ?? null;
    if (m) {
      tokens.push({ type: 'guid', text: m[0], value: m[0].toLowerCase(), pos: i });
      i += m[0].length;
      continue;
    }
    const d = DATETIME_RE.exec(rest);
    if (d) {
      tokens.push({ type: 'dateTime', text: d[0], value: d[0], pos: i });
      i += d[0].length;
      continue;
    }
    const n = NUMBER_RE.exec(rest);
    if (n) {
      tokens.push({ type: 'number', text: n[0], pos: i });
      i += n[0].length;
      continue;
    }
    const id = IDENT_RE.exec(rest);
    if (id) {
      tokens.push({ type: 'ident', text: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    throw new FilterSyntaxError(`Syntax error: character '${ch}' is not valid at position ${i} in '${src}'.`, i);
  }
  tokens.push({ type: 'eof', text: '', pos: src.length });
  return tokens;
}
