import type { JsonObject } from '../util/json.js';

/**
 * The tenant as Graph describes it: one `organization` object whose id is the tenant id
 * (https://learn.microsoft.com/graph/api/resources/organization). Only what an admin's tenant plausibly shows is
 * filled in; the rest is null or empty, as it is in a fresh tenant. It never changes in the emulator (the update
 * API is not modelled), so it needs no replication.
 */
export type VerifiedDomain = {
  /** e.g. `Email, OfficeCommunicationsOnline` (https://learn.microsoft.com/graph/api/resources/verifieddomain). */
  capabilities: string;
  isDefault: boolean;
  isInitial: boolean;
  name: string;
  /** `Managed` or `Federated`. */
  type: string;
};

export type OrganizationRecord = JsonObject & { id: string; displayName: string; verifiedDomains: VerifiedDomain[] };

export interface OrganizationSeed {
  tenantId: string;
  displayName: string;
  /** The `<name>.onmicrosoft.com` domain every tenant is created with (isInitial). */
  initialDomain: string;
  /** A custom domain the admin added and made the default (users' new UPNs and mail default to it). */
  customDomain?: string;
}

/** Property names of the v1.0 organization resource, as the resource page lists them (canonical casing). */
export const ORGANIZATION_PROPS = [
  'id', 'deletedDateTime', 'assignedPlans', 'businessPhones', 'city', 'country', 'countryLetterCode', 'createdDateTime',
  'defaultUsageLocation', 'displayName', 'isMultipleDataLocationsForServicesEnabled', 'marketingNotificationEmails',
  'onPremisesLastSyncDateTime', 'onPremisesSyncEnabled', 'partnerTenantType', 'postalCode', 'preferredLanguage', 'privacyProfile',
  'provisionedPlans', 'securityComplianceNotificationMails', 'securityComplianceNotificationPhones', 'state', 'street',
  'technicalNotificationMails', 'tenantType', 'verifiedDomains',
] as const;

/** Collections the resource page marks "Not nullable": they read as [] rather than null when withheld. */
export const ORGANIZATION_COLLECTIONS: ReadonlySet<string> = new Set([
  'assignedPlans', 'businessPhones', 'marketingNotificationEmails', 'provisionedPlans', 'securityComplianceNotificationMails',
  'securityComplianceNotificationPhones', 'technicalNotificationMails', 'verifiedDomains',
]);

export function buildOrganization(seed: OrganizationSeed): OrganizationRecord {
  const domains: VerifiedDomain[] = [
    // The initial domain is the default until another domain is made the default.
    { capabilities: 'Email, OfficeCommunicationsOnline', isDefault: seed.customDomain === undefined, isInitial: true, name: seed.initialDomain, type: 'Managed' },
  ];
  if (seed.customDomain !== undefined) {
    domains.push({ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: false, name: seed.customDomain, type: 'Managed' });
  }
  const mailDomain = seed.customDomain ?? seed.initialDomain;
  return {
    id: seed.tenantId,
    deletedDateTime: null,
    assignedPlans: [],
    businessPhones: ['425-555-0100'],
    city: 'Redmond',
    country: 'United States',
    countryLetterCode: 'US',
    createdDateTime: '2016-01-04T08:55:00Z',
    defaultUsageLocation: 'US',
    displayName: seed.displayName,
    isMultipleDataLocationsForServicesEnabled: null,
    marketingNotificationEmails: [],
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: null,
    partnerTenantType: null,
    postalCode: '98052',
    preferredLanguage: 'en',
    privacyProfile: null,
    provisionedPlans: [],
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    state: 'WA',
    street: 'One Microsoft Way',
    technicalNotificationMails: [`admin@${mailDomain}`],
    tenantType: 'AAD',
    verifiedDomains: domains,
  };
}
