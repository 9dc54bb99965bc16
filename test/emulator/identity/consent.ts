import { randomUUID } from 'node:crypto';
import type { TenantState } from '../directory/tenant.js';
import type { DirectoryRole } from '../directory/roles.js';
import { GRAPH_APP_ID } from './apps.js';
import type { RegisteredApp } from './apps.js';

/**
 * The identity platform's consent rules for Microsoft Graph's delegated permissions: which permissions need an
 * administrator, who counts as one, and the grants consent leaves behind.
 */

/**
 * Graph delegated permissions the emulator knows, with the permissions reference's "Admin consent required" column
 * (https://learn.microsoft.com/graph/permissions-reference: User, Group, Directory, Organization and RoleManagement
 * sections). A permission outside this table is one Graph doesn't expose to the emulator's apps.
 */
export const GRAPH_DELEGATED_PERMISSIONS: Readonly<Record<string, { adminConsentRequired: boolean }>> = {
  'User.Read': { adminConsentRequired: false },
  'User.ReadWrite': { adminConsentRequired: false },
  'User.ReadBasic.All': { adminConsentRequired: false },
  'User.Read.All': { adminConsentRequired: true },
  'User.ReadWrite.All': { adminConsentRequired: true },
  'Group.Read.All': { adminConsentRequired: true },
  'Group.ReadWrite.All': { adminConsentRequired: true },
  'GroupMember.Read.All': { adminConsentRequired: true },
  'GroupMember.ReadWrite.All': { adminConsentRequired: true },
  'Directory.Read.All': { adminConsentRequired: true },
  'Directory.ReadWrite.All': { adminConsentRequired: true },
  'Directory.AccessAsUser.All': { adminConsentRequired: true },
  'Organization.Read.All': { adminConsentRequired: true },
  'RoleManagement.ReadWrite.Directory': { adminConsentRequired: true },
};

/**
 * Directory roles whose holders may consent for the whole organization to delegated permissions of any API
 * ("Grant tenant-wide admin consent to an application", prerequisites:
 * https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent; Global Administrator holds every
 * permission of these roles, https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
 * Anyone else meets "Need admin approval" for a permission that needs an administrator.
 */
export const CONSENT_ADMIN_ROLES: readonly DirectoryRole[] = [
  'Global Administrator',
  'Privileged Role Administrator',
  'Cloud Application Administrator',
  'Application Administrator',
];

/** The canonical spelling of a Graph delegated permission (scope names are case-insensitive), if Graph has it. */
export function canonicalGraphPermission(name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(GRAPH_DELEGATED_PERMISSIONS).find((p) => p.toLowerCase() === lower);
}

export function needsAdminConsent(permission: string): boolean {
  return GRAPH_DELEGATED_PERMISSIONS[permission]?.adminConsentRequired ?? true;
}

export type ScopeResolution = { ok: true; permissions: string[] } | { ok: false; unknownScope: string } | { ok: false; notPreauthorized: true };

/**
 * The Graph permissions an authorize request asks for (scope names without the resource prefix). `.default` means
 * the registration's static list ("The /.default scope", https://learn.microsoft.com/entra/identity-platform/scopes-oidc#the-default-scope);
 * a sign-in naming no Graph scope gets User.Read, as the sign-in permission. A first-party app may ask only for what
 * Graph pre-authorised it for.
 */
export function resolveRequestedPermissions(app: RegisteredApp, requested: readonly string[]): ScopeResolution {
  const names = requested.length === 0 ? ['User.Read'] : requested;
  const out: string[] = [];
  for (const name of names) {
    const expanded = name.toLowerCase() === '.default' ? (app.preauthorizedScopes ?? app.requiredScopes) : [name];
    for (const one of expanded) {
      const permission = canonicalGraphPermission(one);
      if (!permission) return { ok: false, unknownScope: one };
      if (!out.includes(permission)) out.push(permission);
    }
  }
  if (app.preauthorizedScopes && out.some((p) => !app.preauthorizedScopes?.includes(p))) return { ok: false, notPreauthorized: true };
  return { ok: true, permissions: out };
}

/**
 * The identity platform's consent refusals, worded as it words them (the AADSTS number is added by the caller).
 * Sources: the error-code reference (https://learn.microsoft.com/entra/identity-platform/reference-error-codes) and
 * "Unexpected error when performing consent" (https://learn.microsoft.com/entra/identity/enterprise-apps/application-sign-in-unexpected-user-consent-error)
 * for the codes; the texts as the platform returns them, quoted in issue threads (65001:
 * Azure-Samples/ms-identity-dotnet-advanced-token-cache#5, with `suberror: consent_required` in MicrosoftDocs/azure-docs#39189;
 * 65002: Azure/azure-sdk-for-net#24332; 65004: MicrosoftDocs/azure-docs#114009; 90094: microsoft/elk-acs-kubernetes#30;
 * 650053: MicrosoftDocs/powerquery-docs, "Access denied" for Azure AD sign-in).
 */
export const CONSENT_ERRORS = {
  notConsented: (app: RegisteredApp): string =>
    `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
  notPreauthorized: (app: RegisteredApp): string =>
    `Consent between first party application '${app.clientId}' and first party resource '${GRAPH_APP_ID}' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API.`,
  declined: (): string => 'User declined to consent to access the app.',
  needsAdmin: (): string => 'The grant requires admin permission.',
  unknownScope: (app: RegisteredApp, scope: string): string =>
    `The application '${app.displayName}' asked for scope '${scope}' that doesn't exist on the resource '${GRAPH_APP_ID}'. Contact the app vendor.`,
} as const;

export function mayConsentForOrganization(state: TenantState, userId: string): boolean {
  const roles = state.rolesOf(userId);
  return CONSENT_ADMIN_ROLES.some((r) => roles.has(r));
}

/**
 * One delegated permission grant, shaped like Graph's oauth2PermissionGrant
 * (https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant): `consentType` AllPrincipals is an
 * administrator's consent for every user of the tenant (`principalId` null), Principal one user's consent for
 * themselves; `scope` is space-separated. The resource is always Microsoft Graph here.
 */
export interface ConsentGrant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId: string | null;
  resourceId: string;
  scope: string;
}

export interface RevokeConsent {
  /** Only the tenant-wide grant, or only this user's own grant; both when omitted. */
  consentType?: 'AllPrincipals' | 'Principal';
  principalId?: string;
  /** Only these permissions; the whole grant when omitted. */
  scopes?: readonly string[];
}

/** The tenant's delegated permission grants, per client id. */
export class ConsentStore {
  private readonly grants: ConsentGrant[] = [];

  /** Permissions granted to the app for this user: the tenant-wide grant plus the user's own. */
  consentedScopes(clientId: string, userId: string): string[] {
    const out: string[] = [];
    for (const g of this.grants) {
      if (g.clientId !== clientId.toLowerCase()) continue;
      if (g.consentType === 'Principal' && g.principalId !== userId) continue;
      for (const s of splitScope(g.scope)) if (!out.includes(s)) out.push(s);
    }
    return out;
  }

  /** Adds permissions to the app's grant of that kind (one grant per client, consent type and principal, as in Entra). */
  grant(clientId: string, consentType: ConsentGrant['consentType'], principalId: string | null, scopes: readonly string[]): ConsentGrant {
    const client = clientId.toLowerCase();
    const principal = consentType === 'AllPrincipals' ? null : principalId;
    if (consentType === 'Principal' && !principal) throw new Error('A Principal grant needs the user id it is for.');
    let g = this.grants.find((x) => x.clientId === client && x.consentType === consentType && x.principalId === principal);
    if (!g) {
      g = { id: randomUUID(), clientId: client, consentType, principalId: principal, resourceId: GRAPH_APP_ID, scope: '' };
      this.grants.push(g);
    }
    const merged = splitScope(g.scope);
    for (const s of scopes) if (!merged.includes(s)) merged.push(s);
    g.scope = merged.join(' ');
    return g;
  }

  revoke(clientId: string, what: RevokeConsent = {}): void {
    const client = clientId.toLowerCase();
    for (let i = this.grants.length - 1; i >= 0; i--) {
      const g = this.grants[i];
      if (!g || g.clientId !== client) continue;
      if (what.consentType && g.consentType !== what.consentType) continue;
      if (what.principalId !== undefined && g.principalId !== what.principalId) continue;
      if (what.scopes) {
        const drop = what.scopes.map((s) => s.toLowerCase());
        g.scope = splitScope(g.scope)
          .filter((s) => !drop.includes(s.toLowerCase()))
          .join(' ');
        if (g.scope !== '') continue;
      }
      this.grants.splice(i, 1);
    }
  }

  list(clientId?: string): ConsentGrant[] {
    return this.grants.filter((g) => clientId === undefined || g.clientId === clientId.toLowerCase()).map((g) => ({ ...g }));
  }
}

function splitScope(scope: string): string[] {
  return scope.split(' ').filter(Boolean);
}
