/**
 * What the extension-host tests do to the workbench around the extension: activate it, run its commands the way a
 * tree's context menu does, answer its quick picks, read its log, its editors and its tool results.
 *
 * Facts about the workbench under the test driver (extension tests + `enable-smoke-test-driver`) these rely on:
 * - Modal messages (`showWarningMessage(…, { modal: true })`) are refused: the call rejects, nothing is chosen.
 * - Confirmations (`IDialogService.confirm`, used for Language Model tools invoked outside chat) are confirmed.
 * - Quick picks and input boxes stay open until accepted or closed by a command; nothing can be typed into them.
 * - Notifications exist (toasts are hidden): `notification.acceptPrimaryAction` chooses a message's first button,
 *   `notifications.clearAll` dismisses them (their promises resolve `undefined`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HOST_ENV } from './protocol';
import { waitFor } from './wait';

export const EXTENSION_ID = 'entra-directory.entra-directory';

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this extension host`);
  await extension.activate();
  return extension;
}

export interface ManifestTool {
  name: string;
  modelDescription: string;
  tags?: string[];
  when?: string;
  inputSchema: Record<string, unknown>;
}

export interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    languageModelTools: ManifestTool[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}

/** The package.json of the extension under test. */
export function readManifest(): Manifest {
  const root = process.env[HOST_ENV.extensionRoot] ?? vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath;
  assert.ok(root, 'the extension root is unknown');
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
}

// ── Tree rows ──────────────────────────────────────────────────────────────────────────────────────────

/** How the workbench names a tree row when it runs a context-menu command on it. */
export interface TreeItemArg {
  $treeViewId: string;
  $treeItemHandle: string;
}

/**
 * The row of `viewId` whose `TreeItem.id` is `itemId` (VS Code's handle for a row with an id is `1/<id>`). The row
 * must have been rendered: VS Code resolves handles only for rows it has read from the extension.
 */
export function treeItem(viewId: string, itemId: string): TreeItemArg {
  return { $treeViewId: viewId, $treeItemHandle: `1/${itemId}` };
}

/**
 * Runs `command` on a tree row the way the view's context menu does: through the workbench, which hands the
 * extension its own node for the row. Resolves when the command has finished.
 */
export async function runOnTreeItem(command: string, item: TreeItemArg): Promise<void> {
  await vscode.commands.executeCommand('runCommands', { commands: [{ command, args: item }] });
}

/**
 * Copies `itemId`'s object id through the row's "Copy Object ID" command until the clipboard holds `expected`:
 * proves the row is shown (and makes the row usable for further commands).
 */
export async function waitForTreeRow(viewId: string, itemId: string, expected: string): Promise<void> {
  await vscode.env.clipboard.writeText('');
  await waitFor(`the ${viewId} row ${itemId}`, async () => {
    await runOnTreeItem('entraId.node.copyId', treeItem(viewId, itemId));
    return (await vscode.env.clipboard.readText()) === expected;
  });
}

// ── Quick input ────────────────────────────────────────────────────────────────────────────────────────

/**
 * Accepts the active row of whatever quick pick or input box is open, again and again, until `done` holds. Each
 * round moves to the last row first when `last` is set. Accepting with no quick input open does nothing.
 */
export async function acceptQuickInputUntil(what: string, done: () => Promise<boolean> | boolean, options: { last?: boolean; timeoutMs?: number } = {}): Promise<void> {
  // On an input box (no rows) the workbench's "last row" command fails; that is fine.
  const toLastRow = (): Thenable<unknown> => vscode.commands.executeCommand('quickInput.last').then(undefined, () => undefined);
  if (options.last) {
    // Each call is a round trip to the workbench: by the last one, the rows of a list just shown have arrived.
    for (let i = 0; i < 3; i++) await toLastRow();
  }
  await waitFor(
    what,
    async () => {
      if (await done()) return true;
      if (options.last) await toLastRow();
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return done();
    },
    { timeoutMs: options.timeoutMs ?? 20_000, intervalMs: 100 },
  );
}

/** Closes whatever quick input is open, until `settled` resolves; returns its value. */
export async function dismissQuickInputUntilSettled<T>(what: string, settled: Thenable<T>): Promise<T> {
  let finished = false;
  let value: T | undefined;
  const tracked = Promise.resolve(settled).then((v) => {
    finished = true;
    value = v;
  });
  await waitFor(what, async () => {
    if (!finished) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    return finished;
  }, { intervalMs: 100 });
  await tracked;
  return value as T;
}

/** Tracks whether a command (or any promise) has settled, without awaiting it yet. */
export function track<T>(promise: Thenable<T>): { settled: () => boolean; result: Promise<T> } {
  let settled = false;
  const result = Promise.resolve(promise).finally(() => {
    settled = true;
  });
  // The caller awaits `result`; keep an early rejection from being reported as unhandled meanwhile.
  result.catch(() => undefined);
  return { settled: () => settled, result };
}

// ── Editors, log ───────────────────────────────────────────────────────────────────────────────────────

/** Open webview tabs whose view type is the extension's `entraId.<kind>`. */
export function webviewTabs(kind: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(`entraId.${kind}`));
}

/** Closes every editor without saving (the test driver answers "save?" with "don't save"). */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor('every editor to close', () => vscode.window.tabGroups.all.every((g) => g.tabs.length === 0));
}

/** The extension's log as shown by its Show Log command. */
export async function productLog(): Promise<string> {
  await vscode.commands.executeCommand('entraId.showLog');
  return waitFor("the extension's log", () => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.uri.path.includes(EXTENSION_ID));
    return doc?.getText();
  });
}

/** Waits until the extension's log satisfies `check` (it is written asynchronously). */
export function waitForProductLog(what: string, check: (log: string) => boolean): Promise<string> {
  return waitFor(`the extension's log to show ${what}`, async () => {
    const log = await productLog();
    return check(log) ? log : undefined;
  });
}

export function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

// ── Language Model tool results ────────────────────────────────────────────────────────────────────────

export interface ToolPayload {
  success: boolean;
  data?: unknown;
  error?: { code: string; message: string; status?: number; field?: string };
  [extra: string]: unknown;
}

/** A tool result's two text parts: the one-line summary and the JSON payload. */
export function readToolResult(result: vscode.LanguageModelToolResult): { summary: string; payload: ToolPayload } {
  const texts = result.content.map((part) => {
    assert.ok(part instanceof vscode.LanguageModelTextPart, 'every part of the result is text');
    return part.value;
  });
  assert.equal(texts.length, 2, 'a summary part and a JSON part');
  const [summary, json] = texts as [string, string];
  assert.ok(summary.trim().length > 0, 'the summary is not empty');
  assert.ok(!summary.includes('\n'), 'the summary is one line');
  const payload = JSON.parse(json) as ToolPayload;
  assert.equal(typeof payload.success, 'boolean', 'the payload says whether it succeeded');
  return { summary, payload };
}

/** Invokes a tool the way an extension does outside chat (no invocation token). */
export async function invokeTool(name: string, input: object): Promise<{ summary: string; payload: ToolPayload }> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return readToolResult(result);
}

// ── Settings ───────────────────────────────────────────────────────────────────────────────────────────

/** Sets `entraId.<key>` in user settings; `undefined` removes it. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('entraId').update(key, value, vscode.ConfigurationTarget.Global);
}
