/** JSON value types shared by the emulator; request bodies arrive as `unknown` and are narrowed with these guards. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Reads a property of a stored record by its Graph name. */
export function field(rec: object, name: string): unknown {
  return (rec as Record<string, unknown>)[name];
}

/** `2026-11-27T19:03:10` — the zone-less timestamp Graph puts in innerError.date. */
export function graphErrorDate(d = new Date()): string {
  return d.toISOString().slice(0, 19);
}
