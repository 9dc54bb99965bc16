import type { UserRecord } from './records.js';
import { field } from '../util/json.js';

/**
 * A small subset of Entra dynamic membership rules:
 *   (user.department -eq "Sales") -and (user.accountEnabled -eq true)
 * Operators -eq -ne -startsWith -contains, joined by -and / -or, with parentheses.
 * Membership is evaluated when a dynamic group is created or its rule changes.
 */
export type UserPredicate = (u: UserRecord) => boolean;

const RULE_PROPS = new Set([
  'department',
  'jobTitle',
  'country',
  'city',
  'usageLocation',
  'accountEnabled',
  'userType',
  'displayName',
  'companyName',
  'officeLocation',
  'mail',
  'userPrincipalName',
]);

export class RuleSyntaxError extends Error {}

export function compileRule(rule: string): UserPredicate {
  const tokens = rule.match(/"(?:[^"\\]|\\.)*"|\(|\)|-[A-Za-z]+|[A-Za-z_][\w.]*/g) ?? [];
  if (tokens.join('').replace(/\s/g, '') !== rule.replace(/\s/g, '')) throw new RuleSyntaxError('Invalid characters in rule');
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const take = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new RuleSyntaxError('Unexpected end of rule');
    return t;
  };

  const parseOr = (): UserPredicate => {
    let left = parseAnd();
    while (peek()?.toLowerCase() === '-or') {
      take();
      const l = left;
      const r = parseAnd();
      left = (u) => l(u) || r(u);
    }
    return left;
  };
  const parseAnd = (): UserPredicate => {
    let left = parsePrimary();
    while (peek()?.toLowerCase() === '-and') {
      take();
      const l = left;
      const r = parsePrimary();
      left = (u) => l(u) && r(u);
    }
    return left;
  };
  const parsePrimary = (): UserPredicate => {
    if (peek() === '(') {
      take();
      const inner = parseOr();
      if (take() !== ')') throw new RuleSyntaxError('Expected )');
      return inner;
    }
    const lhs = take();
    if (!lhs.startsWith('user.') || !RULE_PROPS.has(lhs.slice(5))) throw new RuleSyntaxError(`Unsupported property ${lhs}`);
    const prop = lhs.slice(5);
    const op = take().toLowerCase();
    const raw = take();
    const value: string | boolean =
      raw === 'true' ? true : raw === 'false' ? false : raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : fail(raw);
    const get = (u: UserRecord): unknown => field(u, prop);
    const lower = typeof value === 'string' ? value.toLowerCase() : '';
    switch (op) {
      case '-eq':
        return (u) => norm(get(u)) === (typeof value === 'string' ? lower : value);
      case '-ne':
        return (u) => norm(get(u)) !== (typeof value === 'string' ? lower : value);
      case '-startswith':
        return (u) => asText(get(u)).startsWith(lower);
      case '-contains':
        return (u) => asText(get(u)).includes(lower);
      default:
        throw new RuleSyntaxError(`Unsupported operator ${op}`);
    }
  };

  const predicate = parseOr();
  if (pos !== tokens.length) throw new RuleSyntaxError('Trailing tokens in rule');
  return predicate;
}

function norm(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v.toLowerCase() : '';
}

function fail(raw: string): never {
  throw new RuleSyntaxError(`Unsupported value ${raw}`);
}
