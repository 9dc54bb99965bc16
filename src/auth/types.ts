import type * as vscode from 'vscode';
import type { CloudEndpoints } from './clouds';

export type AuthMethod = 'vscode' | 'authorizationCode' | 'clientCredentials';

/** Who is signed in, as the status bar and the tree show it. Never holds a token. */
export interface SignedInAccount {
  method: AuthMethod;
  /** UPN or display name for delegated sign-in; the app's client id for app-only. */
  label: string;
  /**
   * The signed-in user's display name (delegated), or the app's (app-only), as the access token names them; unset
   * when the token does not. Directory text: shown only through the text policy.
   */
  displayName?: string;
  /** Object id of the signed-in user (delegated only). */
  userId?: string;
  tenantId?: string;
  /** App-only tokens have no user: `/me` does not exist, actions must name a user. */
  appOnly: boolean;
  /** The token's permissions (delegated `scp`, or an app's `roles`), to explain a refusal by its cause. */
  grantedScopes?: string[];
  /** The signed-in user's directory roles (the token's `wids`), by name. */
  directoryRoles?: string[];
}

/**
 * How a token is asked for. `scopes`: permissions beyond browsing's (short names, e.g. GroupMember.ReadWrite.All) that
 * a write needs; a silent request that lacks consent for them fails with 'ConsentRequired', an interactive one asks
 * for that consent. App-only sources ignore them: an app's roles are what an administrator granted.
 */
export interface TokenOptions {
  interactive: boolean;
  forceRefresh?: boolean;
  scopes?: readonly string[];
}

/**
 * One sign-in method. `getToken` throws {@link AuthError} (never with a token or secret in its message).
 * `interactive: false` must never show UI.
 */
export interface TokenSource extends vscode.Disposable {
  readonly method: AuthMethod;
  /** The cloud whose authority it asks and whose Graph its tokens are for. */
  readonly cloud: CloudEndpoints;
  getToken(options: TokenOptions): Promise<{ accessToken: string; account: SignedInAccount }>;
  signOut(): Promise<void>;
}

export class AuthError extends Error {
  constructor(
    message: string,
    /** `NeedsOwnApp`: VS Code's own app was refused a permission (AADSTS65002); only an app registration helps. */
    readonly code: 'NotSignedIn' | 'Cancelled' | 'ConsentRequired' | 'NeedsOwnApp' | 'MissingSecret' | 'MissingClientId' | 'Configuration' | 'Failed',
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** Where the auth layer writes diagnostics. Never given a token or a secret. */
export interface AuthLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The part of `vscode.SecretStorage` the auth layer uses. */
export interface SecretStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
  readonly onDidChange?: vscode.Event<{ key: string }>;
}

/** What the auth layer reads from a `vscode.AuthenticationSession`. */
export interface SessionLike {
  accessToken: string;
  account: { id: string; label: string };
  scopes: readonly string[];
}

/** `vscode.authentication.getSession`, injected. */
export type GetSession = (providerId: string, scopes: readonly string[], options: vscode.AuthenticationGetSessionOptions) => Promise<SessionLike | undefined>;

/**
 * SecretStorage keys, per app registration and per profile, so switching apps or profiles never mixes secrets or
 * caches. Without a profile the keys are the ones used before profiles existed: nothing stored is lost.
 */
export const SECRET_KEYS = {
  clientSecret: (clientId: string, profile?: string): string => `entraId.clientSecret/${clientId}${profileSuffix(profile)}`,
  msalCache: (clientId: string, profile?: string): string => `entraId.msalCache/${clientId}${profileSuffix(profile)}`,
} as const;

/** Names are matched case-insensitively, so the key is too; encoded so no name can reach into another key. */
export function profileSuffix(profile: string | undefined): string {
  return profile === undefined ? '' : `/profile/${encodeURIComponent(profile.toLowerCase())}`;
}
