import * as vscode from 'vscode';
import { readAuthConfig, type AuthConfig } from './auth/config';
import { resolveProfiles, type Profile, type ProfileResolution } from './shared/profiles';
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

/** The settings an active profile overrides, by the profile's field: one table for reading and for change events. */
const PROFILE_FIELDS: ReadonlyMap<SettingName, keyof Profile> = new Map<SettingName, keyof Profile>([
  ['authMethod', 'method'],
  ['clientId', 'clientId'],
  ['tenantId', 'tenantId'],
  ['cloud', 'cloud'],
  ['readOnly', 'readOnly'],
]);

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
      // Another profile (or a changed one) may change every setting a profile overrides.
      if (hit.has('profiles') || hit.has('activeProfile')) for (const name of PROFILE_FIELDS.keys()) hit.add(name);
      if (hit.size) this.changed.fire(hit);
    });
  }

  /** Sign-in method, app, tenant and cloud, validated (see `readAuthConfig`); the same value for sign-in and Graph. */
  get auth(): AuthConfig {
    const { active, problems } = this.profiles;
    const config = readAuthConfig((key) => {
      const name = NAME_OF_KEY.get(key);
      return name ? this.value(name) : undefined;
    });
    // Profile problems first: a refused profile explains why the plain settings are in effect.
    return { ...config, problems: [...problems, ...config.problems], ...(active ? { profile: active.name } : {}) };
  }

  /** The profiles, the one in effect (`entraId.activeProfile`), and what was refused. */
  get profiles(): ProfileResolution {
    return resolveProfiles(this.setting('profiles'), this.setting('activeProfile'));
  }

  /** The active profile, when it is marked production: every write asks once more (see DirectoryWrites). */
  get production(): Profile | undefined {
    const active = this.profiles.active;
    return active?.production === true ? active : undefined;
  }

  /** Makes `name` the active profile, or none (the plain settings) for undefined. */
  setActiveProfile(name: string | undefined): Thenable<void> {
    return this.update('activeProfile', name);
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

  /**
   * Whether users and groups are kept in a local copy (global storage) for local search: on unless the user turned it
   * off. User-level only, so that a folder's settings cannot decide whether directory data is written to disk.
   */
  get directoryCacheEnabled(): boolean {
    return this.value('directoryCache') !== false;
  }

  /** The value in effect: the active profile's, where it sets one, else the setting's (see {@link setting}). */
  value(name: SettingName): unknown {
    const field = PROFILE_FIELDS.get(name);
    if (field) {
      const fromProfile = this.profiles.active?.[field];
      if (fromProfile !== undefined) return fromProfile;
    }
    return this.setting(name);
  }

  /** The setting itself; for {@link USER_LEVEL_ONLY} settings the user's own value (or the default). */
  setting(name: SettingName): unknown {
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
