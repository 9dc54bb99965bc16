import * as vscode from 'vscode';
import { graphResource } from './clouds';
import type { MsalEnvironment } from './msalApp';
import { MsalSource, type MsalSourceSettings } from './msalSource';
import { displayNameOf, grantsOf, readTokenClaims } from './tokenClaims';
import { AuthError, type SignedInAccount, type TokenOptions } from './types';

/**
 * App-only sign-in: the app registration's own application permissions, no user and no UI. `/me` does not exist
 * with these tokens, so the account is marked `appOnly` and actions must name a user.
 */
export class ClientCredentialsSource extends MsalSource {
  readonly method = 'clientCredentials' as const;
  private readonly scopes: string[];

  constructor(env: MsalEnvironment, settings: MsalSourceSettings) {
    super(env, settings);
    this.scopes = [`${graphResource(settings.cloud)}/.default`];
  }

  /** App-only tokens are issued by one tenant; 'organizations' has no meaning without a user. */
  protected override tenant(): string {
    const tenant = this.settings.tenantId;
    if (!tenant || tenant === 'organizations') {
      throw new AuthError(vscode.l10n.t('App-only sign-in needs the tenant: set entraId.auth.tenantId to the tenant ID or a verified domain.'), 'Configuration');
    }
    return tenant;
  }

  // `interactive` changes nothing: this flow never shows UI. Nor do `scopes`: `.default` brings every application
  // permission an administrator granted, and a missing one is named by Graph's refusal (accessErrors), not asked for.
  async getToken(options: TokenOptions): Promise<{ accessToken: string; account: SignedInAccount }> {
    const app = await this.app();
    let accessToken: string | undefined;
    try {
      // msal caches app tokens itself; skipCache is how Graph's 401 gets a fresh one.
      const result = await app.acquireTokenByClientCredential({ scopes: this.scopes, skipCache: options.forceRefresh ?? false });
      accessToken = result?.accessToken;
    } catch (e) {
      throw this.fail(e);
    }
    if (!accessToken) throw new AuthError(vscode.l10n.t('The sign-in service returned no token.'), 'Failed');
    const claims = readTokenClaims(accessToken);
    const tenantId = claims.tid ?? this.settings.tenantId;
    return { accessToken, account: { method: this.method, label: this.clientId, appOnly: true, ...(tenantId ? { tenantId } : {}), ...displayNameOf(claims, true), ...grantsOf(claims, true) } };
  }
}
