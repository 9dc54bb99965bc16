import * as vscode from 'vscode';
import { ErrorCodes, isAlreadyMember, type DirectoryObject, type GraphClient, type Result } from './core';
import type { DirectoryWrites, WriteOptions } from './directoryWrites';
import { inverseOf, newerChanges, type Inverse, type JournalEntry, type JournalValue } from './shared/journal';
import { describeEntry, notUndoableText } from './historyText';
import { confirmModal, showGraphError, showInfo, showWarning } from './ui/feedback';

export interface UndoDeps {
  writes: Pick<DirectoryWrites, 'addMember' | 'removeMember' | 'addOwner' | 'removeOwner' | 'updateGroup' | 'updateUser' | 'restoreGroup'>;
  graph(): Pick<GraphClient, 'getGroup' | 'getProfile'>;
  /** The journal in file order (oldest first). */
  journal: { read(): Promise<JournalEntry[]> };
  log: Pick<vscode.LogOutputChannel, 'error' | 'show'>;
  confirm?: typeof confirmModal;
}

/** What undoing did: `undone`, or why nothing was written. */
export type UndoOutcome = 'undone' | 'declined' | 'notUndoable' | 'notFound' | 'failed' | 'nothingToDo';

const quoted = (o: { id: string; name?: string }): string => o.name ?? o.id;

/** The confirmation's question: what the undo will change, by name. */
function question(inverse: Inverse): string {
  switch (inverse.action) {
    case 'addMember':
      return vscode.l10n.t('Undo: add "{0}" back to "{1}"?', quoted(inverse.target), quoted(inverse.group));
    case 'removeMember':
      return vscode.l10n.t('Undo: remove "{0}" from "{1}"?', quoted(inverse.target), quoted(inverse.group));
    case 'addOwner':
      return vscode.l10n.t('Undo: make "{0}" an owner of "{1}" again?', quoted(inverse.target), quoted(inverse.group));
    case 'removeOwner':
      return vscode.l10n.t('Undo: remove "{0}" as an owner of "{1}"?', quoted(inverse.target), quoted(inverse.group));
    case 'updateGroup':
    case 'updateUser':
      return vscode.l10n.t('Undo: set {0} of "{1}" back?', Object.keys(inverse.values).join(', '), quoted(inverse.object));
    case 'restoreGroup':
      return vscode.l10n.t('Undo: restore the deleted group "{0}"?', quoted(inverse.group));
  }
}

const shown = (value: JournalValue | undefined): string => (value === undefined || value === null ? vscode.l10n.t('(empty)') : typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

/** The values an undo of an update writes, one line per field: "field: now → back to". */
function valueLines(inverse: Extract<Inverse, { values: unknown }>): string[] {
  return Object.entries(inverse.values).map(([field, value]) => `${field}: ${shown(inverse.expected[field])} → ${shown(value)}`);
}

/**
 * For an update, the fields whose value in the directory now is not what the change left (read first): an undo
 * would overwrite someone else's later change.
 */
async function changedSince(deps: UndoDeps, inverse: Extract<Inverse, { values: unknown }>): Promise<Result<string[]>> {
  const fields = Object.keys(inverse.values);
  const read: Result<DirectoryObject> = inverse.action === 'updateGroup'
    ? await deps.graph().getGroup(inverse.object.id)
    : await deps.graph().getProfile(inverse.object.id, { select: ['id', ...fields] });
  if (!read.success) return read;
  const now = read.data as Record<string, unknown>;
  return { success: true, data: fields.filter((f) => JSON.stringify(now[f] ?? null) !== JSON.stringify(inverse.expected[f] ?? null)) };
}

/**
 * Undoes a journal entry by its inverse write through the write path (journaled itself, surface "undo"), after a
 * confirmation that names what will change and, first, whether something changed it since: a later journal entry,
 * or (for an update) the directory's current value.
 */
export async function undoEntry(deps: UndoDeps, entryId: string): Promise<UndoOutcome> {
  const entries = await deps.journal.read();
  const entry = entries.find((e) => e.id === entryId);
  if (!entry) {
    void showWarning(vscode.l10n.t('That change is no longer in the history.'));
    return 'notFound';
  }
  const found = inverseOf(entry);
  if ('reason' in found) {
    void showInfo(notUndoableText(found.reason));
    return 'notUndoable';
  }
  const inverse = found.inverse;
  const warnings: string[] = [];
  const newer = newerChanges(entries, entry);
  const latest = newer[newer.length - 1];
  if (latest) warnings.push(vscode.l10n.t('Changed again since then ({0} later change(s), the latest: {1}, {2}). Undoing overwrites that.', String(newer.length), describeEntry(latest), new Date(latest.at).toLocaleString()));
  if (inverse.action === 'updateGroup' || inverse.action === 'updateUser') {
    const since = await changedSince(deps, inverse);
    if (!since.success) {
      showGraphError(deps.log, vscode.l10n.t('Could not read "{0}" before undoing', quoted(inverse.object)), since.error);
      return 'failed';
    }
    if (since.data.length) warnings.push(vscode.l10n.t('The directory now holds other values for {0} than this change left. Undoing overwrites them.', since.data.join(', ')));
    warnings.push(...valueLines(inverse));
  }
  const confirm = deps.confirm ?? confirmModal;
  if (!(await confirm(question(inverse), warnings.join('\n'), vscode.l10n.t('Undo'), vscode.l10n.t('Keep')))) return 'declined';
  const result = await write(deps, inverse, entry);
  if (!result.success) {
    const removal = inverse.action === 'removeMember' || inverse.action === 'removeOwner';
    if (isAlreadyMember(result.error) || (removal && result.error.code === ErrorCodes.notFound)) {
      void showInfo(vscode.l10n.t('Nothing to undo: the directory is already as before that change ({0}).', result.error.message));
      return 'nothingToDo';
    }
    showGraphError(deps.log, vscode.l10n.t('Could not undo "{0}"', describeEntry(entry)), result.error);
    return 'failed';
  }
  void showInfo(vscode.l10n.t('Undone: {0}.', describeEntry(entry)));
  return 'undone';
}

function write(deps: UndoDeps, inverse: Inverse, entry: JournalEntry): Promise<Result<unknown>> {
  const note = { surface: 'undo', undoOf: entry.id } as const;
  switch (inverse.action) {
    case 'addMember':
      return deps.writes.addMember({ id: inverse.group.id, ...named(inverse.group) }, { id: inverse.target.id, ...named(inverse.target), ...odataType(inverse.target.kind) }, note);
    case 'removeMember':
      return deps.writes.removeMember(inverse.group.id, inverse.target.id, { ...note, ...names(inverse.group, inverse.target) });
    case 'addOwner':
      return deps.writes.addOwner(inverse.group.id, { id: inverse.target.id, ...named(inverse.target), ...odataType(inverse.target.kind) }, { ...note, ...names(inverse.group) });
    case 'removeOwner':
      return deps.writes.removeOwner(inverse.group.id, inverse.target.id, { ...note, ...names(inverse.group, inverse.target) });
    case 'updateGroup':
      return deps.writes.updateGroup(inverse.object.id, inverse.values, { ...note, ...names(inverse.object), before: inverse.expected });
    case 'updateUser':
      return deps.writes.updateUser(inverse.object.id, inverse.values, { ...note, ...names(inverse.object), before: inverse.expected });
    case 'restoreGroup':
      return deps.writes.restoreGroup(inverse.group.id, { ...note, ...names(inverse.group) });
  }
}

const named = (o: { name?: string }): { displayName?: string } => (o.name ? { displayName: o.name } : {});
const names = (object: { name?: string }, related?: { name?: string }): Pick<WriteOptions, 'objectName' | 'relatedName'> => ({
  ...(object.name ? { objectName: object.name } : {}),
  ...(related?.name ? { relatedName: related.name } : {}),
});
const odataType = (kind: string): { '@odata.type'?: string } => (kind === 'user' || kind === 'group' ? { '@odata.type': `#microsoft.graph.${kind}` } : {});
