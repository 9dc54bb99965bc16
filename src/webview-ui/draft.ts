import { list, literal, record, text, type Check } from '../webviews/guard';
import { isDirectoryRef, MAX_MEMBERS, VIEW_KINDS, type DirectoryRef, type ViewKind } from '../webviews/protocol';
import type { Channel } from './channel';

/**
 * Unsaved input kept in the page state, because a hidden panel's page is discarded. A draft belongs to the
 * values it started from (its baseline): once the extension sends other values, the draft is stale.
 */
export interface Draft<T> {
  view: ViewKind;
  baseline: string;
  values: T;
  owners: DirectoryRef[];
  members: DirectoryRef[];
}

const people = list(isDirectoryRef, MAX_MEMBERS);

export function loadDraft<T>(channel: Channel, view: ViewKind, baseline: string, isValues: Check<T>): Draft<T> | undefined {
  const isDraft = record({ view: literal(...VIEW_KINDS), baseline: text(1024 * 1024), values: isValues, owners: people, members: people });
  const saved = channel.savedState();
  return isDraft(saved) && saved.view === view && saved.baseline === baseline ? saved : undefined;
}

export function saveDraft<T>(channel: Channel, draft: Draft<T>): void {
  channel.saveState(draft);
}

export function clearDraft(channel: Channel): void {
  channel.saveState(undefined);
}
