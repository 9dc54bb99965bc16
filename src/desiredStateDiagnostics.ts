import * as vscode from 'vscode';
import { isDesiredStatePath } from './shared/desiredState';

/** How long typing must pause before a file is checked against the directory (each check reads Graph). */
export const DIAGNOSTICS_DELAY_MS = 600;

/** Documents open in an editor tab (a closed editor's document lingers in `workspace.textDocuments` for minutes). */
function documentsInTabs(): readonly vscode.TextDocument[] {
  const open = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs).flatMap((t) => (t.input instanceof vscode.TabInputText ? [t.input.uri.toString()] : [])));
  return vscode.workspace.textDocuments.filter((d) => open.has(d.uri.toString()));
}

/**
 * Diagnostics for desired-state files as they are opened and edited: a check runs once typing pauses; a newer edit
 * cancels the check under way; a document version already checked is not checked again (switching tabs or reopening
 * an unchanged file costs no request). The check itself (what is reported, and how) is the editor's.
 */
export class DesiredStateDiagnostics implements vscode.Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, AbortController>();
  /** The version last checked to the end, per document. */
  private readonly checked = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly check: (document: vscode.TextDocument, signal: AbortSignal) => Promise<unknown>,
    /** Whether checking can reach the directory now (signed in). */
    private readonly canCheck: () => boolean,
    /** Fires when the sign-in changes: files opened while signed out get their check, others a check against the new tenant. */
    private readonly onDidChangeAccount: vscode.Event<unknown>,
    /** Where a check that failed unexpectedly is reported (a background check has no one to tell). */
    private readonly logError: (message: string, error: unknown) => void,
    private readonly delayMs = DIAGNOSTICS_DELAY_MS,
    private readonly openDocuments: () => readonly vscode.TextDocument[] = documentsInTabs,
  ) {}

  register(): vscode.Disposable {
    this.subscriptions.push(
      this.onDidChangeAccount(() => {
        this.checked.clear();
        for (const d of this.openDocuments()) this.schedule(d, 0);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, this.delayMs)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri.toString())),
    );
    for (const d of this.openDocuments()) this.schedule(d, 0);
    return this;
  }

  /** Checks `document` after `delayMs`, unless this version was checked already; a pending or running check is replaced. */
  schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!isDesiredStatePath(document.uri.path) || !this.canCheck()) return;
    const key = document.uri.toString();
    if (this.checked.get(key) === document.version) return;
    this.cancel(key);
    this.timers.set(key, setTimeout(() => void this.run(document, key), delayMs));
  }

  private async run(document: vscode.TextDocument, key: string): Promise<void> {
    this.timers.delete(key);
    const version = document.version;
    const controller = new AbortController();
    this.running.set(key, controller);
    try {
      await this.check(document, controller.signal);
      if (!controller.signal.aborted) this.checked.set(key, version);
    } catch (error) {
      this.logError(`Checking ${document.uri.toString()} against the directory failed`, error);
    } finally {
      if (this.running.get(key) === controller) this.running.delete(key);
    }
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.running.get(key)?.abort();
    this.running.delete(key);
  }

  private forget(key: string): void {
    this.cancel(key);
    this.checked.delete(key);
  }

  dispose(): void {
    for (const key of [...this.timers.keys(), ...this.running.keys()]) this.cancel(key);
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
