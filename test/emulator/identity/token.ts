import { createHash, randomBytes } from 'node:crypto';
import type { IdentityContext } from './identityContext.js';
import { clientInfo } from './identityContext.js';
import type { RegisteredApp } from './apps.js';
import { AadError } from './aadErrors.js';
import { parseScopes } from './scopes.js';
import { CONSENT_ERRORS, resolveRequestedPermissions } from './consent.js';

/**
 * POST /{tenant}/oauth2/v2.0/token for client_credentials, authorization_code (with
 * PKCE S256) and refresh_token (rotating). Confidential-client authentication via
 * client_secret_post or client_secret_basic.
 */
const ACCESS_LIFETIME_SEC = 3599;
const REFRESH_LIFETIME_MS = 90 * 24 * 3600_000;

export function handleToken(ix: IdentityContext, tenantSegment: string, form: URLSearchParams, authorization: string | undefined): Record<string, unknown> {
  const t = ix.checkTenant(tenantSegment);
  if (t) throw new AadError(t.status, t.error, t.aadsts, t.description);
  const app = authenticateClient(ix, tenantSegment, form, authorization);
  const grant = form.get('grant_type');
  switch (grant) {
    case 'client_credentials':
      return clientCredentials(ix, app, form);
    case 'authorization_code':
      return authorizationCode(ix, app, form);
    case 'refresh_token':
      return refreshToken(ix, app, form);
    case null:
      throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    default:
      throw new AadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
  }
}

function authenticateClient(ix: IdentityContext, tenantSegment: string, form: URLSearchParams, authorization: string | undefined): RegisteredApp {
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      clientId ??= decodeURIComponent(decoded.slice(0, colon));
      secret ??= decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  if (!clientId) throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const app = ix.apps.get(clientId.toLowerCase());
  if (!app) {
    throw new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantSegment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  const st = ix.singleTenantProblem(tenantSegment, app);
  if (st) throw new AadError(st.status, st.error, st.aadsts, st.description);
  if (app.clientSecret === undefined) {
    // A public client (VS Code's app) proves nothing with a secret and may not present one.
    if (secret) throw new AadError(401, 'invalid_client', 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
    return app;
  }
  if (!secret) {
    throw new AadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (secret !== app.clientSecret) {
    throw new AadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  }
  return app;
}

function clientCredentials(ix: IdentityContext, app: RegisteredApp, form: URLSearchParams): Record<string, unknown> {
  if (app.clientSecret === undefined) {
    throw new AadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  const scope = form.get('scope') ?? '';
  const parsed = parseScopes(scope);
  if (parsed.foreignResource) {
    throw new AadError(400, 'invalid_resource', 500011, `The resource principal named ${parsed.foreignResource} was not found in the tenant named ${ix.tenantId}.`);
  }
  if (parsed.all.length !== 1 || parsed.graph[0] !== '.default' || !/^https?:\/\/|^0000/i.test(parsed.all[0] ?? '')) {
    throw new AadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const access = ix.minter.accessToken({ kind: 'app', roles: app.appRoles, clientId: app.clientId, expiresInSec: ACCESS_LIFETIME_SEC });
  return { token_type: 'Bearer', expires_in: ACCESS_LIFETIME_SEC, ext_expires_in: ACCESS_LIFETIME_SEC, access_token: access };
}

function authorizationCode(ix: IdentityContext, app: RegisteredApp, form: URLSearchParams): Record<string, unknown> {
  const codeValue = form.get('code');
  if (!codeValue) throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
  const code = ix.codes.get(codeValue);
  if (!code || code.clientId !== app.clientId) {
    throw new AadError(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.");
  }
  if (code.used) {
    throw new AadError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
  }
  // Single use: any redemption attempt by the right client consumes the code.
  code.used = true;
  if (Date.now() > code.expiresAt) {
    throw new AadError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
  }
  const redirectUri = form.get('redirect_uri') ?? '';
  if (redirectUri !== code.redirectUri) {
    throw new AadError(400, 'invalid_grant', 500112, `The reply address '${redirectUri}' does not match the reply address '${code.redirectUri}' provided when requesting Authorization code.`);
  }
  const verifier = form.get('code_verifier') ?? '';
  const computed = createHash('sha256').update(verifier).digest('base64url');
  if (verifier === '' || computed !== code.challenge) {
    throw new AadError(400, 'invalid_grant', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.');
  }
  return delegatedResponse(ix, app, code.userId, code.scopes, code.nonce, form.get('client_info') === '1');
}

function refreshToken(ix: IdentityContext, app: RegisteredApp, form: URLSearchParams): Record<string, unknown> {
  const value = form.get('refresh_token');
  if (!value) throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
  const grant = ix.refreshTokens.get(value);
  if (!grant || grant.clientId !== app.clientId) throw new AadError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
  const requested = form.get('scope');
  const scopes = requested ? requested.split(/\s+/).filter(Boolean) : grant.scopes;
  // A request refused for want of consent leaves the refresh token usable for what is consented (the app goes on
  // with it after asking interactively).
  consentedPermissions(ix, app, grant.userId, parseScopes(scopes.join(' ')).graph);
  // Rotation: a refresh token works once; the answer carries its successor.
  ix.refreshTokens.delete(value);
  if (Date.now() > grant.expiresAt) {
    throw new AadError(400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity.');
  }
  const user = ix.state.usersById.get(grant.userId);
  if (!user) throw new AadError(400, 'invalid_grant', 50034, 'The user account does not exist in this directory.');
  if (!user.accountEnabled) throw new AadError(400, 'invalid_grant', 50057, 'The user account is disabled.');
  return delegatedResponse(ix, app, grant.userId, scopes, undefined, form.get('client_info') === '1');
}

function delegatedResponse(
  ix: IdentityContext,
  app: RegisteredApp,
  userId: string,
  requestedScopes: string[],
  nonce: string | undefined,
  wantClientInfo: boolean,
): Record<string, unknown> {
  const parsed = parseScopes(requestedScopes.join(' '));
  const granted = consentedPermissions(ix, app, userId, parsed.graph);
  const access = ix.minter.accessToken({ kind: 'delegated', userId, scopes: granted, clientId: app.clientId, expiresInSec: ACCESS_LIFETIME_SEC });
  const oidcOut = parsed.oidc.filter((s) => s !== 'offline_access');
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: [...granted, ...oidcOut].join(' '),
    expires_in: ACCESS_LIFETIME_SEC,
    ext_expires_in: ACCESS_LIFETIME_SEC,
    access_token: access,
  };
  if (parsed.oidc.includes('offline_access')) {
    const rt = `1.${randomBytes(48).toString('base64url')}`;
    ix.refreshTokens.set(rt, { clientId: app.clientId, userId, scopes: requestedScopes, expiresAt: Date.now() + REFRESH_LIFETIME_MS });
    body['refresh_token'] = rt;
  }
  if (parsed.oidc.includes('openid')) body['id_token'] = ix.minter.idToken(app.clientId, userId, nonce);
  if (wantClientInfo) body['client_info'] = clientInfo(userId, ix.tenantId);
  return body;
}

/**
 * The permissions a token may carry: exactly those requested, each one consented for this user and app (tenant-wide
 * or by the user) or, for a first-party app, pre-authorised; `.default` is everything consented. A requested
 * permission without consent fails the whole request with AADSTS65001 `invalid_grant` / `suberror: consent_required`:
 * only an interactive request can obtain consent ("Requesting individual user consent" and "Incremental and dynamic
 * user consent", https://learn.microsoft.com/entra/identity-platform/permissions-consent-overview; the token
 * endpoint's refresh response, https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-1).
 */
function consentedPermissions(ix: IdentityContext, app: RegisteredApp, userId: string, graphScopes: readonly string[]): string[] {
  const consented = app.preauthorizedScopes ?? ix.consent.consentedScopes(app.clientId, userId);
  const isDefault = (s: string): boolean => s.toLowerCase() === '.default';
  const named = graphScopes.filter((s) => !isDefault(s));
  const withDefault = named.length < graphScopes.length;
  if (withDefault && named.length === 0) return [...consented];
  const requested = resolveRequestedPermissions(app, named);
  // The error field of these two at the token endpoint is not documented; `invalid_client` as for AADSTS650057.
  if ('notPreauthorized' in requested) throw new AadError(400, 'invalid_client', 65002, CONSENT_ERRORS.notPreauthorized(app));
  if ('unknownScope' in requested) throw new AadError(400, 'invalid_client', 650053, CONSENT_ERRORS.unknownScope(app, requested.unknownScope));
  if (requested.permissions.some((p) => !consented.includes(p))) {
    throw new AadError(400, 'invalid_grant', 65001, CONSENT_ERRORS.notConsented(app), { suberror: 'consent_required' });
  }
  return withDefault ? [...new Set([...requested.permissions, ...consented])] : requested.permissions;
}
