import type * as Msal from '@azure/msal-node';
import * as vscode from 'vscode';
import type { TokenProvider, WriteAccess, WriteOperation } from '../core';
import type { Auth } from '../services';
import { AuthCodeSource } from './authCodeSource';
import { notSignedIn } from './authErrors';
import { ClientCredentialsSource } from './clientCredentialsSource';
import { ClientSecrets } from './clientSecrets';
import { CLOUDS, type CloudEndpoints } from './clouds';
import { consentQuestion, consentRefused } from './consent';
import { sameSignInConfig, type AuthConfig } from './config';
import { loadOnce } from '../core/loadOnce';
import { loadMsalNode, type MsalEnvironment, type MsalLoader } from './msalApp';
import { MsalSource } from './msalSource';
import type { OriginTrust } from './originTrust';
import { aadstsCode, describeAuthFailure } from './redact';
import { AuthError, SECRET_KEYS, type AuthLog, type GetSession, type SecretStore, type SignedInAccount, type TokenSource } from './types';
import { VscodeSessionSource } from './vscodeSessionSource';

/** Everything the manager talks to, injected so tests can fake each part. */
export interface SignInManagerDeps {
  secrets: SecretStore;
  readConfig(): AuthConfig;
  getSession: GetSession;
  onDidChangeSessions: vscode.Event<{ provider: { id: string } }>;
  openExternal(url: string): Promise<boolean>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  log: AuthLog;
  /** The rule for hosts that are not Microsoft's; every token request passes it first (see {@link OriginTrust}). */
  origins: Pick<OriginTrust, 'ensure'>;
  /** `ENTRA_ID_CLIENT_SECRET` as read at activation: used in memory for the app configured then, never stored. */
  environmentSecret?: string;
  loadMsal?: MsalLoader;
  now?: () => number;
  /** A modal question; true only when `action` was chosen (asks before the first write's consent). */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** Remembers an explicit sign-out, and a cleared secret, across restarts (the extension's globalState). */
  state?: { get<T>(key: string): T | undefined; update(key: string, value: unknown): Thenable<void> };
  /** msal's HTTP client; tests pass one that trusts the emulator's certificate. */
  msalNetworkClient?: Msal.INetworkModule;
  /** How long the browser sign-in may take. Default 5 minutes. */
  signInTimeoutMs?: number;
}

type Acquired = { accessToken: string; account: SignedInAccount };

const SIGNED_OUT_KEY = 'entraId.auth.signedOut';
const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/**
 * The extension's sign-in state: picks the token source for the configured method, keeps the signed-in account,
 * and hands the Graph core a {@link TokenProvider}. Tokens and secrets never leave this layer except as the
 * provider's return value.
 */
export class SignInManager implements Auth, vscode.Disposable {
  /** For the core `GraphClient`: a silent token; throws {@link AuthError} 'NotSignedIn' when nobody is signed in. */
  readonly tokenProvider: TokenProvider = async (options) => {
    if (this.signedOut) throw notSignedIn();
    const forceRefresh = options?.forceRefresh ?? false;
    if (options?.access) return (await this.acquireForWrite(options.access, forceRefresh)).accessToken;
    return (await this.acquire(false, forceRefresh)).accessToken;
  };

  private readonly accountEmitter = new vscode.EventEmitter<SignedInAccount | undefined>();
  readonly onDidChangeAccount = this.accountEmitter.event;

  private config: AuthConfig;
  private source: TokenSource | AuthError;
  private current: SignedInAccount | undefined;
  private signedOut: boolean;
  /** Bumped by sign-out and by a change of method: results of older acquisitions are discarded. */
  private generation = 0;
  /**
   * Set by `disconnect` (a switch of profile) until the sign-in settings change or an interactive sign-in succeeds.
   * Meanwhile nothing signs in silently: the views restart when the account goes and ask for a silent sign-in, which
   * would sign the profile being left in again from its token cache, and read its tenant, before the chosen profile's
   * settings take effect.
   */
  private leaving = false;
  /** Acquisitions under way: one per kind, and one per write permission (`write:<scope>`), shared by concurrent callers. */
  private readonly inflight = new Map<string, Promise<Acquired>>();
  private readonly busyEmitter = new vscode.EventEmitter<boolean>();
  /** Fires true when a first sign-in starts and false when it ends (the views show "Signing in…" meanwhile). */
  readonly onDidChangeSigningIn = this.busyEmitter.event;
  private lastBusy = false;
  private readonly msalEnv: MsalEnvironment;
  private readonly clientSecrets: ClientSecrets;

  constructor(private readonly deps: SignInManagerDeps) {
    this.clientSecrets = new ClientSecrets(deps.secrets, deps.state, deps.log);
    this.msalEnv = {
      loadMsal: loadOnce(deps.loadMsal ?? loadMsalNode),
      secrets: deps.secrets,
      clientSecret: (clientId, profile) => this.clientSecrets.get(clientId, profile),
      log: deps.log,
      ...(deps.msalNetworkClient ? { networkClient: deps.msalNetworkClient } : {}),
    };
    this.signedOut = deps.state?.get<boolean>(SIGNED_OUT_KEY) === true;
    this.config = this.readConfig();
    this.clientSecrets.adoptFromEnvironment(deps.environmentSecret, this.config.clientId, this.config.profile);
    this.source = this.createSource(this.config);
  }

  get account(): SignedInAccount | undefined {
    return this.current;
  }

  /** The settings in effect (for the Graph base URL and messages). */
  get configuration(): AuthConfig {
    return this.config;
  }

  /** The configured cloud, or undefined when its settings are unusable. */
  get cloud(): CloudEndpoints | undefined {
    return this.config.cloud.ok ? this.config.cloud.cloud : undefined;
  }

  /**
   * Interactive sign-in with the configured method; undefined when the user cancelled. Throws {@link AuthError}
   * for configuration problems and failures. `forceNewSession` replaces the VS Code session (after Graph refused it).
   */
  async signIn(options: { forceNewSession?: boolean } = {}): Promise<SignedInAccount | undefined> {
    if (options.forceNewSession && this.source instanceof VscodeSessionSource) this.source.requireNewSession();
    for (let attempt = 0; ; attempt++) {
      try {
        const { account } = await this.acquire(true, false);
        await this.setSignedOut(false);
        return account;
      } catch (e) {
        if (!(e instanceof AuthError)) throw e;
        if (e.code === 'Cancelled') return undefined;
        // A missing secret is one prompt away from a working sign-in.
        if (e.code === 'MissingSecret' && attempt === 0) {
          if (!(await this.setClientSecret())) return undefined;
          continue;
        }
        throw e;
      }
    }
  }

  /** Silent sign-in from cached state; never shows UI and never throws. */
  async trySilentSignIn(): Promise<SignedInAccount | undefined> {
    if (this.signedOut) return undefined;
    try {
      return (await this.acquire(false, false)).account;
    } catch (e) {
      if (!(e instanceof AuthError) || e.code !== 'NotSignedIn') this.deps.log.warn(`Silent sign-in failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** Forgets the sign-in: the method's own state, msal's persisted cache for the app, and the in-memory account. */
  async signOut(): Promise<void> {
    this.generation++;
    this.inflight.clear();
    await this.setSignedOut(true);
    if (!(this.source instanceof AuthError)) {
      try {
        await this.source.signOut();
      } catch (e) {
        this.deps.log.warn(`Sign-out: ${describeAuthFailure(e).description}`);
      }
    }
    // The cache of the configured app goes too when another method is active now.
    if (this.config.clientId) await this.deps.secrets.delete(SECRET_KEYS.msalCache(this.config.clientId, this.config.profile));
    this.setAccount(undefined);
    this.deps.log.info('Signed out.');
  }

  /**
   * Lets go of the signed-in account without forgetting it, for a switch of profile: the account leaves this window
   * (and acquisitions under way are dropped) but the token cache and the account choice stay, so switching back signs
   * in silently. Only `signOut` deletes them.
   */
  disconnect(): Promise<void> {
    this.generation++;
    this.inflight.clear();
    this.leaving = true;
    this.setAccount(undefined);
    this.deps.log.info('Left the sign-in of the profile; its token cache stays.');
    return Promise.resolve();
  }

  /** Asks for the app registration's client secret (password box) and keeps it in SecretStorage only. */
  async setClientSecret(): Promise<boolean> {
    const clientId = this.requireClientId();
    const value = await this.deps.showInputBox({
      title: vscode.l10n.t('Client secret for app {0}', clientId),
      prompt: vscode.l10n.t("Paste the secret's value from the app registration's Certificates & secrets page. It is kept in VS Code's secret storage."),
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => {
        const v = text.trim();
        if (!v) return vscode.l10n.t('Enter the secret value.');
        // The portal shows the secret's ID (a GUID) next to its value; the ID is the usual mistake.
        if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return vscode.l10n.t("That is the secret's ID; paste its value.");
        return undefined;
      },
    });
    const secret = value?.trim();
    if (!secret) return false;
    await this.clientSecrets.store(clientId, secret, this.config.profile);
    if (this.source instanceof MsalSource) this.source.reset();
    this.deps.log.info(`Stored a client secret for app ${clientId}.`);
    return true;
  }

  /**
   * Deletes the stored client secret and drops the environment's (for this run and later starts); the
   * app-registration methods are signed out in memory.
   */
  async clearClientSecret(): Promise<void> {
    const clientId = this.requireClientId();
    await this.clientSecrets.clear(clientId, this.config.profile);
    if (this.source instanceof MsalSource) {
      this.source.reset();
      this.generation++;
      this.inflight.clear();
      this.setAccount(undefined);
    }
    this.deps.log.info(`Removed the client secret for app ${clientId}.`);
  }

  /** Re-reads the settings; a different method, app, tenant or cloud replaces the token source. */
  reloadConfig(): void {
    const next = this.readConfig();
    const changed = !sameSignInConfig(next, this.config);
    this.config = next;
    if (!changed) return;
    if (!(this.source instanceof AuthError)) this.source.dispose();
    this.source = this.createSource(next);
    this.generation++;
    this.inflight.clear();
    this.leaving = false;
    this.setAccount(undefined);
    void this.trySilentSignIn();
  }

  dispose(): void {
    if (!(this.source instanceof AuthError)) this.source.dispose();
    this.accountEmitter.dispose();
    this.busyEmitter.dispose();
  }

  /** Whether a sign-in (silent or interactive) is under way while nobody is signed in yet. */
  get signingIn(): boolean {
    return this.current === undefined && this.inflight.size > 0;
  }

  private announceBusy(): void {
    const busy = this.signingIn;
    if (busy !== this.lastBusy) {
      this.lastBusy = busy;
      this.busyEmitter.fire(busy);
    }
  }

  /** Shares one acquisition between concurrent callers; a plain silent request also accepts a forced refresh under way. */
  private acquire(interactive: boolean, forceRefresh: boolean): Promise<Acquired> {
    const key = interactive ? 'interactive' : forceRefresh ? 'refresh' : 'silent';
    const existing = this.inflight.get(key) ?? (key === 'silent' ? this.inflight.get('refresh') : undefined);
    if (existing) return existing;
    const pending = this.run(interactive, forceRefresh).finally(() => {
      if (this.inflight.get(key) === pending) this.inflight.delete(key);
      this.announceBusy();
    });
    this.inflight.set(key, pending);
    this.announceBusy();
    return pending;
  }

  /**
   * A token for a write: browsing's permissions plus the one the write needs (from the core's one table). Silent when
   * it is already consented; otherwise the user is asked once, in a modal, and the method's interactive flow asks for
   * the consent. A refusal says what was refused and what to do; the signed-in account and browsing stay as they were.
   * App-only tokens carry what an administrator granted: nothing to ask, and Graph's refusal names the missing role.
   */
  private acquireForWrite(access: WriteAccess, forceRefresh: boolean): Promise<Acquired> {
    const source = this.source;
    if (source instanceof AuthError) return Promise.reject(source);
    if (source.method === 'clientCredentials') return this.acquire(false, forceRefresh);
    const scope = scopeToAsk(access, this.current?.grantedScopes);
    const key = `write:${scope}${forceRefresh ? ':refresh' : ''}`;
    const existing = this.inflight.get(key);
    if (existing) return existing;
    const pending = this.consentAndRun(access.operation, scope, forceRefresh).finally(() => {
      if (this.inflight.get(key) === pending) this.inflight.delete(key);
    });
    this.inflight.set(key, pending);
    return pending;
  }

  private async consentAndRun(operation: WriteOperation, scope: string, forceRefresh: boolean): Promise<Acquired> {
    try {
      return await this.run(false, forceRefresh, [scope]);
    } catch (e) {
      if (!(e instanceof AuthError) || e.code !== 'ConsentRequired') throw this.refusal(e, operation, scope);
    }
    const question = consentQuestion(operation, scope);
    if (!(await this.deps.confirm(question.message, question.detail, question.action))) {
      throw new AuthError(this.refused(operation, scope, 'notAsked'), 'Cancelled');
    }
    this.deps.log.info(`Asking for consent to ${scope} (${operation}).`);
    try {
      return await this.run(true, false, [scope]);
    } catch (e) {
      throw this.refusal(e, operation, scope);
    }
  }

  /** A failed write-permission request, worded by how it ended (see consentRefused). */
  private refusal(error: unknown, operation: WriteOperation, scope: string): unknown {
    if (!(error instanceof AuthError)) return error;
    const aadsts = aadstsCode(error.message);
    if (error.code === 'NeedsOwnApp') return new AuthError(this.refused(operation, scope, 'firstParty'), 'NeedsOwnApp');
    if (error.code === 'Cancelled' || aadsts === 65004) {
      return new AuthError(this.refused(operation, scope, 'declined', aadsts ? `AADSTS${aadsts}` : undefined), 'Cancelled');
    }
    if (error.code === 'ConsentRequired') {
      return new AuthError(this.refused(operation, scope, 'needsAdmin', aadsts ? `AADSTS${aadsts}` : undefined), 'ConsentRequired');
    }
    return error;
  }

  private refused(operation: WriteOperation, scope: string, how: 'notAsked' | 'declined' | 'needsAdmin' | 'firstParty', detail?: string): string {
    const message = consentRefused({ operation, scope, how, cloud: this.cloud ?? CLOUDS.global, ...(this.config.clientId ? { clientId: this.config.clientId } : {}), ...(detail ? { detail } : {}) });
    this.deps.log.warn(message);
    return message;
  }

  private async run(interactive: boolean, forceRefresh: boolean, scopes?: readonly string[]): Promise<Acquired> {
    const source = this.source;
    if (source instanceof AuthError) throw source;
    const generation = this.generation;
    try {
      if (this.leaving && !interactive) throw notSignedIn();
      // Before the source runs: it is what reads the secret and talks to the authority, and its token goes to Graph.
      await this.deps.origins.ensure(source.cloud, interactive);
      const result = await source.getToken({ interactive, forceRefresh, ...(scopes ? { scopes } : {}) });
      // Signed out (or switched method) while this was under way: the result belongs to nobody.
      if (generation !== this.generation) throw notSignedIn();
      // An interactive sign-in ends an explicit sign-out before anyone hears of the account: the reads its arrival
      // starts (the tenant's name, the views) would otherwise be refused as signed out.
      if (interactive) await this.setSignedOut(false);
      if (generation !== this.generation) throw notSignedIn();
      if (interactive) this.leaving = false;
      this.setAccount(result.account);
      return result;
    } catch (e) {
      const error = e instanceof AuthError ? e : new AuthError(vscode.l10n.t('Sign-in failed: {0}', describeAuthFailure(e).description), 'Failed');
      if (error.code === 'NotSignedIn' && generation === this.generation) this.setAccount(undefined);
      throw error;
    }
  }

  private createSource(config: AuthConfig): TokenSource | AuthError {
    if (!config.cloud.ok) return new AuthError(config.cloud.message, 'Configuration');
    const cloud = config.cloud.cloud;
    const settings = { cloud, clientId: config.clientId, tenantId: config.tenantId, ...(config.profile ? { profile: config.profile } : {}) };
    switch (config.method) {
      case 'vscode': {
        const source = new VscodeSessionSource(settings, {
          getSession: this.deps.getSession,
          onDidChangeSessions: this.deps.onDidChangeSessions,
          log: this.deps.log,
          now: this.deps.now ?? Date.now,
        });
        // Signing in or out in VS Code's Accounts menu changes who we are; re-read without UI.
        source.onDidChangeSession(() => void this.trySilentSignIn());
        return source;
      }
      case 'authorizationCode':
        return new AuthCodeSource(this.msalEnv, settings, { openExternal: (url) => this.deps.openExternal(url), timeoutMs: this.deps.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS });
      case 'clientCredentials':
        return new ClientCredentialsSource(this.msalEnv, settings);
      default:
        return assertNever(config.method);
    }
  }

  private readConfig(): AuthConfig {
    const config = this.deps.readConfig();
    for (const problem of config.problems) this.deps.log.warn(problem);
    if (!config.cloud.ok) this.deps.log.warn(config.cloud.message);
    return config;
  }

  private requireClientId(): string {
    const clientId = this.config.clientId;
    if (!clientId) throw new AuthError(vscode.l10n.t('Set the application (client) ID of your app registration in the setting entraId.auth.clientId first.'), 'MissingClientId');
    return clientId;
  }

  private async setSignedOut(value: boolean): Promise<void> {
    if (this.signedOut === value) return;
    this.signedOut = value;
    await this.deps.state?.update(SIGNED_OUT_KEY, value);
  }

  private setAccount(account: SignedInAccount | undefined): void {
    if (sameAccount(this.current, account)) {
      // The same person; what the newest token grants (a write's permission after consent) is what counts.
      if (account && this.current) this.current = account;
      return;
    }
    this.current = account;
    this.deps.log.info(account ? `Signed in (${account.method}) as ${account.label}.` : 'No account is signed in.');
    this.accountEmitter.fire(account);
  }
}

/** The permission to ask for: one the account already holds (a wider one an administrator granted), else the least privileged. */
export function scopeToAsk(access: WriteAccess, granted: readonly string[] | undefined): string {
  const held = new Set((granted ?? []).map((g) => g.toLowerCase()));
  return access.scopes.find((s) => held.has(s.toLowerCase())) ?? access.scopes[0] ?? '';
}

function sameAccount(a: SignedInAccount | undefined, b: SignedInAccount | undefined): boolean {
  if (!a || !b) return a === b;
  return a.method === b.method && a.label === b.label && a.userId === b.userId && a.tenantId === b.tenantId && a.appOnly === b.appOnly;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected sign-in method: ${String(value)}`);
}
