import * as vscode from 'vscode';
import { forTreeLabel, plainText } from './shared/text';
import type { JournalEntry, JournalSurface, NotUndoable } from './shared/journal';

/** How the History view and messages name an object of an entry: its name at the time, else its id. */
const nameIn = (o: { id: string; name?: string } | undefined): string => (o ? forTreeLabel(o.name, o.id) : '');

/** One line saying what the entry changed, in the user's words; directory text through the text policy. */
export function describeEntry(entry: JournalEntry): string {
  const object = nameIn(entry.object);
  const related = nameIn(entry.related);
  const fields = Object.keys(entry.after ?? {}).join(', ');
  switch (entry.action) {
    case 'addMember':
      return vscode.l10n.t('Added "{0}" to "{1}"', related, object);
    case 'removeMember':
      return vscode.l10n.t('Removed "{0}" from "{1}"', related, object);
    case 'addOwner':
      return vscode.l10n.t('Made "{0}" an owner of "{1}"', related, object);
    case 'removeOwner':
      return vscode.l10n.t('Removed "{0}" as an owner of "{1}"', related, object);
    case 'updateGroup':
      return vscode.l10n.t('Changed {0} of the group "{1}"', fields, object);
    case 'updateUser':
      return vscode.l10n.t('Changed {0} of the user "{1}"', fields, object);
    case 'createGroup':
      return vscode.l10n.t('Created the group "{0}"', object);
    case 'deleteGroup':
      return vscode.l10n.t('Deleted the group "{0}"', object);
    case 'restoreGroup':
      return vscode.l10n.t('Restored the group "{0}"', object);
    case 'setManager':
      return vscode.l10n.t('Made "{0}" the manager of "{1}"', related, object);
    case 'removeManager':
      return vscode.l10n.t('Cleared the manager of "{0}"', object);
  }
}

export function surfaceLabel(surface: JournalSurface): string {
  switch (surface) {
    case 'form':
      return vscode.l10n.t('page or form');
    case 'command':
      return vscode.l10n.t('command');
    case 'chat':
      return vscode.l10n.t('chat tool');
    case 'apply':
      return vscode.l10n.t('desired-state Apply');
    case 'undo':
      return vscode.l10n.t('undo');
  }
}

/** Why an entry cannot be undone, in the user's words. */
export function notUndoableText(reason: NotUndoable): string {
  switch (reason) {
    case 'failed':
      return vscode.l10n.t('The change failed: nothing was changed, so there is nothing to undo.');
    case 'noRelated':
      return vscode.l10n.t('The entry does not name the member or owner.');
    case 'noBefore':
      return vscode.l10n.t('The entry does not record the values before the change.');
    case 'notReversible':
      return vscode.l10n.t('This kind of change cannot be undone from the history.');
  }
}

export function outcomeLabel(entry: JournalEntry): string {
  switch (entry.outcome) {
    case 'done':
      return vscode.l10n.t('done');
    case 'failed':
      return entry.error?.code ? vscode.l10n.t('failed ({0})', entry.error.code) : vscode.l10n.t('failed');
    case 'unknown':
      return entry.error?.code ? vscode.l10n.t('outcome unknown ({0})', entry.error.code) : vscode.l10n.t('outcome unknown');
  }
}

/** The History row's label: what changed, with the outcome in front when it was not done. */
export function entryLabel(entry: JournalEntry): string {
  const what = describeEntry(entry);
  return forTreeLabel(entry.outcome === 'done' ? what : `${outcomeLabel(entry)}: ${what}`);
}

/**
 * An entry's details as a read-only document: a summary, then the whole record as JSON with every string through the
 * text policy (no control or bidi characters reach the editor).
 */
export function entryDetails(entry: JournalEntry): string {
  const lines = [
    `// ${describeEntry(entry)}`,
    `// ${vscode.l10n.t('When: {0}', new Date(entry.at).toLocaleString())}`,
    `// ${vscode.l10n.t('Who: {0}', plainText(entry.who.label))}`,
    `// ${vscode.l10n.t('From: {0}', surfaceLabel(entry.surface))}`,
    `// ${vscode.l10n.t('Outcome: {0}', outcomeLabel(entry))}`,
    '',
    JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'string' ? plainText(value) : value), 2),
    '',
  ];
  return lines.join('\n');
}

export const EXPORT_HEADER = ['time', 'who', 'surface', 'action', 'objectKind', 'objectId', 'objectName', 'relatedId', 'relatedName', 'before', 'after', 'outcome', 'errorCode', 'requestIds', 'undoOf', 'entryId'] as const;

/** One CSV row per entry, in {@link EXPORT_HEADER}'s order (the CSV policy in src/shared/csv.ts quotes and marks). */
export function exportRow(entry: JournalEntry): unknown[] {
  return [
    entry.at, entry.who.label, entry.surface, entry.action, entry.object.kind, entry.object.id, entry.object.name, entry.related?.id, entry.related?.name,
    entry.before, entry.after, entry.outcome, entry.error?.code, entry.requests.map((r) => r.requestId ?? r.clientRequestId).filter(Boolean), entry.undoOf, entry.id,
  ];
}
