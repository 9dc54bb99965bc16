import * as vscode from 'vscode';
import { quoted } from './markdown';
import { forMarkdown } from '../shared/text';

/**
 * "jobTitle → 'Lead', department → 'Ops'" and, when the current values are known, a second line with them,
 * so the person confirming sees exactly what changes. Property names and values are escaped.
 */
export function describeChanges(changes: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>> | undefined): { changes: string; before?: string } {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  const after = entries.map(([k, v]) => `${forMarkdown(k)} → ${quoted(v)}`).join(', ');
  if (!current) return { changes: after };
  const before = entries.map(([k]) => `${forMarkdown(k)} ${quoted(current[k])}`).join(', ');
  return { changes: after, before: vscode.l10n.t('Now: {0}.', before) };
}
