import type { JsonValue } from '../util/json.js';

/**
 * Stored user. Property names are Graph's so projection and $filter read them
 * directly; rarely used writable properties live in `extra`.
 */
export interface UserRecord {
  id: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  mailNickname: string;
  otherMails: string[];
  proxyAddresses: string[];
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string | null;
  accountEnabled: boolean;
  userType: string;
  usageLocation: string | null;
  createdDateTime: string;
  companyName: string | null;
  city: string | null;
  country: string | null;
  state: string | null;
  employeeId: string | null;
  onPremisesSyncEnabled: boolean | null;
  creationType: string | null;
  externalUserState: string | null;
  extra?: Record<string, JsonValue>;
}

export interface GroupRecord {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: string | null;
  membershipRule: string | null;
  membershipRuleProcessingState: string | null;
  createdDateTime: string;
  renewedDateTime: string;
  expirationDateTime: string | null;
  isAssignableToRole: boolean | null;
  proxyAddresses: string[];
  classification: string | null;
  preferredLanguage: string | null;
  theme: string | null;
  onPremisesSyncEnabled: boolean | null;
  securityIdentifier: string;
  resourceProvisioningOptions: string[];
  resourceBehaviorOptions: string[];
  extra?: Record<string, JsonValue>;
}

/**
 * An application's identity in the tenant, with only what a group page reads
 * (https://learn.microsoft.com/graph/api/resources/serviceprincipal?view=graph-rest-1.0).
 */
export interface ServicePrincipalRecord {
  id: string;
  displayName: string;
  appId: string;
  accountEnabled: boolean;
  servicePrincipalType: string;
}

/** A registered device (https://learn.microsoft.com/graph/api/resources/device?view=graph-rest-1.0). */
export interface DeviceRecord {
  id: string;
  displayName: string;
  deviceId: string;
  accountEnabled: boolean;
  operatingSystem: string | null;
}

export type DirectoryObject =
  | { kind: 'user'; rec: UserRecord }
  | { kind: 'group'; rec: GroupRecord }
  | { kind: 'servicePrincipal'; rec: ServicePrincipalRecord }
  | { kind: 'device'; rec: DeviceRecord };

export type ObjectKind = DirectoryObject['kind'];

export type GroupKind = 'security' | 'microsoft365' | 'dynamic' | 'distribution' | 'mailEnabledSecurity';

export function isUnified(g: GroupRecord): boolean {
  return g.groupTypes.includes('Unified');
}

export function isDynamic(g: GroupRecord): boolean {
  return g.groupTypes.includes('DynamicMembership');
}

/** Exchange masters these: Graph refuses to change their membership. */
export function isExchangeMastered(g: GroupRecord): boolean {
  return !isUnified(g) && g.mailEnabled;
}

export function groupKind(g: GroupRecord): GroupKind {
  if (isDynamic(g)) return 'dynamic';
  if (isUnified(g)) return 'microsoft365';
  if (g.mailEnabled) return g.securityEnabled ? 'mailEnabledSecurity' : 'distribution';
  return 'security';
}
