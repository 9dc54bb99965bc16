import * as vscode from 'vscode';
import { URI } from 'vscode-uri';
import type { Group, MembershipPlan } from './core';
import { DESIRED_STATE_SUFFIX } from './shared/desiredState';
import { forQuickPick, nameOf, plainText } from './shared/text';
import { showInfo, withProgress } from './ui/feedback';

/** One file of a folder's plan: its counts, or why it could not be planned. */
export type FolderPlanEntry =
  | { uri: vscode.Uri; ok: true; group: Group; plan: MembershipPlan }
  | { uri: vscode.Uri; ok: false; message: string };

export interface FolderPlanDeps {
  planFile(document: vscode.TextDocument, signal?: AbortSignal): Promise<{ ok: true; group: Group; plan: MembershipPlan } | { ok: false; message: string }>;
  /** Opens one file's diff (the single-file Plan). */
  plan(uri: vscode.Uri): Promise<void>;
  find?: (folder: vscode.Uri) => Promise<vscode.Uri[]>;
  open?: (uri: vscode.Uri) => Promise<vscode.TextDocument>;
}

/** Files a folder plan reads at most: beyond this, plan a smaller folder. */
export const MAX_FOLDER_FILES = 200;

/**
 * The summary, as a plain-text document (shown literally, so directory text needs no escaping beyond the text
 * policy's names): one line per file with its counts (or its problem), in path order, and the totals.
 */
export function folderPlanSummary(folder: vscode.Uri, entries: readonly FolderPlanEntry[], found = entries.length): string {
  const relative = (uri: vscode.Uri): string => (uri.path.startsWith(`${folder.path}/`) ? uri.path.slice(folder.path.length + 1) : uri.path);
  const lines = [vscode.l10n.t('Plan for {0}', folder.path), ''];
  // A cancelled run says so first: its totals cover only the files it reached.
  if (entries.length < found) lines.push(vscode.l10n.t('Cancelled: {0} of the {1} files were planned; the totals below cover those only.', String(entries.length), String(found)), '');
  if (entries.length === 0) lines.push(vscode.l10n.t('No desired-state group files (…{0}) in this folder.', DESIRED_STATE_SUFFIX));
  let adds = 0;
  let removes = 0;
  for (const e of entries) {
    if (!e.ok) {
      lines.push(`- ${relative(e.uri)}: ${vscode.l10n.t('not planned: {0}', plainText(e.message))}`);
      continue;
    }
    const add = e.plan.add.members.length + e.plan.add.owners.length;
    const remove = e.plan.remove.members.length + e.plan.remove.owners.length;
    adds += add;
    removes += remove;
    lines.push(`- ${relative(e.uri)} (${nameOf(e.group)}): ${vscode.l10n.t('{0} to add, {1} to remove, {2} unresolved, {3} unchanged', String(add), String(remove), String(e.plan.unresolved.length), String(e.plan.unchanged))}`);
  }
  const failed = entries.filter((e) => !e.ok).length;
  lines.push('', vscode.l10n.t('{0} files: {1} to add, {2} to remove in all; {3} not planned.', String(entries.length), String(adds), String(removes), String(failed)));
  return `${lines.join('\n')}\n`;
}

/**
 * Plan for a folder (explorer context menu or palette): every `*.entra-group.json` under it is planned, one summary
 * document lists each file's counts, and a pick opens the diff of any planned file on demand.
 */
export async function planFolder(deps: FolderPlanDeps, arg: unknown): Promise<void> {
  // The explorer passes the folder's Uri (checked by shape: the palette passes nothing).
  const folder = URI.isUri(arg) ? arg : await pickFolder();
  if (!folder) return;
  const find = deps.find ?? ((f: vscode.Uri) => Promise.resolve(vscode.workspace.findFiles(new vscode.RelativePattern(f, `**/*${DESIRED_STATE_SUFFIX}`), undefined, MAX_FOLDER_FILES + 1)));
  const open = deps.open ?? ((u: vscode.Uri) => Promise.resolve(vscode.workspace.openTextDocument(u)));
  let found = 0;
  const entries = await withProgress(vscode.l10n.t('Planning the group files in the folder…'), async (signal, report) => {
    const uris = (await find(folder)).sort((a, b) => a.path.localeCompare(b.path));
    if (uris.length > MAX_FOLDER_FILES) return undefined;
    const done: FolderPlanEntry[] = [];
    found = uris.length;
    for (const [i, uri] of uris.entries()) {
      if (signal.aborted) break;
      report(`${i + 1}/${uris.length}`);
      const result = await deps.planFile(await open(uri), signal);
      done.push(result.ok ? { uri, ok: true, group: result.group, plan: result.plan } : { uri, ok: false, message: result.message });
    }
    return done;
  });
  if (!entries) return void showInfo(vscode.l10n.t('The folder holds more than {0} group files; plan a smaller folder.', String(MAX_FOLDER_FILES)));
  const summary = await vscode.workspace.openTextDocument({ language: 'plaintext', content: folderPlanSummary(folder, entries, found) });
  await vscode.window.showTextDocument(summary);
  const planned = entries.filter((e) => e.ok);
  if (planned.length === 0) return;
  const picked = await vscode.window.showQuickPick(
    planned.map((e) => ({ label: e.uri.path.slice(e.uri.path.lastIndexOf('/') + 1), description: forQuickPick(e.group.displayName, e.group.id), uri: e.uri })),
    { title: vscode.l10n.t('Show the diff for which file? (Escape to keep the summary)') },
  );
  if (picked) await deps.plan(picked.uri);
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    title: vscode.l10n.t('Plan the group files in which folder?'),
  });
  return picked?.[0];
}
