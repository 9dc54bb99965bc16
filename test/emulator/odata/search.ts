import type { EntityType } from '../directory/schema.js';
import type { DirectoryObject } from '../directory/records.js';
import { readProp } from '../directory/readProp.js';
import { badRequest, unsupportedQuery } from '../graph/errors.js';

/**
 * $search on directory objects: `"prop:text"` clauses joined by upper-case AND / OR
 * with parentheses. displayName and description are tokenized (words split on
 * whitespace, symbols, digit/letter and lower→upper case boundaries; every search
 * token must prefix some word); other properties behave like startsWith.
 */
type SearchNode =
  | { type: 'and' | 'or'; left: SearchNode; right: SearchNode }
  | { type: 'clause'; prop: string; text: string; pos: number };

export type SearchPredicate = (rec: DirectoryObject['rec']) => boolean;

export function compileSearch(raw: string, types: readonly EntityType[], typeName: string): SearchPredicate {
  const ast = new SearchParser(raw).parse();
  return compile(ast, types, typeName);
}

class SearchParser {
  private i = 0;

  constructor(private readonly src: string) {}

  parse(): SearchNode {
    const node = this.or();
    this.ws();
    if (this.i < this.src.length) this.fail();
    return node;
  }

  private or(): SearchNode {
    let left = this.and();
    while (this.keyword('OR')) left = { type: 'or', left, right: this.and() };
    return left;
  }

  private and(): SearchNode {
    let left = this.primary();
    while (this.keyword('AND')) left = { type: 'and', left, right: this.primary() };
    return left;
  }

  private primary(): SearchNode {
    this.ws();
    const ch = this.src[this.i];
    if (ch === '(') {
      this.i++;
      const inner = this.or();
      this.ws();
      if (this.src[this.i] !== ')') this.fail();
      this.i++;
      return inner;
    }
    if (ch !== '"') this.fail();
    const start = this.i;
    this.i++;
    let text = '';
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) this.fail(start);
      if (c === '\\') {
        const next = this.src[this.i + 1];
        if (next !== '"' && next !== '\\') this.fail();
        text += next;
        this.i += 2;
        continue;
      }
      this.i++;
      if (c === '"') break;
      text += c;
    }
    const colon = text.indexOf(':');
    if (colon <= 0 || colon === text.length - 1) {
      throw badRequest(`Syntax error: the search clause "${text}" must have the form "property:value".`);
    }
    return { type: 'clause', prop: text.slice(0, colon).trim(), text: text.slice(colon + 1), pos: start };
  }

  /** Consumes an upper-case AND / OR surrounded by whitespace; lower-case is a syntax error, as in Graph. */
  private keyword(word: string): boolean {
    const save = this.i;
    this.ws();
    if (this.src.startsWith(word, this.i) && /[\s("]/.test(this.src[this.i + word.length] ?? '')) {
      this.i += word.length;
      return true;
    }
    this.i = save;
    return false;
  }

  private ws(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i] as string)) this.i++;
  }

  private fail(at = this.i): never {
    const ch = this.src[at];
    const what = ch === undefined ? 'end of input' : `character '${ch}'`;
    throw badRequest(`Syntax error: ${what} is not valid at position ${at} in '${this.src}'.`);
  }
}

function compile(node: SearchNode, types: readonly EntityType[], typeName: string): SearchPredicate {
  if (node.type !== 'clause') {
    const l = compile(node.left, types, typeName);
    const r = compile(node.right, types, typeName);
    return node.type === 'and' ? (x) => l(x) && r(x) : (x) => l(x) || r(x);
  }
  let mode: 'tokenized' | 'prefix' | undefined;
  let canonical = node.prop;
  for (const t of types) {
    const m = t.search.get(node.prop.toLowerCase());
    if (m) {
      mode = m;
      canonical = t.props.get(node.prop.toLowerCase())?.name ?? node.prop;
      break;
    }
  }
  if (!mode) {
    throw unsupportedQuery(`Unsupported or invalid query search clause specified for property '${node.prop}' of resource '${typeName}'.`);
  }
  if (mode === 'prefix') {
    const needle = node.text.toLowerCase();
    return (rec) => {
      const v = readProp(rec, canonical);
      if (Array.isArray(v)) return v.some((s) => typeof s === 'string' && s.toLowerCase().startsWith(needle));
      return typeof v === 'string' && v.toLowerCase().startsWith(needle);
    };
  }
  const needles = searchTokens(node.text);
  if (needles.length === 0) return () => false;
  return (rec) => {
    const v = readProp(rec, canonical);
    if (typeof v !== 'string') return false;
    const words = searchTokens(v);
    return needles.every((n) => words.some((w) => w.startsWith(n)));
  };
}

/** Splits text into lower-cased search words the way the directory index does. */
export function searchTokens(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/[\p{L}\p{M}]+|\p{N}+/gu) ?? []) {
    // Split "OneVideo" → "One", "Video" (lower→upper only; "HTML" stays whole).
    for (const part of run.split(/(?<=\p{Ll})(?=\p{Lu})/u)) out.push(part.toLowerCase());
  }
  return out;
}
