import type * as Msal from '@azure/msal-node';
import * as vscode from 'vscode';
import type { CloudEndpoints } from './clouds';
import { COMMAND_TITLES } from './authErrors';
import { createConfidentialApp, type MsalEnvironment } from './msalApp';
import { toAuthError } from './msalErrors';
import { AuthError, SECRET_KEYS, type AuthMethod, type SignedInAccount, type TokenOptions, type TokenSource } from './types';

export interface MsalSourceSettings {
  clientId: string | undefined;
  tenantId: string | undefined;
  cloud: CloudEndpoints;
  /** The active profile: its secret and token cache are its own (see SECRET_KEYS). */
  profile?: string;
}

/**
 * What both app-registration methods share: the client id and secret checks, the lazily built msal app (rebuilt
 * when the secret changes), safe errors, and sign-out that wipes the persisted cache.
 */
export abstract class MsalSource implements TokenSource {
  abstract readonly method: AuthMethod;
  private current: Promise<{ app: Msal.ConfidentialClientApplication; secret: string }> | undefined;
  /** Remembered only to scrub it from error text. */
  private lastSecret: string | undefined;
  private readonly subscription: vscode.Disposable | undefined;

  constructor(
    protected readonly env: MsalEnvironment,
    protected readonly settings: MsalSourceSettings,
  ) {
    const clientId = settings.clientId;
    // Another window (or the command) may store or clear the secret; the next request must use the new one.
    this.subscription = clientId ? env.secrets.onDidChange?.((e) => (e.key === SECRET_KEYS.clientSecret(clientId, settings.profile) ? this.reset() : undefined)) : undefined;
  }

  get cloud(): CloudEndpoints {
    return this.settings.cloud;
  }

  abstract getToken(options: TokenOptions): Promise<{ accessToken: string; account: SignedInAccount }>;

  /** Drops the built app so the next request re-reads the secret. */
  reset(): void {
    this.current = undefined;
  }

  /** The tenant in the authority; subclasses may require a specific one. */
  protected tenant(): string {
    return this.settings.tenantId ?? 'organizations';
  }

  protected get clientId(): string {
    const clientId = this.settings.clientId;
    if (!clientId) {
      throw new AuthError(
        vscode.l10n.t('Signing in with your own app registration needs its application (client) ID in the setting entraId.auth.clientId, and its secret stored with "{0}".', COMMAND_TITLES.setClientSecret),
        'MissingClientId',
      );
    }
    return clientId;
  }

  protected get cacheKey(): string {
    return SECRET_KEYS.msalCache(this.clientId, this.settings.profile);
  }

  /** Whether a previous sign-in left a persisted cache; checked before loading msal at all. */
  protected async hasPersistedCache(): Promise<boolean> {
    return (await this.env.secrets.get(this.cacheKey)) !== undefined;
  }

  protected async app(): Promise<Msal.ConfidentialClientApplication> {
    const clientId = this.clientId;
    this.current ??= this.build(clientId).catch((e: unknown) => {
      this.current = undefined;
      throw e;
    });
    return (await this.current).app;
  }

  private async build(clientId: string): Promise<{ app: Msal.ConfidentialClientApplication; secret: string }> {
    const secret = await this.env.clientSecret(clientId, this.settings.profile);
    if (!secret) {
      throw new AuthError(vscode.l10n.t('No client secret is stored for app {0}. Run "{1}" to store it.', clientId, COMMAND_TITLES.setClientSecret), 'MissingSecret');
    }
    this.lastSecret = secret;
    const tenant = this.tenant();
    let msal;
    try {
      msal = await this.env.loadMsal();
    } catch {
      throw new AuthError(vscode.l10n.t('The sign-in library could not be loaded.'), 'Failed');
    }
    try {
      const app = createConfidentialApp(msal, this.env, { clientId, clientSecret: secret, cloud: this.settings.cloud, tenant }, SECRET_KEYS.msalCache(clientId, this.settings.profile));
      return { app, secret };
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** A safe {@link AuthError} for anything msal threw. */
  protected fail(error: unknown): AuthError {
    return toAuthError(error, { clientId: this.settings.clientId ?? '', authorityHost: this.settings.cloud.authorityHost, known: [this.lastSecret] });
  }

  async signOut(): Promise<void> {
    const clientId = this.settings.clientId;
    if (!clientId) return;
    const built = this.current;
    this.current = undefined;
    if (built) {
      try {
        const { app } = await built;
        const cache = app.getTokenCache();
        for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
        app.clearCache();
      } catch (e) {
        this.env.log.warn(`Sign-out could not clear msal's accounts: ${this.fail(e).message}`);
      }
    }
    // Deleted last: removing accounts above writes the (now smaller) cache back first.
    await this.env.secrets.delete(SECRET_KEYS.msalCache(clientId, this.settings.profile));
  }

  dispose(): void {
    this.subscription?.dispose();
    this.current = undefined;
  }
}
