import type { DirectoryObject } from '../directory/records.js';
import type { EntityType, PropInfo } from '../directory/schema.js';
import { entityType } from '../directory/schema.js';
import { readProp } from '../directory/readProp.js';
import type { JsonObject, JsonValue } from '../util/json.js';
import { GraphError, unknownProperty } from './errors.js';

/**
 * Turns stored records into Graph JSON: default properties unless $select is given,
 * exactly the selected properties when it is (Graph adds nothing, not even id),
 * `@odata.type` on items of directoryObject-typed results, and limited-information
 * stubs (id + type, everything else null) for objects the caller may not read.
 */
export interface Selection {
  /** Canonical property names, in request order. */
  names: string[];
}

/** Validates $select against the possible item types; returns canonical names. */
export function resolveSelect(
  raw: readonly string[] | undefined,
  types: readonly EntityType[],
  typeName: string,
  collection: boolean,
): Selection | undefined {
  if (!raw) return undefined;
  const names: string[] = [];
  for (const item of raw) {
    let info: PropInfo | undefined;
    for (const t of types) {
      info = t.props.get(item.toLowerCase());
      if (info) break;
    }
    if (!info) throw unknownProperty(item, typeName);
    if (collection && info.singleOnly) {
      throw new GraphError(501, 'NotImplemented', `The property '${info.name}' is only supported when retrieving a single ${typeName}.`);
    }
    if (!names.includes(info.name)) names.push(info.name);
  }
  return { names };
}

export interface ProjectOptions {
  annotate: boolean;
  /** The caller lacks read rights for this object's type. */
  limited?: boolean;
}

export function project(obj: DirectoryObject, sel: Selection | undefined, opts: ProjectOptions): JsonObject {
  const type = entityType(obj.kind);
  const out: JsonObject = {};
  if (opts.annotate) out['@odata.type'] = type.odataType;
  const names = sel ? sel.names.filter((n) => type.props.has(n.toLowerCase())) : type.defaultProps;
  for (const name of names) {
    const info = type.props.get(name.toLowerCase());
    if (!info) continue;
    if (opts.limited && name !== 'id') {
      out[name] = info.kind === 'strings' || info.kind === 'array' ? [] : null;
      continue;
    }
    out[name] = toJson(readProp(obj.rec, name), info);
  }
  if (opts.limited && !('id' in out)) out['id'] = obj.rec.id;
  return out;
}

/** What Graph returns for properties that are never null even when unset. */
const UNSET_VALUES: Record<string, () => JsonValue> = {
  birthday: () => '0001-01-01T00:00:00Z',
  hireDate: () => '0001-01-01T00:00:00Z',
  deviceEnrollmentLimit: () => 5,
  onPremisesExtensionAttributes: () => Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null])),
};

function toJson(v: unknown, info: PropInfo): JsonValue {
  if (v === undefined || v === null) {
    const unset = UNSET_VALUES[info.name];
    if (unset) return unset();
    return info.kind === 'strings' || info.kind === 'array' ? [] : null;
  }
  if (Array.isArray(v)) return [...(v as JsonValue[])];
  return v as JsonValue;
}

/** `https://…/v1.0/$metadata#users(id,displayName)/$entity` */
export function contextUrl(graphBase: string, entitySet: string, sel: Selection | undefined, single: boolean): string {
  const props = sel ? `(${sel.names.join(',')})` : '';
  return `${graphBase}/$metadata#${entitySet}${props}${single ? '/$entity' : ''}`;
}
