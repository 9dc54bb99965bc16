import { parseFilter, FilterSyntaxError } from './filterParser.js';
import type { FilterNode, Literal, CompareOp } from './filterParser.js';
import type { EntityType, PropInfo, Tier } from '../directory/schema.js';
import type { DirectoryObject } from '../directory/records.js';
import { readProp } from '../directory/readProp.js';
import { advancedOperator, badRequest, unknownProperty, unsupportedFilterProperty, unsupportedQuery } from '../graph/errors.js';

export type RecordPredicate = (rec: DirectoryObject['rec']) => boolean;

export interface FilterScope {
  /** Types an item may have: one for /users or /groups, both for directoryObject collections. */
  types: readonly EntityType[];
  /** Name used in "on type 'microsoft.graph.X'" messages. */
  typeName: string;
  advanced: boolean;
}

/**
 * Validates a parsed $filter against Graph's per-property support tables and
 * compiles it to a predicate. Throws GraphError exactly where Graph refuses.
 */
export function compileFilter(src: string, scope: FilterScope): RecordPredicate {
  let ast: FilterNode;
  try {
    ast = parseFilter(src);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw badRequest(`Invalid filter clause: ${e.message}`);
    throw e;
  }
  return compileNode(ast, scope, undefined);
}

interface LambdaBinding {
  variable: string;
  info: PropInfo;
  resource: string;
}

function compileNode(node: FilterNode, scope: FilterScope, lambda: LambdaBinding | undefined): RecordPredicate {
  switch (node.type) {
    case 'and': {
      const l = compileNode(node.left, scope, lambda);
      const r = compileNode(node.right, scope, lambda);
      return (x) => l(x) && r(x);
    }
    case 'or': {
      const l = compileNode(node.left, scope, lambda);
      const r = compileNode(node.right, scope, lambda);
      return (x) => l(x) || r(x);
    }
    case 'not': {
      requireAdvanced(scope, 'not');
      const inner = compileNode(node.operand, scope, lambda);
      return (x) => !inner(x);
    }
    case 'lambda':
      return compileLambda(node, scope);
    default:
      if (lambda) throw unsupportedQuery('Unsupported Query.');
      return compileLeaf(node, scope);
  }
}

function compileLeaf(node: Exclude<FilterNode, { type: 'and' | 'or' | 'not' | 'lambda' }>, scope: FilterScope): RecordPredicate {
  const { info, resource } = resolve(node.path, scope);
  const name = info.name;
  if (info.kind === 'strings' || info.kind === 'array' || info.kind === 'object') throw unsupportedFilterProperty(name, resource);
  const test = valueTest(node, info, resource, scope);
  return (rec) => test(readProp(rec, name));
}

/** Builds the test for one scalar value (a property, or a lambda variable's element). */
function valueTest(
  node: Exclude<FilterNode, { type: 'and' | 'or' | 'not' | 'lambda' }>,
  info: PropInfo,
  resource: string,
  scope: FilterScope,
): (v: unknown) => boolean {
  const caps = info.filter;
  const need = (tier: Tier | undefined, what: string): void => {
    if (tier === undefined) throw unsupportedFilterProperty(info.name, resource);
    if (tier === 'A' && !scope.advanced) {
      if (what === 'endsWith') throw advancedOperator('endsWith');
      throw unsupportedFilterProperty(info.name, resource);
    }
  };
  switch (node.type) {
    case 'compare': {
      const op: CompareOp = node.op;
      if (op === 'gt' || op === 'lt') throw unsupportedQuery(`Operator '${op}' is not supported.`);
      if (op === 'ne') requireAdvanced(scope, 'ne');
      need(op === 'eq' || op === 'ne' ? caps?.eq : caps?.range, op);
      if (node.value.kind === 'null') {
        if (op !== 'eq' && op !== 'ne') throw badRequest('Invalid filter clause: null can only be compared with eq or ne.');
        requireAdvanced(scope, 'eq null');
        return op === 'eq' ? (v) => v === null || v === undefined : (v) => v !== null && v !== undefined;
      }
      const want = coerce(node.value, info, op);
      if (op === 'eq') return (v) => equals(v, want);
      if (op === 'ne') return (v) => !equals(v, want);
      const sign = op === 'ge' ? 1 : -1;
      return (v) => v !== null && v !== undefined && sign * compareValues(v, want) >= 0;
    }
    case 'in': {
      need(caps?.eq, 'in');
      const wants = node.values.map((l) => coerce(l, info, 'eq'));
      return (v) => wants.some((w) => equals(v, w));
    }
    case 'func': {
      if (node.name === 'startswith') need(caps?.startsWith, 'startsWith');
      else if (node.name === 'endswith') {
        if (caps?.endsWith === undefined) throw unsupportedFilterProperty(info.name, resource);
        requireAdvanced(scope, 'endsWith');
      } else throw unsupportedQuery(`Unsupported Query. Function '${node.name}' is not supported.`);
      if (node.value.kind !== 'string') throw incompatible(info, node.value);
      const needle = node.value.value.toLowerCase();
      const starts = node.name === 'startswith';
      return (v) => typeof v === 'string' && (starts ? v.toLowerCase().startsWith(needle) : v.toLowerCase().endsWith(needle));
    }
  }
}

function compileLambda(node: Extract<FilterNode, { type: 'lambda' }>, scope: FilterScope): RecordPredicate {
  const { info, resource } = resolve(node.path, scope);
  if (node.quantifier === 'all') throw unsupportedQuery("Unsupported Query. Lambda operator 'all' is not supported.");
  if (info.kind !== 'strings' || !info.filter) throw unsupportedFilterProperty(info.name, resource);
  const element: PropInfo = { name: info.name, kind: 'string', singleOnly: false, filter: info.filter };
  const binding: LambdaBinding = { variable: node.variable, info: element, resource };
  const body = compileLambdaBody(node.body, scope, binding);
  const name = info.name;
  return (rec) => {
    const list = readProp(rec, name);
    return Array.isArray(list) && list.some((item) => body(item));
  };
}

function compileLambdaBody(node: FilterNode, scope: FilterScope, b: LambdaBinding): (v: unknown) => boolean {
  switch (node.type) {
    case 'and':
    case 'or': {
      const l = compileLambdaBody(node.left, scope, b);
      const r = compileLambdaBody(node.right, scope, b);
      return node.type === 'and' ? (v) => l(v) && r(v) : (v) => l(v) || r(v);
    }
    case 'not':
    case 'lambda':
      throw unsupportedQuery('Unsupported Query.');
    default:
      if (node.path.length !== 1 || node.path[0] !== b.variable) {
        throw badRequest(`Invalid filter clause: '${node.path.join('/')}' is not the range variable '${b.variable}'.`);
      }
      if (node.type === 'compare' && node.op === 'ne') {
        // Documented: inside any() use not(...), never ne.
        throw unsupportedQuery("Unsupported Query. Use 'not' instead of 'ne' inside lambda expressions.");
      }
      return valueTest(node, b.info, b.resource, scope);
  }
}

function resolve(path: string[], scope: FilterScope): { info: PropInfo; resource: string } {
  const [head = '', ...rest] = path;
  let found: { info: PropInfo; resource: string } | undefined;
  for (const t of scope.types) {
    const info = t.props.get(head.toLowerCase());
    if (info) {
      found = { info, resource: t.resource };
      break;
    }
  }
  if (!found) throw unknownProperty(head, scope.typeName);
  // Navigation/sub-paths such as manager/id or assignedLicenses/$count are not in this subset.
  if (rest.length > 0) throw unsupportedFilterProperty(path.join('/'), found.resource);
  return found;
}

function requireAdvanced(scope: FilterScope, op: string): void {
  if (!scope.advanced) throw advancedOperator(op);
}

type Comparable = string | boolean | number;

function coerce(lit: Literal, info: PropInfo, op: string): Comparable {
  switch (info.kind) {
    case 'boolean':
      if (lit.kind !== 'boolean') throw incompatible(info, lit, op);
      return lit.value;
    case 'dateTime':
      if (lit.kind !== 'dateTime') throw incompatible(info, lit, op);
      return Date.parse(lit.value);
    case 'number':
      if (lit.kind !== 'number') throw incompatible(info, lit, op);
      return lit.value;
    default:
      if (lit.kind !== 'string' && lit.kind !== 'guid') throw incompatible(info, lit, op);
      return lit.value.toLowerCase();
  }
}

function equals(v: unknown, want: Comparable): boolean {
  if (typeof want === 'string') return typeof v === 'string' && v.toLowerCase() === want;
  if (typeof want === 'number' && typeof v === 'string') return Date.parse(v) === want;
  return v === want;
}

function compareValues(v: unknown, want: Comparable): number {
  if (typeof want === 'number') {
    const n = typeof v === 'string' ? Date.parse(v) : Number(v);
    return n - want;
  }
  const s = String(v).toLowerCase();
  const w = String(want);
  return s < w ? -1 : s > w ? 1 : 0;
}

const EDM: Record<string, string> = {
  string: 'Edm.String',
  boolean: 'Edm.Boolean',
  dateTime: 'Edm.DateTimeOffset',
  number: 'Edm.Int32',
  guid: 'Edm.Guid',
  null: 'null',
};

function incompatible(info: PropInfo, lit: Literal, op = 'eq'): Error {
  const kinds: Record<string, string> = { eq: 'Equal', ne: 'NotEqual', ge: 'GreaterThanOrEqual', le: 'LessThanOrEqual' };
  return badRequest(
    `A binary operator with incompatible types was detected. Found operand types '${EDM[info.kind] ?? 'Edm.String'}' and '${EDM[lit.kind] ?? lit.kind}' for operator kind '${kinds[op] ?? op}'.`,
  );
}
