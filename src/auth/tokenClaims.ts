import { rolesFromWids } from '../core';
/** The few access-token claims the extension reads. Tokens are opaque to most code; this never logs or returns them. */
export interface TokenClaims {
  /** Object id of the user (delegated tokens) or of the service principal (app-only). */
  oid?: string;
  tid?: string;
  /** Expiry, seconds since the epoch. */
  exp?: number;
  /** Application permissions of an app-only token. */
  roles?: string[];
  /** Delegated permissions, space separated. */
  scp?: string;
  /** Directory role template ids of the signed-in user. */
  wids?: string[];
  /** The signed-in user's display name (delegated tokens). */
  name?: string;
  /**
   * The calling app's display name (`app_displayname`): Entra puts it in tokens for Microsoft Graph, delegated and
   * app-only (Microsoft Q&A, https://learn.microsoft.com/answers/questions/2153104; not in the claims reference).
   */
  appDisplayName?: string;
}

/** What the token says the caller may do, as the account carries it (for explaining refusals; Graph decides). */
export function grantsOf(claims: TokenClaims, appOnly: boolean): { grantedScopes?: string[]; directoryRoles?: string[] } {
  const scopes = appOnly ? claims.roles : claims.scp?.split(' ').filter(Boolean);
  return {
    ...(scopes ? { grantedScopes: scopes } : {}),
    ...(claims.wids ? { directoryRoles: rolesFromWids(claims.wids) } : {}),
  };
}

/** Who the token speaks for, by name: the user's for delegated tokens, the app's for app-only ones. */
export function displayNameOf(claims: TokenClaims, appOnly: boolean): { displayName?: string } {
  const name = appOnly ? claims.appDisplayName : claims.name;
  return name?.trim() ? { displayName: name } : {};
}

/**
 * Decodes the payload of a JWT without verifying it — it is only used to label the account and to know when
 * to ask again; Graph verifies the token. Returns {} for anything that is not a readable JWT (some tokens are opaque).
 */
export function readTokenClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (!payload) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const p = parsed as Record<string, unknown>;
  const claims: TokenClaims = {};
  if (typeof p.oid === 'string') claims.oid = p.oid;
  if (typeof p.tid === 'string') claims.tid = p.tid;
  if (typeof p.exp === 'number') claims.exp = p.exp;
  if (typeof p.scp === 'string') claims.scp = p.scp;
  if (Array.isArray(p.roles)) claims.roles = p.roles.filter((r): r is string => typeof r === 'string');
  if (typeof p.name === 'string') claims.name = p.name;
  if (typeof p.app_displayname === 'string') claims.appDisplayName = p.app_displayname;
  if (Array.isArray(p.wids)) claims.wids = p.wids.filter((r): r is string => typeof r === 'string');
  return claims;
}
