import * as vscode from 'vscode';
import { ACCESS_URI } from '../accessDocument';
import type { CommandDeps } from './types';

/** "Entra ID: Check Access": the access report in VS Code's read-only Markdown preview. */
export async function checkAccess(deps: CommandDeps): Promise<void> {
  // The tenant's name arrives a moment after the sign-in; the report waits for it briefly, never for long.
  await deps.services.identity.settled();
  try {
    await vscode.commands.executeCommand('markdown.showPreview', ACCESS_URI);
  } catch (e) {
    // Without the built-in Markdown extension the report still opens, as text.
    deps.services.log.warn(`The Markdown preview is not available (${e instanceof Error ? e.message : String(e)}); showing the access report as text.`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ACCESS_URI), { preview: true });
  }
}
