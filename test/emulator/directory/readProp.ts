import type { GroupRecord, UserRecord } from './records.js';
import { field } from '../util/json.js';

/** Reads a Graph property from a stored record: first the fixed fields, then the rarely used ones in `extra`. */
export function readProp(rec: UserRecord | GroupRecord, name: string): unknown {
  const v = field(rec, name);
  return v !== undefined ? v : rec.extra?.[name];
}
