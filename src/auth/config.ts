import { isGuid } from '../core/guid';
import { SettingKeys } from '../shared/settingKeys';
import { resolveCloud, type CloudEndpoints, type CloudName } from './clouds';
import type { AuthMethod } from './types';

/** The sign-in settings, read once per change. Holds no secrets: the client secret lives in SecretStorage. */
export interface AuthConfig {
  method: AuthMethod;
  /** The user's own app registration (required for the msal methods, optional for `vscode`). */
  clientId?: string;
  /** GUID, verified domain or 'organizations'; undefined means "any work account" ('organizations'). */
  tenantId?: string;
  cloudName: CloudName;
  /** The resolved endpoints, or why the cloud settings are unusable. */
  cloud: { ok: true; cloud: CloudEndpoints } | { ok: false; message: string };
  /** Settings that were present but invalid (shown once in the log, never thrown at activation). */
  problems: string[];
  /** The active profile's name (`entraId.activeProfile`); unset when the plain settings are in effect. */
  profile?: string;
}

/** Full setting keys, so the manifest and the code cannot drift apart silently. */
export const SETTINGS = {
  method: SettingKeys.authMethod,
  clientId: SettingKeys.clientId,
  tenantId: SettingKeys.tenantId,
  cloud: SettingKeys.cloud,
  customGraphEndpoint: SettingKeys.customGraphEndpoint,
  customAuthorityHost: SettingKeys.customAuthorityHost,
} as const;

const METHODS: readonly AuthMethod[] = ['vscode', 'authorizationCode', 'clientCredentials'];
const CLOUD_NAMES: readonly CloudName[] = ['global', 'usGovernment', 'usGovernmentDoD', 'china', 'custom'];
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Reads the settings through `get(fullKey)` (workspace configuration in the extension, a map in tests). */
export function readAuthConfig(get: (key: string) => unknown): AuthConfig {
  const problems: string[] = [];
  const text = (key: string): string | undefined => {
    const value = get(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };

  const rawMethod = text(SETTINGS.method);
  let method: AuthMethod = 'vscode';
  if (rawMethod !== undefined) {
    if ((METHODS as readonly string[]).includes(rawMethod)) method = rawMethod as AuthMethod;
    else problems.push(`${SETTINGS.method} "${rawMethod}" is not one of ${METHODS.join(', ')}; using vscode.`);
  }

  let clientId = text(SETTINGS.clientId);
  if (clientId !== undefined && !isGuid(clientId)) {
    problems.push(`${SETTINGS.clientId} must be an application (client) ID GUID; ignoring it.`);
    clientId = undefined;
  }

  let tenantId = text(SETTINGS.tenantId);
  if (tenantId !== undefined && !isTenant(tenantId)) {
    problems.push(`${SETTINGS.tenantId} must be a tenant GUID, a verified domain or "organizations"; ignoring it.`);
    tenantId = undefined;
  }

  // An unknown cloud is not guessed: sign-in and Graph both refuse with the same message until it is fixed.
  const rawCloud = text(SETTINGS.cloud);
  let cloudName: CloudName = 'global';
  let cloud: AuthConfig['cloud'];
  if (rawCloud !== undefined && !(CLOUD_NAMES as readonly string[]).includes(rawCloud)) {
    cloud = { ok: false, message: `${SETTINGS.cloud} "${rawCloud}" is not one of ${CLOUD_NAMES.join(', ')}; fix it in your user settings.` };
  } else {
    if (rawCloud !== undefined) cloudName = rawCloud as CloudName;
    cloud = resolveCloud(cloudName, { graphEndpoint: text(SETTINGS.customGraphEndpoint), authorityHost: text(SETTINGS.customAuthorityHost) });
  }

  return { method, cloudName, cloud, problems, ...(clientId ? { clientId } : {}), ...(tenantId ? { tenantId: tenantId.toLowerCase() } : {}) };
}

export function isTenant(value: string): boolean {
  return value.toLowerCase() === 'organizations' || isGuid(value) || DOMAIN.test(value);
}

/** Two configs that sign in the same way (the problems list does not matter). */
export function sameSignInConfig(a: AuthConfig, b: AuthConfig): boolean {
  return signInKey(a) === signInKey(b);
}

function signInKey(c: AuthConfig): string {
  const cloud = c.cloud.ok ? `${c.cloud.cloud.graphBaseUrl}|${c.cloud.cloud.authorityHost}` : `invalid:${c.cloud.message}`;
  // The profile counts: its token cache and secret are its own even when its settings equal another's.
  return [c.method, c.clientId ?? '', c.tenantId ?? '', c.cloudName, cloud, c.profile ?? ''].join('\n');
}
