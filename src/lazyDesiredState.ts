import * as vscode from 'vscode';
import { loadOnce } from './core/loadOnce';
import type { DesiredStateEditor } from './desiredStateEditor';
import type { Services } from './services';
import { isDesiredStatePath } from './shared/desiredStateSuffix';

export type DesiredStateCommands = Pick<DesiredStateEditor, 'exportGroup' | 'plan' | 'planFile' | 'apply' | 'copyAs'>;

/**
 * Desired-state files (desiredStateEditor.ts, with its diagnostics, plans and scripts) are read and set up when the
 * first such file is open in the window or the first desired-state command runs, not at activation: most sessions
 * never open one.
 */
export function lazyDesiredState(services: () => Promise<Services>, log: vscode.LogOutputChannel, storage: vscode.Uri): DesiredStateCommands & vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  let disposed = false;
  const editor = loadOnce(async () => {
    const [ready, { DesiredStateEditor }] = await Promise.all([services(), import('./desiredStateEditor')]);
    const loaded = new DesiredStateEditor(ready, storage);
    // Set up on load: its CodeLens and diagnostics then cover the files already open.
    const registered = loaded.register();
    if (disposed) registered.dispose();
    else disposables.push(registered);
    return loaded;
  });
  const wake = (document: vscode.TextDocument): void => {
    if (isDesiredStatePath(document.uri.path)) void editor().catch((e: unknown) => log.error('Desired-state files could not be set up', e));
  };
  vscode.workspace.textDocuments.forEach(wake);
  disposables.push(vscode.workspace.onDidOpenTextDocument(wake));
  return {
    exportGroup: async (group) => (await editor()).exportGroup(group),
    plan: async (arg) => (await editor()).plan(arg),
    planFile: async (document, signal) => (await editor()).planFile(document, signal),
    apply: async (arg) => (await editor()).apply(arg),
    copyAs: async (arg) => (await editor()).copyAs(arg),
    dispose: () => {
      disposed = true;
      for (const d of disposables.splice(0)) d.dispose();
    },
  };
}
