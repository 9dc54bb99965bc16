import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isRecord } from './util/json.js';

/**
 * A validator for the part of OpenAPI 3.0 schema objects the Graph description uses:
 * $ref, type, properties, required, items, enum, nullable, allOf/anyOf/oneOf,
 * additionalProperties, pattern, minimum/maximum. Three rules follow OData JSON / CSDL:
 * properties declared anywhere in an allOf chain count as declared for every branch,
 * and instance annotations (names containing '@') are control information, not
 * properties, so `additionalProperties` does not apply to them; and an object's
 * `@odata.type` selects the derived schema it is validated against.
 */
export interface ValidationIssue {
  path: string;
  message: string;
}

type Schema = Record<string, unknown>;

export const GRAPH_OPENAPI_PATH = path.join(__dirname, 'spec', 'graph-v1.0-users-groups.openapi.yaml');

export class OpenApiValidator {
  constructor(private readonly doc: Schema) {}

  static fromFile(file = GRAPH_OPENAPI_PATH): OpenApiValidator {
    const doc: unknown = parse(readFileSync(file, 'utf8'));
    if (!isRecord(doc)) throw new Error(`${file} is not an OpenAPI document`);
    return new OpenApiValidator(doc);
  }

  /** The JSON schema of a documented response: `'/users/{user-id}'`, `'get'`, `'2XX'` or `'default'`. */
  responseSchema(pathTemplate: string, method: string, status: string, mediaType = 'application/json'): Schema {
    const paths = this.doc['paths'];
    const op = isRecord(paths) && isRecord(paths[pathTemplate]) ? paths[pathTemplate][method] : undefined;
    if (!isRecord(op) || !isRecord(op['responses'])) throw new Error(`No operation ${method.toUpperCase()} ${pathTemplate}`);
    let resp = op['responses'][status];
    if (isRecord(resp) && typeof resp['$ref'] === 'string') resp = this.resolve(resp['$ref']);
    const content = isRecord(resp) ? resp['content'] : undefined;
    const media = isRecord(content) ? content[mediaType] : undefined;
    const schema = isRecord(media) ? media['schema'] : undefined;
    if (!isRecord(schema)) throw new Error(`No ${mediaType} schema for ${status} of ${method.toUpperCase()} ${pathTemplate}`);
    return schema;
  }

  /** `'microsoft.graph.user'` → its component schema. */
  component(name: string): Schema {
    return this.resolve(`#/components/schemas/${name}`);
  }

  validate(schema: Schema, value: unknown, path = '$'): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.check(schema, value, path, issues, new Set());
    return issues;
  }

  resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported: ${ref}`);
    let node: unknown = this.doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = isRecord(node) ? node[key] : undefined;
    }
    if (!isRecord(node)) throw new Error(`Unresolvable $ref ${ref}`);
    return node;
  }

  private deref(s: Schema): Schema {
    let cur = s;
    for (let i = 0; i < 32 && typeof cur['$ref'] === 'string'; i++) cur = this.resolve(cur['$ref']);
    return cur;
  }

  /** Property names declared by a schema and, transitively, by its allOf members. */
  private declared(s: Schema, into: Set<string>): Set<string> {
    const d = this.deref(s);
    if (isRecord(d['properties'])) for (const k of Object.keys(d['properties'])) into.add(k);
    if (Array.isArray(d['allOf'])) for (const sub of d['allOf']) if (isRecord(sub)) this.declared(sub, into);
    return into;
  }

  /** `poly` is off for allOf branches: a base-type branch must not switch back to the derived type. */
  private check(schema: Schema, value: unknown, path: string, issues: ValidationIssue[], inherited: ReadonlySet<string>, poly = true): void {
    const derived = poly ? this.derivedFor(schema, value, path, issues) : undefined;
    if (derived === null) return;
    // OpenAPI 3.0 cannot say `nullable` beside a $ref, and CSDL properties are nullable unless
    // declared otherwise, so a null where a bare $ref is expected is accepted.
    if (value === null && typeof schema['$ref'] === 'string' && Object.keys(schema).length === 1) return;
    const s = this.deref(derived ?? schema);
    if (value === null) {
      if (s['nullable'] === true) return;
      if (Array.isArray(s['enum']) && s['enum'].includes(null)) return;
      if (s['type'] !== undefined) {
        issues.push({ path, message: `null is not allowed (type ${JSON.stringify(s['type'])}, not nullable)` });
        return;
      }
    }
    if (Array.isArray(s['allOf'])) {
      const known = this.declared(s, new Set(inherited));
      for (const sub of s['allOf']) if (isRecord(sub)) this.check(sub, value, path, issues, known, false);
    }
    for (const key of ['anyOf', 'oneOf'] as const) {
      const list = s[key];
      if (!Array.isArray(list)) continue;
      const passing = list.filter((sub) => isRecord(sub) && this.validateInner(sub, value, path, inherited).length === 0).length;
      if (key === 'anyOf' ? passing === 0 : passing !== 1) {
        issues.push({ path, message: `${key}: ${passing} of ${list.length} alternatives matched` });
      }
    }
    if (Array.isArray(s['enum']) && !s['enum'].includes(value)) {
      issues.push({ path, message: `${JSON.stringify(value)} is not one of ${JSON.stringify(s['enum'])}` });
    }
    const type = s['type'];
    if (typeof type === 'string' && !typeMatches(type, value)) {
      issues.push({ path, message: `expected ${type}, got ${describe(value)}` });
      return;
    }
    if (typeof value === 'string' && typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(value)) {
      issues.push({ path, message: `${JSON.stringify(value)} does not match ${s['pattern']}` });
    }
    if (typeof value === 'number') {
      if (typeof s['minimum'] === 'number' && value < s['minimum']) issues.push({ path, message: `${value} < minimum ${s['minimum']}` });
      if (typeof s['maximum'] === 'number' && value > s['maximum']) issues.push({ path, message: `${value} > maximum ${s['maximum']}` });
    }
    if (Array.isArray(value) && isRecord(s['items'])) {
      const items = s['items'];
      value.forEach((v, i) => this.check(items, v, `${path}[${i}]`, issues, new Set()));
    }
    if (isRecord(value)) this.checkObject(s, value, path, issues, inherited);
  }

  /**
   * OData polymorphism: an object whose `@odata.type` names a type derived from the
   * expected one is validated against that derived type. Returns undefined when no
   * switch applies, null when the annotation contradicts the schema (issue recorded).
   */
  private derivedFor(schema: Schema, value: unknown, path: string, issues: ValidationIssue[]): Schema | undefined | null {
    const ref = schema['$ref'];
    if (typeof ref !== 'string' || !isRecord(value) || typeof value['@odata.type'] !== 'string') return undefined;
    const expected = ref.split('/').pop() ?? '';
    const actual = value['@odata.type'].replace(/^#/, '');
    if (actual === expected) return undefined;
    const schemas = isRecord(this.doc['components']) ? this.doc['components']['schemas'] : undefined;
    const target = isRecord(schemas) ? schemas[actual] : undefined;
    if (!isRecord(target) || !this.derivesFrom(target, expected)) {
      issues.push({ path, message: `@odata.type '${actual}' is not '${expected}' or a type derived from it` });
      return null;
    }
    return { $ref: `#/components/schemas/${actual}` };
  }

  private derivesFrom(s: Schema, base: string, depth = 0): boolean {
    if (depth > 16 || !Array.isArray(s['allOf'])) return false;
    for (const sub of s['allOf']) {
      if (!isRecord(sub) || typeof sub['$ref'] !== 'string') continue;
      const name = sub['$ref'].split('/').pop() ?? '';
      if (name === base || this.derivesFrom(this.resolve(sub['$ref']), base, depth + 1)) return true;
    }
    return false;
  }

  private checkObject(s: Schema, value: Record<string, unknown>, path: string, issues: ValidationIssue[], inherited: ReadonlySet<string>): void {
    const props = isRecord(s['properties']) ? s['properties'] : {};
    if (Array.isArray(s['required'])) {
      for (const r of s['required']) if (typeof r === 'string' && !(r in value)) issues.push({ path, message: `missing required property '${r}'` });
    }
    for (const [k, v] of Object.entries(value)) {
      const p = props[k];
      if (isRecord(p)) {
        this.check(p, v, `${path}.${k}`, issues, new Set());
        continue;
      }
      if (inherited.has(k) || k.includes('@')) continue;
      const ap = s['additionalProperties'];
      if (ap === false) issues.push({ path: `${path}.${k}`, message: 'additional property not allowed' });
      else if (isRecord(ap)) {
        const sub: ValidationIssue[] = [];
        this.check(ap, v, `${path}.${k}`, sub, new Set());
        if (sub.length > 0) issues.push({ path: `${path}.${k}`, message: `undeclared property (additionalProperties: ${sub[0]?.message ?? ''})` });
      }
    }
  }

  private validateInner(schema: Schema, value: unknown, path: string, inherited: ReadonlySet<string>): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.check(schema, value, path, issues, inherited);
    return issues;
  }
}

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return isRecord(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
