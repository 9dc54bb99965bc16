/** Building OData queries and paths so that no input can change their structure. */

/** An OData string literal: single quotes doubled, wrapped in quotes. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** One `$search` clause: `"property:term"` with `"` and `\` backslash-escaped inside. */
export function searchClause(property: string, term: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(property)) {
    throw new Error(`Invalid $search property: ${property}`);
  }
  return `"${property}:${term.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `"a:t" OR "b:t"` over several properties for the same term. */
export function searchAny(properties: readonly string[], term: string): string {
  return properties.map((p) => searchClause(p, term)).join(' OR ');
}

/**
 * One path segment. `encodeURIComponent` turns `#` into `%23`, `/` into `%2F` and `?` into `%3F`,
 * so an id can never add a segment or start a query. A UPN that begins with `$` has to use the
 * key-as-literal form `users('$x@y')`, which Graph requires for such names.
 */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `/users/{key}` for an id or a UPN. */
export function userPath(idOrUpn: string): string {
  if (idOrUpn.startsWith('$')) {
    return `/users(${pathSegment(odataString(idOrUpn))})`;
  }
  return `/users/${pathSegment(idOrUpn)}`;
}

export type QueryValue = string | number | boolean | undefined;

/** `?a=b&c=d` with every value percent-encoded; undefined values are left out. Keys keep their `$`. */
export function queryString(query: Readonly<Record<string, QueryValue>>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parts.push(`${key}=${encodeQueryValue(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function encodeQueryValue(value: string): string {
  // Graph accepts encoded spaces as %20; keep `,` `:` `$` readable only where harmless.
  return encodeURIComponent(value).replace(/%2C/g, ',').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export const Select = {
  userList: ['id', 'displayName', 'userPrincipalName', 'mail', 'jobTitle', 'department', 'accountEnabled', 'userType'],
  /** The directory table's columns. */
  userTable: ['id', 'displayName', 'userPrincipalName', 'mail', 'jobTitle', 'department', 'accountEnabled', 'userType', 'createdDateTime'],
  groupTable: ['id', 'displayName', 'description', 'groupTypes', 'mail', 'mailEnabled', 'securityEnabled', 'createdDateTime'],
  userProfile: [
    'id', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'jobTitle', 'department', 'officeLocation',
    'mobilePhone', 'businessPhones', 'preferredLanguage', 'accountEnabled', 'userType', 'usageLocation', 'companyName',
    'city', 'country', 'createdDateTime', 'onPremisesSyncEnabled',
  ],
  /** Users among them carry accountEnabled and userType, so a disabled account or a guest is marked in every list. */
  directoryObject: ['id', 'displayName', 'userPrincipalName', 'mail', 'jobTitle', 'accountEnabled', 'userType'],
  /** Enough to name any directory object (user, group, service principal, device, contact) by type, name and id. */
  namedObject: ['id', 'displayName', 'userPrincipalName', 'mail'],
  /** A person on an org chart: name, title, department, and whether the account is disabled. */
  person: ['id', 'displayName', 'userPrincipalName', 'jobTitle', 'department', 'accountEnabled'],
  group: ['id', 'displayName', 'description', 'groupTypes', 'mail', 'mailEnabled', 'securityEnabled', 'mailNickname', 'visibility', 'createdDateTime'],
  /** What the directory cache keeps of a group: the group list's fields. */
  cachedGroup: ['id', 'displayName', 'description', 'groupTypes', 'mail', 'mailEnabled', 'securityEnabled', 'mailNickname', 'visibility', 'createdDateTime', 'membershipRule'],
  memberObject: ['id', 'displayName', 'userPrincipalName', 'mail', 'groupTypes', 'securityEnabled', 'mailEnabled', 'accountEnabled', 'userType'],
} as const;

export function selectOf(properties: readonly string[]): string {
  return properties.join(',');
}
