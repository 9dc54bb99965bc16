/** Every `entraId.*` setting the extension reads, by name; a test checks these against package.json. */
export const SettingKeys = {
  authMethod: 'entraId.auth.method',
  clientId: 'entraId.auth.clientId',
  tenantId: 'entraId.auth.tenantId',
  cloud: 'entraId.cloud',
  customGraphEndpoint: 'entraId.customGraphEndpoint',
  customAuthorityHost: 'entraId.customAuthorityHost',
  showDisabled: 'entraId.users.showDisabled',
  pageSize: 'entraId.pageSize',
  writeTools: 'entraId.lm.enableWriteTools',
  readOnly: 'entraId.readOnly',
  profiles: 'entraId.profiles',
  activeProfile: 'entraId.activeProfile',
  directoryCache: 'entraId.directoryCache.enabled',
} as const;

export type SettingName = keyof typeof SettingKeys;

/**
 * Settings that pick an endpoint, an app or a permission, or where directory data may be kept. A folder's `.vscode/settings.json` is written by whoever
 * wrote the repository, so these are read from the user's own settings only (the manifest also declares them
 * `"scope": "application"`, which makes VS Code ignore them in workspace settings).
 */
export const USER_LEVEL_ONLY: ReadonlySet<SettingName> = new Set<SettingName>(['authMethod', 'clientId', 'tenantId', 'cloud', 'customGraphEndpoint', 'customAuthorityHost', 'writeTools', 'readOnly', 'profiles', 'activeProfile', 'directoryCache']);
