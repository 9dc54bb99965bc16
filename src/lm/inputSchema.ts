import * as vscode from 'vscode';

/** The JSON Schema subset the tools declare in `languageModelTools[].inputSchema` and check again at run time. */
export type JsonSchema = StringSchema | IntegerSchema | BooleanSchema | ArraySchema | ObjectSchema;

interface Described {
  description?: string;
}
export interface StringSchema extends Described {
  type: 'string';
  enum?: readonly string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}
export interface IntegerSchema extends Described {
  type: 'integer';
  minimum?: number;
  maximum?: number;
  default?: number;
}
export interface BooleanSchema extends Described {
  type: 'boolean';
  default?: boolean;
}
export interface ArraySchema extends Described {
  type: 'array';
  items: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}
export interface ObjectSchema extends Described {
  type: 'object';
  properties: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  minProperties?: number;
  additionalProperties: false;
}

/** An object id. The runtime check names it as such instead of "invalid format". */
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export interface InputProblem {
  field?: string;
  message: string;
}

/**
 * Checks what the model sent against the declared schema: the editor may pass input through unchecked,
 * and a model can send anything (wrong types, extra or missing fields).
 */
export function checkInput(schema: ObjectSchema, input: unknown): InputProblem | undefined {
  // A tool without parameters may be called with no input at all.
  if (input === undefined && !(schema.required?.length)) return undefined;
  return checkValue(schema, input, '');
}

function checkValue(schema: JsonSchema, value: unknown, path: string): InputProblem | undefined {
  const name = path || vscode.l10n.t('The input');
  const field = path || undefined;
  const problem = (message: string): InputProblem => (field ? { field, message } : { message });
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return problem(vscode.l10n.t('{0} must be a string; got {1}.', name, describe(value)));
      if (schema.enum && !schema.enum.includes(value)) return problem(vscode.l10n.t('{0} must be one of: {1}.', name, schema.enum.join(', ')));
      if (schema.minLength !== undefined && value.length < schema.minLength) return problem(vscode.l10n.t('{0} cannot be empty.', name));
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return problem(vscode.l10n.t('{0} is {1} characters long; the limit is {2}.', name, value.length, schema.maxLength));
      if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
        return problem(schema.pattern === GUID_PATTERN
          ? vscode.l10n.t('{0} must be an object id (GUID); got {1}.', name, describe(value))
          : vscode.l10n.t('{0} has an invalid format; got {1}.', name, describe(value)));
      }
      return undefined;
    }
    case 'integer': {
      const min = schema.minimum ?? Number.MIN_SAFE_INTEGER;
      const max = schema.maximum ?? Number.MAX_SAFE_INTEGER;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        return problem(vscode.l10n.t('{0} must be a whole number from {1} to {2}; got {3}.', name, min, max, describe(value)));
      }
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : problem(vscode.l10n.t('{0} must be true or false; got {1}.', name, describe(value)));
    case 'array': {
      if (!Array.isArray(value)) return problem(vscode.l10n.t('{0} must be a list; got {1}.', name, describe(value)));
      if (schema.minItems !== undefined && value.length < schema.minItems) return problem(vscode.l10n.t('{0} needs at least {1} entries.', name, schema.minItems));
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return problem(vscode.l10n.t('{0} has {1} entries; the limit is {2}.', name, value.length, schema.maxItems));
      for (const [i, item] of value.entries()) {
        const inner = checkValue(schema.items, item, `${path}[${i}]`);
        if (inner) return inner;
      }
      if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) return problem(vscode.l10n.t('{0} lists an entry twice.', name));
      return undefined;
    }
    case 'object':
      return checkObject(schema, value, path, problem);
  }
}

function checkObject(schema: ObjectSchema, value: unknown, path: string, problem: (m: string) => InputProblem): InputProblem | undefined {
  const name = path || vscode.l10n.t('The input');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return problem(vscode.l10n.t('{0} must be an object; got {1}.', name, describe(value)));
  const record = value as Record<string, unknown>;
  const allowed = Object.keys(schema.properties);
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(schema.properties, key)) {
      const where = path ? `${path}.${key}` : key;
      return { field: where, message: vscode.l10n.t('Unknown property "{0}". Allowed: {1}.', preview(key), allowed.join(', ') || vscode.l10n.t('none')) };
    }
  }
  for (const key of schema.required ?? []) {
    if (record[key] === undefined) {
      const where = path ? `${path}.${key}` : key;
      return { field: where, message: vscode.l10n.t('{0} is required.', where) };
    }
  }
  if (schema.minProperties !== undefined && Object.keys(record).length < schema.minProperties) {
    return problem(vscode.l10n.t('{0} needs at least {1} of: {2}.', name, schema.minProperties, allowed.join(', ')));
  }
  for (const [key, propSchema] of Object.entries(schema.properties)) {
    if (record[key] === undefined) continue;
    const inner = checkValue(propSchema, record[key], path ? `${path}.${key}` : key);
    if (inner) return inner;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return vscode.l10n.t('a list');
  if (typeof value === 'string') return `"${preview(value)}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'object') return vscode.l10n.t('an object');
  return typeof value;
}

function preview(text: string): string {
  const line = text.replace(/[\r\n\t]+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}
