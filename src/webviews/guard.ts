/**
 * Tiny runtime checks for values that cross the webview boundary. Pure TypeScript: the extension and the
 * browser bundle both use them, so neither side trusts what the other sent.
 */

export type Check<T> = (value: unknown) => value is T;
export type Checked<C> = C extends Check<infer T> ? T : never;

/** Marks a property of {@link record} as optional (absent or `undefined`). */
export interface Optional<T> {
  readonly optional: true;
  readonly check: Check<T>;
}

type Field = Check<unknown> | Optional<unknown>;
type Shape = Readonly<Record<string, Field>>;
type FieldType<F> = F extends Optional<infer T> ? T : F extends Check<infer T> ? T : never;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
export type Shaped<S extends Shape> = { [K in RequiredKeys<S>]: FieldType<S[K]> } & { [K in OptionalKeys<S>]?: FieldType<S[K]> };

export function text(max: number, min = 0): Check<string> {
  return (v): v is string => typeof v === 'string' && v.length >= min && v.length <= max;
}

export function integer(min: number, max: number): Check<number> {
  return (v): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

export const boolean: Check<boolean> = (v): v is boolean => typeof v === 'boolean';

export function literal<const T extends ReadonlyArray<string | number | boolean>>(...values: T): Check<T[number]> {
  const allowed: ReadonlyArray<unknown> = values;
  return (v): v is T[number] => allowed.includes(v);
}

export function list<T>(item: Check<T>, max: number): Check<T[]> {
  return (v): v is T[] => Array.isArray(v) && v.length <= max && v.every((x) => item(x));
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v): v is T | null => v === null || check(v);
}

export function optional<T>(check: Check<T>): Optional<T> {
  return { optional: true, check };
}

export function oneOf<const C extends ReadonlyArray<Check<unknown>>>(...checks: C): Check<Checked<C[number]>> {
  return (v): v is Checked<C[number]> => checks.some((c) => c(v));
}

/** A plain object with exactly these properties: unknown keys make the whole value invalid. */
export function record<const S extends Shape>(shape: S): Check<Shaped<S>> {
  const keys = Object.keys(shape);
  return (v): v is Shaped<S> => {
    if (!isPlainObject(v)) return false;
    for (const key of Object.keys(v)) if (!Object.prototype.hasOwnProperty.call(shape, key)) return false;
    for (const key of keys) {
      const field = shape[key];
      const value = v[key];
      if (field === undefined) return false;
      if (typeof field === 'function') {
        if (!field(value)) return false;
      } else if (value !== undefined && !field.check(value)) {
        return false;
      }
    }
    return true;
  };
}

/** An object whose keys are exactly `keys`, each value passing `check`. */
export function dictionary<const K extends string, T>(keys: readonly K[], check: Check<T>): Check<Record<K, T>> {
  return (v): v is Record<K, T> => {
    if (!isPlainObject(v)) return false;
    const own = Object.keys(v);
    if (own.length !== keys.length) return false;
    return keys.every((k) => Object.prototype.hasOwnProperty.call(v, k) && check(v[k]));
  };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** UTF-8 size of the JSON form, or undefined when the value has none (cycles, BigInt, functions). */
export function serializedBytes(v: unknown): number | undefined {
  try {
    const json = JSON.stringify(v);
    return json === undefined ? undefined : new TextEncoder().encode(json).length;
  } catch {
    return undefined;
  }
}
