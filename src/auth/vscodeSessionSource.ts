import * as vscode from 'vscode';
import { cancelled, notSignedIn } from './authErrors';
import { delegatedScopesFor, type CloudEndpoints } from './clouds';
import { cancelledWithVscodeApp, consentHint, isConsentFailure, isFirstPartyRefusal, usesVscodeApp } from './consent';
import { describeAuthFailure } from './redact';
import { displayNameOf, grantsOf, readTokenClaims } from './tokenClaims';
import { AuthError, type AuthLog, type GetSession, type SessionLike, type SignedInAccount, type TokenOptions, type TokenSource } from './types';

export interface VscodeSessionSettings {
  cloud: CloudEndpoints;
  clientId: string | undefined;
  tenantId: string | undefined;
}

export interface VscodeSessionDeps {
  getSession: GetSession;
  onDidChangeSessions: vscode.Event<{ provider: { id: string } }>;
  log: AuthLog;
  now: () => number;
}

/** Ask VS Code again this long before the token expires; its provider refreshes in the background. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/** The scopes for VS Code's Microsoft provider, including the entries that pick the app and the tenant. */
export function sessionScopes(settings: VscodeSessionSettings, extra: readonly string[] = []): string[] {
  const scopes = delegatedScopesFor(settings.cloud, extra);
  if (settings.clientId) scopes.push(`VSCODE_CLIENT_ID:${settings.clientId}`);
  if (settings.tenantId) scopes.push(`VSCODE_TENANT:${settings.tenantId}`);
  return scopes;
}

type Acquired = { accessToken: string; account: SignedInAccount };

/**
 * Delegated sign-in through VS Code's built-in Microsoft (or sovereign cloud) account provider. VS Code keeps one
 * session per scope set: browsing uses the read set; a write asks for a session with its permission added.
 */
export class VscodeSessionSource implements TokenSource {
  readonly method = 'vscode' as const;
  readonly providerId: CloudEndpoints['vscodeProviderId'];
  readonly cloud: CloudEndpoints;
  /** Browsing's scope set. */
  readonly scopes: readonly string[];
  private readonly changed = new vscode.EventEmitter<void>();
  /** VS Code reported a change of this provider's sessions (sign-in, sign-out, account removed). */
  readonly onDidChangeSession = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The last token per scope set (keyed by the joined scopes). */
  private readonly cached = new Map<string, Acquired & { refreshAt: number }>();
  /** Graph rejected the token VS Code keeps returning: the next interactive sign-in must replace the session. */
  private stale = false;
  /** VS Code's own app, not one of the user's: Microsoft pre-authorises it for a few Graph permissions only. */
  private readonly vscodeApp: boolean;

  constructor(
    private readonly settings: VscodeSessionSettings,
    private readonly deps: VscodeSessionDeps,
  ) {
    this.cloud = settings.cloud;
    this.providerId = settings.cloud.vscodeProviderId;
    this.scopes = sessionScopes(settings);
    this.vscodeApp = usesVscodeApp(settings.clientId);
    this.subscription = deps.onDidChangeSessions((e) => {
      if (e.provider.id !== this.providerId) return;
      this.cached.clear();
      this.changed.fire();
    });
  }

  async getToken(options: TokenOptions): Promise<Acquired> {
    const scopes = sessionScopes(this.settings, options.scopes);
    const key = scopes.join(' ');
    const extra = (options.scopes?.length ?? 0) > 0;
    const previous = this.cached.get(key);
    const replace = options.interactive && this.stale;
    if (!options.forceRefresh && !replace && previous && this.deps.now() < previous.refreshAt) return previous;
    this.cached.delete(key);

    if (!replace) {
      const session = await this.ask(scopes, { silent: true });
      if (session) {
        // VS Code cannot be told to refresh silently; if it hands back the token Graph just refused, only a new
        // session helps — which needs UI, so it waits for the next interactive sign-in.
        if (options.forceRefresh && previous?.accessToken === session.accessToken) this.stale = true;
        if (!options.interactive || !this.stale) return this.remember(key, session);
      } else if (!options.interactive) {
        // No session with a write's permission yet: that takes the user's consent, not a new sign-in.
        if (extra) throw new AuthError(vscode.l10n.t('Not yet consented to {0}.', (options.scopes ?? []).join(', ')), 'ConsentRequired');
        throw notSignedIn();
      }
    }
    const session = await this.ask(
      scopes,
      this.stale ? { forceNewSession: { detail: vscode.l10n.t('Microsoft Graph did not accept the current sign-in. Sign in again to continue.') } } : { createIfNone: true },
    );
    if (!session) throw this.cancelledSignIn(scopes);
    this.stale = false;
    return this.remember(key, session);
  }

  /** The next interactive sign-in replaces the session (e.g. after Graph refused its token). */
  requireNewSession(): void {
    this.cached.clear();
    this.stale = true;
  }

  /**
   * Extensions cannot sign the user out of VS Code; forgetting which account this extension uses is the closest,
   * so the next interactive sign-in asks again.
   */
  async signOut(): Promise<void> {
    this.cached.clear();
    this.stale = false;
    try {
      await this.deps.getSession(this.providerId, this.scopes, { silent: true, clearSessionPreference: true });
    } catch (e) {
      this.deps.log.warn(`Could not clear the VS Code account preference: ${describeAuthFailure(e).description}`);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async ask(scopes: readonly string[], options: vscode.AuthenticationGetSessionOptions): Promise<SessionLike | undefined> {
    try {
      return await this.deps.getSession(this.providerId, scopes, options);
    } catch (e) {
      // The editor wiring's own refusals (e.g. the sovereign-cloud environment left unchanged) are already worded.
      if (e instanceof AuthError) throw e;
      throw this.sessionError(e, options.silent === true, scopes);
    }
  }

  private sessionError(error: unknown, silent: boolean, scopes: readonly string[]): AuthError {
    const { description } = describeAuthFailure(error);
    const failed = vscode.l10n.t('Sign-in with the VS Code account failed: {0}', description);
    // VS Code's own app asked for a permission Microsoft has not pre-authorised it for: only an own app helps.
    if (isFirstPartyRefusal(description) || (!silent && this.vscodeApp && isConsentFailure({ message: description }))) {
      return new AuthError(`${failed} ${consentHint(this.settings.cloud)}`, 'NeedsOwnApp');
    }
    // Declined at VS Code's own question ("wants to sign in using Microsoft"): no sign-in page was shown.
    if (!silent && /did not consent/i.test(description)) return cancelled();
    // The provider's progress cancelled, or its wait timed out (both end as VS Code's "Canceled").
    if (!silent && /cancel/i.test(description)) return this.cancelledSignIn(scopes);
    if (isConsentFailure({ message: description })) return new AuthError(failed, 'ConsentRequired');
    // With VS Code's own app, an interactive failure is most often the missing directory permission; say how to get past it.
    if (!silent && this.vscodeApp) return new AuthError(`${failed} ${consentHint(this.settings.cloud)}`, 'NeedsOwnApp');
    return new AuthError(failed, 'Failed');
  }

  /** An interactive sign-in ended without a session: explained when VS Code's app likely met AADSTS65002, else quiet. */
  private cancelledSignIn(scopes: readonly string[]): AuthError {
    const explained = cancelledWithVscodeApp({ clientId: this.settings.clientId, scopes, cloud: this.settings.cloud });
    if (!explained) return cancelled();
    this.deps.log.info(`Sign-in with VS Code's own app was cancelled or timed out; it asked for ${explained.refused.join(', ')}, which Microsoft has not pre-authorised VS Code's app for (the sign-in page answers AADSTS65002).`);
    return new AuthError(explained.message, 'NeedsOwnApp');
  }

  private remember(key: string, session: SessionLike): Acquired {
    const claims = readTokenClaims(session.accessToken);
    const tenantId = claims.tid ?? (this.settings.tenantId && this.settings.tenantId !== 'organizations' ? this.settings.tenantId : undefined);
    const account: SignedInAccount = {
      method: this.method,
      label: session.account.label,
      appOnly: false,
      ...(claims.oid ? { userId: claims.oid } : {}),
      ...(tenantId ? { tenantId } : {}),
      ...displayNameOf(claims, false),
      ...grantsOf(claims, false),
    };
    // Opaque tokens carry no expiry: ask VS Code every time rather than guess.
    const refreshAt = claims.exp !== undefined ? claims.exp * 1000 - EXPIRY_MARGIN_MS : 0;
    this.cached.set(key, { accessToken: session.accessToken, account, refreshAt });
    return { accessToken: session.accessToken, account };
  }
}
