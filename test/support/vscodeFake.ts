/**
 * A small in-memory stand-in for the `vscode` module, for plain-Node tests of the extension layer.
 * It models only what our code uses; the real editor is exercised by the end-to-end suite.
 * Tests drive UI answers through `fakeUi` and read what was shown from `shown`.
 */
import { URI, Utils } from 'vscode-uri';

type Listener<T> = (e: T) => unknown;

export class Disposable {
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  constructor(private readonly fn: () => unknown) {}
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export const Uri = {
  parse: (value: string) => URI.parse(value),
  file: (p: string) => URI.file(p),
  joinPath: (base: URI, ...segments: string[]) => Utils.joinPath(base, ...segments),
  from: (c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }) => URI.from(c),
};

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export enum QuickPickItemKind { Separator = -1, Default = 0 }
export enum LogLevel { Off = 0, Trace = 1, Debug = 2, Info = 3, Warning = 4, Error = 5 }

export class ThemeIcon {
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class MarkdownString {
  isTrusted = false;
  supportThemeIcons = false;
  supportHtml = false;
  constructor(public value = '') {}
  appendText(text: string): this {
    // Same escaping rule as the editor: Markdown syntax characters become literal (HTML is inert unless supportHtml).
    this.value += text.replace(/[\\`*_{}[\]()#+\-!~]/g, '\\$&').replace(/\n/g, '\n\n');
    return this;
  }
  appendMarkdown(md: string): this {
    this.value += md;
    return this;
  }
}
export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  accessibilityInformation?: { label: string; role?: string };
  resourceUri?: URI;
  constructor(public label: string | { label: string }, public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

export class Position {
  constructor(readonly line: number, readonly character: number) {}
}
export class Range {
  constructor(readonly start: Position, readonly end: Position) {}
}
export enum DiagnosticSeverity { Error = 0, Warning = 1, Information = 2, Hint = 3 }
export class Diagnostic {
  source?: string;
  constructor(readonly range: Range, readonly message: string, readonly severity: DiagnosticSeverity = DiagnosticSeverity.Error) {}
}
export class CodeLens {
  constructor(readonly range: Range, readonly command?: unknown) {}
}

/** A text document of the editor: `text` at `version`, positions counted in lines and characters. */
export function textDocument(uri: URI, text: string, version = 1): { uri: URI; version: number; isDirty: boolean; getText(): string; positionAt(offset: number): Position; save(): Promise<boolean> } {
  return {
    uri,
    version,
    isDirty: false,
    getText: () => text,
    positionAt: (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return new Position(before.length - 1, before.at(-1)?.length ?? 0);
    },
    save: () => Promise.resolve(true),
  };
}
/** Untitled documents the code under test opened (`workspace.openTextDocument({ content })`). */
export const openedDocuments: Array<{ language?: string; content?: string }> = [];
/** Fire these to open, edit and close documents as the editor would. */
export const textDocumentEvents = {
  open: new EventEmitter<unknown>(),
  change: new EventEmitter<unknown>(),
  close: new EventEmitter<unknown>(),
};

export class LanguageModelTextPart {
  constructor(readonly value: string) {}
}
export class LanguageModelToolResult {
  constructor(readonly content: unknown[]) {}
}

/** What the code under test showed the user. */
export const shown = {
  info: [] as string[],
  warnings: [] as string[],
  errors: [] as string[],
  /** Messages shown with `{ modal: true }`: their text, detail and buttons. */
  modals: [] as Array<{ text: string; detail?: string; items: string[] }>,
  reset(): void {
    this.info.length = 0;
    this.warnings.length = 0;
    this.errors.length = 0;
    this.modals.length = 0;
  },
};

/** Programmable answers to prompts: each queue is consumed in order; an empty queue means "cancelled". */
export const fakeUi = {
  messageAnswers: [] as Array<string | undefined>,
  inputAnswers: [] as Array<string | undefined>,
  quickPickAnswers: [] as Array<(items: readonly unknown[]) => unknown>,
  /** The options (title, placeHolder…) of every quick pick shown. */
  quickPickOptions: [] as unknown[],
  /** Answers to save dialogs (the chosen file); each dialog's options are recorded in `saveDialogs`. */
  saveAnswers: [] as Array<URI | undefined>,
  saveDialogs: [] as unknown[],
  opened: [] as string[],
  clipboard: '',
  /** The cancellation of every progress notification shown, so a test can press its Cancel. */
  progress: [] as CancellationTokenSource[],
  reset(): void {
    this.progress.length = 0;
    this.messageAnswers.length = 0;
    this.inputAnswers.length = 0;
    this.quickPickAnswers.length = 0;
    this.quickPickOptions.length = 0;
    this.saveAnswers.length = 0;
    this.saveDialogs.length = 0;
    this.opened.length = 0;
    this.clipboard = '';
    files.clear();
  },
};

/** The file system behind `workspace.fs`: bytes by URI string. */
export const files = new Map<string, Uint8Array>();

function message(list: string[]) {
  return (text: string, ...rest: unknown[]): Promise<string | undefined> => {
    list.push(text);
    const options = rest[0] as { modal?: boolean; detail?: string } | undefined;
    if (options && typeof options === 'object' && options.modal) {
      shown.modals.push({ text, ...(options.detail !== undefined ? { detail: options.detail } : {}), items: rest.slice(1).map(String) });
    }
    return Promise.resolve(fakeUi.messageAnswers.shift());
  };
}

function outputChannel(name: string) {
  const lines: string[] = [];
  const add = (level: string) => (msg: string, ...args: unknown[]) => lines.push(`[${level}] ${msg}${args.length ? ` ${args.map(String).join(' ')}` : ''}`);
  return {
    name, lines, logLevel: LogLevel.Info,
    trace: add('trace'), debug: add('debug'), info: add('info'), warn: add('warning'), error: (m: string | Error, ...a: unknown[]) => add('error')(String(m), ...a),
    append: (v: string) => lines.push(v), appendLine: (v: string) => lines.push(v), clear: () => (lines.length = 0),
    show: () => undefined, hide: () => undefined, dispose: () => undefined, replace: () => undefined,
    onDidChangeLogLevel: new EventEmitter<LogLevel>().event,
  };
}
export const outputChannels: Array<ReturnType<typeof outputChannel>> = [];

/**
 * A webview panel as tests see it: the html and options the code set, what it posted to the page, and
 * `receive` to play the page's side.
 */
export class FakeWebviewPanel {
  readonly posted: unknown[] = [];
  disposed = false;
  revealCount = 0;
  private readonly fromPage = new EventEmitter<unknown>();
  private readonly disposeEmitter = new EventEmitter<void>();
  private readonly postEmitter = new EventEmitter<unknown>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = new EventEmitter<unknown>().event;
  readonly webview = {
    html: '',
    options: {} as unknown,
    cspSource: 'https://*.vscode-cdn.net',
    asWebviewUri: (uri: URI) => URI.from({ scheme: 'https', authority: 'file+.vscode-resource.vscode-cdn.net', path: uri.path }),
    postMessage: (message: unknown): Promise<boolean> => {
      if (this.disposed) return Promise.resolve(false);
      this.posted.push(message);
      this.postEmitter.fire(message);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: this.fromPage.event,
  };

  constructor(readonly viewType: string, public title: string, readonly showOptions: unknown, options: unknown) {
    this.webview.options = options;
  }

  get options(): unknown {
    return this.webview.options;
  }

  /** Delivers a message as if the page had posted it. */
  receive(message: unknown): void {
    this.fromPage.fire(message);
  }

  /** The first posted message (already posted or still to come) that matches. */
  waitFor<T>(match: (message: unknown) => message is T, timeoutMs = 5000): Promise<T> {
    const found = this.posted.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`No matching message posted within ${timeoutMs} ms`));
      }, timeoutMs);
      const sub = this.postEmitter.event((m) => {
        if (!match(m)) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(m);
      });
    });
  }

  reveal(): void {
    this.revealCount++;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}
/** Documents the code under test opened in an editor (`window.showTextDocument`), as URI strings. */
export const shownDocuments: string[] = [];
/** Every panel created, in order. */
export const webviewPanels: FakeWebviewPanel[] = [];

/** An editor tab's input for a text file. */
export class TabInputText {
  constructor(readonly uri: URI) {}
}

/** The editor tabs: tests put the tabs they need here. */
export const tabGroups = { all: [] as Array<{ tabs: Array<{ input: unknown }> }> };

export const window = {
  tabGroups,
  showInformationMessage: message(shown.info),
  showWarningMessage: message(shown.warnings),
  showErrorMessage: message(shown.errors),
  showInputBox: (_o?: unknown) => Promise.resolve(fakeUi.inputAnswers.shift()),
  /** Records the document (by URI) instead of opening an editor. */
  showTextDocument: (target: unknown) => {
    shownDocuments.push(String(target));
    return Promise.resolve(undefined);
  },
  showSaveDialog: (options?: unknown): Promise<URI | undefined> => {
    fakeUi.saveDialogs.push(options);
    return Promise.resolve(fakeUi.saveAnswers.shift());
  },
  showQuickPick: async (items: readonly unknown[] | Promise<readonly unknown[]>, options?: unknown) => {
    fakeUi.quickPickOptions.push(options);
    const pick = fakeUi.quickPickAnswers.shift();
    return pick ? pick(await items) : undefined;
  },
  createOutputChannel: (name: string, _o?: unknown) => {
    const c = outputChannel(name);
    outputChannels.push(c);
    return c;
  },
  createStatusBarItem: () => ({ text: '', tooltip: '' as unknown, command: undefined as unknown, name: '', show() {}, hide() {}, dispose() {} }),
  withProgress: <R>(_o: unknown, task: (p: { report(v: unknown): void }, t: CancellationTokenSource['token']) => Promise<R>) => {
    const cancel = new CancellationTokenSource();
    fakeUi.progress.push(cancel);
    return task({ report: () => undefined }, cancel.token);
  },
  registerTreeDataProvider: () => new Disposable(() => undefined),
  createWebviewPanel: (viewType: string, title: string, showOptions: unknown, options?: unknown) => {
    const panel = new FakeWebviewPanel(viewType, title, showOptions, options);
    webviewPanels.push(panel);
    return panel;
  },
  createTreeView: (_id: string, _o: unknown) => ({ dispose() {}, reveal: () => Promise.resolve(), message: undefined as string | undefined, description: undefined as string | undefined, selection: [] as unknown[], onDidExpandElement: new EventEmitter().event, onDidChangeVisibility: new EventEmitter().event, onDidChangeSelection: new EventEmitter().event }),
};

const commandRegistry = new Map<string, (...args: unknown[]) => unknown>();
export const commands = {
  registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
    if (commandRegistry.has(id)) throw new Error(`command '${id}' already exists`);
    commandRegistry.set(id, fn);
    return new Disposable(() => commandRegistry.delete(id));
  },
  executeCommand: (id: string, ...args: unknown[]) => {
    const fn = commandRegistry.get(id);
    if (fn) return Promise.resolve(fn(...args));
    executed.push({ id, args });
    return Promise.resolve(undefined);
  },
  getCommands: () => Promise.resolve([...commandRegistry.keys()]),
};
/** Built-in commands the code executed (e.g. setContext). */
export const executed: Array<{ id: string; args: unknown[] }> = [];

/** Settings by full key, e.g. 'entraId.cloud': the user's settings. */
export const settings = new Map<string, unknown>();
/** Values a folder's `.vscode/settings.json` sets, by full key (a workspace the user opened, not wrote). */
export const workspaceSettings = new Map<string, unknown>();
const configEmitter = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
export const workspace = {
  getConfiguration: (section?: string) => ({
    get: <T>(key: string, fallback?: T): T | undefined => {
      const full = section ? `${section}.${key}` : key;
      if (workspaceSettings.has(full)) return workspaceSettings.get(full) as T;
      return settings.has(full) ? (settings.get(full) as T) : fallback;
    },
    inspect: (key: string) => {
      const full = section ? `${section}.${key}` : key;
      return { key: full, globalValue: settings.get(full), workspaceValue: workspaceSettings.get(full) };
    },
    update: (key: string, value: unknown) => {
      const full = section ? `${section}.${key}` : key;
      settings.set(full, value);
      configEmitter.fire({ affectsConfiguration: (s: string) => full === s || full.startsWith(`${s}.`) });
      return Promise.resolve();
    },
  }),
  onDidChangeConfiguration: configEmitter.event,
  /** Virtual documents by scheme (the access report's). */
  registerTextDocumentContentProvider: (scheme: string, provider: { provideTextDocumentContent(uri: URI): string }) => {
    contentProviders.set(scheme, provider);
    return new Disposable(() => contentProviders.delete(scheme));
  },
  onDidSaveTextDocument: new EventEmitter<unknown>().event,
  /** An untitled document with `content` (recorded in `openedDocuments`). */
  openTextDocument: (o: { language?: string; content?: string }) => {
    openedDocuments.push(o);
    return Promise.resolve(textDocument(URI.parse(`untitled:Untitled-${openedDocuments.length}`), o.content ?? ''));
  },
  onDidOpenTextDocument: textDocumentEvents.open.event,
  onDidChangeTextDocument: textDocumentEvents.change.event,
  onDidCloseTextDocument: textDocumentEvents.close.event,
  /** The documents open when a listener registers. */
  textDocuments: [] as unknown[],
  fs: {
    writeFile: (uri: URI, content: Uint8Array): Promise<void> => {
      // A copy, as the editor writes the bytes out: later changes to the caller's array do not reach the file.
      files.set(uri.toString(), new Uint8Array(content));
      return Promise.resolve();
    },
    readFile: (uri: URI): Promise<Uint8Array> => {
      const content = files.get(uri.toString());
      return content ? Promise.resolve(new Uint8Array(content)) : Promise.reject(new Error(`EntryNotFound (FileSystemError): ${uri.toString()}`));
    },
  },
};

export const contentProviders = new Map<string, { provideTextDocumentContent(uri: URI): string }>();
/** Diagnostics by URI string, as the Problems view would list them. */
export const diagnostics = new Map<string, unknown[]>();
export const languages = {
  createDiagnosticCollection: (name: string) => ({
    name,
    set: (uri: URI, list: unknown[]) => void diagnostics.set(uri.toString(), [...list]),
    delete: (uri: URI) => void diagnostics.delete(uri.toString()),
    clear: () => diagnostics.clear(),
    dispose: () => diagnostics.clear(),
  }),
  registerCodeLensProvider: () => ({ dispose: () => undefined }),
};

export const env = {
  openExternal: (uri: URI) => {
    fakeUi.opened.push(uri.toString(true));
    return Promise.resolve(true);
  },
  clipboard: {
    writeText: (v: string) => {
      fakeUi.clipboard = v;
      return Promise.resolve();
    },
  },
  language: 'en',
};

export const l10n = {
  t: (message: string, ...args: Array<string | number | boolean>): string => message.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)] ?? `{${i}}`)),
};

export const authentication = {
  getSession: (..._args: unknown[]): Promise<unknown> => Promise.resolve(undefined),
  onDidChangeSessions: new EventEmitter<{ provider: { id: string } }>().event,
};

export const version = '1.95.0';

/** Language Model tools registered with `lm.registerTool`, by name. */
export const registeredTools = new Map<string, { invoke(options: unknown, token: unknown): unknown; prepareInvocation?(options: unknown, token: unknown): unknown }>();
export const lm = {
  registerTool: (name: string, tool: { invoke(options: unknown, token: unknown): unknown; prepareInvocation?(options: unknown, token: unknown): unknown }) => {
    if (registeredTools.has(name)) throw new Error(`tool '${name}' is already registered`);
    registeredTools.set(name, tool);
    return new Disposable(() => registeredTools.delete(name));
  },
  /** Like the editor (minus schema checks and confirmation UI): runs the registered tool's `invoke`. */
  invokeTool: (name: string, options: { input: unknown; toolInvocationToken?: unknown }, token = new CancellationTokenSource().token) => {
    const tool = registeredTools.get(name);
    if (!tool) return Promise.reject(new Error(`tool '${name}' is not registered`));
    return Promise.resolve(tool.invoke({ toolInvocationToken: undefined, ...options }, token));
  },
};
