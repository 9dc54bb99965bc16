/**
 * What the forms mean: initial values from Graph objects, the core's validation rules applied per field,
 * and the "only what changed" diffs. Pure TypeScript, so the browser validates live with exactly the
 * rules the extension re-applies before calling Graph.
 */
import { classifyGroup } from '../shared/groupKinds';
import { forWebview } from '../shared/text';
import type { CreateGroupInput, GraphError, Group, GroupVisibility, User } from '../core/types';
import { checkDisplayName, checkGroupChanges, checkMailNickname, checkUserChanges, deriveMailNickname, isGuid } from '../core/validation';
import {
  MAX_MEMBERS, MAX_OWNERS, USER_TEXT_FIELDS, type FieldError, type GroupCreateValues, type GroupEditValues, type UserFormValues, type UserTextField,
  type WireError,
} from './protocol';

const DESCRIPTION_LIMIT = 1024;

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

/** Every problem of a create form, one per field, so the form can show them all at once. */
export function checkCreateGroup(values: GroupCreateValues): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string | undefined): void => {
    if (message) errors.push({ field, message });
  };
  add('displayName', checkDisplayName(values.displayName.trim()));
  const nickname = effectiveMailNickname(values);
  if (nickname === '') add('mailNickname', values.displayName.trim() ? 'No mail nickname can be made from this name; please type one (ASCII letters and digits).' : undefined);
  else add('mailNickname', checkMailNickname(nickname));
  add('description', values.description.trim().length > DESCRIPTION_LIMIT ? `description is ${values.description.trim().length} characters long; the limit is ${DESCRIPTION_LIMIT}.` : undefined);
  add('visibility', values.visibility === 'HiddenMembership' && values.kind !== 'microsoft365' ? 'Hidden membership is available only for Microsoft 365 groups.' : undefined);
  add('ownerIds', checkIds(values.ownerIds, MAX_OWNERS, 'owners'));
  add('memberIds', checkIds(values.memberIds, MAX_MEMBERS, 'members'));
  return errors;
}

function checkIds(ids: readonly string[], max: number, what: string): string | undefined {
  if (ids.length > max) return `At most ${max} ${what} can be added here.`;
  if (ids.some((id) => !isGuid(id))) return `Pick ${what} from the search results.`;
  if (new Set(ids.map((id) => id.toLowerCase())).size !== ids.length) return `Each of the ${what} can be added only once.`;
  return undefined;
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
export function checkGroupEdit(changes: GroupChangeSet): FieldError[] {
  return perField(changes, (one) => checkGroupChanges(one));
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
export function checkUserEdit(changes: Partial<User>): FieldError[] {
  return perField(changes, (one) => checkUserChanges(one)).map((e) => ({ ...e, field: userFormField(e.field) }));
}

function perField(changes: Readonly<Record<string, unknown>>, check: (one: Record<string, unknown>) => { field?: string; message: string } | undefined): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const problem = check({ [key]: value });
    if (problem) errors.push({ field: problem.field ?? key, message: problem.message });
  }
  return errors;
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
  // A Microsoft 365 group's alias is its mail address: Graph reports a clash on the proxyAddresses it would get.
  const named = error.field ?? (/property '?proxyAddresses/.test(error.message) ? 'mailNickname' : /property '?([A-Za-z]+)/.exec(error.message)?.[1]);
  const field = named === undefined ? undefined : toFormField(named);
  if (field !== undefined && formFields.includes(field)) wire.field = field;
  return wire;
}
