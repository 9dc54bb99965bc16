import { tokenizeFilter, FilterSyntaxError } from './filterLexer.js';
import type { FilterToken } from './filterLexer.js';

/**
 * Recursive-descent parser for $filter:
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | primary
 *   primary := '(' expr ')' | func '(' path ',' literal ')' | path '/' ('any'|'all') '(' var ':' expr ')'
 *            | path op literal | path 'in' '(' literal (',' literal)* ')'
 * Keywords and function names are case-insensitive, as Graph treats them.
 */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'number'; value: number }
  | { kind: 'guid'; value: string }
  | { kind: 'dateTime'; value: string };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterNode =
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; operand: FilterNode }
  | { type: 'compare'; op: CompareOp; path: string[]; value: Literal }
  | { type: 'in'; path: string[]; values: Literal[] }
  | { type: 'func'; name: string; path: string[]; value: Literal }
  | { type: 'lambda'; quantifier: 'any' | 'all'; path: string[]; variable: string; body: FilterNode };

export { FilterSyntaxError };

const COMPARE_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(src: string): FilterNode {
  const p = new Parser(tokenizeFilter(src), src);
  const node = p.expr();
  p.expectEnd();
  return node;
}

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: FilterToken[],
    private readonly src: string,
  ) {}

  expr(): FilterNode {
    let left = this.and();
    while (this.isKeyword('or')) {
      this.i++;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.type !== 'eof') this.fail(t, `Syntax error at position ${t.pos} in '${this.src}'.`);
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.isKeyword('and')) {
      this.i++;
      left = { type: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.isKeyword('not')) {
      this.i++;
      return { type: 'not', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): FilterNode {
    const t = this.peek();
    if (t.type === '(') {
      this.i++;
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    if (t.type !== 'ident') this.fail(t, `Expected a property or function at position ${t.pos} in '${this.src}'.`);
    if (this.tokens[this.i + 1]?.type === '(') {
      this.i += 2;
      const path = this.path();
      this.expect(',');
      const value = this.literal();
      this.expect(')');
      return { type: 'func', name: t.text.toLowerCase(), path, value };
    }
    const path = this.path();
    const next = this.peek();
    if (next.type === '/') {
      this.i++;
      const q = this.expect('ident');
      const quantifier = q.text.toLowerCase();
      if (quantifier !== 'any' && quantifier !== 'all') this.fail(q, `Unknown lambda operator '${q.text}'.`);
      this.expect('(');
      const variable = this.expect('ident').text;
      this.expect(':');
      const body = this.expr();
      this.expect(')');
      return { type: 'lambda', quantifier, path, variable, body };
    }
    if (next.type === 'ident' && next.text.toLowerCase() === 'in') {
      this.i++;
      this.expect('(');
      const values = [this.literal()];
      while (this.peek().type === ',') {
        this.i++;
        values.push(this.literal());
      }
      this.expect(')');
      return { type: 'in', path, values };
    }
    if (next.type === 'ident' && COMPARE_OPS.has(next.text.toLowerCase())) {
      this.i++;
      return { type: 'compare', op: next.text.toLowerCase() as CompareOp, path, value: this.literal() };
    }
    return this.fail(next, `Expected a comparison operator after '${path.join('/')}' at position ${next.pos} in '${this.src}'.`);
  }

  /** prop or prop/sub (stops before '/any(' so the lambda can be recognised). */
  private path(): string[] {
    const segments = [this.expect('ident').text];
    while (this.peek().type === '/' && this.tokens[this.i + 1]?.type === 'ident' && this.tokens[this.i + 2]?.type !== '(') {
      this.i++;
      segments.push(this.expect('ident').text);
    }
    return segments;
  }

  private literal(): Literal {
    const t = this.peek();
    this.i++;
    switch (t.type) {
      case 'string':
        return { kind: 'string', value: t.value ?? '' };
      case 'number':
        return { kind: 'number', value: Number(t.text) };
      case 'guid':
        return { kind: 'guid', value: t.value ?? t.text };
      case 'dateTime':
        return { kind: 'dateTime', value: t.text };
      case 'ident': {
        const k = t.text.toLowerCase();
        if (k === 'true' || k === 'false') return { kind: 'boolean', value: k === 'true' };
        if (k === 'null') return { kind: 'null' };
        return this.fail(t, `Expected a literal value but found '${t.text}' at position ${t.pos} in '${this.src}'.`);
      }
      default:
        return this.fail(t, `Expected a literal value at position ${t.pos} in '${this.src}'.`);
    }
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.type === 'ident' && t.text.toLowerCase() === word;
  }

  private peek(): FilterToken {
    return this.tokens[this.i] ?? { type: 'eof', text: '', pos: this.src.length };
  }

  private expect(type: FilterToken['type']): FilterToken {
    const t = this.peek();
    if (t.type !== type) {
      const what = type === 'eof' ? 'end of input' : `'${type}'`;
      this.fail(t, `Expected ${what} at position ${t.pos} in '${this.src}'.`);
    }
    this.i++;
    return t;
  }

  private fail(t: FilterToken, message: string): never {
    throw new FilterSyntaxError(message, t.pos);
  }
}
