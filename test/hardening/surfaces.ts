/**
 * How each surface of the extension shows directory data, rendered in plain Node the way the editor renders it,
 * and the checks that a payload stayed literal text there.
 */
import { makeGroup, makeUser } from '../emulator/directory/factories';
import type { Emulator, GroupRecord, UserRecord } from '../emulator';
import { BIDI_CONTROL, LINE_BREAK, WORKBENCH_LINK, type Payload } from './payloads';

// markdown-it is a devDependency without type declarations: the little used here is typed by hand.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: { html: boolean; linkify: boolean }) => { render(markdown: string): string };

/** The editor's rendering of untrusted Markdown (hovers, tooltips): raw HTML shown as text, bare URLs linked. */
const untrusted = new MarkdownIt({ html: false, linkify: true });
/** Stricter than the editor: raw HTML kept. A confirmation must survive even this. */
const strict = new MarkdownIt({ html: true, linkify: true });

export function renderUntrusted(markdown: string): string {
  return untrusted.render(markdown);
}

export function renderStrict(markdown: string): string {
  return strict.render(markdown);
}

export interface MarkdownLike {
  value: string;
  isTrusted?: boolean | { enabledCommands: readonly string[] };
  supportHtml?: boolean;
  supportThemeIcons?: boolean;
}

function tagCounts(html: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of html.matchAll(/<([a-z][a-z0-9]*)\b/gi)) {
    const tag = (m[1] ?? '').toLowerCase();
    counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return counts;
}

/**
 * Problems with a Markdown rendering of data: the trust flags, then every element the rendering has beyond the
 * same surface rendered with a neutral value (`neutral`): a payload may change text, never structure.
 */
export function markdownProblems(md: MarkdownLike, neutral: MarkdownLike, render: (s: string) => string): string[] {
  const problems: string[] = [];
  if (md.isTrusted) problems.push('trusted Markdown');
  if (md.supportHtml) problems.push('supportHtml is on');
  if (md.supportThemeIcons) problems.push('theme icons are on');
  const html = render(md.value);
  const want = tagCounts(render(neutral.value));
  for (const [tag, n] of tagCounts(html)) {
    if (n > (want.get(tag) ?? 0)) {
      const at = html.search(new RegExp(`<${tag}\\b`, 'i'));
      problems.push(`adds <${tag}> (${html.slice(Math.max(0, at - 40), at + 80).replace(/\s+/g, ' ')})`);
    }
  }
  return problems;
}

/** Problems with text the workbench shows on one line and parses for links (notifications, progress). */
export function notificationProblems(text: string): string[] {
  const problems: string[] = [];
  const link = WORKBENCH_LINK.exec(text);
  if (link) problems.push(`a live link ${link[0].slice(0, 80)}`);
  if (BIDI_CONTROL.test(text)) problems.push('a bidi control');
  if (LINE_BREAK.test(text)) problems.push('a line break');
  return problems;
}

/** Characters nobody sees: format (Cf) characters other than the joiners scripts need, and controls. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /(?![\u200c\u200d])[\p{Cf}]|[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

/** Problems with a plain-text label (tree rows, quick-pick rows): one line, no bidi tricks, nothing invisible. */
export function labelProblems(text: string): string[] {
  const problems: string[] = [];
  if (LINE_BREAK.test(text)) problems.push('a line break');
  if (BIDI_CONTROL.test(text)) problems.push('a bidi control');
  if (INVISIBLE.test(text.replace(/\u200b(?=\()/g, ''))) problems.push('an invisible or control character');
  return problems;
}

/** Letters, digits and marks: what a reader sees of a value, to check that a surface kept the text itself. */
function visible(text: string): string {
  return text.replace(/[^\p{L}\p{N}\p{M}]/gu, '');
}

/**
 * Problems with a value a page shows as text: no bidi tricks or invisible characters (line breaks may stay), and
 * the readable part of the original kept (the page may cut a long value).
 */
export function webviewTextProblems(shown: string, original: string): string[] {
  const problems: string[] = [];
  if (BIDI_CONTROL.test(shown)) problems.push('a bidi control');
  if (INVISIBLE.test(shown)) problems.push('an invisible or control character');
  const kept = visible(shown.replace(/…$/, ''));
  if (!visible(original).startsWith(kept) || kept.length < Math.min(50, visible(original).length)) problems.push('the text itself was not kept');
  return problems;
}

/** The page of a panel showing the payload must equal the page showing a neutral value, nonces aside: no data in it. */
export function htmlProblems(html: string, neutralHtml: string): string[] {
  const normal = (h: string): string => h.replace(/nonce-[A-Za-z0-9+/=]+/g, 'nonce-N').replace(/nonce="[^"]*"/g, 'nonce="N"');
  return normal(html) === normal(neutralHtml) ? [] : ['the page differs from one showing a neutral value'];
}

/** The value the same surfaces are rendered with for comparison. */
export const NEUTRAL: Payload = { id: 'neutral', kind: 'unicode', value: 'Plain Value' };

/** A user and a group holding the payload in every text field the extension shows. */
export function seedPayload(emu: Emulator, payload: Payload, index: number): { user: UserRecord; group: GroupRecord } {
  const id = (n: number): string => `${(0x4a000000 + n).toString(16)}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
  const user = makeUser({
    id: id(1),
    userPrincipalName: `payload${index}@${emu.domain}`,
    displayName: payload.value,
    givenName: payload.value,
    surname: payload.value,
    jobTitle: payload.value,
    department: payload.value,
    officeLocation: payload.value,
    companyName: payload.value,
    city: payload.value,
    mail: `payload${index}@${emu.domain}`,
    mobilePhone: payload.value,
  });
  const group = makeGroup({ id: id(2), displayName: payload.value, description: payload.value, mailNickname: `payload${index}`, visibility: 'Private' });
  emu.state.addUser(user);
  emu.state.addGroup(group);
  emu.state.addMember(group.id, user.id);
  return { user, group };
}
