import * as vscode from 'vscode';
import { dataReply, truncate, type ToolReply } from './toolReply';
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
export function listReply<T>(items: readonly T[], max: number, wording: ListWording, toJson: (item: T) => unknown, extra: Record<string, unknown> = {}, total?: number): ToolReply {
  const { shown, more } = truncate(items, max);
  const data = shown.map(toJson);
  if (!more) return dataReply(wording.complete(shown.length), data, { count: shown.length, complete: true, ...extra });
  const raise = max < MAX_ITEMS_LIMIT ? vscode.l10n.t(' or raise maxItems (up to {0})', MAX_ITEMS_LIMIT) : '';
  const hint = `${wording.narrow}${raise}.`;
  if (total !== undefined && total > shown.length) {
    const left = total - shown.length;
    const text = `${wording.partial(shown.length)} ${vscode.l10n.t('{0} in all: {1} more not shown.', total, left)} ${hint}`;
    return dataReply(text, data, { count: shown.length, complete: false, moreExist: true, total, moreCount: left, hint, ...extra });
  }
  return dataReply(`${wording.partial(shown.length)} ${hint}`, data, { count: shown.length, complete: false, moreExist: true, hint, ...extra });
}

/** The total behind a shortened list, asked only when the list was cut; undefined when Graph cannot say. */
export async function totalIfCut(items: readonly unknown[], max: number, count: () => Promise<{ success: true; data: number } | { success: false }>): Promise<number | undefined> {
  if (items.length <= max) return undefined;
  const result = await count();
  return result.success ? result.data : undefined;
}
