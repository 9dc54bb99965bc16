/**
 * The change journal: one JSON line per directory write the extension made, in the extension's global storage, one
 * file per tenant. Editor-free: the record's shape, its serialisation, reading (corrupt lines skipped, each one
 * reported), filters, the inverse of a change and "has it changed since". The store in the extension only appends
 * and rotates (src/journalStore.ts).
 */
import { URI, Utils } from 'vscode-uri';
import type { GraphError } from '../core';

/** Where a write came from. `command`: the palette, a context menu or a keybinding. */
export const JOURNAL_SURFACES = ['form', 'command', 'chat', 'apply', 'undo'] as const;
export type JournalSurface = (typeof JOURNAL_SURFACES)[number];

export const JOURNAL_ACTIONS = [
  'createGroup', 'updateGroup', 'deleteGroup', 'addMember', 'removeMember', 'addOwner', 'removeOwner', 'updateUser', 'setManager', 'removeManager', 'restoreGroup',
] as const;
export type JournalAction = (typeof JOURNAL_ACTIONS)[number];

export type JournalOutcome = 'done' | 'failed' | 'unknown';

/** A directory object as the journal names it: its id, kind and (when known) its name at the time. */
export interface JournalObject {
  id: string;
  kind: 'user' | 'group' | 'object';
  name?: string;
}

/** A JSON value: what `before` and `after` hold (never a token or secret: see {@link journalValues}). */
export type JournalValue = string | number | boolean | null | JournalValue[] | { [key: string]: JournalValue };

export interface JournalEntry {
  /** Format version of this line. */
  v: 1;
  id: string;
  /** ISO 8601, UTC. */
  at: string;
  /** The signed-in identity that made the change: label (UPN or app id) and object id when delegated. */
  who: { label: string; userId?: string; tenantId?: string };
  surface: JournalSurface;
  action: JournalAction;
  /** The object changed: the group for membership and owner changes, the user for a manager change. */
  object: JournalObject;
  /** The member, owner or manager the change is about. */
  related?: JournalObject;
  /** Updates: the changed fields' values before and after. */
  before?: Record<string, JournalValue>;
  after?: Record<string, JournalValue>;
  outcome: JournalOutcome;
  /** Failed or unknown: Graph's code (or ours), status and request id. */
  error?: { code: string; status?: number; requestId?: string };
  /** The requests the change sent: `client-request-id` we sent and the `request-id` Graph answered with. */
  requests: Array<{ clientRequestId?: string; requestId?: string }>;
  /** Set when more requests were sent than an entry keeps. */
  requestsTruncated?: true;
  /** An undo: the entry it reverses. */
  undoOf?: string;
  /** Entries written by one run (an Apply of a plan): the same id. */
  runId?: string;
}

/** Requests kept per entry: enough for a single change and its retries; a large Apply keeps its first ones. */
export const MAX_REQUESTS_PER_ENTRY = 10;
/** A journal file rotates when an append would take it past this size; one older file is kept (see SECURITY.md). */
export const MAX_JOURNAL_BYTES = 4 * 1024 * 1024;

/** Property names whose values are never written to the journal, whatever an update carried. */
const SECRET_NAMES = /password|secret|token|credential|key$/i;

/**
 * The values of an update as the journal keeps them: plain JSON, secrets dropped by name (a password profile never
 * reaches the journal), undefined left out.
 */
export function journalValues(values: Readonly<Record<string, unknown>>): Record<string, JournalValue> {
  const kept: Record<string, JournalValue> = {};
  for (const [name, value] of Object.entries(values)) {
    if (SECRET_NAMES.test(name) || value === undefined) continue;
    const json = JSON.stringify(value) as string | undefined;
    if (json !== undefined) kept[name] = JSON.parse(json) as JournalValue;
  }
  return kept;
}

/** The outcome of a write as the journal records it. */
export function outcomeOf(error: GraphError | undefined): Pick<JournalEntry, 'outcome' | 'error'> {
  if (!error) return { outcome: 'done' };
  const detail = { code: error.code, ...(error.status !== undefined ? { status: error.status } : {}), ...(error.requestId ? { requestId: error.requestId } : {}) };
  return { outcome: error.outcomeUnknown ? 'unknown' : 'failed', error: detail };
}

/** The folder of every tenant's journal. */
export function journalFolder(storage: URI): URI {
  return Utils.joinPath(storage, 'journal');
}

/** The journal file of a tenant (and its one rotated predecessor) under the extension's global storage. */
export function journalUri(storage: URI, tenantId: string | undefined, rotated = false): URI {
  const tenant = encodeURIComponent((tenantId ?? 'unknown-tenant').toLowerCase());
  return Utils.joinPath(journalFolder(storage), rotated ? `${tenant}.1.jsonl` : `${tenant}.jsonl`);
}

/** One entry as one line (JSON escapes line breaks inside strings, so a line is always a whole entry). */
export function serialiseEntry(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

export interface JournalReading {
  entries: JournalEntry[];
  /** Lines that were not entries: 1-based line number and why. */
  skipped: Array<{ line: number; reason: string }>;
}

/** Reads a journal file's text in file order; a line that is not a whole, valid entry is skipped and reported. */
export function parseJournal(text: string): JournalReading {
  const reading: JournalReading = { entries: [], skipped: [] };
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      reading.skipped.push({ line: index + 1, reason: 'not JSON (a partial or damaged line)' });
      return;
    }
    const problem = entryProblem(value);
    if (problem) reading.skipped.push({ line: index + 1, reason: problem });
    else reading.entries.push(value as JournalEntry);
  });
  return reading;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isObjectRef = (v: unknown): boolean => isRecord(v) && typeof v.id === 'string' && typeof v.kind === 'string' && (v.name === undefined || typeof v.name === 'string');

function entryProblem(v: unknown): string | undefined {
  if (!isRecord(v)) return 'not an object';
  if (v.v !== 1) return `unknown format version ${JSON.stringify(v.v)}`;
  if (typeof v.id !== 'string' || typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) return 'no id or time';
  if (!isRecord(v.who) || typeof v.who.label !== 'string') return 'no identity';
  if (!(JOURNAL_SURFACES as readonly unknown[]).includes(v.surface)) return `unknown surface ${JSON.stringify(v.surface)}`;
  if (!(JOURNAL_ACTIONS as readonly unknown[]).includes(v.action)) return `unknown action ${JSON.stringify(v.action)}`;
  if (!isObjectRef(v.object) || (v.related !== undefined && !isObjectRef(v.related))) return 'no valid object';
  if (!['done', 'failed', 'unknown'].includes(v.outcome as string)) return 'no valid outcome';
  if (!Array.isArray(v.requests)) return 'no request list';
  if ((v.before !== undefined && !isRecord(v.before)) || (v.after !== undefined && !isRecord(v.after))) return 'invalid before/after values';
  return undefined;
}

/** Newest first (by time, then by file order for entries of the same millisecond). */
export function newestFirst(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.map((e, i) => ({ e, i })).sort((a, b) => Date.parse(b.e.at) - Date.parse(a.e.at) || b.i - a.i).map(({ e }) => e);
}

export interface JournalFilter {
  /** Entries whose object or related object has this id. */
  objectId?: string;
  surface?: JournalSurface;
  /** Inclusive bounds, ISO times. */
  from?: string;
  to?: string;
}

export function filterEntries(entries: readonly JournalEntry[], filter: JournalFilter): JournalEntry[] {
  const id = filter.objectId?.toLowerCase();
  const from = filter.from ? Date.parse(filter.from) : -Infinity;
  const to = filter.to ? Date.parse(filter.to) : Infinity;
  return entries.filter((e) => {
    if (id && e.object.id.toLowerCase() !== id && e.related?.id.toLowerCase() !== id) return false;
    if (filter.surface && e.surface !== filter.surface) return false;
    const at = Date.parse(e.at);
    return at >= from && at <= to;
  });
}

/** The write that reverses an entry. `restoreGroup` reverses a delete (the restore write, where available). */
export type Inverse =
  | { action: 'addMember' | 'removeMember' | 'addOwner' | 'removeOwner'; group: JournalObject; target: JournalObject }
  | { action: 'updateGroup' | 'updateUser'; object: JournalObject; values: Record<string, JournalValue>; expected: Record<string, JournalValue> }
  | { action: 'restoreGroup'; group: JournalObject };

const OPPOSITE = { addMember: 'removeMember', removeMember: 'addMember', addOwner: 'removeOwner', removeOwner: 'addOwner' } as const;

/** Why an entry has no inverse; worded for people where it is shown (`historyText.ts`). */
export type NotUndoable = 'failed' | 'noRelated' | 'noBefore' | 'notReversible';

/**
 * The inverse of a done change, or why there is none. Updates are reversed to their `before` values (a field that
 * was unset is cleared: null); the current value is expected to be the entry's `after`.
 */
export function inverseOf(entry: JournalEntry): { inverse: Inverse } | { reason: NotUndoable } {
  if (entry.outcome === 'failed') return { reason: 'failed' };
  switch (entry.action) {
    case 'addMember':
    case 'removeMember':
    case 'addOwner':
    case 'removeOwner':
      if (!entry.related) return { reason: 'noRelated' };
      return { inverse: { action: OPPOSITE[entry.action], group: entry.object, target: entry.related } };
    case 'updateGroup':
    case 'updateUser': {
      if (!entry.before || !entry.after) return { reason: 'noBefore' };
      const values: Record<string, JournalValue> = {};
      for (const field of Object.keys(entry.after)) values[field] = entry.before[field] ?? null;
      return { inverse: { action: entry.action, object: entry.object, values, expected: entry.after } };
    }
    case 'deleteGroup':
      return { inverse: { action: 'restoreGroup', group: entry.object } };
    case 'createGroup':
    case 'setManager':
    case 'removeManager':
    case 'restoreGroup':
      return { reason: 'notReversible' };
  }
}

/** Whether two entries touch the same thing: the same object, and for membership and owners the same member too. */
function sameSubject(a: JournalEntry, b: JournalEntry): boolean {
  if (a.object.id.toLowerCase() !== b.object.id.toLowerCase()) return false;
  const relation = (e: JournalEntry): string => (e.action === 'addMember' || e.action === 'removeMember' ? 'members' : e.action === 'addOwner' || e.action === 'removeOwner' ? 'owners' : e.action);
  if (a.related || b.related) {
    if (relation(a) !== relation(b)) return b.action === 'deleteGroup' || b.action === 'restoreGroup';
    return a.related?.id.toLowerCase() === b.related?.id.toLowerCase();
  }
  if ((a.action === 'updateGroup' || a.action === 'updateUser') && a.action === b.action) {
    return Object.keys(a.after ?? {}).some((field) => field in (b.after ?? {}));
  }
  return true;
}

/**
 * Later entries (that may have changed something) touching what `entry` changed: an undo would overwrite them. A
 * later entry that is this entry's own undo counts too: it was undone already.
 */
export function newerChanges(entries: readonly JournalEntry[], entry: JournalEntry): JournalEntry[] {
  const at = Date.parse(entry.at);
  const index = entries.indexOf(entry);
  return entries.filter((e, i) => e !== entry && e.outcome !== 'failed' && (Date.parse(e.at) > at || (Date.parse(e.at) === at && index >= 0 && i > index)) && sameSubject(entry, e));
}

export { URI };
