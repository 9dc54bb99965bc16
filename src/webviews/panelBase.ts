import * as vscode from 'vscode';
import type { GraphError, RefusalContext } from '../core';
import type { Services } from '../services';
import { forWebview } from '../shared/text';
import { describeError, showGraphError } from '../ui/feedback';
import { newNonce, renderPage } from './page';
import { describeRejected, isWebviewMessage, type ExtensionMessage, type ViewKind, type ViewState, type WebviewMessage, type WireError } from './protocol';

export { contentSecurityPolicy, newNonce, renderPage, type PageParts } from './page';

/** The messages a panel class handles; the base answers `ready`, `cancel` and `cancelRequest` itself. */
export type PanelMessage = Exclude<WebviewMessage, { type: 'ready' } | { type: 'cancel' } | { type: 'cancelRequest' }>;

/** What a save answers the page: its outcome, or why nothing was sent. */
export type SaveReply = Extract<ExtensionMessage, { type: 'result' | 'validation' | 'notSaved' }>;

/** A thrown error (not a Graph answer) as the page shows it. */
export function unexpected(e: unknown): WireError {
  return { code: 'Unexpected', message: forWebview(e instanceof Error ? e.message : String(e), 2000) };
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableForms: true,
    enableCommandUris: false,
    // Hidden panels are torn down; the page asks for its state again with `ready` when shown.
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * One webview panel: creation, the page with its CSP, message validation and disposal (which panel is open for
 * which object is `WebviewPanels`' business).
 * Subclasses supply the view state and handle the messages that are theirs.
 */
export abstract class PanelBase implements vscode.Disposable {
  protected readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the panel closes (by the user or by code). */
  readonly onDidDispose = this.disposedEmitter.event;
  private pageReady = false;
  private disposed = false;
  /** The save the page waits for. Closing the panel does not abort it: it finishes, and DirectoryWrites announces it. */
  private save: { requestId: number; controller: AbortController } | undefined;
  private loadUnderWay: AbortController | undefined;

  protected constructor(
    protected readonly services: Services,
    private readonly view: ViewKind,
    private readonly pageTitle: string,
  ) {
    this.panel = vscode.window.createWebviewPanel(`entraId.${view}`, pageTitle, vscode.ViewColumn.Active, webviewOptions(services.extensionUri));
    this.register(this.panel.onDidDispose(() => this.dispose()));
    this.register({ dispose: () => this.loadUnderWay?.abort() });
    this.register(this.panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.render();
  }

  /** Brings the panel to the front. */
  reveal(): void {
    if (!this.disposed) this.panel.reveal();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Sets the page with a fresh nonce. */
  render(): void {
    const webview = this.panel.webview;
    const root = this.services.extensionUri;
    this.panel.webview.html = renderPage({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webview', 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'webview.css')).toString(),
      view: this.view,
      title: this.pageTitle,
      lang: vscode.env.language,
    });
  }

  protected abstract viewState(): ViewState;

  /** The page has (again) said it is listening and has its state: what follows the state goes here. */
  protected pageShown(): void {
    // Most pages need nothing after their state.
  }
  protected abstract handle(message: PanelMessage): Promise<void>;

  protected register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.disposables.push(disposable);
    return disposable;
  }

  protected post(message: ExtensionMessage): void {
    if (this.disposed) return;
    // A panel closed mid-request rejects the post; there is no one left to tell.
    this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  /**
   * Starts a load (on open, Refresh, a chain read again) and gives its signal: a newer load, or the panel closing,
   * aborts it, so an older answer never lands on top of a newer one.
   */
  protected startLoad(): AbortSignal {
    this.loadUnderWay?.abort();
    const controller = new AbortController();
    this.loadUnderWay = controller;
    return controller.signal;
  }

  /** Sends the current state, once the page has said it is listening. */
  protected pushState(): void {
    if (this.pageReady) this.post({ type: 'init', state: this.viewState() });
  }

  /**
   * Runs work nobody awaits (loading on open). What the core cannot turn into a Result (no sign-in, a bug)
   * is logged and shown instead of becoming an unhandled rejection.
   */
  protected background(work: () => Promise<void>, onError: (error: WireError) => void): void {
    work().catch((e: unknown) => {
      const error = unexpected(e);
      this.services.log.error(`Webview ${this.view}: ${error.message}`);
      if (!this.disposed) onError(error);
    });
  }

  protected get saving(): boolean {
    return this.save !== undefined;
  }

  /**
   * Runs one save at a time, cancellable from the page through the signal; the reply goes out once the next save may
   * start. A second save while one runs is refused (the page disables Save meanwhile).
   */
  protected async runSave(requestId: number, work: (signal: AbortSignal) => Promise<SaveReply | undefined>): Promise<void> {
    if (this.save) return this.reject('a save is already running');
    this.save = { requestId, controller: new AbortController() };
    let reply: SaveReply | undefined;
    try {
      reply = await work(this.save.controller.signal);
    } finally {
      this.save = undefined;
    }
    if (reply) this.post(reply);
  }

  /**
   * A failed save: the whole error (with Graph's method, path and request id) goes to the log; the page shows its own
   * words. When the panel was closed while the save ran, nobody sees the page, so a notification says it instead.
   */
  protected reportFailure(what: string, error: GraphError, context?: RefusalContext): void {
    if (this.disposed) showGraphError(this.services.log, what, error, context);
    else this.services.log.warn(`${what}: ${describeError(error)}`);
  }

  protected reject(reason: string): void {
    this.services.log.warn(`Webview ${this.view}: ignored a message (${reason}).`);
  }

  private receive(raw: unknown): void {
    if (this.disposed) return;
    if (!isWebviewMessage(raw)) {
      this.reject(`malformed: ${describeRejected(raw)}`);
      return;
    }
    switch (raw.type) {
      case 'ready':
        this.pageReady = true;
        this.pushState();
        this.pageShown();
        return;
      case 'cancel':
        this.dispose();
        return;
      case 'cancelRequest':
        // A cancel that crosses the answer on the way finds nothing to stop; the answer tells the page what happened.
        if (this.save?.requestId === raw.requestId) this.save.controller.abort();
        return;
      default:
        this.handle(raw).catch((e: unknown) => {
          const error = unexpected(e);
          this.services.log.error(`Webview ${this.view}: ${error.message}`);
          this.failed(raw, error);
        });
    }
  }

  /**
   * A message's handler threw. Panels whose page waits for an answer (a search, a save) answer it here, so the
   * page enables its buttons again; the default only logs (done by the caller).
   */
  protected failed(_message: PanelMessage, _error: WireError): void {
    // Nothing waits by default.
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }
}
