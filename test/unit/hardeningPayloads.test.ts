/**
 * Hostile directory data (test/hardening/payloads.ts) on every surface that shows it, checked in plain Node:
 * tree rows and tooltips, Language Model tool confirmations, CSV export, webview pages, notifications and quick picks.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { toCsv } from '../../src/shared/csv';
import { forNotification, nameOf } from '../../src/shared/text';
import * as groupCommands from '../../src/commands/groupCommands';
import { groupItem, userItem } from '../../src/commands/pickers';
import type { CommandDeps } from '../../src/commands/types';
import { GroupNode, UserNode } from '../../src/tree/nodes';
import { isExtensionMessage, type ExtensionMessage, type UserFormValues } from '../../src/webviews/protocol';
import { startEmulator, type Emulator, type GroupRecord, type UserRecord } from '../emulator';
import { FORMULA_START, PAYLOADS, type Payload } from '../hardening/payloads';
import { htmlProblems, labelProblems, markdownProblems, NEUTRAL, notificationProblems, renderStrict, renderUntrusted, seedPayload, webviewTextProblems, type MarkdownLike } from '../hardening/surfaces';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';
import { emulatorClient, makeHarness, prepare, type Harness } from './lmHarness';

const seeded: Array<{ payload: Payload; user: UserRecord; group: GroupRecord }> = [];
let neutral: { user: UserRecord; group: GroupRecord };
let emu: Emulator;

before(async () => {
  emu = await startEmulator({ users: 10, groups: 4, adversarial: false });
  PAYLOADS.forEach((payload, i) => seeded.push({ payload, ...seedPayload(emu, payload, i) }));
  neutral = seedPayload(emu, NEUTRAL, 0xfff);
});
after(() => emu.close());
afterEach(() => {
  for (const p of vscode.webviewPanels.splice(0)) p.dispose();
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

/** Runs `check` for every payload and fails once, listing each payload that showed a problem. */
async function everyPayload(check: (s: (typeof seeded)[number]) => string[] | Promise<string[]>): Promise<void> {
  const failures: string[] = [];
  for (const s of seeded) {
    const problems = await check(s);
    if (problems.length) failures.push(`${s.payload.id}: ${problems.join('; ')}`);
  }
  assert.deepEqual(failures, []);
}

describe('hostile payloads: the library', () => {
  it('holds at least 40 payloads of every kind, each with a unique id', () => {
    assert.ok(PAYLOADS.length >= 40, `${PAYLOADS.length} payloads`);
    assert.equal(new Set(PAYLOADS.map((p) => p.id)).size, PAYLOADS.length);
    const kinds = new Set(PAYLOADS.map((p) => p.kind));
    for (const kind of ['html', 'attribute', 'url', 'css', 'markdown', 'link', 'bidi', 'control', 'long', 'formula']) assert.ok(kinds.has(kind as Payload['kind']), kind);
  });
});

describe('hostile payloads: tree rows', () => {
  const tree = { userChildren: () => [], groupChildren: () => [] };
  const labelOf = (item: { label?: string | { label: string } }): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
  const tooltipOf = (item: { tooltip?: unknown }): MarkdownLike | undefined => (item.tooltip instanceof vscode.MarkdownString ? item.tooltip : undefined);

  /** Label, command, accessible name and tooltip of a row, against the same row showing a neutral value. */
  function rowProblems(item: ReturnType<UserNode['getTreeItem']>, plain: ReturnType<UserNode['getTreeItem']>): string[] {
    const tooltip = tooltipOf(item);
    const plainTooltip = tooltipOf(plain);
    return [
      ...labelProblems(labelOf(item)).map((p) => `label: ${p}`),
      // A row may open its own page on click; the payload must not change which command runs or what it is given.
      ...(item.command?.command !== plain.command?.command ? [`the row runs ${item.command?.command ?? 'no command'}`] : []),
      ...((item.command?.arguments ?? []).some((a) => typeof a === 'string') ? ['the command is given text from the row'] : []),
      ...labelProblems(item.accessibilityInformation?.label ?? '').map((p) => `accessible name: ${p}`),
      ...(tooltip && plainTooltip ? markdownProblems(tooltip, plainTooltip, renderUntrusted).map((p) => `tooltip: ${p}`) : ['the tooltip is not Markdown']),
    ];
  }

  it('show a user as a one-line label and an untrusted tooltip without links or markup', async () => {
    const plain = new UserNode(undefined, { ...neutral.user }, tree).getTreeItem();
    await everyPayload(({ user }) => rowProblems(new UserNode(undefined, { ...user }, tree).getTreeItem(), plain));
  });

  it('show a group the same way', async () => {
    const plain = new GroupNode(undefined, { ...neutral.group }, tree).getTreeItem();
    await everyPayload(({ group }) => rowProblems(new GroupNode(undefined, { ...group }, tree).getTreeItem(), plain));
  });
});

describe('hostile payloads: Language Model tool confirmations', () => {
  let h: Harness;
  before(() => {
    const client = emulatorClient(emu);
    h = makeHarness(() => client);
  });

  function markdownOf(prepared: Awaited<ReturnType<typeof prepare>>): MarkdownLike | undefined {
    const md = prepared.confirmationMessages?.message;
    return md === undefined ? undefined : typeof md === 'string' ? { value: md } : md;
  }

  /** Prepares each write tool on the payload's objects (and with the payload as the model's input). */
  async function confirmations(user: UserRecord, group: GroupRecord, value: string): Promise<Array<[string, Awaited<ReturnType<typeof prepare>>]>> {
    const short = (n: number): string => (value.trim() === '' ? 'x' : value.slice(0, n));
    const cases: Array<[string, Parameters<typeof prepare>[1], unknown]> = [
      ['delete', 'entra_delete_group', { groupId: group.id }],
      ['add', 'entra_add_member_to_group', { groupId: group.id, memberId: user.id }],
      ['remove', 'entra_remove_member_from_group', { groupId: group.id, memberId: user.userPrincipalName }],
      ['update group', 'entra_update_group', { groupId: group.id, changes: { displayName: short(256), description: value.slice(0, 1024) } }],
      ['update user', 'entra_update_user', { userId: user.id, changes: { jobTitle: short(128), department: short(64) } }],
      ['create', 'entra_create_group', { displayName: short(256), kind: 'security', mailNickname: 'safe-nickname', description: value.slice(0, 1024), memberIds: [user.id] }],
    ];
    const out: Array<[string, Awaited<ReturnType<typeof prepare>>]> = [];
    for (const [what, tool, input] of cases) out.push([what, await prepare(h, tool, input)]);
    return out;
  }

  it('name directory objects and model input inertly when confirming deletes, member changes and updates', async () => {
    const plain = new Map(await confirmations(neutral.user, neutral.group, NEUTRAL.value));
    await everyPayload(async ({ user, group, payload }) => {
      const problems: string[] = [];
      for (const [what, prepared] of await confirmations(user, group, payload.value)) {
        const md = markdownOf(prepared);
        const base = markdownOf(plain.get(what) ?? {});
        if (!md || !base) {
          problems.push(`${what}: no confirmation`);
          continue;
        }
        const invocation = prepared.invocationMessage ?? '';
        problems.push(
          ...markdownProblems(md, base, renderStrict).map((p) => `${what}: ${p}`),
          ...(/[\u202A-\u202E\u2066-\u2069]/.test(md.value) ? [`${what}: a bidi control`] : []),
          ...notificationProblems(invocation).filter((p) => !p.startsWith('a live link')).map((p) => `${what}, invocation message: ${p}`),
        );
      }
      return problems;
    });
  });
});

describe('hostile payloads: CSV export', () => {
  /** RFC 4180 as spreadsheets read it. */
  function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        row.push(cell);
        cell = '';
      } else if (c === '\r' && text[i + 1] === '\n') {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = '';
        i++;
      } else cell += c;
    }
    return rows;
  }

  it('keeps rows and columns, and starts no cell with a formula', async () => {
    await everyPayload(({ payload, group }) => {
      const csv = toCsv(['id', 'displayName', 'description', 'groupTypes'], [[group.id, payload.value, payload.value, [payload.value, 'Unified']]]);
      const rows = parseCsv(csv);
      const problems: string[] = [];
      if (rows.length !== 2 || rows.some((r) => r.length !== 4)) problems.push(`shape ${rows.map((r) => r.length).join('/')}`);
      for (const cell of rows[1] ?? []) {
        if (FORMULA_START.test(cell)) problems.push(`a cell starts a formula: ${JSON.stringify(cell.slice(0, 30))}`);
      }
      const shown = rows[1]?.[1] ?? '';
      if (shown !== payload.value && shown !== `'${payload.value}`) problems.push('the value changed');
      return problems;
    });
  });
});

describe('hostile payloads: webview pages', () => {
  const loaded = (m: unknown): m is Extract<ExtensionMessage, { type: 'init' }> => isExtensionMessage(m) && m.type === 'init' && !m.state.loading;

  async function open(show: () => void): Promise<{ panel: vscode.FakeWebviewPanel; state: Extract<ExtensionMessage, { type: 'init' }>['state'] }> {
    show();
    const panel = vscode.webviewPanels.at(-1);
    assert.ok(panel);
    panel.receive({ type: 'ready' });
    const init = await panel.waitFor(loaded);
    return { panel, state: init.state };
  }

  it('carry no directory data in their HTML: it arrives as checked messages and is set as text', async () => {
    const services = emulatorServices(emu);
    const plainPage = new Map<string, string>([
      ['profile', (await open(() => panelsOf(services).showProfile(neutral.user.id))).panel.webview.html],
      ['user form', (await open(() => panelsOf(services).editUser(neutral.user.id))).panel.webview.html],
      ['group form', (await open(() => panelsOf(services).editGroup(neutral.group.id))).panel.webview.html],
    ]);
    await everyPayload(async ({ user, group, payload }) => {
      const problems: string[] = [];
      const profile = await open(() => panelsOf(services).showProfile(user.id));
      const pages: Array<[string, Awaited<ReturnType<typeof open>>]> = [['profile', profile]];
      // The forms post values as they are (to edit them); values over Graph's own limits are out of their reach.
      if (payload.kind !== 'long') {
        pages.push(['user form', await open(() => panelsOf(services).editUser(user.id))], ['group form', await open(() => panelsOf(services).editGroup(group.id))]);
      }
      for (const [name, { panel, state }] of pages) {
        for (const p of htmlProblems(panel.webview.html, plainPage.get(name) ?? '')) problems.push(`${name}: ${p}`);
        if (!/default-src 'none'/.test(panel.webview.html) || /unsafe-inline|unsafe-eval/.test(panel.webview.html)) problems.push(`${name}: a weak content security policy`);
        if (state.error) problems.push(`${name}: did not load (${state.error.code})`);
      }
      const jobTitle = profile.state.view === 'profile' ? profile.state.user?.fields.find((f) => f.key === 'jobTitle')?.value : undefined;
      if (jobTitle === undefined) problems.push('profile: no job title');
      else problems.push(...webviewTextProblems(jobTitle, payload.value).map((p) => `profile job title: ${p}`));
      return problems;
    });
  });
});

describe('hostile payloads: notifications and quick picks', () => {
  it('name objects in messages on one line, without live links or bidi controls', async () => {
    await everyPayload(({ user, group }) => [...notificationProblems(forNotification(nameOf(user))), ...notificationProblems(forNotification(nameOf(group))), ...(nameOf(group).length > 120 ? ['longer than 120'] : [])]);
  });

  it('show quick-pick rows on one line', async () => {
    await everyPayload(({ user, group }) => {
      const rows = [userItem({ ...user }), groupItem({ ...group })];
      return rows.flatMap((r) => [r.label, r.description ?? '', r.detail ?? ''].flatMap(labelProblems));
    });
  });

  it('say what was deleted without turning the name into a link', async () => {
    const services = emulatorServices(emu);
    const deps = { services, trees: {}, panels: {} } as unknown as CommandDeps;
    await everyPayload(async ({ group }) => {
      vscode.shown.reset();
      const victim = makeVictim(group);
      vscode.fakeUi.messageAnswers.push('Delete');
      await groupCommands.deleteGroup(deps, new GroupNode(undefined, victim, { groupChildren: () => [] }));
      const said = [...vscode.shown.warnings, ...vscode.shown.info, ...vscode.shown.errors];
      return said.length < 2 ? [`said ${JSON.stringify(said)}`] : said.flatMap(notificationProblems);
    });
  });

  it('say what the forms saved or copied without turning the name into a link', async () => {
    const services = emulatorServices(emu);
    await everyPayload(async ({ user, payload }) => {
      if (payload.kind === 'long') return [];
      vscode.shown.reset();
      panelsOf(services).showProfile(user.id);
      const profile = vscode.webviewPanels.at(-1);
      assert.ok(profile);
      profile.receive({ type: 'ready' });
      await profile.waitFor((m): m is unknown => isExtensionMessage(m) && m.type === 'init' && !m.state.loading);
      profile.receive({ type: 'action', action: 'copyId' });
      panelsOf(services).editUser(user.id);
      const form = vscode.webviewPanels.at(-1);
      assert.ok(form);
      form.receive({ type: 'ready' });
      const init = await form.waitFor((m): m is Extract<ExtensionMessage, { type: 'init' }> => isExtensionMessage(m) && m.type === 'init' && !m.state.loading);
      const values = (init.state.view === 'userForm' ? init.state.values : undefined) as UserFormValues;
      form.receive({ type: 'submit', requestId: 1, form: 'editUser', values: { ...values, city: 'Oslo' } });
      await form.waitFor((m): m is unknown => isExtensionMessage(m) && m.type === 'result');
      return vscode.shown.info.length < 2 ? [`said ${JSON.stringify(vscode.shown.info)}`] : vscode.shown.info.flatMap(notificationProblems);
    });
  });
});

/** A fresh group with the payload's name, so each delete has something to delete. */
function makeVictim(template: GroupRecord): { id: string; displayName: string; groupTypes: string[] } {
  const id = crypto.randomUUID();
  emu.state.addGroup({ ...template, id, mailNickname: `victim-${id.slice(0, 8)}` });
  return { id, displayName: template.displayName, groupTypes: [] };
}
