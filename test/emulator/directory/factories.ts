import type { GroupRecord, UserRecord } from './records.js';

/**
 * Record constructors with every property present, so all users (and all groups)
 * share one object shape — that keeps 100k records compact in V8.
 */
export function makeUser(p: Partial<UserRecord> & Pick<UserRecord, 'id' | 'userPrincipalName'>): UserRecord {
  return {
    id: p.id,
    displayName: p.displayName ?? null,
    givenName: p.givenName ?? null,
    surname: p.surname ?? null,
    userPrincipalName: p.userPrincipalName,
    mail: p.mail ?? null,
    mailNickname: p.mailNickname ?? p.userPrincipalName.split('@')[0] ?? '',
    otherMails: p.otherMails ?? [],
    proxyAddresses: p.proxyAddresses ?? [],
    jobTitle: p.jobTitle ?? null,
    department: p.department ?? null,
    officeLocation: p.officeLocation ?? null,
    mobilePhone: p.mobilePhone ?? null,
    businessPhones: p.businessPhones ?? [],
    preferredLanguage: p.preferredLanguage ?? null,
    accountEnabled: p.accountEnabled ?? true,
    userType: p.userType ?? 'Member',
    usageLocation: p.usageLocation ?? null,
    createdDateTime: p.createdDateTime ?? isoSeconds(new Date()),
    companyName: p.companyName ?? null,
    city: p.city ?? null,
    country: p.country ?? null,
    state: p.state ?? null,
    employeeId: p.employeeId ?? null,
    onPremisesSyncEnabled: p.onPremisesSyncEnabled ?? null,
    creationType: p.creationType ?? null,
    externalUserState: p.externalUserState ?? null,
  };
}

export function makeGroup(p: Partial<GroupRecord> & Pick<GroupRecord, 'id' | 'displayName' | 'mailNickname'>): GroupRecord {
  const created = p.createdDateTime ?? isoSeconds(new Date());
  return {
    id: p.id,
    displayName: p.displayName,
    description: p.description ?? null,
    mailNickname: p.mailNickname,
    mail: p.mail ?? null,
    mailEnabled: p.mailEnabled ?? false,
    securityEnabled: p.securityEnabled ?? true,
    groupTypes: p.groupTypes ?? [],
    visibility: p.visibility ?? null,
    membershipRule: p.membershipRule ?? null,
    membershipRuleProcessingState: p.membershipRuleProcessingState ?? null,
    createdDateTime: created,
    renewedDateTime: p.renewedDateTime ?? created,
    expirationDateTime: p.expirationDateTime ?? null,
    isAssignableToRole: p.isAssignableToRole ?? null,
    proxyAddresses: p.proxyAddresses ?? [],
    classification: p.classification ?? null,
    preferredLanguage: p.preferredLanguage ?? null,
    theme: p.theme ?? null,
    onPremisesSyncEnabled: p.onPremisesSyncEnabled ?? null,
    securityIdentifier: p.securityIdentifier ?? sidFromGuid(p.id),
    resourceProvisioningOptions: p.resourceProvisioningOptions ?? [],
    resourceBehaviorOptions: p.resourceBehaviorOptions ?? [],
  };
}

/** Cloud-only objects get S-1-12-1-… SIDs built from the object id's four 32-bit words. */
export function sidFromGuid(id: string): string {
  const hex = id.replace(/-/g, '').padEnd(32, '0');
  const words = [0, 8, 16, 24].map((i) => parseInt(hex.slice(i, i + 8), 16) >>> 0);
  return `S-1-12-1-${words.join('-')}`;
}

/** ISO timestamp without milliseconds, as Graph renders DateTimeOffset values. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
