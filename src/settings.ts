import * as vscode from 'vscode';
import { readAuthConfig, type AuthConfig } from './auth/config';
import { SettingKeys, USER_LEVEL_ONLY, type SettingName } from './shared/settingKeys';

export { SettingKeys, USER_LEVEL_ONLY, type SettingName };

/** The part of `vscode.WorkspaceConfiguration` the settings are read through (a map in tests). */
export interface SettingsSource {
  get(fullKey: string): unknown;
  inspect(fullKey: string): { defaultValue?: unknown; globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined;
  update(fullKey: string, value: unknown): Thenable<void>;
}

/** Setting names by full key, for readers that ask by key (the auth config). */
const NAME_OF_KEY: ReadonlyMap<string, SettingName> = new Map(Object.entries(SettingKeys).map(([name, key]) => [key, name as SettingName]));

export const DEFAULT_PAGE_SIZE = 100;
/** Graph's largest page for users and groups. */
export const MAX_PAGE_SIZE = 999;

function editorSource(): SettingsSource {
  return {
    get: (key) => vscode.workspace.getConfiguration().get(key),
    inspect: (key) => vscode.workspace.getConfiguration().inspect(key),
    update: (key, value) => vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global),
  };
}

/**
 * The one reader of the extension's settings: typed, validated, and with one change event that names every
 * setting that changed. Sign-in, the Graph client, the views and the chat tools all read through it.
 */
export class Settings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReadonlySet<SettingName>>();
  /** Fires once per configuration change with the settings it touched. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** Workspace values already reported as ignored, so the log says it once per key and value. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly log: Pick<vscode.LogOutputChannel, 'warn'>,
    private readonly source: SettingsSource = editorSource(),
    onDidChangeConfiguration: vscode.Event<vscode.ConfigurationChangeEvent> = vscode.workspace.onDidChangeConfiguration,
  ) {
    this.subscription = onDidChangeConfiguration((e) => {
      const hit = new Set((Object.keys(SettingKeys) as SettingName[]).filter((name) => e.affectsConfiguration(SettingKeys[name])));
      if (hit.size) this.changed.fire(hit);
    });
  }

  /** Sign-in method, app, tenant and cloud, validated (see `readAuthConfig`); the same value for sign-in and Graph. */
  get auth(): AuthConfig {
    return readAuthConfig((key) => {
      const name = NAME_OF_KEY.get(key);
      return name ? this.value(name) : undefined;
    });
  }

  get pageSize(): number {
    const raw = this.value('pageSize');
    return typeof raw === 'number' && Number.isFinite(raw) ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(raw))) : DEFAULT_PAGE_SIZE;
  }

  get showDisabled(): boolean {
    return this.value('showDisabled') === true;
  }

  setShowDisabled(value: boolean): Thenable<void> {
    return this.update('showDisabled', value);
  }

  /** Writes a setting to the user's settings (never a workspace's: see {@link USER_LEVEL_ONLY}). */
  update(name: SettingName, value: unknown): Thenable<void> {
    return this.source.update(SettingKeys[name], value);
  }

  /** Whether the chat tools that change the directory are offered: off unless the user turned them on (SECURITY.md). */
  get writeToolsEnabled(): boolean {
    return this.value('writeTools') === true;
  }

  /**
   * Read-only mode: nothing offers or sends a directory write, and sign-in asks for read permissions only. User-level
   * only, so a folder's settings can neither turn it off nor on (SECURITY.md).
   */
  get readOnly(): boolean {
    return this.value('readOnly') === true;
  }

  /** The value in effect; for {@link USER_LEVEL_ONLY} settings the user's own value (or the default). */
  value(name: SettingName): unknown {
    const key = SettingKeys[name];
    if (!USER_LEVEL_ONLY.has(name)) return this.source.get(key);
    const levels = this.source.inspect(key);
    this.reportIgnored(key, levels?.workspaceFolderValue ?? levels?.workspaceValue);
    return levels?.globalValue ?? levels?.defaultValue;
  }

  private reportIgnored(key: string, workspaceValue: unknown): void {
    if (workspaceValue === undefined) return;
    const said = `${key}\n${JSON.stringify(workspaceValue)}`;
    if (this.reported.has(said)) return;
    this.reported.add(said);
    // The value itself is not logged: it may be a crafted URL; the key says enough to find it.
    this.log.warn(`Ignored ${key} from the workspace settings: it picks an endpoint, an app or a permission, so only your user settings may set it.`);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
