/** Shared set-up for the Language Model tool tests (test/unit/lm*.test.ts): services around a Graph client, invoking tools as the editor does. */
import { MemoryJournal } from '../support/memoryJournal';
import * as vscode from 'vscode';
import { DirectoryWrites } from '../../src/directoryWrites';
import { SettingKeys, Settings } from '../../src/settings';
import { IdentityTracker } from '../../src/signedInIdentity';
import type { Auth, Services } from '../../src/services';
import type { SignedInAccount } from '../../src/auth/types';
import { DirectoryChanges, type DirectoryChange } from '../../src/changes';
import { GraphClient } from '../../src/core';
import { LM_TOOLS } from '../../src/lm/toolSet';
import { LmToolRuntime } from '../../src/lm/toolRuntime';
import type { LmToolName } from '../../src/lm/toolTypes';

export interface Harness {
  services: Services;
  /** One runtime per harness, as the extension registers one: it keeps the confirmations it returned. */
  runtime: LmToolRuntime;
  /** The runtime's clock (ms); tests move it to expire confirmations. */
  clock: { now: number };
  fired: DirectoryChange[];
  logLines: () => string[];
  writeEnabled: { value: boolean };
  /** Read-only mode (`entraId.readOnly`) as the user's setting. */
  readOnly: { value: boolean };
  /** What the write path journaled. */
  journal: MemoryJournal;
}

/** `account: null` for signed out. */
export function makeHarness(graph: () => GraphClient, account: SignedInAccount | null = { method: 'vscode', label: 'admin', appOnly: false }): Harness {
  const changes = new DirectoryChanges();
  const fired: DirectoryChange[] = [];
  changes.onDidChange((c) => fired.push(c));
  const log = vscode.window.createOutputChannel('Entra ID (test)', { log: true });
  const state = { account: account ?? undefined };
  const auth: Auth = {
    get account() {
      return state.account;
    },
    onDidChangeAccount: new vscode.EventEmitter<SignedInAccount | undefined>().event,
    signIn: () => Promise.resolve(state.account),
    trySilentSignIn: () => Promise.resolve(state.account),
    signOut: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    setClientSecret: () => Promise.resolve(false),
    clearClientSecret: () => Promise.resolve(),
  };
  const writeEnabled = { value: true };
  const readOnly = { value: false };
  // The write-tools switch and read-only mode as the user's settings; everything else at its default.
  const settings = new Settings(log, {
    get: () => undefined,
    inspect: (key) => (key === SettingKeys.writeTools ? { globalValue: writeEnabled.value } : key === SettingKeys.readOnly ? { globalValue: readOnly.value } : {}),
    update: () => Promise.resolve(),
  });
  const journal = new MemoryJournal();
  const writes = new DirectoryWrites(graph, changes, log, () => settings.readOnly, () => undefined, undefined, { sink: journal, account: () => state.account });
  const services: Services = { auth, identity: new IdentityTracker(auth, graph, log), graph, writes, changes, settings, log, extensionUri: vscode.Uri.file('/tmp/entra') };
  const lines = (log as unknown as { lines?: string[] }).lines ?? [];
  const clock = { now: 1_000_000 };
  const runtime = new LmToolRuntime(services, { now: () => clock.now });
  return { services, runtime, clock, fired, logLines: () => lines, writeEnabled, readOnly, journal };
}

export interface Invocation {
  summary: string;
  json: { success: boolean; data?: unknown; error?: { code: string; message: string; status?: number; field?: string }; [k: string]: unknown };
}

function toolOf(h: Harness, name: LmToolName): vscode.LanguageModelTool<unknown> {
  return h.runtime.tool(name, LM_TOOLS[name]);
}

/** Prepares, then invokes with the same input, as the editor does (the user having confirmed). */
export async function invoke(h: Harness, name: LmToolName, input: unknown, token = new vscode.CancellationTokenSource().token): Promise<Invocation> {
  await prepare(h, name, input);
  return invokeOnly(h, name, input, token);
}

/** Invokes without preparing first: what the editor never does, and the runtime must not take for a confirmed call. */
export async function invokeOnly(h: Harness, name: LmToolName, input: unknown, token = new vscode.CancellationTokenSource().token): Promise<Invocation> {
  const result = await toolOf(h, name).invoke({ input, toolInvocationToken: undefined }, token);
  if (!result) throw new Error('no tool result');
  const parts = result.content.map((p) => (p as vscode.LanguageModelTextPart).value);
  return { summary: parts[0] ?? '', json: JSON.parse(parts[1] ?? '{}') as Invocation['json'] };
}

export async function prepare(h: Harness, name: LmToolName, input: unknown): Promise<vscode.PreparedToolInvocation> {
  const prepared = await toolOf(h, name).prepareInvocation?.({ input }, new vscode.CancellationTokenSource().token);
  return prepared ?? {};
}

/** The confirmation's Markdown text (throws when there is none). */
export function confirmation(p: vscode.PreparedToolInvocation): { title: string; markdown: string; trusted: boolean } {
  const c = p.confirmationMessages;
  if (!c) throw new Error('no confirmation');
  const md = c.message;
  if (typeof md === 'string') return { title: c.title, markdown: md, trusted: false };
  return { title: c.title, markdown: md.value, trusted: Boolean(md.isTrusted) || Boolean(md.supportHtml) };
}

/**
 * What the person confirming reads: the confirmation rendered by an independent Markdown renderer, tags dropped and
 * entities decoded, one entry per paragraph or list item.
 */
export function confirmationText(p: vscode.PreparedToolInvocation): string[] {
  const html = renderMarkdown(confirmation(p).markdown);
  return html
    .replace(/<\/(p|li)>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/**
 * Markdown rendered by markdown-it with HTML and linkify on (stricter than the editor). markdown-it is a
 * devDependency: when it is missing the require throws and the test fails, rather than skipping its checks.
 */
export function renderMarkdown(md: string): string {
  // markdown-it ships no type declarations: the little used here is typed by hand.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };
  return new MarkdownIt({ html: true, linkify: true }).render(md);
}

export const ALL_SCOPES = ['User.Read', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All'];

/** A Graph client against the emulator with a delegated admin token. */
export function emulatorClient(emu: { graphUrl: string; issueToken(o: { kind: 'delegated'; scopes: string[] }): string }, maxRetries = 0): GraphClient {
  return new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ALL_SCOPES })), maxRetries });
}

/** Every value in a JSON tree, for "no nulls / no annotations" checks. */
export function* walk(value: unknown, key = ''): Generator<[string, unknown]> {
  yield [key, value];
  if (Array.isArray(value)) for (const v of value) yield* walk(v, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* walk(v, k);
}
