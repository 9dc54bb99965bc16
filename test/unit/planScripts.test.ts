/**
 * "Copy as…" for a membership plan: each script parses in its own language and carries exactly the plan's requests.
 * The bash script is run by a real bash with `az` replaced by a function that prints its arguments; the PowerShell
 * script is read by a tokenizer written from the language's quoting rules (no PowerShell on this machine); the `.http`
 * file is read by the REST Client format's rules. None may contain a token.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DirectoryObject, MembershipPlan } from '../../src/core';
import type { JournalEntry } from '../../src/shared/journal';
import { bashQuote, entrySteps, planScript, planSteps, powerShellQuote, script } from '../../src/shared/planScripts';

const BASE = 'https://graph.microsoft.com/v1.0';
const HOSTILE = [`it's`, `O’Brien ‘quoted’`, '$(touch /tmp/pwned) `whoami` $HOME ${x}', 'line\nbreak', 'a"b\\c', '', `'`, `''`, 'tab\there; rm -rf /'];

const user = (name: string): DirectoryObject => ({ id: randomUUID(), displayName: name, userPrincipalName: `${randomUUID().slice(0, 6)}@contoso.com` });

function samplePlan(adds = 23): MembershipPlan {
  return {
    groupId: randomUUID(),
    add: { members: Array.from({ length: adds }, (_, i) => user(HOSTILE[i % HOSTILE.length] ?? 'x')), owners: [user(`Owner's "name"`)] },
    remove: { members: [user('Leaver\r\n# not a comment'), user('$(id)')], owners: [user('Old owner')] },
    unresolved: [],
    unchanged: 3,
  };
}

/** What every script must carry: method, URL and parsed body of each request, in order. */
function expected(plan: MembershipPlan): Array<{ method: string; url: string; body?: unknown }> {
  return planSteps(plan, BASE).map((s) => ({ method: s.method, url: s.url, ...(s.body ? { body: s.body } : {}) }));
}

/** PowerShell tokens of one command line: bare words, and verbatim strings where '' (or a doubled typographic quote) is one quote. */
function powerShellWords(line: string): string[] {
  const quotes = new Set([`'`, '\u2018', '\u2019', '\u201A', '\u201B']);
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === ' ') {
      i++;
    } else if (quotes.has(ch)) {
      let word = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated string in: ${line}`);
        const c = line[i] as string;
        if (quotes.has(c)) {
          if (quotes.has(line[i + 1] ?? '')) {
            word += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        word += c;
        i++;
      }
      words.push(word);
    } else {
      let word = '';
      while (i < line.length && line[i] !== ' ') {
        if ('$`"(;|&'.includes(line[i] as string)) throw new Error(`an unquoted ${line[i]} would be interpreted: ${line}`);
        word += line[i];
        i++;
      }
      words.push(word);
    }
  }
  return words;
}

describe('plan as a script', () => {
  it('quotes any text so that the shell reads it back unchanged (bash, run for real)', () => {
    for (const text of HOSTILE) {
      const echoed = execFileSync('bash', ['-c', `printf '%s' ${bashQuote(text)}`], { encoding: 'utf8' });
      assert.equal(echoed, text);
    }
  });

  it('quotes any text so that PowerShell reads it back unchanged (verbatim strings)', () => {
    for (const text of HOSTILE) assert.deepEqual(powerShellWords(`Write-Output ${powerShellQuote(text)}`), ['Write-Output', text]);
  });

  it('az rest: bash runs the script, and each call carries the plan’s method, URL and JSON body', () => {
    const plan = samplePlan();
    const script = planScript('azcli', plan, BASE);
    const stub = `az() { printf '%s\\0' "$@"; printf '\\n\\0'; }\n`;
    const out = execFileSync('bash', ['-c', `${stub}${script.replace('#!/usr/bin/env bash\n', '')}`], { encoding: 'utf8' });
    const calls = out.split('\n\0').filter((c) => c !== '').map((c) => c.split('\0').filter((a) => a !== ''));
    const seen = calls.map((args) => {
      assert.equal(args[0], 'rest');
      const opt = (name: string): string | undefined => {
        const i = args.indexOf(name);
        return i < 0 ? undefined : args[i + 1];
      };
      const body = opt('--body');
      if (body !== undefined) assert.equal(opt('--headers'), 'Content-Type=application/json');
      return { method: (opt('--method') ?? '').toUpperCase(), url: opt('--url') ?? '', ...(body !== undefined ? { body: JSON.parse(body) as unknown } : {}) };
    });
    assert.deepEqual(seen, expected(plan));
    assert.equal(seen.filter((s) => s.method === 'PATCH').length, 2, '23 adds: two PATCHes of at most 20');
  });

  it('PowerShell: every command parses, and carries the plan’s method, URI and JSON body', () => {
    const plan = samplePlan();
    const commands = planScript('powershell', plan, BASE).split('\n').filter((l) => l.startsWith('Invoke-MgGraphRequest'));
    const seen = commands.map((line) => {
      const words = powerShellWords(line);
      const opt = (name: string): string | undefined => {
        const i = words.indexOf(name);
        return i < 0 ? undefined : words[i + 1];
      };
      const body = opt('-Body');
      return { method: opt('-Method') ?? '', url: opt('-Uri') ?? '', ...(body !== undefined ? { body: JSON.parse(body) as unknown } : {}) };
    });
    assert.deepEqual(seen, expected(plan));
    // Comments hold the names: each is one line, so a name cannot start a command.
    for (const line of planScript('powershell', plan, BASE).split('\n')) assert.ok(line === '' || line.startsWith('#') || line.startsWith('Invoke-MgGraphRequest') || line.startsWith('$ErrorActionPreference'), line);
  });

  it('.http: requests separated by ###, each with its method, URL, headers and a JSON body that parses', () => {
    const plan = samplePlan();
    const text = planScript('http', plan, BASE);
    const blocks = text.split(/^###$/m);
    const seen = blocks.map((block) => {
      // The first line that is neither blank, a comment nor a variable is the request line.
      const requestLine = block.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#') && !l.startsWith('@'));
      const [method, url] = (requestLine ?? '').split(' ');
      const headerEnd = block.indexOf('\n\n', block.indexOf(requestLine ?? ''));
      const headers = block.slice(block.indexOf(requestLine ?? ''), headerEnd < 0 ? undefined : headerEnd).split('\n').slice(1);
      assert.ok(headers.includes('Authorization: Bearer {{token}}'), 'the token is a variable');
      const bodyText = headerEnd < 0 ? '' : block.slice(headerEnd).trim();
      if (bodyText) assert.ok(headers.includes('Content-Type: application/json'));
      return { method: method ?? '', url: url ?? '', ...(bodyText ? { body: JSON.parse(bodyText) as unknown } : {}) };
    });
    assert.deepEqual(seen, expected(plan));
  });

  it('never contains a token, in any form', () => {
    const plan = samplePlan(3);
    for (const kind of ['http', 'powershell', 'azcli'] as const) {
      const script = planScript(kind, plan, BASE);
      assert.doesNotMatch(script, /eyJ[A-Za-z0-9_-]{10,}/, `${kind}: no JWT`);
      assert.doesNotMatch(script, /Bearer (?!\{\{token\}\})/, `${kind}: no bearer value`);
    }
  });
});

describe('a journal entry as a script', () => {
  const G = '6c000000-0000-4000-8000-00000000000a';
  const U = '6c000000-0000-4000-8000-00000000000b';
  const M = '6c000000-0000-4000-8000-00000000000c';
  const group = { id: G, kind: 'group' as const, name: `Ferry 'crew'` };
  const user = { id: U, kind: 'user' as const, name: '$(id) Eve' };
  const boss = { id: M, kind: 'user' as const, name: 'Boss' };
  const entry = (over: Partial<JournalEntry>): JournalEntry => ({
    v: 1, id: 'e1', at: '2026-12-07T10:00:00.000Z', who: { label: 'admin' }, surface: 'command', action: 'addMember', object: group, outcome: 'done', requests: [], ...over,
  });
  // Written from Microsoft Graph's v1.0 pages for each request, not from the code under test.
  const cases: Array<[string, JournalEntry, { method: string; url: string; body?: unknown }]> = [
    ['addMember', entry({ action: 'addMember', related: user }), { method: 'POST', url: `${BASE}/groups/${G}/members/$ref`, body: { '@odata.id': `${BASE}/directoryObjects/${U}` } }],
    ['removeMember', entry({ action: 'removeMember', related: user }), { method: 'DELETE', url: `${BASE}/groups/${G}/members/${U}/$ref` }],
    ['addOwner', entry({ action: 'addOwner', related: user }), { method: 'POST', url: `${BASE}/groups/${G}/owners/$ref`, body: { '@odata.id': `${BASE}/directoryObjects/${U}` } }],
    ['removeOwner', entry({ action: 'removeOwner', related: user }), { method: 'DELETE', url: `${BASE}/groups/${G}/owners/${U}/$ref` }],
    ['updateGroup', entry({ action: 'updateGroup', before: { description: 'old' }, after: { description: `new 'text'` } }), { method: 'PATCH', url: `${BASE}/groups/${G}`, body: { description: `new 'text'` } }],
    ['updateUser', entry({ action: 'updateUser', object: user, before: { jobTitle: null }, after: { jobTitle: 'Pilot' } }), { method: 'PATCH', url: `${BASE}/users/${U}`, body: { jobTitle: 'Pilot' } }],
    ['deleteGroup', entry({ action: 'deleteGroup' }), { method: 'DELETE', url: `${BASE}/groups/${G}` }],
    ['restoreGroup', entry({ action: 'restoreGroup' }), { method: 'POST', url: `${BASE}/directory/deletedItems/${G}/restore` }],
    ['setManager', entry({ action: 'setManager', object: user, related: boss }), { method: 'PUT', url: `${BASE}/users/${U}/manager/$ref`, body: { '@odata.id': `${BASE}/users/${M}` } }],
    ['removeManager', entry({ action: 'removeManager', object: user }), { method: 'DELETE', url: `${BASE}/users/${U}/manager/$ref` }],
  ];

  it('each action is its one request, as Microsoft Graph documents it', () => {
    for (const [action, e, want] of cases) {
      const steps = entrySteps(e, `${BASE}/`);
      assert.equal(steps?.length, 1, action);
      const [step] = steps ?? [];
      assert.deepEqual({ method: step?.method, url: step?.url, ...(step?.body ? { body: step.body } : {}) }, want, action);
    }
  });

  it('an entry without its member or its values cannot be scripted', () => {
    assert.equal(entrySteps(entry({ action: 'addMember', related: undefined }), BASE), undefined);
    assert.equal(entrySteps(entry({ action: 'updateUser', object: user }), BASE), undefined);
    assert.equal(entrySteps(entry({ action: 'createGroup', after: undefined }), BASE), undefined);
  });

  it('bash runs it with its hostile names in comments only, PowerShell reads it, and each asks for the permission it needs', () => {
    for (const [action, e, want] of cases) {
      const steps = entrySteps(e, BASE) ?? [];
      const bash = script('azcli', steps);
      const stub = `az() { printf '%s\\0' "$@"; printf '\\n\\0'; }\n`;
      const out = execFileSync('bash', ['-c', `${stub}${bash.replace('#!/usr/bin/env bash\n', '')}`], { encoding: 'utf8' });
      const args = (out.split('\n\0')[0] ?? '').split('\0').filter((a) => a !== '');
      assert.equal(args[args.indexOf('--method') + 1], want.method.toLowerCase(), action);
      assert.equal(args[args.indexOf('--url') + 1], want.url, action);
      const ps = script('powershell', steps).split('\n');
      const call = ps.find((l) => l.startsWith('Invoke-MgGraphRequest')) ?? '';
      const words = powerShellWords(call);
      assert.equal(words[words.indexOf('-Uri') + 1], want.url, action);
      if (want.body) assert.deepEqual(JSON.parse(words[words.indexOf('-Body') + 1] ?? ''), want.body, action);
      for (const line of ps) assert.ok(line === '' || line.startsWith('#') || line.startsWith('Invoke-MgGraphRequest') || line.startsWith('$ErrorActionPreference'), line);
    }
    // The permission in each header is the least privileged one Microsoft lists for the request.
    const scopesOf = (e: JournalEntry): string => /-Scopes (\S+)/.exec(script('powershell', entrySteps(e, BASE) ?? []))?.[1] ?? '';
    assert.equal(scopesOf(cases[0]![1]), 'GroupMember.ReadWrite.All');
    assert.equal(scopesOf(cases[2]![1]), 'Group.ReadWrite.All');
    assert.equal(scopesOf(cases[5]![1]), 'User.ReadWrite.All');
    assert.match(script('http', entrySteps(cases[8]![1], BASE) ?? []), /^# Set @token to an access token with User\.ReadWrite\.All /);
  });
});
