import * as vscode from 'vscode';
import { okReply, truncate, type ToolReply } from './toolReply';
import { MAX_ITEMS_LIMIT } from './toolTypes';

export interface ListWording {
  /** e.g. "Found {0} users." */
  complete: (count: number) => string;
  /** e.g. "Showing the first {0} users; more exist." */
  partial: (count: number) => string;
  /** How to narrow the list, when it was cut. */
  narrow: string;
}

/**
 * A list reply that never passes a cut list off as complete. `items` holds up to `max + 1` entries:
 * the extra one only tells that the list goes on.
 */
export function listReply<T>(items: readonly T[], max: number, wording: ListWording, toJson: (item: T) => unknown, extra: Record<string, unknown> = {}): ToolReply {
  const { shown, more } = truncate(items, max);
  const data = shown.map(toJson);
  if (!more) return okReply(wording.complete(shown.length), data, { count: shown.length, complete: true, ...extra });
  const raise = max < MAX_ITEMS_LIMIT ? vscode.l10n.t(' or raise maxItems (up to {0})', MAX_ITEMS_LIMIT) : '';
  const hint = `${wording.narrow}${raise}.`;
  return okReply(`${wording.partial(shown.length)} ${hint}`, data, { count: shown.length, complete: false, moreExist: true, hint, ...extra });
}
