/**
 * What Graph knows about user and group properties: their EDM kind, whether they are
 * returned by default, and which $filter / $search / $orderby forms work with and
 * without advanced queries. Names and kinds follow the v1.0 schema; filter tiers
 * follow the documented directory-object filter tables.
 */
export type PropKind = 'string' | 'boolean' | 'number' | 'dateTime' | 'strings' | 'array' | 'object';
/** D = works by default, A = needs advanced query (ConsistencyLevel: eventual + $count=true). */
export type Tier = 'D' | 'A';

export interface FilterCaps {
  eq?: Tier;
  startsWith?: Tier;
  range?: Tier;
  endsWith?: Tier;
}

export interface PropInfo {
  name: string;
  kind: PropKind;
  /** Only returned by GET on a single entity; selecting it on a collection is not implemented. */
  singleOnly: boolean;
  filter?: FilterCaps;
}

export interface EntityType {
  name: 'user' | 'group' | 'servicePrincipal' | 'device';
  odataType: string;
  /** The resource name Graph uses in "... of resource 'User'" messages. */
  resource: string;
  entitySet: 'users' | 'groups' | 'servicePrincipals' | 'devices';
  props: ReadonlyMap<string, PropInfo>;
  defaultProps: readonly string[];
  search: ReadonlyMap<string, 'tokenized' | 'prefix'>;
  orderBy: ReadonlyMap<string, Tier>;
}

const USER_PROPS =
  'id:string deletedDateTime:dateTime aboutMe:string! accountEnabled:boolean ageGroup:string assignedLicenses:array assignedPlans:array ' +
  'authorizationInfo:object birthday:dateTime! businessPhones:strings city:string companyName:string consentProvidedForMinor:string ' +
  'country:string createdDateTime:dateTime creationType:string customSecurityAttributes:object department:string ' +
  'deviceEnrollmentLimit:number displayName:string employeeHireDate:dateTime employeeId:string employeeLeaveDateTime:dateTime ' +
  'employeeOrgData:object employeeType:string externalUserState:string externalUserStateChangeDateTime:dateTime faxNumber:string ' +
  'givenName:string hireDate:dateTime! identities:array identityParentId:string imAddresses:strings interests:strings! ' +
  'isManagementRestricted:boolean isResourceAccount:boolean jobTitle:string lastPasswordChangeDateTime:dateTime ' +
  'legalAgeGroupClassification:string licenseAssignmentStates:array mail:string mailboxSettings:object! mailNickname:string ' +
  'mobilePhone:string mySite:string! officeLocation:string onPremisesDistinguishedName:string onPremisesDomainName:string ' +
  'onPremisesExtensionAttributes:object onPremisesImmutableId:string onPremisesLastSyncDateTime:dateTime ' +
  'onPremisesProvisioningErrors:array onPremisesSamAccountName:string onPremisesSecurityIdentifier:string ' +
  'onPremisesSyncEnabled:boolean onPremisesUserPrincipalName:string otherMails:strings passwordPolicies:string ' +
  'passwordProfile:object pastProjects:strings! postalCode:string preferredDataLocation:string preferredLanguage:string ' +
  'preferredName:string! print:object provisionedPlans:array proxyAddresses:strings responsibilities:strings! schools:strings! ' +
  'securityIdentifier:string serviceProvisioningErrors:array showInAddressList:boolean signInActivity:object ' +
  'signInSessionsValidFromDateTime:dateTime skills:strings! state:string streetAddress:string surname:string ' +
  'usageLocation:string userPrincipalName:string userType:string';

const USER_FILTERS =
  'id=eq:D accountEnabled=eq:D ageGroup=eq:D city=eq:D,startsWith:D,range:A companyName=eq:A,startsWith:A country=eq:D,startsWith:D,range:A ' +
  'createdDateTime=eq:D,range:D department=eq:D,startsWith:D,range:A displayName=eq:D,startsWith:D,range:A employeeId=eq:D,startsWith:A ' +
  'employeeType=eq:A givenName=eq:D,startsWith:D,range:A surname=eq:D,startsWith:D,range:A jobTitle=eq:D,startsWith:D,range:A ' +
  'mail=eq:D,startsWith:D,endsWith:A,range:A mailNickname=eq:D,startsWith:D mobilePhone=eq:A,startsWith:A officeLocation=eq:A,startsWith:A ' +
  'postalCode=eq:A,startsWith:A preferredLanguage=eq:A,startsWith:A streetAddress=eq:A,startsWith:A faxNumber=eq:A,startsWith:A ' +
  'onPremisesSyncEnabled=eq:D onPremisesImmutableId=eq:D otherMails=eq:D,startsWith:D,endsWith:A proxyAddresses=eq:D,startsWith:D,endsWith:A ' +
  'imAddresses=eq:D businessPhones=eq:D,startsWith:A state=eq:D usageLocation=eq:D,startsWith:D ' +
  'userPrincipalName=eq:D,startsWith:D,endsWith:A,range:A userType=eq:D showInAddressList=eq:A creationType=eq:A externalUserState=eq:D';

const GROUP_PROPS =
  'id:string deletedDateTime:dateTime accessType:string allowExternalSenders:boolean! assignedLabels:array assignedLicenses:array ' +
  'autoSubscribeNewMembers:boolean! classification:string createdDateTime:dateTime description:string displayName:string ' +
  'expirationDateTime:dateTime groupTypes:strings hasMembersWithLicenseErrors:boolean hideFromAddressLists:boolean! ' +
  'hideFromOutlookClients:boolean! infoCatalogs:strings isArchived:boolean isAssignableToRole:boolean isFavorite:boolean ' +
  'isManagementRestricted:boolean isSubscribedByMail:boolean! licenseProcessingState:object mail:string mailEnabled:boolean ' +
  'mailNickname:string membershipRule:string membershipRuleProcessingState:string onPremisesDomainName:string ' +
  'onPremisesExtensionAttributes:object onPremisesLastSyncDateTime:dateTime onPremisesNetBiosName:string ' +
  'onPremisesProvisioningErrors:array onPremisesSamAccountName:string onPremisesSecurityIdentifier:string ' +
  'onPremisesSyncEnabled:boolean organizationId:string preferredDataLocation:string preferredLanguage:string ' +
  'proxyAddresses:strings renewedDateTime:dateTime resourceBehaviorOptions:strings resourceProvisioningOptions:strings ' +
  'securityEnabled:boolean securityIdentifier:string serviceProvisioningErrors:array theme:string uniqueName:string ' +
  'unseenConversationsCount:number unseenCount:number! unseenMessagesCount:number visibility:string welcomeMessageEnabled:boolean';

const GROUP_FILTERS =
  'id=eq:D displayName=eq:D,startsWith:D,range:A description=eq:A,startsWith:A mail=eq:D,startsWith:D,endsWith:A ' +
  'mailNickname=eq:D,startsWith:D mailEnabled=eq:D securityEnabled=eq:D isAssignableToRole=eq:D membershipRule=eq:D,startsWith:D ' +
  'membershipRuleProcessingState=eq:D proxyAddresses=eq:D,startsWith:D,endsWith:A groupTypes=eq:D ' +
  'resourceProvisioningOptions=eq:D resourceBehaviorOptions=eq:D renewedDateTime=eq:D,range:D expirationDateTime=eq:A,range:A ' +
  'createdDateTime=eq:A,range:A onPremisesSyncEnabled=eq:D classification=eq:D,startsWith:D uniqueName=eq:D,startsWith:D ' +
  'preferredLanguage=eq:D,startsWith:D visibility=eq:A hasMembersWithLicenseErrors=eq:D';

export const USER_DEFAULT_PROPS = [
  'businessPhones',
  'displayName',
  'givenName',
  'id',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
] as const;

export const GROUP_DEFAULT_PROPS = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesDomainName',
  'onPremisesLastSyncDateTime',
  'onPremisesNetBiosName',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'theme',
  'visibility',
  'onPremisesProvisioningErrors',
  'serviceProvisioningErrors',
] as const;

function buildProps(spec: string, filters: string): Map<string, PropInfo> {
  const props = new Map<string, PropInfo>();
  for (const entry of spec.split(/\s+/)) {
    const [name = '', kindRaw = ''] = entry.split(':');
    const singleOnly = kindRaw.endsWith('!');
    props.set(name.toLowerCase(), { name, kind: kindRaw.replace('!', '') as PropKind, singleOnly });
  }
  for (const entry of filters.split(/\s+/)) {
    const [name = '', caps = ''] = entry.split('=');
    const info = props.get(name.toLowerCase());
    if (!info) throw new Error(`filter spec names unknown property ${name}`);
    const f: FilterCaps = {};
    for (const c of caps.split(',')) {
      const [op, tier] = c.split(':') as [keyof FilterCaps, Tier];
      f[op] = tier;
    }
    info.filter = f;
  }
  return props;
}

export const USER_TYPE: EntityType = {
  name: 'user',
  odataType: '#microsoft.graph.user',
  resource: 'User',
  entitySet: 'users',
  props: buildProps(USER_PROPS, USER_FILTERS),
  defaultProps: USER_DEFAULT_PROPS,
  search: new Map([
    ['displayname', 'tokenized'],
    ['givenname', 'prefix'],
    ['surname', 'prefix'],
    ['mail', 'prefix'],
    ['userprincipalname', 'prefix'],
    ['mailnickname', 'prefix'],
    ['proxyaddresses', 'prefix'],
    ['othermails', 'prefix'],
    ['jobtitle', 'prefix'],
  ]),
  orderBy: new Map([
    ['displayname', 'D'],
    ['userprincipalname', 'D'],
    ['createddatetime', 'A'],
  ]),
};

export const GROUP_TYPE: EntityType = {
  name: 'group',
  odataType: '#microsoft.graph.group',
  resource: 'Group',
  entitySet: 'groups',
  props: buildProps(GROUP_PROPS, GROUP_FILTERS),
  defaultProps: GROUP_DEFAULT_PROPS,
  search: new Map([
    ['displayname', 'tokenized'],
    ['description', 'tokenized'],
    ['mail', 'prefix'],
    ['mailnickname', 'prefix'],
    ['proxyaddresses', 'prefix'],
  ]),
  orderBy: new Map([['displayname', 'D']]),
};

/**
 * Service principals and devices carry only the properties the emulator stores; default properties, $search on
 * displayName and the displayName filters follow the directory-object query tables
 * (https://learn.microsoft.com/graph/aad-advanced-queries?view=graph-rest-1.0, servicePrincipal and device rows).
 */
export const SERVICE_PRINCIPAL_TYPE: EntityType = {
  name: 'servicePrincipal',
  odataType: '#microsoft.graph.servicePrincipal',
  resource: 'ServicePrincipal',
  entitySet: 'servicePrincipals',
  props: buildProps('id:string deletedDateTime:dateTime accountEnabled:boolean appId:string displayName:string servicePrincipalType:string', 'id=eq:D accountEnabled=eq:D appId=eq:D displayName=eq:D,startsWith:D servicePrincipalType=eq:D'),
  defaultProps: ['id', 'deletedDateTime', 'accountEnabled', 'appId', 'displayName', 'servicePrincipalType'],
  search: new Map([['displayname', 'tokenized']]),
  orderBy: new Map([['displayname', 'A']]),
};

export const DEVICE_TYPE: EntityType = {
  name: 'device',
  odataType: '#microsoft.graph.device',
  resource: 'Device',
  entitySet: 'devices',
  props: buildProps('id:string deletedDateTime:dateTime accountEnabled:boolean deviceId:string displayName:string operatingSystem:string', 'id=eq:D accountEnabled=eq:D deviceId=eq:D displayName=eq:D,startsWith:D operatingSystem=eq:D,startsWith:D'),
  defaultProps: ['id', 'deletedDateTime', 'accountEnabled', 'deviceId', 'displayName', 'operatingSystem'],
  search: new Map([['displayname', 'tokenized']]),
  orderBy: new Map([['displayname', 'A']]),
};

/** Every type a directoryObject-typed result (members, /directoryObjects/{id}) can hold. */
export const DIRECTORY_OBJECT_TYPES: readonly EntityType[] = [USER_TYPE, GROUP_TYPE, SERVICE_PRINCIPAL_TYPE, DEVICE_TYPE];

export function entityType(kind: EntityType['name']): EntityType {
  return DIRECTORY_OBJECT_TYPES.find((t) => t.name === kind) ?? USER_TYPE;
}
