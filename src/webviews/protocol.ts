/**
 * Messages between the extension and its webviews, and the checks each side runs on what it receives.
 * Shared by src/webviews (extension host) and src/webview-ui (browser bundle), so it stays free of `vscode`.
 */
import type { GroupKind, GroupVisibility } from '../core/types';
import { boolean, dictionary, integer, list, literal, nullable, oneOf, optional, record, serializedBytes, text, type Check } from './guard';

/** Anything larger is dropped unread: no form of ours comes near it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** What the extension may send: an init with a long group list is the biggest. */
export const MAX_STATE_BYTES = 1024 * 1024;
/** Graph binds at most 20 owners in the create request; more members are added afterwards in chunks. */
export const MAX_OWNERS = 20;
export const MAX_MEMBERS = 100;
export const MAX_LISTED_GROUPS = 200;

/**
 * Generous bounds for well-formedness. They sit above the directory's own limits on purpose: an
 * over-long name is a field error for the user to see, not a malformed message to drop.
 */
const Limit = { id: 128, text: 1024, longText: 4096, term: 512, label: 500 } as const;

export type ViewKind = 'profile' | 'groupForm' | 'userForm';
export const VIEW_KINDS = ['profile', 'groupForm', 'userForm'] as const satisfies readonly ViewKind[];

// ── Strings the extension localizes and hands to the webview ────────────────

export const UI_STRING_KEYS = [
  'save', 'create', 'cancel', 'working', 'loading', 'required', 'noChanges', 'fixErrors', 'notSet',
  'details', 'manager', 'groups', 'noManager', 'noGroups', 'moreGroups', 'copyId', 'copyUpn', 'editUser', 'openManager', 'refresh',
  'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'jobTitle', 'department', 'officeLocation',
  'companyName', 'businessPhone', 'mobilePhone', 'city', 'country', 'usageLocation', 'usageLocationHint',
  'preferredLanguage', 'userType', 'accountEnabled', 'createdDateTime', 'id',
  'newGroup', 'editGroup', 'groupType', 'security', 'microsoft365', 'groupName', 'mailNickname', 'mailNicknameHint',
  'description', 'visibility', 'visibilityDefault', 'public', 'private', 'hiddenMembership', 'visibilityLocked',
  'owners', 'members', 'searchPlaceholder', 'searching', 'noResults', 'removePerson', 'limitReached',
  'ruleEmpty', 'ruleTooLong', 'ruleNotAscii', 'ruleControlCharacters', 'ruleNoSpaces', 'ruleForbiddenCharacter', 'ruleCountryCode',
  'ruleNotClearable', 'ruleInvalid', 'nicknameUnderivable', 'hiddenOnlyMicrosoft365', 'peopleTooMany', 'peopleNotPicked', 'peopleTwice',
  'unpickedPerson', 'saving', 'stopping',
] as const;
export type UiStringKey = (typeof UI_STRING_KEYS)[number];
export type UiStrings = Record<UiStringKey, string>;

// ── Shared shapes ───────────────────────────────────────────────────────────

export interface GroupEditValues {
  displayName: string;
  mailNickname: string;
  description: string;
  /** '' = not set (Graph's default). */
  visibility: '' | GroupVisibility;
}

export interface GroupCreateValues extends GroupEditValues {
  kind: GroupKind;
  ownerIds: string[];
  memberIds: string[];
}

export const USER_TEXT_FIELDS = [
  'displayName', 'givenName', 'surname', 'jobTitle', 'department', 'officeLocation', 'mobilePhone', 'businessPhone',
  'usageLocation', 'city', 'country', 'companyName',
] as const;
export type UserTextField = (typeof USER_TEXT_FIELDS)[number];
export type UserFormValues = Record<UserTextField, string> & { accountEnabled: boolean };

export const PROFILE_FIELDS = [
  'userPrincipalName', 'mail', 'jobTitle', 'department', 'officeLocation', 'companyName', 'businessPhone', 'mobilePhone',
  'city', 'country', 'usageLocation', 'preferredLanguage', 'userType', 'accountEnabled', 'createdDateTime', 'id',
] as const;
export type ProfileFieldKey = (typeof PROFILE_FIELDS)[number];

/** A user or group as a list row: the name plus one line of detail (UPN, mail, …). */
export interface DirectoryRef {
  id: string;
  displayName: string;
  detail: string;
}

export interface WireError {
  code: string;
  message: string;
  field?: string;
  status?: number;
  /** A change whose answer never came (timeout, cancel after sending): it may have been applied; the form offers Refresh. */
  outcomeUnknown?: boolean;
}

export interface FieldError {
  /** A form field name, or '' for the form as a whole. */
  field: string;
  message: string;
}

export type ProfileAction = 'copyId' | 'copyUpn' | 'openManager' | 'editUser' | 'refresh';

// ── Webview → extension ─────────────────────────────────────────────────────

export type SubmitMessage =
  | { type: 'submit'; requestId: number; form: 'createGroup'; values: GroupCreateValues }
  | { type: 'submit'; requestId: number; form: 'editGroup'; values: GroupEditValues }
  | { type: 'submit'; requestId: number; form: 'editUser'; values: UserFormValues };

export type WebviewMessage =
  | { type: 'ready' }
  | SubmitMessage
  | { type: 'searchUsers'; requestId: number; term: string }
  | { type: 'action'; action: ProfileAction }
  /** Stops the save with this request id (the form stays open); `cancel` closes the form. */
  | { type: 'cancelRequest'; requestId: number }
  | { type: 'cancel' };

// ── Extension → webview ─────────────────────────────────────────────────────

export interface ProfileState {
  view: 'profile';
  strings: UiStrings;
  loading: boolean;
  error?: WireError;
  user?: { id: string; displayName: string; userPrincipalName: string; fields: Array<{ key: ProfileFieldKey; value: string }> };
  /** null: the user has no manager. */
  manager?: DirectoryRef | null;
  managerError?: WireError;
  groups?: DirectoryRef[];
  /** True when the user belongs to more groups than the profile lists. */
  groupsMore?: boolean;
  groupsError?: WireError;
}

export interface GroupFormState {
  view: 'groupForm';
  strings: UiStrings;
  mode: 'create' | 'edit';
  loading: boolean;
  error?: WireError;
  /** In edit mode: the group as loaded; ownerIds/memberIds stay empty (not edited here). */
  values: GroupCreateValues;
}

export interface UserFormState {
  view: 'userForm';
  strings: UiStrings;
  loading: boolean;
  error?: WireError;
  /** Whom the form edits (UPN or name), shown above the fields. */
  subject: string;
  values: UserFormValues;
  /** Fields shown but not editable here (a user synced from on-premises), and why. */
  locked?: { fields: Array<UserTextField | 'accountEnabled'>; reason: string };
}

export type ViewState = ProfileState | GroupFormState | UserFormState;

export type ExtensionMessage =
  | { type: 'init'; state: ViewState }
  | { type: 'result'; requestId: number; ok: true; message: string }
  | { type: 'result'; requestId: number; ok: false; error: WireError }
  | { type: 'validation'; requestId: number; errors: FieldError[] }
  /** Nothing was sent (the admin declined a confirmation); the form keeps what was typed. */
  | { type: 'notSaved'; requestId: number; message: string }
  | { type: 'searchResult'; requestId: number; users: DirectoryRef[]; error?: WireError };

// ── Checks ──────────────────────────────────────────────────────────────────

const requestId = integer(0, 2 ** 31 - 1);
const shortText = text(Limit.text);
const visibility = literal('', 'Public', 'Private', 'HiddenMembership');
const kind = literal('security', 'microsoft365');
const idList = (max: number): Check<string[]> => list(text(Limit.id), max);

const groupEditShape = {
  displayName: shortText,
  mailNickname: shortText,
  description: text(Limit.longText),
  visibility,
} as const;
const isGroupEditValues = record(groupEditShape);
export const isGroupCreateValues = record({ ...groupEditShape, kind, ownerIds: idList(MAX_OWNERS), memberIds: idList(MAX_MEMBERS) });
export const isUserFormValues: Check<UserFormValues> = record({
  displayName: shortText, givenName: shortText, surname: shortText, jobTitle: shortText, department: shortText,
  officeLocation: shortText, mobilePhone: shortText, businessPhone: shortText, usageLocation: shortText, city: shortText,
  country: shortText, companyName: shortText, accountEnabled: boolean,
});

const isWebviewMessageShape: Check<WebviewMessage> = oneOf(
  record({ type: literal('ready') }),
  record({ type: literal('submit'), requestId, form: literal('createGroup'), values: isGroupCreateValues }),
  record({ type: literal('submit'), requestId, form: literal('editGroup'), values: isGroupEditValues }),
  record({ type: literal('submit'), requestId, form: literal('editUser'), values: isUserFormValues }),
  record({ type: literal('searchUsers'), requestId, term: text(Limit.term) }),
  record({ type: literal('action'), action: literal('copyId', 'copyUpn', 'openManager', 'editUser', 'refresh') }),
  record({ type: literal('cancelRequest'), requestId }),
  record({ type: literal('cancel') }),
);

/** True only for a well-formed message of ours no larger than {@link MAX_MESSAGE_BYTES}. */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  const size = serializedBytes(x);
  return size !== undefined && size <= MAX_MESSAGE_BYTES && isWebviewMessageShape(x);
}

const wireError = record({
  code: text(Limit.label), message: text(Limit.longText), field: optional(text(Limit.label)), status: optional(integer(0, 999)), outcomeUnknown: optional(boolean),
});
export const isDirectoryRef = record({ id: text(Limit.id, 1), displayName: shortText, detail: shortText });
const strings = dictionary(UI_STRING_KEYS, text(Limit.label));

const profileState = record({
  view: literal('profile'), strings, loading: boolean, error: optional(wireError),
  user: optional(record({
    id: text(Limit.id, 1), displayName: shortText, userPrincipalName: shortText,
    fields: list(record({ key: literal(...PROFILE_FIELDS), value: text(Limit.longText) }), PROFILE_FIELDS.length),
  })),
  manager: optional(nullable(isDirectoryRef)), managerError: optional(wireError),
  groups: optional(list(isDirectoryRef, MAX_LISTED_GROUPS)), groupsMore: optional(boolean), groupsError: optional(wireError),
});
const groupFormState = record({
  view: literal('groupForm'), strings, mode: literal('create', 'edit'), loading: boolean, error: optional(wireError), values: isGroupCreateValues,
});
const lockedFields = record({ fields: list(literal(...USER_TEXT_FIELDS, 'accountEnabled'), USER_TEXT_FIELDS.length + 1), reason: shortText });
const userFormState = record({ view: literal('userForm'), strings, loading: boolean, error: optional(wireError), subject: shortText, values: isUserFormValues, locked: optional(lockedFields) });

const isExtensionMessageShape: Check<ExtensionMessage> = oneOf(
  record({ type: literal('init'), state: oneOf(profileState, groupFormState, userFormState) }),
  record({ type: literal('result'), requestId, ok: literal(true), message: text(Limit.longText) }),
  record({ type: literal('result'), requestId, ok: literal(false), error: wireError }),
  record({ type: literal('validation'), requestId, errors: list(record({ field: text(Limit.label), message: text(Limit.longText) }), 50) }),
  record({ type: literal('notSaved'), requestId, message: text(Limit.longText) }),
  record({ type: literal('searchResult'), requestId, users: list(isDirectoryRef, 50), error: optional(wireError) }),
);

/** The browser side's check of everything the extension posts. */
export function isExtensionMessage(x: unknown): x is ExtensionMessage {
  const size = serializedBytes(x);
  return size !== undefined && size <= MAX_STATE_BYTES && isExtensionMessageShape(x);
}

/** A short, data-free description of a rejected message, for the log. */
export function describeRejected(x: unknown): string {
  const size = serializedBytes(x);
  const type = typeof x === 'object' && x !== null && 'type' in x ? x.type : undefined;
  const label = typeof type === 'string' && /^[A-Za-z]{1,32}$/.test(type) ? `type "${type}"` : 'no known type';
  if (size === undefined) return `${label}, not serializable`;
  return `${label}, ${size} bytes${size > MAX_MESSAGE_BYTES ? ' (over the limit)' : ''}`;
}
