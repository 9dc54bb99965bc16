import { BROWSE_SCOPES } from '../core/browseScopes';

/** National clouds: each a Graph endpoint, a sign-in authority host, an admin portal and VS Code's auth provider. */

export type CloudName = 'global' | 'usGovernment' | 'usGovernmentDoD' | 'china' | 'custom';

export interface CloudEndpoints {
  name: CloudName;
  /** Graph base URL including the version, e.g. https://graph.microsoft.com/v1.0. */
  graphBaseUrl: string;
  /** Where `/{tenant}/oauth2/v2.0/authorize` and `/token` live, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /** Entra admin center (or the cloud's Azure portal) for "open in portal". */
  portalUrl: string;
  /** VS Code authentication provider id. */
  vscodeProviderId: 'microsoft' | 'microsoft-sovereign-cloud';
  /** Value for the `microsoft-sovereign-cloud.environment` setting, when that provider is used. */
  sovereignEnvironment?: 'USGovernment' | 'ChinaCloud';
}

export const CLOUDS: Readonly<Record<Exclude<CloudName, 'custom'>, CloudEndpoints>> = {
  global: {
    name: 'global',
    graphBaseUrl: 'https://graph.microsoft.com/v1.0',
    authorityHost: 'https://login.microsoftonline.com',
    portalUrl: 'https://entra.microsoft.com',
    vscodeProviderId: 'microsoft',
  },
  usGovernment: {
    name: 'usGovernment',
    graphBaseUrl: 'https://graph.microsoft.us/v1.0',
    authorityHost: 'https://login.microsoftonline.us',
    portalUrl: 'https://portal.azure.us',
    vscodeProviderId: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'USGovernment',
  },
  usGovernmentDoD: {
    name: 'usGovernmentDoD',
    graphBaseUrl: 'https://dod-graph.microsoft.us/v1.0',
    authorityHost: 'https://login.microsoftonline.us',
    portalUrl: 'https://portal.azure.us',
    vscodeProviderId: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'USGovernment',
  },
  china: {
    name: 'china',
    graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn/v1.0',
    authorityHost: 'https://login.chinacloudapi.cn',
    portalUrl: 'https://portal.azure.cn',
    vscodeProviderId: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'ChinaCloud',
  },
};


/** Resolves settings to endpoints; `custom` needs both URLs to be absolute https (or http on loopback) URLs. */
export function resolveCloud(name: CloudName, custom: { graphEndpoint?: string; authorityHost?: string }): { ok: true; cloud: CloudEndpoints } | { ok: false; message: string } {
  if (name !== 'custom') {
    const cloud = CLOUDS[name];
    return cloud ? { ok: true, cloud } : { ok: false, message: `Unknown cloud "${String(name)}".` };
  }
  const graph = checkEndpoint(custom.graphEndpoint, 'entraId.customGraphEndpoint');
  if (typeof graph === 'string') return { ok: false, message: graph };
  const authority = checkEndpoint(custom.authorityHost, 'entraId.customAuthorityHost');
  if (typeof authority === 'string') return { ok: false, message: authority };
  return {
    ok: true,
    cloud: {
      name: 'custom',
      graphBaseUrl: graph.href.replace(/\/+$/, ''),
      authorityHost: authority.origin,
      portalUrl: 'https://entra.microsoft.com',
      vscodeProviderId: 'microsoft',
    },
  };
}

/** https, or http on this machine's loopback (a local proxy or the emulator). */
export function isAllowedScheme(url: URL): boolean {
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
}

/** Why an endpoint URL cannot be used, or undefined when it can (the check the settings and Switch Cloud share). */
export function endpointProblem(value: string, setting: string): string | undefined {
  const checked = checkEndpoint(value, setting);
  return typeof checked === 'string' ? checked : undefined;
}

function checkEndpoint(value: string | undefined, setting: string): URL | string {
  if (!value) return `Set ${setting} to use the custom cloud.`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${setting} is not a valid URL.`;
  }
  if (!isAllowedScheme(url)) return `${setting} must use https.`;
  // Credentials or a query in the URL would travel with every request and show up in tooltips and logs.
  if (url.username || url.password) return `${setting} must not contain a user name or password.`;
  if (url.search || url.hash || value.includes('?') || value.includes('#')) return `${setting} must not contain a query (?…) or fragment (#…).`;
  return url;
}

/** Microsoft Graph's resource identifier in the global cloud (also what bare scope names mean). */
export const GLOBAL_GRAPH_RESOURCE = 'https://graph.microsoft.com';

/**
 * The resource tokens are requested for. National clouds have their own Graph resource (its origin); a custom
 * endpoint (a proxy or a test server) stands in for Microsoft Graph, so it keeps Graph's global identifier.
 */
export function graphResource(cloud: CloudEndpoints): string {
  return cloud.name === 'custom' ? GLOBAL_GRAPH_RESOURCE : new URL(cloud.graphBaseUrl).origin;
}

/**
 * Delegated scopes as the token endpoint expects them: browsing's read permissions (core BROWSE_SCOPES), plus `extra`
 * for a write that needs one. The identity platform reads a bare scope name as a permission of the global Microsoft
 * Graph, so national clouds need their Graph resource as prefix.
 */
export function delegatedScopesFor(cloud: CloudEndpoints, extra: readonly string[] = []): string[] {
  const names = [...new Set([...BROWSE_SCOPES, ...extra])];
  const resource = graphResource(cloud);
  if (resource === GLOBAL_GRAPH_RESOURCE) return names;
  return names.map((scope) => `${resource}/${scope}`);
}
