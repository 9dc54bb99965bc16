/**
 * Text from the model or the directory shown in confirmations. Display names are chosen by whoever
 * administers the tenant (or by the model), so they are rendered inert: no links, commands, HTML or layout.
 */

const MARKDOWN_SYNTAX = /[\\`*_{}[\]()#+\-.!<>|~&:"'=$@^%]/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;
// Bidirectional overrides and isolates can make text read differently from what it is ("exe.pdf").
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// eslint-disable-next-line no-control-regex
const OTHER_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** One visible line: line breaks shown as ⏎, tabs as spaces, bidi and other control characters as �. */
export function plainText(text: string): string {
  return text.replace(LINE_BREAKS, ' ⏎ ').replace(/\t/g, ' ').replace(BIDI_CONTROLS, '\uFFFD').replace(OTHER_CONTROLS, '\uFFFD');
}

/**
 * Literal text inside Markdown: every character Markdown (or an autolink) could act on is backslash-escaped,
 * line breaks cannot start a new block. Use for every value that came from the model or from Graph.
 */
export function escapeMarkdown(text: string): string {
  return plainText(text).replace(MARKDOWN_SYNTAX, '\\$&');
}

/** `**text**` with the text escaped. */
export function bold(text: string): string {
  return `**${escapeMarkdown(text)}**`;
}

/** A quoted value for "old → new" lines; long values are cut so the confirmation stays readable. */
export function quoted(value: unknown, limit = 200): string {
  if (value === undefined || value === null || value === '') return '*(empty)*';
  const text = Array.isArray(value) ? value.map(textOf).join(', ') : textOf(value);
  const cut = text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
  return `'${escapeMarkdown(cut)}'`;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
