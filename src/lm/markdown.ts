/**
 * Markdown for chat confirmations, built from text the model or the directory supplied. Every value goes through
 * the text policy's `forMarkdown`, so names cannot add links, commands, HTML or layout.
 */
import { clip, forMarkdown, QUOTE_LIMIT } from '../shared/text';

/** `**text**` with the text escaped. */
export function bold(text: string): string {
  return `**${forMarkdown(text)}**`;
}

/** A quoted value for "old → new" lines; long values are cut so the confirmation stays readable. */
export function quoted(value: unknown, limit = QUOTE_LIMIT): string {
  if (value === undefined || value === null || value === '') return '*(empty)*';
  const text = Array.isArray(value) ? value.map(textOf).join(', ') : textOf(value);
  return `'${forMarkdown(clip(text, limit))}'`;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
