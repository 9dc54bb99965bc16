/**
 * The text policy: what each surface may show of text that came from the directory (or from Graph, or from a
 * chat model). Anyone in the tenant can set a display name, a job title or a description, so every such value
 * passes through one of the functions below before it reaches a tree row, a quick pick, a notification, a modal,
 * a webview, a chat confirmation, a tool result or a CSV file. Editor-free, so every surface and every test
 * applies exactly the same rules.
 */

/** Line and paragraph breaks, including the Unicode ones a one-line surface would still break on. */
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /\r\n|[\r\n\u000b\u000c\u2028\u2029\u0085]/g;
const TABS = /\t/g;
/** Overrides, embeddings, isolates and marks make text read differently from what it is ("Invoice \u202Efdp.exe"). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// eslint-disable-next-line no-control-regex
const OTHER_CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
/**
 * Invisible format characters (Unicode category Cf: zero-width space, word joiner, soft hyphen, BOM, the
 * U+E0000–E007F tag characters that can smuggle hidden instructions to a model…). The joiners U+200C/U+200D stay:
 * Persian, Indic scripts and emoji sequences need them to read right, and they carry no hidden text.
 */
const INVISIBLE_FORMAT = /(?![\u200c\u200d])[\p{Cf}]/gu;
/** What stands in for a removed control: visible, so a reader sees that something was there. */
const REPLACEMENT = '\uFFFD';
/** A zero-width space: breaks a syntax the surface would act on while the text reads the same. */
const ZWSP = '\u200B';

/** Longest name a message or a row shows; longer ones end in "…". */
export const NAME_LIMIT = 120;
/** Longest single value a tree row or a quick pick shows. */
export const LABEL_LIMIT = 256;
/** Longest value posted to a webview (the protocol's bound). */
export const WEBVIEW_LIMIT = 1000;
/** Longest value a chat confirmation quotes. */
export const QUOTE_LIMIT = 200;

/** Cuts text to `max` characters, the last being "…"; never splits a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Cuts text to `max` characters as a reader counts them (code points: an emoji is one), the last being "…". */
export function clipCharacters(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * The base of every one-line surface: line breaks and tabs become spaces, bidi and other controls become �,
 * invisible format characters are removed.
 */
export function plainText(text: string): string {
  return text
    .replace(LINE_BREAKS, ' ')
    .replace(TABS, ' ')
    .replace(BIDI_CONTROLS, REPLACEMENT)
    .replace(OTHER_CONTROLS, REPLACEMENT)
    .replace(INVISIBLE_FORMAT, '');
}

/** Like {@link plainText} but keeps line breaks (as `\n`): for multi-line surfaces such as a webview's description. */
export function plainMultiline(text: string): string {
  return text
    .split(LINE_BREAKS)
    .map((line) => line.replace(TABS, ' ').replace(BIDI_CONTROLS, REPLACEMENT).replace(OTHER_CONTROLS, REPLACEMENT).replace(INVISIBLE_FORMAT, ''))
    .join('\n');
}

/** Tree row label, description or plain tooltip line: one line, bounded. */
export function forTreeLabel(text: string | null | undefined, fallback = ''): string {
  const plain = plainText(text ?? '').trim();
  return clip(plain || fallback, LABEL_LIMIT);
}

/** Quick-pick row text: also `$(name)`, which a quick pick renders as an icon, kept literal. */
export function forQuickPick(text: string | null | undefined, fallback = ''): string {
  return forTreeLabel(text, fallback).replace(/\$\(/g, `$${ZWSP}(`);
}

/**
 * Notification and modal text. The workbench turns `[label](https:…|command:…)` in a message into a live link, a
 * command link included: a zero-width space between `]` and `(` keeps the text as it reads but no longer a link.
 * Applied to the whole composed message, so every interpolated part (names, codes, request ids) is covered.
 */
export function forNotification(text: string): string {
  return plainText(text).replace(/\]\s*\(/g, `]${ZWSP}(`);
}

/** A modal's detail: {@link forNotification}'s rules, but its line breaks kept (a modal shows them, one fact a line). */
export function forModalDetail(text: string): string {
  return plainMultiline(text).replace(/\]\s*\(/g, `]${ZWSP}(`);
}

/** Every character Markdown (or an autolink) could act on. */
const MARKDOWN_SYNTAX = /[\\`*_{}[\]()#+\-.!<>|~&:"'=$@^%]/g;

/**
 * Literal text inside Markdown (tooltips, chat confirmations): one line, every Markdown character escaped so no
 * link, image, HTML, heading or list can start, and no URL or address is auto-linked.
 */
export function forMarkdown(text: string): string {
  return plainText(text).replace(MARKDOWN_SYNTAX, '\\$&');
}

/** Text posted to a webview (rendered there with `textContent`): controls neutralised, line breaks kept, bounded. */
export function forWebview(text: string | null | undefined, max = WEBVIEW_LIMIT): string {
  return clip(plainMultiline(text ?? ''), max);
}

/**
 * Directory text inside a tool result the model reads: no invisible or tag characters (a classic way to hide
 * instructions), no controls; line breaks kept so multi-line values stay readable.
 */
export function forModel(text: string): string {
  return plainMultiline(text);
}

/** A name for messages and rows: display name, else UPN, else id; plain, one line, bounded. */
export function nameOf(o: { id: string; displayName?: string | null; userPrincipalName?: unknown }, max = NAME_LIMIT): string {
  const upn = typeof o.userPrincipalName === 'string' ? o.userPrincipalName : '';
  const text = plainText(o.displayName || upn || o.id).trim();
  return clip(text || o.id, max);
}

/** Fills `{0}`, `{1}`… in a template localized on the host (the webviews have no `vscode.l10n`); the result is still only text. */
export function format(template: string, ...args: string[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}
