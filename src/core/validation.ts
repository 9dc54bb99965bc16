/** Input checks made before any request is sent. Each returns an error message, or undefined when valid. */
import { isGuid } from './guid';

// Entra UPN characters (local part) and a DNS domain; `#` appears in guests' `#EXT#` names.
const UPN = /^[A-Za-z0-9'._\-!#^~$&+=]{1,113}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;
// Graph's documented exclusions plus `/` and `'`, which copies of the same rule also list and Graph rejects.
/**
 * Characters the group create and update pages exclude from mailNickname (`@ () \\ [] " ; : . <> , SPACE`, plus `/`
 * and `'`, which Exchange aliases refuse): https://learn.microsoft.com/graph/api/group-post-groups and group-update.
 */
const NICKNAME_FORBIDDEN = /[@()\\/[\]"';:.<>,\s]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export { isGuid } from './guid';

export function isUpn(value: string): boolean {
  return value.length <= 113 && UPN.test(value);
}

export function checkObjectId(value: unknown, what: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return `${what} is required.`;
  if (!isGuid(value)) return `${what} must be an object id (GUID); got "${preview(value)}".`;
  return undefined;
}

export function checkUserKey(value: unknown, what: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return `${what} is required.`;
  if (!isGuid(value) && !isUpn(value)) return `${what} must be an object id (GUID) or a user principal name (name@domain); got "${preview(value)}".`;
  return undefined;
}

/**
 * Which rule a value breaks, with the numbers the rule involves: what every surface words in its own terms (the forms
 * with their field labels, chat tools and logs with Graph's property names, see {@link describeBreach}).
 */
export type RuleBreach =
  | { rule: 'notText' }
  | { rule: 'empty' }
  | { rule: 'tooLong'; length: number; limit: number }
  | { rule: 'notAscii' }
  | { rule: 'controlCharacters' }
  | { rule: 'forbiddenCharacter'; character: string }
  | { rule: 'countryCode' }
  | { rule: 'notClearable' }
  | { rule: 'notBoolean' }
  | { rule: 'hiddenOnlyAtCreation' }
  | { rule: 'visibilityChoice' };

/** A problem with one property: the breach for people-facing wording and the same in Graph's terms for everyone else. */
export interface PropertyProblem {
  field?: string;
  message: string;
  breach?: RuleBreach;
}

/** The characters Graph's pages exclude from a mail nickname, as listed in messages. */
const NICKNAME_FORBIDDEN_LIST = '@ ( ) \\ / [ ] " \' ; : . < > ,';

/** A breach worded with the property's Graph name: for chat tools (the model fixes that property) and logs. */
export function describeBreach(property: string, breach: RuleBreach): string {
  switch (breach.rule) {
    case 'notText':
      return `${property} must be text.`;
    case 'empty':
      return `${property} cannot be empty.`;
    case 'tooLong':
      return `${property} is ${breach.length} characters long; the limit is ${breach.limit}.`;
    case 'notAscii':
      return `${property} may contain only ASCII characters.`;
    case 'controlCharacters':
      return `${property} may not contain control characters.`;
    case 'forbiddenCharacter':
      return breach.character === ' '
        ? `${property} may not contain spaces (nor any of ${NICKNAME_FORBIDDEN_LIST}).`
        : `${property} may not contain "${breach.character}" (nor spaces or any of ${NICKNAME_FORBIDDEN_LIST}).`;
    case 'countryCode':
      return `${property} must be a two-letter country code such as "US".`;
    case 'notClearable':
      return `${property} cannot be cleared once set; choose another value instead.`;
    case 'notBoolean':
      return `${property} must be true or false.`;
    case 'hiddenOnlyAtCreation':
      return 'HiddenMembership can be chosen only when a Microsoft 365 group is created.';
    case 'visibilityChoice':
      return `${property} must be "Public" or "Private".`;
  }
}

function problem(field: string, breach: RuleBreach): PropertyProblem {
  return { field, message: describeBreach(field, breach), breach };
}

export function displayNameBreach(value: unknown): RuleBreach | undefined {
  if (typeof value !== 'string') return { rule: 'notText' };
  if (value.trim().length === 0) return { rule: 'empty' };
  if (value.length > 256) return { rule: 'tooLong', length: value.length, limit: 256 };
  return undefined;
}

export function checkDisplayName(value: unknown, what = 'displayName'): string | undefined {
  const breach = displayNameBreach(value);
  return breach && describeBreach(what, breach);
}

export function mailNicknameBreach(value: unknown): RuleBreach | undefined {
  if (typeof value !== 'string') return { rule: 'notText' };
  if (value.length === 0) return { rule: 'empty' };
  if (value.length > 64) return { rule: 'tooLong', length: value.length, limit: 64 };
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(value)) return { rule: 'notAscii' };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return { rule: 'controlCharacters' };
  const bad = NICKNAME_FORBIDDEN.exec(value);
  if (bad) return { rule: 'forbiddenCharacter', character: bad[0] };
  return undefined;
}

/** A group's description: text (or null, which clears it) of at most 1024 characters (group resource, description). */
export function descriptionBreach(value: unknown): RuleBreach | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'string') return { rule: 'notText' };
  if (value.length > 1024) return { rule: 'tooLong', length: value.length, limit: 1024 };
  return undefined;
}

export function checkMailNickname(value: unknown): string | undefined {
  const breach = mailNicknameBreach(value);
  return breach && describeBreach('mailNickname', breach);
}

/** A mailNickname derived from a display name: ASCII letters, digits, `_` and `-` (never a character the docs exclude). */
export function deriveMailNickname(displayName: string): string {
  const ascii = displayName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const cleaned = ascii.replace(/[^A-Za-z0-9_-]+/g, '');
  return cleaned.slice(0, 64);
}

export function checkSearchTerm(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'Search text is required.';
  if (value.length > 256) return `Search text is ${value.length} characters long; the limit is 256.`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return 'Search text may not contain control characters.';
  // Half of a surrogate pair (e.g. an emoji cut in two) cannot be put into a URL.
  if (LONE_SURROGATE.test(value)) return 'Search text contains an incomplete character.';
  return undefined;
}

export function checkMaxItems(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return 'maxItems must be a positive whole number.';
  return undefined;
}

function preview(value: string): string {
  const oneLine = value.replace(/[\r\n\t]/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

/** Limits and types of user properties the client checks before a PATCH. */
const USER_STRING_LIMITS: Readonly<Record<string, number>> = {
  displayName: 256, givenName: 64, surname: 64, mailNickname: 64, jobTitle: 128, department: 64, companyName: 64,
  officeLocation: 128, city: 128, state: 128, country: 128, postalCode: 40, streetAddress: 1024, employeeId: 16,
  employeeType: 64, mobilePhone: 64, preferredLanguage: 10, usageLocation: 2, mail: 256, aboutMe: 4000, faxNumber: 64,
};
/**
 * Properties the user resource marks "Not nullable" that a PATCH could otherwise clear with null
 * (https://learn.microsoft.com/graph/api/resources/user: usageLocation; displayName is required).
 */
const USER_NOT_NULLABLE = new Set(['usageLocation', 'displayName']);
const USER_READ_ONLY = new Set([
  'id', 'createdDateTime', 'creationType', 'deletedDateTime', 'proxyAddresses', 'signInActivity', 'assignedPlans',
  'provisionedPlans', 'securityIdentifier', 'onPremisesDistinguishedName', 'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled', 'onPremisesLastSyncDateTime', 'onPremisesDomainName',
  'onPremisesUserPrincipalName', 'onPremisesProvisioningErrors', 'externalUserState', 'externalUserStateChangeDateTime',
  'refreshTokensValidFromDateTime', 'lastPasswordChangeDateTime', '@odata.type', '@odata.context',
]);

export function checkUserChanges(changes: unknown): PropertyProblem | undefined {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return { message: 'Changes must be an object of user properties.' };
  const entries = Object.entries(changes);
  if (entries.length === 0) return { message: 'There are no changes to send.' };
  for (const [key, value] of entries) {
    if (USER_READ_ONLY.has(key)) return { field: key, message: `${key} is read-only and cannot be changed.` };
    if (!/^[A-Za-z][A-Za-z0-9_]*(@odata\.bind)?$/.test(key)) return { field: key, message: `"${preview(key)}" is not a user property name.` };
    if (value === undefined) return { field: key, message: `${key} has no value.` };
    if (value === null && USER_NOT_NULLABLE.has(key)) return problem(key, { rule: 'notClearable' });
    const limit = USER_STRING_LIMITS[key];
    if (limit !== undefined) {
      if (key === 'displayName') {
        const breach = displayNameBreach(value);
        if (breach) return problem(key, breach);
        continue;
      }
      if (value === null) continue;
      if (typeof value !== 'string') return problem(key, { rule: 'notText' });
      if (value.length > limit) return problem(key, { rule: 'tooLong', length: value.length, limit });
      if (key === 'usageLocation' && !/^[A-Z]{2}$/.test(value)) return problem(key, { rule: 'countryCode' });
      if (key === 'mailNickname') {
        const breach = mailNicknameBreach(value);
        if (breach) return problem(key, breach);
      }
    }
    if (key === 'accountEnabled' && typeof value !== 'boolean') return problem(key, { rule: 'notBoolean' });
    if (key === 'businessPhones') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return { field: key, message: 'businessPhones must be a list of text.' };
      if (value.length > 1) return { field: key, message: 'Graph accepts only one business phone number.' };
    }
  }
  return undefined;
}

export function checkGroupChanges(changes: unknown): PropertyProblem | undefined {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return { message: 'Changes must be an object of group properties.' };
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return { message: 'There are no changes to send.' };
  for (const [key, value] of entries) {
    switch (key) {
      case 'displayName': {
        const breach = displayNameBreach(value);
        if (breach) return problem(key, breach);
        break;
      }
      case 'description': {
        const breach = descriptionBreach(value);
        if (breach) return problem(key, breach);
        break;
      }
      case 'mailNickname': {
        const breach = mailNicknameBreach(value);
        if (breach) return problem(key, breach);
        break;
      }
      case 'visibility':
        if (value === 'HiddenMembership') return problem(key, { rule: 'hiddenOnlyAtCreation' });
        if (value !== 'Public' && value !== 'Private') return problem(key, { rule: 'visibilityChoice' });
        break;
      default:
        return { field: key, message: `${preview(key)} is not a group property this action changes (displayName, description, mailNickname, visibility).` };
    }
  }
  return undefined;
}
