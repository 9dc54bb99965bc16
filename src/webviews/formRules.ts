/**
 * What the forms mean: initial values from Graph objects, the core's validation rules applied per field,
 * and the "only what changed" diffs. Pure TypeScript, so the browser validates live with exactly the
 * rules the extension re-applies before calling Graph.
 */
import { classifyGroup } from '../shared/groupKinds';
import { format, forWebview } from '../shared/text';
import type { CreateGroupInput, GraphError, Group, GroupVisibility, User } from '../core/types';
import {
  checkGroupChanges, checkUserChanges, deriveMailNickname, descriptionBreach, displayNameBreach, isGuid, mailNicknameBreach, type PropertyProblem, type RuleBreach,
} from '../core/validation';
import {
  MAX_MEMBERS, MAX_OWNERS, USER_TEXT_FIELDS, type FieldError, type GroupCreateValues, type GroupEditValues, type UiStrings, type UserFormValues,
  type UserTextField, type WireError,
} from './protocol';

/** What an edit of a group may send. `null` clears the description. (A type, not an interface, so it fits `Partial<Group>`.) */
export type GroupChangeSet = {
  displayName?: string;
  mailNickname?: string;
  description?: string | null;
  visibility?: GroupVisibility;
};

export function emptyGroupValues(kind: GroupCreateValues['kind'] = 'security'): GroupCreateValues {
  return { kind, displayName: '', mailNickname: '', description: '', visibility: '', ownerIds: [], memberIds: [] };
}

export function groupValuesFrom(group: Group): GroupCreateValues {
  const visibility = group.visibility === 'Public' || group.visibility === 'Private' || group.visibility === 'HiddenMembership' ? group.visibility : '';
  return {
    // The form creates only these two kinds; for an existing group the kind is shown, not edited.
    kind: classifyGroup(group).kind === 'microsoft365' ? 'microsoft365' : 'security',
    displayName: group.displayName ?? '',
    mailNickname: group.mailNickname ?? '',
    description: group.description ?? '',
    visibility,
    ownerIds: [],
    memberIds: [],
  };
}

export function userValuesFrom(user: User): UserFormValues {
  const s = (v: string | null | undefined): string => v ?? '';
  return {
    displayName: s(user.displayName), givenName: s(user.givenName), surname: s(user.surname), jobTitle: s(user.jobTitle),
    department: s(user.department), officeLocation: s(user.officeLocation), mobilePhone: s(user.mobilePhone),
    businessPhone: user.businessPhones?.[0] ?? '', usageLocation: s(user.usageLocation), city: s(user.city),
    country: s(user.country), companyName: s(user.companyName), accountEnabled: user.accountEnabled !== false,
  };
}

/** The nickname the create request will carry: the typed one, else one derived from the name. */
export function effectiveMailNickname(values: Pick<GroupEditValues, 'displayName' | 'mailNickname'>): string {
  return values.mailNickname.trim() || deriveMailNickname(values.displayName.trim());
}

/** Which label a form shows for each of its fields: the words its messages use. */
type Labels = Readonly<Record<string, string>>;

function groupLabels(s: UiStrings): Labels {
  return { displayName: s.groupName, mailNickname: s.mailNickname, description: s.description, visibility: s.visibility, ownerIds: s.owners, memberIds: s.members };
}

function userLabels(s: UiStrings): Labels {
  return Object.fromEntries([...USER_TEXT_FIELDS, 'accountEnabled'].map((f) => [f, s[f as UserTextField | 'accountEnabled']]));
}

/** A rule the core found broken, worded with the field's label: the one place forms word validation. */
export function wordBreach(label: string, breach: RuleBreach, s: UiStrings): string {
  switch (breach.rule) {
    case 'empty':
      return format(s.ruleEmpty, label);
    case 'tooLong':
      return format(s.ruleTooLong, label, String(breach.length), String(breach.limit));
    case 'notAscii':
      return format(s.ruleNotAscii, label);
    case 'controlCharacters':
      return format(s.ruleControlCharacters, label);
    case 'forbiddenCharacter':
      return breach.character === ' ' ? format(s.ruleNoSpaces, label) : format(s.ruleForbiddenCharacter, label, breach.character);
    case 'countryCode':
      return format(s.ruleCountryCode, label);
    case 'notClearable':
      return format(s.ruleNotClearable, label);
    case 'hiddenOnlyAtCreation':
      return s.visibilityLocked;
    // A form's controls cannot produce these; a forged message still gets an answer in words.
    case 'notText':
    case 'notBoolean':
    case 'visibilityChoice':
      return format(s.ruleInvalid, label);
  }
}

/** A core problem as a form error: worded with the label when the core names the rule, else the core's message. */
function fieldError(field: string, problem: PropertyProblem | RuleBreach | undefined, labels: Labels, s: UiStrings): FieldError | undefined {
  if (!problem) return undefined;
  const breach = 'rule' in problem ? problem : problem.breach;
  const label = labels[field];
  if (breach && label !== undefined) return { field, message: wordBreach(label, breach, s) };
  return { field, message: 'message' in problem ? problem.message : format(s.ruleInvalid, label ?? field) };
}

/** Every problem of a create form, one per field, so the form can show them all at once. */
export function checkCreateGroup(values: GroupCreateValues, s: UiStrings): FieldError[] {
  const labels = groupLabels(s);
  const errors: FieldError[] = [];
  const add = (error: FieldError | undefined): void => {
    if (error) errors.push(error);
  };
  add(fieldError('displayName', displayNameBreach(values.displayName.trim()), labels, s));
  const nickname = effectiveMailNickname(values);
  if (nickname === '') add(values.displayName.trim() ? { field: 'mailNickname', message: s.nicknameUnderivable } : undefined);
  else add(fieldError('mailNickname', mailNicknameBreach(nickname), labels, s));
  add(fieldError('description', descriptionBreach(values.description.trim()), labels, s));
  add(values.visibility === 'HiddenMembership' && values.kind !== 'microsoft365' ? { field: 'visibility', message: s.hiddenOnlyMicrosoft365 } : undefined);
  add(checkPeople('ownerIds', values.ownerIds, MAX_OWNERS, labels, s));
  add(checkPeople('memberIds', values.memberIds, MAX_MEMBERS, labels, s));
  return errors;
}

function checkPeople(field: string, ids: readonly string[], max: number, labels: Labels, s: UiStrings): FieldError | undefined {
  const label = labels[field] ?? field;
  const message = ids.length > max
    ? format(s.peopleTooMany, label, String(max))
    : ids.some((id) => !isGuid(id))
      ? format(s.peopleNotPicked, label)
      : new Set(ids.map((id) => id.toLowerCase())).size !== ids.length
        ? format(s.peopleTwice, label)
        : undefined;
  return message === undefined ? undefined : { field, message };
}

/**
 * Text typed in a people picker but not chosen from its list. Only the page sees that text (the extension gets the
 * chosen ids), so the page applies this rule before it sends: nothing typed is silently dropped.
 */
export function checkUnpicked(field: string, typed: string, s: UiStrings): FieldError | undefined {
  const text = typed.trim();
  return text === '' ? undefined : { field, message: format(s.unpickedPerson, text.length > 60 ? `${text.slice(0, 59)}…` : text) };
}

export function createGroupInput(values: GroupCreateValues): CreateGroupInput {
  const input: CreateGroupInput = { kind: values.kind, displayName: values.displayName.trim(), mailNickname: effectiveMailNickname(values) };
  const description = values.description.trim();
  if (description) input.description = description;
  if (values.visibility) input.visibility = values.visibility;
  if (values.ownerIds.length) input.ownerIds = [...values.ownerIds];
  if (values.memberIds.length) input.memberIds = [...values.memberIds];
  return input;
}

export function groupChanges(original: GroupEditValues, values: GroupEditValues): GroupChangeSet {
  const changes: GroupChangeSet = {};
  const name = values.displayName.trim();
  if (name !== original.displayName) changes.displayName = name;
  const nickname = values.mailNickname.trim();
  if (nickname !== original.mailNickname) changes.mailNickname = nickname;
  const description = values.description.trim();
  if (description !== original.description) changes.description = description === '' ? null : description;
  if (values.visibility !== original.visibility && values.visibility !== '') changes.visibility = values.visibility;
  return changes;
}

/** Problems of a group edit, one per changed field. */
export function checkGroupEdit(changes: GroupChangeSet, s: UiStrings): FieldError[] {
  const labels = groupLabels(s);
  return perField(changes, (one) => checkGroupChanges(one)).map(([field, problem]) => fieldError(field, problem, labels, s) as FieldError);
}

export function userChanges(original: UserFormValues, values: UserFormValues): Partial<User> {
  const changes: Partial<User> = {};
  for (const field of USER_TEXT_FIELDS) {
    let value = values[field].trim();
    if (field === 'usageLocation') value = value.toUpperCase();
    if (value === original[field]) continue;
    if (field === 'businessPhone') changes.businessPhones = value ? [value] : [];
    // Graph keeps the display name required; an empty one is reported by the check, not turned into null.
    else if (field === 'displayName') changes.displayName = value;
    else changes[field] = value === '' ? null : value;
  }
  if (values.accountEnabled !== original.accountEnabled) changes.accountEnabled = values.accountEnabled;
  return changes;
}

/**
 * Form fields a user synced from on-premises cannot change through Graph: everything the sync writes. Graph refuses
 * them with "Unable to update the specified properties for on-premises mastered Directory Sync objects"; the usage
 * location is cloud-only and stays editable (https://learn.microsoft.com/graph/api/user-update, and the sync's
 * attribute list in Microsoft Entra Connect).
 */
export function lockedUserFields(user: Pick<User, 'onPremisesSyncEnabled'>): Array<UserTextField | 'accountEnabled'> {
  if (user.onPremisesSyncEnabled !== true) return [];
  return [...USER_TEXT_FIELDS.filter((f) => f !== 'usageLocation'), 'accountEnabled'];
}

/** Problems of a user edit, one per changed field, named after the form's fields. */
export function checkUserEdit(changes: Partial<User>, s: UiStrings): FieldError[] {
  const labels = userLabels(s);
  return perField(changes, (one) => checkUserChanges(one)).map(([field, problem]) => fieldError(userFormField(field), problem, labels, s) as FieldError);
}

/** Each changed property checked alone, so every field shows its own problem. */
function perField(changes: Readonly<Record<string, unknown>>, check: (one: Record<string, unknown>) => PropertyProblem | undefined): Array<[string, PropertyProblem]> {
  const problems: Array<[string, PropertyProblem]> = [];
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const problem = check({ [key]: value });
    if (problem) problems.push([problem.field ?? key, problem]);
  }
  return problems;
}

export function userFormField(graphProperty: string): string {
  return graphProperty === 'businessPhones' ? 'businessPhone' : graphProperty;
}

/**
 * A Graph error as the form shows it. Graph names the property only inside its message
 * ("Invalid value specified for property 'mailNickname' of resource 'Group'."), so the field is read from
 * there when the core did not set one; it is kept only when the form has such a field.
 */
export function wireError(error: GraphError, formFields: readonly string[], toFormField: (p: string) => string = (p) => p, explanation?: string): WireError {
  const message = explanation ? `${error.message} ${explanation}` : error.message;
  const wire: WireError = { code: forWebview(error.code, 200), message: forWebview(message, 2000) };
  if (error.status !== undefined) wire.status = error.status;
  if (error.outcomeUnknown === true) wire.outcomeUnknown = true;
  // A Microsoft 365 group's alias is its mail address: Graph reports a clash on the proxyAddresses it would get.
  const named = error.field ?? (/property '?proxyAddresses/.test(error.message) ? 'mailNickname' : /property '?([A-Za-z]+)/.exec(error.message)?.[1]);
  const field = named === undefined ? undefined : toFormField(named);
  if (field !== undefined && formFields.includes(field)) wire.field = field;
  return wire;
}
