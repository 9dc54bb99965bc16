import { randomUUID } from 'node:crypto';
import { signJwt } from './jwt.js';
import type { Claims } from './jwt.js';
import type { TenantState } from '../directory/tenant.js';
import { DIRECTORY_ROLES, DEFAULT_USER_ROLE_TEMPLATE } from '../directory/roles.js';

/** App registrations and token minting shared by the token endpoint and `issueToken()`. */

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const DEMO_CLIENT_ID = 'e3f5c8a2-7b14-4d39-9a6e-1c2b3d4e5f60';
export const DEMO_CLIENT_SECRET = 'emulator-demo-secret';

/** Application permissions granted (admin-consented) to the demo app. */
export const DEFAULT_APP_ROLES = ['Directory.ReadWrite.All', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All'];

/**
 * Delegated permissions the demo app's registration lists (requiredResourceAccess). The emulator starts with an
 * administrator's tenant-wide consent to all of them, so the demo and the suites sign in without consent prompts.
 */
export const DEMO_APP_SCOPES = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

/** What `issueToken({ kind: 'delegated' })` grants when no scopes are named. */
export const DEFAULT_DELEGATED_SCOPES = ['User.Read', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All'];

export const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Visual Studio Code's own (first-party, multi-tenant, public) client id, the default of its Microsoft sign-in. */
export const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';

/**
 * Graph permissions Microsoft has pre-authorised VS Code's app for. First-party apps get no consent prompt: Graph must
 * pre-authorise them, and any other Graph scope fails with AADSTS65002 (issue threads: Azure/azure-sdk-for-net#24332
 * for VS Code's id, microsoftgraph/msgraph-cli#48 and AzureAD/microsoft-authentication-library-for-dotnet#668 for the
 * rule; microsoft/vscode#115626: VS Code's app "only has access to a handful of scopes", added on request). Microsoft
 * publishes no list; User.Read is the Graph scope VS Code itself asks for (GRAPH_TACK_ON_SCOPE in
 * microsoft/vscode extensions/microsoft-authentication/src/common/scopeData.ts), so it is the one known to work.
 */
export const VSCODE_PREAUTHORIZED_GRAPH_SCOPES = ['User.Read'];

/** The web redirect URI of VS Code's app (besides the loopback address). */
export const VSCODE_REDIRECT_URI = 'https://vscode.dev/redirect';

export interface RegisteredApp {
  clientId: string;
  /** Absent for a public client (no secret may be presented). */
  clientSecret?: string;
  displayName: string;
  appRoles: string[];
  /** Delegated Graph permissions the registration lists (requiredResourceAccess): what `.default` asks for. */
  requiredScopes: string[];
  /** A first-party app's Graph pre-authorisation: it is never offered consent; anything else fails (AADSTS65002). */
  preauthorizedScopes?: string[];
  /** Multi-tenant apps may use /common and /organizations. */
  multiTenant?: boolean;
  /**
   * Redirect URIs registered besides the loopback address (which public clients may always use on any port:
   * https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions). The authorize endpoint sends
   * the browser only to a registered URI (AADSTS50011 otherwise; same page).
   */
  redirectUris?: string[];
}

export function demoApp(): RegisteredApp {
  return {
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    displayName: 'Entra ID Directory (emulator demo)',
    appRoles: [...DEFAULT_APP_ROLES],
    requiredScopes: [...DEMO_APP_SCOPES],
  };
}

export function vscodeApp(): RegisteredApp {
  return {
    clientId: VSCODE_CLIENT_ID,
    displayName: 'Visual Studio Code',
    appRoles: [],
    requiredScopes: [],
    preauthorizedScopes: [...VSCODE_PREAUTHORIZED_GRAPH_SCOPES],
    multiTenant: true,
    // VS Code's provider (microsoft/vscode extensions/microsoft-authentication, its "protocol handler" flow, used when
    // the extension host is remote) signs in with this redirect URI; the page hands the answer back to the editor.
    redirectUris: [VSCODE_REDIRECT_URI],
  };
}

export interface TokenRequest {
  kind: 'delegated' | 'app';
  userId?: string;
  scopes?: string[];
  roles?: string[];
  expiresInSec?: number;
  clientId?: string;
}

export class TokenMinter {
  constructor(
    private readonly secret: Buffer,
    private readonly issuer: () => string,
    private readonly tenantId: string,
    private readonly state: TenantState,
    private readonly apps: ReadonlyMap<string, RegisteredApp>,
  ) {}

  accessToken(o: TokenRequest): string {
    const now = Math.floor(Date.now() / 1000);
    const clientId = o.clientId ?? DEMO_CLIENT_ID;
    const claims: Claims = {
      aud: GRAPH_RESOURCE,
      iss: this.issuer(),
      iat: now,
      nbf: now,
      exp: now + (o.expiresInSec ?? 3600),
      tid: this.tenantId,
      appid: clientId,
      azp: clientId,
      // Entra puts the calling app's name in tokens for Microsoft Graph, delegated and app-only alike; the claims
      // reference does not list it and other APIs cannot ask for it (Microsoft Q&A,
      // https://learn.microsoft.com/answers/questions/2153104).
      app_displayname: this.apps.get(clientId)?.displayName ?? 'Unknown app',
      idtyp: o.kind === 'app' ? 'app' : 'user',
      uti: randomUUID().replace(/-/g, ''),
      ver: '2.0',
    };
    if (o.kind === 'app') {
      claims['oid'] = servicePrincipalId(clientId);
      claims['sub'] = claims['oid'];
      claims['roles'] = o.roles ?? [...DEFAULT_APP_ROLES];
    } else {
      const userId = o.userId ?? this.state.adminUserId;
      const user = this.state.usersById.get(userId);
      claims['oid'] = userId;
      claims['sub'] = userId;
      claims['scp'] = (o.scopes ?? DEFAULT_DELEGATED_SCOPES).join(' ');
      // Entra lists the user's directory role template ids (and the default user role) in `wids`; Graph itself
      // decides from the directory, so this is only for clients that want to know the roles in advance
      // (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, wids).
      if (user) claims['wids'] = [...[...this.state.rolesOf(userId)].map((r) => DIRECTORY_ROLES[r]), DEFAULT_USER_ROLE_TEMPLATE];
      if (user) {
        claims['preferred_username'] = user.userPrincipalName;
        claims['upn'] = user.userPrincipalName;
        claims['name'] = user.displayName ?? user.userPrincipalName;
      }
    }
    return signJwt(claims, this.secret, 'emulator-graph');
  }

  idToken(clientId: string, userId: string, nonce: string | undefined): string {
    const now = Math.floor(Date.now() / 1000);
    const user = this.state.usersById.get(userId);
    const claims: Claims = {
      aud: clientId,
      iss: this.issuer(),
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: user?.displayName ?? '',
      oid: userId,
      preferred_username: user?.userPrincipalName ?? '',
      sub: userId,
      tid: this.tenantId,
      uti: randomUUID().replace(/-/g, ''),
      ver: '2.0',
    };
    if (nonce !== undefined) claims['nonce'] = nonce;
    return signJwt(claims, this.secret, 'emulator-id');
  }
}

/** A stable service-principal object id per client id. */
function servicePrincipalId(clientId: string): string {
  const hex = Buffer.from(clientId.replace(/-/g, ''), 'hex');
  for (let i = 0; i < hex.length; i++) hex[i] = ((hex[i] ?? 0) ^ 0x5a) & 0xff;
  const h = hex.toString('hex').padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
