import type { TenantState } from '../directory/tenant.js';
import type { RegisteredApp, TokenMinter } from './apps.js';
import type { AuthCode } from './authorize.js';
import type { ConsentStore } from './consent.js';

/** What the signed-in user answers when the consent prompt is shown (tests script "the user declines"). */
export type ConsentAnswer = 'accept' | 'decline';

/** Shared state of the identity endpoints (one per emulator instance). */
export interface RefreshGrant {
  clientId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
}

export interface TenantProblem {
  status: number;
  error: string;
  aadsts: number;
  description: string;
}

export interface IdentityContext {
  origin: string;
  tenantId: string;
  domain: string;
  state: TenantState;
  /** Keyed by lower-case client id. */
  apps: ReadonlyMap<string, RegisteredApp>;
  codes: Map<string, AuthCode>;
  refreshTokens: Map<string, RefreshGrant>;
  minter: TokenMinter;
  signedInUserId(): string;
  consent: ConsentStore;
  consentAnswer(): ConsentAnswer;
  checkTenant(segment: string): TenantProblem | undefined;
  /** Single-tenant apps may not use /common or /organizations. */
  singleTenantProblem(segment: string, app: RegisteredApp): TenantProblem | undefined;
}

/** base64url({"uid","utid"}), which MSAL uses to build home account ids. */
export function clientInfo(userId: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: userId, utid: tenantId })).toString('base64url');
}

export function tenantChecks(tenantId: string, domain: string): Pick<IdentityContext, 'checkTenant' | 'singleTenantProblem'> {
  return {
    checkTenant(segment) {
      const s = segment.toLowerCase();
      if (s === tenantId.toLowerCase() || s === domain.toLowerCase() || s === 'common' || s === 'organizations') return undefined;
      return {
        status: 400,
        error: 'invalid_tenant',
        aadsts: 90002,
        description: `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      };
    },
    singleTenantProblem(segment, app) {
      const s = segment.toLowerCase();
      if (app.multiTenant === true || (s !== 'common' && s !== 'organizations')) return undefined;
      return {
        status: 400,
        error: 'invalid_request',
        aadsts: 50194,
        description: `Application '${app.clientId}' is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
      };
    },
  };
}
