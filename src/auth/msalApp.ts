import type * as Msal from '@azure/msal-node';
import type { CloudEndpoints } from './clouds';
import { redact } from './redact';
import type { AuthLog, SecretStore } from './types';

/** The `@azure/msal-node` module, loaded lazily so activation never pays for it. */
export type MsalModule = typeof Msal;
export type MsalLoader = () => Promise<MsalModule>;

/** What the msal-based sources share: the module loader, storage, and an optional network client (tests). */
export interface MsalEnvironment {
  loadMsal: MsalLoader;
  secrets: SecretStore;
  /** The app's client secret (stored, or this run's from the environment); see `ClientSecrets`. */
  clientSecret(clientId: string, profile?: string): Promise<string | undefined>;
  log: AuthLog;
  /** msal's HTTP client; unset means msal's own (global fetch, which honours NODE_EXTRA_CA_CERTS). */
  networkClient?: Msal.INetworkModule;
}

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  cloud: CloudEndpoints;
  /** GUID, domain or 'organizations'. */
  tenant: string;
}

/** Builds a confidential client for the app registration, with its token cache persisted in SecretStorage. */
export function createConfidentialApp(msal: MsalModule, env: MsalEnvironment, app: AppRegistration, cacheKey: string): Msal.ConfidentialClientApplication {
  const authority = `${app.cloud.authorityHost}/${app.tenant}`;
  const auth: Msal.NodeAuthOptions = { clientId: app.clientId, clientSecret: app.clientSecret, authority };
  if (app.cloud.name === 'custom') {
    // A custom host (e.g. a test identity server) is not in msal's list of Microsoft clouds: trusting it by name
    // makes msal derive the cloud metadata from the host instead of asking login.microsoftonline.com about it.
    auth.knownAuthorities = [new URL(app.cloud.authorityHost).host];
  }
  const { LogLevel } = msal;
  return new msal.ConfidentialClientApplication({
    auth,
    cache: { cachePlugin: secretStorageCachePlugin(env.secrets, cacheKey) },
    system: {
      ...(env.networkClient ? { networkClient: env.networkClient } : {}),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level: Msal.LogLevel, message: string) => {
          const text = `msal: ${redact(message, [app.clientSecret])}`;
          if (level === LogLevel.Error) env.log.error(text);
          // App-only tokens carry no client info by design: msal says so at warning level on every sign-in.
          else if (/No client info in response/i.test(message)) env.log.info(text);
          else env.log.warn(text);
        },
      },
    },
  });
}

/**
 * Keeps msal's serialized cache (accounts, refresh tokens) in SecretStorage, so a sign-in survives restarts and is
 * shared by all windows without ever touching a plain file.
 */
export function secretStorageCachePlugin(secrets: SecretStore, key: string): Msal.ICachePlugin {
  return {
    async beforeCacheAccess(context) {
      // An absent entry means signed out (maybe in another window): start from an empty cache, not stale memory.
      context.tokenCache.deserialize((await secrets.get(key)) ?? '{}');
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) await secrets.store(key, context.tokenCache.serialize());
    },
  };
}

/**
 * The production loader: the library is only read and evaluated when an msal method is first used.
 * The bundler maps the import to the separate `dist/msal.js`, a CommonJS file: imported from an ES module its exports
 * may arrive as the namespace's `default`.
 */
export const loadMsalNode: MsalLoader = async () => {
  const loaded = (await import('@azure/msal-node')) as MsalModule & { default?: MsalModule };
  return loaded.default ?? loaded;
};

