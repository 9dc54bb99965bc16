/**
 * Desired-state group files (`*.entra-group.json`, JSON with comments): which group, and who its members and owners
 * should be. Read with every entry's position (for diagnostics) and written in one canonical form (sorted, a name as
 * a trailing comment), the same form the Plan diff shows the current membership in.
 */
import type { DirectoryObject, Group } from '../core';
import { nameOf } from './text';

import { DESIRED_STATE_SUFFIX } from './desiredStateSuffix';

export { DESIRED_STATE_SUFFIX, isDesiredStatePath } from './desiredStateSuffix';

/** A string in the file and where it stands (offset and length of the literal, quotes included). */
export interface Located {
  value: string;
  offset: number;
  length: number;
}

export interface FileProblem {
  offset: number;
  length: number;
  message: string;
}

export interface DesiredStateFile {
  groupId?: Located;
  displayName?: Located;
  /** Undefined when the file leaves the list unmanaged. */
  members?: Located[];
  owners?: Located[];
  problems: FileProblem[];
}

type Node =
  | { type: 'object'; offset: number; length: number; props: Array<{ key: Located; value: Node }> }
  | { type: 'array'; offset: number; length: number; items: Node[] }
  | { type: 'string'; offset: number; length: number; value: string }
  | { type: 'other'; offset: number; length: number };

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A small JSONC reader: comments and trailing commas allowed, as VS Code's `jsonc` language allows them. */
function parseJsonc(text: string): Node {
  let i = 0;
  const skip = (): void => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i] as string)) i++;
      if (text.startsWith('//', i)) {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) throw new SyntaxProblem('A comment is not closed (*/ missing).', i);
        i = end + 2;
      } else return;
    }
  };
  const value = (): Node => {
    skip();
    const start = i;
    const ch = text[i];
    if (ch === '{') {
      i++;
      const props: Array<{ key: Located; value: Node }> = [];
      for (;;) {
        skip();
        if (text[i] === '}') break;
        const key = value();
        if (key.type !== 'string') throw new SyntaxProblem('A property name in quotes is expected here.', key.offset);
        skip();
        if (text[i] !== ':') throw new SyntaxProblem('":" is expected after a property name.', i);
        i++;
        props.push({ key: { value: key.value, offset: key.offset, length: key.length }, value: value() });
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') throw new SyntaxProblem('"," or "}" is expected here.', i);
      }
      i++;
      return { type: 'object', offset: start, length: i - start, props };
    }
    if (ch === '[') {
      i++;
      const items: Node[] = [];
      for (;;) {
        skip();
        if (text[i] === ']') break;
        items.push(value());
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') throw new SyntaxProblem('"," or "]" is expected here.', i);
      }
      i++;
      return { type: 'array', offset: start, length: i - start, items };
    }
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\n') throw new SyntaxProblem('A string is not closed on its line.', start);
        i += text[i] === '\\' ? 2 : 1;
      }
      if (i >= text.length) throw new SyntaxProblem('A string is not closed.', start);
      i++;
      try {
        return { type: 'string', offset: start, length: i - start, value: JSON.parse(text.slice(start, i)) as string };
      } catch {
        throw new SyntaxProblem('This string has an invalid escape.', start);
      }
    }
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!literal) throw new SyntaxProblem(i >= text.length ? 'The file ends too early.' : 'A value is expected here.', i);
    i += literal[0].length;
    return { type: 'other', offset: start, length: i - start };
  };
  const root = value();
  skip();
  if (i < text.length) throw new SyntaxProblem('Nothing may follow the closing "}".', i);
  return root;
}

export function parseDesiredState(text: string): DesiredStateFile {
  const file: DesiredStateFile = { problems: [] };
  let root: Node;
  try {
    root = parseJsonc(text);
  } catch (e) {
    const offset = e instanceof SyntaxProblem ? e.offset : 0;
    file.problems.push({ offset, length: 1, message: e instanceof Error ? e.message : String(e) });
    return file;
  }
  if (root.type !== 'object') {
    file.problems.push({ offset: root.offset, length: root.length, message: 'The file must hold one object with "group", and "members" and/or "owners".' });
    return file;
  }
  const problem = (n: { offset: number; length: number }, message: string): void => {
    file.problems.push({ offset: n.offset, length: n.length, message });
  };
  for (const { key, value } of root.props) {
    if (key.value === 'group') {
      if (value.type !== 'object') {
        problem(value, '"group" must be an object with the group\'s "id".');
        continue;
      }
      for (const p of value.props) {
        if (p.key.value !== 'id' && p.key.value !== 'displayName') problem(p.key, `"group" has no property "${p.key.value}"; only "id" and "displayName".`);
        else if (p.value.type !== 'string') problem(p.value, `"group.${p.key.value}" must be text.`);
        else file[p.key.value === 'id' ? 'groupId' : 'displayName'] = { value: p.value.value, offset: p.value.offset, length: p.value.length };
      }
      if (!file.groupId) problem(value, '"group" needs the group\'s "id".');
    } else if (key.value === 'members' || key.value === 'owners') {
      if (value.type !== 'array') {
        problem(value, `"${key.value}" must be a list of user principal names or object ids.`);
        continue;
      }
      const list: Located[] = [];
      for (const item of value.items) {
        if (item.type === 'string') list.push({ value: item.value, offset: item.offset, length: item.length });
        else problem(item, `Each entry of "${key.value}" must be a user principal name or an object id, in quotes.`);
      }
      file[key.value] = list;
    } else {
      problem(key, `Unknown property "${key.value}": a desired-state file has "group", "members" and "owners".`);
    }
  }
  if (!file.groupId && !root.props.some((p) => p.key.value === 'group')) problem({ offset: root.offset, length: 1 }, 'The file needs "group" with the group\'s "id".');
  return file;
}

/** How the canonical form names an object: a user by UPN, anything else by id. */
export function entryOf(o: DirectoryObject): string {
  return typeof o.userPrincipalName === 'string' && o.userPrincipalName !== '' ? o.userPrincipalName : o.id;
}

/** Entries naming the same thing as an earlier one (case-insensitive, as Graph compares ids and UPNs). */
export function duplicates(entries: readonly Located[]): Located[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = e.value.trim().toLowerCase();
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
}

/**
 * The canonical file: the group, then each given list sorted by entry, each entry followed by the object's name as a
 * comment. A list left out (undefined) is left out of the file, and so stays unmanaged.
 */
export function renderDesiredState(group: Pick<Group, 'id' | 'displayName'>, lists: { members?: readonly DirectoryObject[]; owners?: readonly DirectoryObject[] }): string {
  const lines = ['{', `  "group": { "id": ${JSON.stringify(group.id)}, "displayName": ${JSON.stringify(group.displayName ?? '')} },`];
  const present = (['members', 'owners'] as const).filter((list) => lists[list] !== undefined);
  present.forEach((list, n) => {
    const objects = [...(lists[list] ?? [])].map((o) => ({ entry: entryOf(o), name: nameOf(o, 120) })).sort((a, b) => compare(a.entry, b.entry));
    const close = n === present.length - 1 ? ']' : '],';
    if (objects.length === 0) {
      lines.push(`  "${list}": [${close}`);
      return;
    }
    lines.push(`  "${list}": [`);
    objects.forEach((o, i) => {
      const comma = i === objects.length - 1 ? '' : ',';
      const comment = o.name !== o.entry ? ` // ${o.name}` : '';
      lines.push(`    ${JSON.stringify(o.entry)}${comma}${comment}`);
    });
    lines.push(`  ${close}`);
  });
  if (present.length === 0) lines[1] = (lines[1] ?? '').replace(/,$/, '');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function compare(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A file name for a group: its name made safe for any file system, then the suffix. */
export function desiredStateFileName(group: Pick<Group, 'id' | 'displayName'>): string {
  const base = (group.displayName ?? '')
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${base || group.id}${DESIRED_STATE_SUFFIX}`;
}
