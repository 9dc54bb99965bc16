import type * as Msal from '@azure/msal-node';
import * as vscode from 'vscode';
import { delegatedScopesFor } from './clouds';
import { notSignedIn } from './authErrors';
import { startLoopbackRedirect } from './loopbackRedirect';
import type { MsalEnvironment } from './msalApp';
import { MsalSource, type MsalSourceSettings } from './msalSource';
import { displayNameOf, grantsOf, readTokenClaims } from './tokenClaims';
import { AuthError, type SignedInAccount, type TokenOptions } from './types';

export interface AuthCodeOptions {
  openExternal(url: string): Promise<boolean>;
  /** How long to wait for the browser to come back. */
  timeoutMs: number;
}

/**
 * Delegated sign-in with the user's own app registration: authorization code + PKCE through the system browser
 * and a loopback redirect, then refresh tokens from the persisted msal cache.
 */
export class AuthCodeSource extends MsalSource {
  readonly method = 'authorizationCode' as const;

  constructor(
    env: MsalEnvironment,
    settings: MsalSourceSettings,
    private readonly options: AuthCodeOptions,
  ) {
    super(env, settings);
  }

  /**
   * Silent first (msal's cache, then its refresh token: the identity platform answers AADSTS65001 when `scopes` add a
   * permission without consent). Interactive: the browser, where the user (or the "Need admin approval" page) answers
   * for the added permissions; incremental consent, the read permissions stay granted.
   */
  async getToken(options: TokenOptions): Promise<{ accessToken: string; account: SignedInAccount }> {
    const scopes = delegatedScopesFor(this.settings.cloud, options.scopes);
    try {
      return await this.silent(scopes, options.forceRefresh ?? false);
    } catch (e) {
      if (!options.interactive || !(e instanceof AuthError) || (e.code !== 'NotSignedIn' && e.code !== 'ConsentRequired')) throw e;
    }
    return this.browserSignIn(scopes);
  }

  private async silent(scopes: string[], forceRefresh: boolean): Promise<{ accessToken: string; account: SignedInAccount }> {
    // Without a persisted cache there is nobody to sign in silently, and no reason to load msal yet.
    if (!(await this.hasPersistedCache())) throw notSignedIn();
    const app = await this.app();
    let result: Msal.AuthenticationResult | null;
    try {
      const [account] = await app.getTokenCache().getAllAccounts();
      if (!account) throw notSignedIn();
      result = await app.acquireTokenSilent({ account, scopes, forceRefresh });
    } catch (e) {
      throw this.fail(e);
    }
    if (!result?.accessToken) throw notSignedIn();
    return { accessToken: result.accessToken, account: this.toAccount(result) };
  }

  private async browserSignIn(scopes: string[]): Promise<{ accessToken: string; account: SignedInAccount }> {
    const app = await this.app();
    const msal = await this.env.loadMsal();
    const crypto = new msal.CryptoProvider();
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const state = crypto.createNewGuid();
    const nonce = crypto.createNewGuid();
    const loopback = await startLoopbackRedirect();
    try {
      const redirectUri = loopback.redirectUri;
      let url: string;
      try {
        url = await app.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', state, nonce, prompt: msal.PromptValue.SELECT_ACCOUNT });
      } catch (e) {
        throw this.fail(e);
      }
      // Listen before opening the browser so a fast redirect cannot be missed.
      const cancel = new AbortController();
      const code = loopback.waitForCode(state, this.options.timeoutMs, cancel.signal);
      // The redirect can fail before openExternal returns; it is awaited below, so mark it handled now.
      code.catch(() => undefined);
      if (!(await this.options.openExternal(url))) {
        throw new AuthError(vscode.l10n.t('Sign-in was cancelled: the browser was not opened.'), 'Cancelled');
      }
      // The wait can be cancelled from VS Code (a closed tab or a wrong account would otherwise hold it for minutes).
      const authorizationCode = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Entra ID: finish signing in in your browser…'), cancellable: true },
        (_progress, token) => {
          const sub = token.onCancellationRequested(() => cancel.abort());
          return code.finally(() => {
            sub.dispose();
          });
        },
      );
      let result: Msal.AuthenticationResult;
      try {
        result = await app.acquireTokenByCode({ code: authorizationCode, codeVerifier: verifier, redirectUri, scopes, nonce });
      } catch (e) {
        throw this.fail(e);
      }
      await this.keepOnly(app, result.account);
      return { accessToken: result.accessToken, account: this.toAccount(result) };
    } finally {
      loopback.close();
    }
  }

  /** One signed-in account per app: a new sign-in replaces the previous one, so silent sign-in is unambiguous. */
  private async keepOnly(app: Msal.ConfidentialClientApplication, keep: Msal.AccountInfo | null): Promise<void> {
    if (!keep) return;
    const cache = app.getTokenCache();
    for (const account of await cache.getAllAccounts()) {
      if (account.homeAccountId !== keep.homeAccountId) await cache.removeAccount(account);
    }
  }

  private toAccount(result: Msal.AuthenticationResult): SignedInAccount {
    const claims = readTokenClaims(result.accessToken);
    const info = result.account;
    const userId = claims.oid ?? (typeof result.idTokenClaims === 'object' && 'oid' in result.idTokenClaims ? String(result.idTokenClaims.oid) : undefined) ?? info?.localAccountId;
    const tenantId = claims.tid ?? (info?.tenantId || result.tenantId || undefined);
    return {
      method: this.method,
      label: info?.username || info?.name || this.clientId,
      appOnly: false,
      ...(userId ? { userId } : {}),
      ...(tenantId ? { tenantId } : {}),
      ...displayNameOf({ ...claims, name: claims.name ?? info?.name }, false),
      ...grantsOf(claims, false),
    };
  }
}
