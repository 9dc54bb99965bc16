import type { DirectoryObject } from './records.js';
import { field } from '../util/json.js';

/** Reads a Graph property from a stored record: first the fixed fields, then the rarely used ones in `extra`. */
export function readProp(rec: DirectoryObject['rec'], name: string): unknown {
  const v = field(rec, name);
  return v !== undefined || !('extra' in rec) ? v : rec.extra?.[name];
}
