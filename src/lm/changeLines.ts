import { forMarkdown } from '../shared/text';
import { quoted } from './markdown';

/**
 * One Markdown list line per changed property: `- jobTitle: 'Engineer' → 'Lead'`, so the person confirming sees the
 * exact change. The new value is shown whole (it is what will be written, bounded by the schema); the current one is
 * cut like every quoted value.
 */
export function changeLines(changes: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(changes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `- ${forMarkdown(k)}: ${quoted(current[k])} → ${quoted(v, Number.POSITIVE_INFINITY)}`);
}
