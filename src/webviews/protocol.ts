/**
 * Messages between the extension and its webviews, and the checks each side runs on what it receives.
 * Shared by src/webviews (extension host) and src/webview-ui (browser bundle), so it stays free of `vscode`.
 */
import { MAX_MEMBER_PATHS } from '../core/nestingPaths';
import type { GroupKind, GroupVisibility } from '../core/types';
import { GROUP_COLUMNS, TABLE_KINDS, USER_COLUMNS, type TableColumn, type TableKind } from '../shared/directoryTable';
import { boolean, dictionary, integer, list, literal, nullable, oneOf, optional, record, serializedBytes, text, type Check } from './guard';

/** Anything larger is dropped unread: no form of ours comes near it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** What the extension may send: an org chart's init with thousands of people loaded is the biggest. */
export const MAX_STATE_BYTES = 4 * 1024 * 1024;
/** Graph binds at most 20 owners in the create request; more members are added afterwards in chunks. */
export const MAX_OWNERS = 20;
export const MAX_MEMBERS = 100;
export const MAX_LISTED_GROUPS = 200;
/** Rows a group page's list holds: ten of Graph's pages of 100; past that, search narrows the list. */
export const MAX_LIST_ROWS = 1000;
/** Rows removed or added in one go from a group page (each its own request, each with its own outcome). */
export const MAX_LIST_CHANGE = 100;
/** Groups a group page lists as "member of". */
export const MAX_MEMBER_OF = 100;
/** Candidates one search offers to add. */
export const MAX_CANDIDATES = 50;
/** Rows in one `tableRows` message: a 100,000-row table arrives in a hundred of them, each well under MAX_STATE_BYTES. */
export const MAX_TABLE_CHUNK = 1000;
/** Ids in one `tableRun` message (under MAX_MESSAGE_BYTES); a larger selection comes in several, `more` on all but the last. */
export const MAX_TABLE_IDS = 1000;
/** Rows added to or removed from a group in one go from the table (each with its own outcome). */
export const MAX_TABLE_CHANGE = 1000;
/** Rows one table holds: well above the largest directories this extension is made for. */
export const MAX_TABLE_ROWS = 2_000_000;

/**
 * Generous bounds for well-formedness. They sit above the directory's own limits on purpose: an
 * over-long name is a field error for the user to see, not a malformed message to drop.
 */
/** Longest strings the protocol accepts, by kind; a table cell is `Limit.text` (exported as TABLE_CELL_LIMIT). */
const Limit = { id: 128, text: 1024, longText: 4096, term: 512, label: 500 } as const;
export const TABLE_CELL_LIMIT = Limit.text;

export type ViewKind = 'profile' | 'groupForm' | 'userForm' | 'group' | 'orgChart' | 'nesting' | 'table';
export const VIEW_KINDS = ['profile', 'groupForm', 'userForm', 'group', 'orgChart', 'nesting', 'table'] as const satisfies readonly ViewKind[];
/** Reports one expansion of the org chart brings: a manager with more is shown with "more not shown". */
export const MAX_CHART_REPORTS = 1000;
/**
 * People a chart's state holds: everyone loaded so far, so a page rebuilt after being hidden shows the same chart. An
 * organisation of 5,000 in one chart fits (about 200 bytes a person); beyond, people are no longer added on expansion.
 */
export const MAX_CHART_PEOPLE = 6000;
/** Groups and edges a nesting graph holds (see MAX_WALK in core/hierarchy: two walks). */
export const MAX_NEST_GROUPS = 500;
export const MAX_NEST_EDGES = 2000;
export const MAX_NEST_PATHS = MAX_MEMBER_PATHS;

// ── Strings the extension localizes and hands to the webview ────────────────

export const UI_STRING_KEYS = [
  'save', 'create', 'cancel', 'working', 'loading', 'required', 'noChanges', 'fixErrors', 'notSet',
  'details', 'manager', 'groups', 'noManager', 'noGroups', 'moreGroups', 'copyId', 'copyUpn', 'editUser', 'openManager', 'refresh',
  'setManager', 'changeManager', 'clearManager',
  'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'jobTitle', 'department', 'officeLocation',
  'companyName', 'businessPhone', 'mobilePhone', 'city', 'country', 'usageLocation', 'usageLocationHint',
  'preferredLanguage', 'userType', 'accountEnabled', 'createdDateTime', 'id',
  'newGroup', 'editGroup', 'groupType', 'security', 'microsoft365', 'groupName', 'mailNickname', 'mailNicknameHint',
  'description', 'visibility', 'visibilityDefault', 'public', 'private', 'hiddenMembership', 'visibilityLocked',
  'owners', 'members', 'searchPlaceholder', 'searching', 'noResults', 'removePerson', 'limitReached',
  'openGroup', 'groupKind', 'membershipType', 'assignedMembership', 'dynamicMembership', 'membershipRule', 'memberOf',
  'notMemberOfAny', 'moreMemberOf', 'noMembers', 'noOwners', 'noMatches', 'filterList', 'loadMoreOf', 'disabled',
  'removeSelected', 'addSelected', 'addMembers', 'addOwners', 'selectRow', 'selectAll', 'outcomeDone', 'outcomeFailed',
  'userKind', 'groupKindShort', 'otherKind', 'servicePrincipalKind', 'deviceKind', 'exportDesiredState',
  'ruleEmpty', 'ruleTooLong', 'ruleNotAscii', 'ruleControlCharacters', 'ruleNoSpaces', 'ruleForbiddenCharacter', 'ruleCountryCode',
  'ruleNotClearable', 'ruleInvalid', 'nicknameUnderivable', 'hiddenOnlyMicrosoft365', 'peopleTooMany', 'peopleNotPicked', 'peopleTwice',
  'unpickedPerson', 'saving', 'stopping',
  'orgChart', 'chartSearch', 'chartNoMatch', 'chartMatches', 'zoomIn', 'zoomOut', 'zoomReset', 'exportSvg', 'expandReports', 'collapseReports',
  'chartTop', 'chartCycle', 'chartMissing', 'chartTooDeep', 'moreReportsNotShown', 'chartHelp', 'noReports', 'reportsOf',
  'nesting', 'nestedGroups', 'nestedIn', 'noNestedGroups', 'notNestedIn', 'cycleMark', 'nestingIncomplete', 'whyMember', 'pickGroup',
  'directMember', 'viaNesting', 'noPath', 'pathsMore', 'notAMember', 'userGroupsHeading', 'memberGroupsCount',
  'usersTable', 'groupsTable', 'loadedOf', 'loadedSoFar', 'rowsShown', 'columns', 'filterTable', 'filterGroupTable', 'anyValue', 'enabledValue', 'yes', 'no',
  'memberType', 'guestType', 'createdFrom', 'createdTo', 'clearFilters', 'mailEnabledSecurity', 'distribution', 'addToGroup', 'removeFromGroup',
  'exportCsv', 'copyIds', 'openRow', 'selectionTooLarge', 'outcome', 'sortBy', 'filters', 'noRowsMatch',
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

/** What the table does with its selection; the extension asks the rest (which group, which file). */
export type TableAction = 'addToGroup' | 'removeFromGroup' | 'exportCsv' | 'copyIds';
export const TABLE_ACTIONS = ['addToGroup', 'removeFromGroup', 'exportCsv', 'copyIds'] as const satisfies readonly TableAction[];

export type ProfileAction = 'copyId' | 'copyUpn' | 'openManager' | 'editUser' | 'refresh' | 'setManager' | 'clearManager' | 'orgChart';
export type GroupPageAction = 'editGroup' | 'copyId' | 'refresh' | 'exportDesiredState' | 'nesting';
export type GroupListName = 'members' | 'owners';
export const GROUP_LISTS = ['members', 'owners'] as const satisfies readonly GroupListName[];

/** A member or owner as a group page lists it. */
export interface ListRow extends DirectoryRef {
  kind: 'user' | 'group' | 'servicePrincipal' | 'device' | 'other';
  /** A user whose account is disabled. */
  disabled: boolean;
}

/** What became of one row of a removal or an addition: done, or not done and why. */
export interface RowOutcome {
  id: string;
  displayName: string;
  done: boolean;
  message: string;
}

/** A person on the org chart. */
export interface ChartPerson {
  id: string;
  displayName: string;
  jobTitle: string;
  department: string;
  disabled: boolean;
  /** The manager drawn above this person; '' for the chart's top. */
  managerId: string;
  /** Whether this person's reports have been read (and so are all in the chart, up to MAX_CHART_REPORTS). */
  reportsRead: boolean;
  /** Reports were read and some are not drawn (beyond MAX_CHART_REPORTS, or the chart is full). */
  moreReports: boolean;
}

/** Why the chain above the person stops: the top, a manager cycle, a manager that could not be read, or too deep. */
export type ChainEndKind = 'top' | 'cycle' | 'missing' | 'tooDeep';

export type ChartAction = 'exportSvg' | 'refresh';

/** A group on the nesting graph. */
export interface NestGroup {
  id: string;
  displayName: string;
  /** The group's kind in the tree's words. */
  kind: string;
}

/** `from` contains `to` (down) or `from` is a member of `to` (up); `cycle` when the edge closes a cycle. */
export interface NestEdge {
  from: string;
  to: string;
  cycle: boolean;
}

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
  /** From the profile: open the page of one of the groups it lists. */
  | { type: 'openGroup'; groupId: string }
  | { type: 'groupAction'; action: GroupPageAction }
  | { type: 'listMore'; list: GroupListName }
  /** Narrows a list to what matches `term` (Graph's `$search`); '' shows the whole list again. */
  | { type: 'listSearch'; list: GroupListName; term: string }
  | { type: 'listRemove'; requestId: number; list: GroupListName; ids: string[] }
  /** Adds objects the page was offered by `searchCandidates`. */
  | { type: 'listAdd'; requestId: number; list: GroupListName; ids: string[] }
  | { type: 'searchCandidates'; requestId: number; list: GroupListName; term: string }
  /** Org chart: read a person's direct reports. */
  | { type: 'chartExpand'; requestId: number; userId: string }
  /** Org chart: open the profile of a person the chart shows. */
  | { type: 'chartOpen'; userId: string }
  | { type: 'chartAction'; action: ChartAction }
  /** Nesting graph of a user: the paths by which the user is a member of this group. */
  | { type: 'nestingExplain'; requestId: number; groupId: string }
  /** Nesting graph: open the page of a group it shows. */
  | { type: 'nestingOpen'; groupId: string }
  | { type: 'nestingRefresh' }
  /** The table's selection, for `action`: ids in parts of at most MAX_TABLE_IDS; the action runs once `more` is false. */
  | { type: 'tableRun'; requestId: number; action: TableAction; ids: string[]; more: boolean }
  /** Opens a row's page (profile or group page). */
  | { type: 'tableOpen'; id: string }
  /** The columns the admin chose, to remember. */
  | { type: 'tableColumns'; columns: TableColumn[] }
  /** Reads every row again. */
  | { type: 'tableRefresh' }
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
  /** The manager's account is disabled: marked, as in every list. */
  managerDisabled?: boolean;
  managerError?: WireError;
  groups?: DirectoryRef[];
  /** True when the user belongs to more groups than the profile lists. */
  groupsMore?: boolean;
  groupsError?: WireError;
  /** Read-only mode (`entraId.readOnly`): the page offers no change. */
  readOnlyMode?: true;
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

export interface GroupListState {
  /** Graph's count of the whole list, never the number of rows loaded. */
  count?: number;
  /** Graph's count of what the rows are drawn from: the whole list, or the matches while searching. */
  total?: number;
  rows: ListRow[];
  /** More rows can be loaded. */
  more: boolean;
  loading: boolean;
  /** The search the rows match; '' for the whole list. */
  search: string;
  error?: WireError;
  /** Why rows cannot be added or removed here; absent when they can. */
  readOnly?: string;
  /** A removal or addition is running. */
  busy: boolean;
  /** The outcome of the last removal or addition, row by row. */
  outcomes?: RowOutcome[];
}

export interface GroupPageState {
  view: 'group';
  strings: UiStrings;
  loading: boolean;
  error?: WireError;
  group?: {
    id: string;
    displayName: string;
    /** The kind in the words the tree uses ("Microsoft 365", "Distribution list", …). */
    kind: string;
    dynamic: boolean;
    mail: string;
    created: string;
    description: string;
    membershipRule: string;
    /** Whether the group's properties can be edited here. */
    editable: boolean;
    /** Whether its members can be exported as a desired-state file (a kind whose members are managed by hand). */
    exportable: boolean;
  };
  memberOf?: DirectoryRef[];
  memberOfTotal?: number;
  memberOfError?: WireError;
  members: GroupListState;
  owners: GroupListState;
  /** Read-only mode (`entraId.readOnly`): the page offers no change (the lists say why in `readOnly`). */
  readOnlyMode?: true;
}

export interface OrgChartState {
  view: 'orgChart';
  strings: UiStrings;
  loading: boolean;
  error?: WireError;
  /** The person the chart was opened for. */
  focusId?: string;
  /** The chain above the focus, the focus, and the focus's reports; the chart's top has managerId ''. */
  people: ChartPerson[];
  chainEnd?: ChainEndKind;
  /** What stopped the chain, in words (a missing manager's error, the manager met again). */
  chainNote?: string;
}

export interface NestingState {
  view: 'nesting';
  strings: UiStrings;
  loading: boolean;
  error?: WireError;
  subject?: { kind: 'group' | 'user'; id: string; displayName: string };
  groups: NestGroup[];
  /** For a group: the groups nested in it, level by level. */
  down: NestEdge[];
  /** For a group: the groups it is a member of, level by level. For a user: the user's direct groups are `from` = user id. */
  up: NestEdge[];
  /** Some groups could not be read, or the walk reached its limit: what is shown is incomplete, and why. */
  incomplete?: string;
}


/** The directory table's frame; its rows follow in `tableRows` messages. */
export interface TableState {
  view: 'table';
  strings: UiStrings;
  kind: TableKind;
  /** Rows are still arriving. */
  loading: boolean;
  /** The columns shown, in order. */
  columns: TableColumn[];
  /** How many rows the extension has loaded, and how many there are in all (when Graph counted them). */
  loaded: number;
  total?: number;
  error?: WireError;
  /** The admin's language (a BCP 47 tag), for sorting and dates. */
  lang: string;
  /** Read-only mode (`entraId.readOnly`): the table offers no change. */
  readOnlyMode?: true;
}

export type ViewState = ProfileState | GroupFormState | UserFormState | GroupPageState | OrgChartState | NestingState | TableState;

export type ExtensionMessage =
  | { type: 'init'; state: ViewState }
  | { type: 'result'; requestId: number; ok: true; message: string }
  | { type: 'result'; requestId: number; ok: false; error: WireError }
  | { type: 'validation'; requestId: number; errors: FieldError[] }
  /** Nothing was sent (the admin declined a confirmation); the form keeps what was typed. */
  | { type: 'notSaved'; requestId: number; message: string }
  | { type: 'searchResult'; requestId: number; users: DirectoryRef[]; error?: WireError }
  /** The direct reports of `managerId`; `more` when the manager has more than MAX_CHART_REPORTS. */
  | { type: 'chartReports'; requestId: number; managerId: string; people: ChartPerson[]; more: boolean; error?: WireError }
  /** Why the user is in `groupId`: paths of group ids from a group the user is directly in to `groupId`. */
  | { type: 'nestingPaths'; requestId: number; groupId: string; member: boolean; paths: string[][]; more: boolean; cycles: NestEdge[]; groups: NestGroup[]; error?: WireError }
  /** Table rows, in the kind's column order; `reset` replaces every row held (a reload, a page shown again). */
  | { type: 'tableRows'; reset: boolean; rows: string[][] }
  | { type: 'tableProgress'; loading: boolean; loaded: number; total?: number; error?: WireError }
  /** Changes made through the extension: rows replaced or added (by id), rows gone. */
  | { type: 'tableChanged'; rows: string[][]; removed: string[] }
  /** A `tableRun` finished: what became of each row (for changes), and a summary. */
  | { type: 'tableDone'; requestId: number; message: string; outcomes: RowOutcome[] };

// ── Checks ──────────────────────────────────────────────────────────────────

const requestId = integer(0, 2 ** 31 - 1);
const shortText = text(Limit.text);
const visibility = literal('', 'Public', 'Private', 'HiddenMembership');
const kind = literal('security', 'microsoft365');
const idList = (max: number): Check<string[]> => list(text(Limit.id), max);
const listName = literal(...GROUP_LISTS);
/** At least one id, none twice, at most `max`: a selection. */
const distinctIds = (max: number): Check<string[]> => (v): v is string[] => list(text(Limit.id, 1), max)(v) && v.length > 0 && new Set(v).size === v.length;
const changeIds = distinctIds(MAX_LIST_CHANGE);
const allColumns = [...new Set<TableColumn>([...USER_COLUMNS, ...GROUP_COLUMNS])];
/** Some of the table's columns, none twice. */
const tableColumns: Check<TableColumn[]> = (v): v is TableColumn[] => list(literal(...allColumns), allColumns.length)(v) && v.length > 0 && new Set(v).size === v.length;
/** A row of either kind: as many texts as its columns. */
const tableRow: Check<string[]> = (v): v is string[] => Array.isArray(v) && (v.length === USER_COLUMNS.length || v.length === GROUP_COLUMNS.length) && v.every(shortText);

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
  record({ type: literal('action'), action: literal('copyId', 'copyUpn', 'openManager', 'editUser', 'refresh', 'setManager', 'clearManager', 'orgChart') }),
  record({ type: literal('openGroup'), groupId: text(Limit.id, 1) }),
  record({ type: literal('groupAction'), action: literal('editGroup', 'copyId', 'refresh', 'exportDesiredState', 'nesting') }),
  record({ type: literal('listMore'), list: listName }),
  record({ type: literal('listSearch'), list: listName, term: text(Limit.term) }),
  record({ type: literal('listRemove'), requestId, list: listName, ids: changeIds }),
  record({ type: literal('listAdd'), requestId, list: listName, ids: changeIds }),
  record({ type: literal('searchCandidates'), requestId, list: listName, term: text(Limit.term) }),
  record({ type: literal('chartExpand'), requestId, userId: text(Limit.id, 1) }),
  record({ type: literal('chartOpen'), userId: text(Limit.id, 1) }),
  record({ type: literal('chartAction'), action: literal('exportSvg', 'refresh') }),
  record({ type: literal('nestingExplain'), requestId, groupId: text(Limit.id, 1) }),
  record({ type: literal('nestingOpen'), groupId: text(Limit.id, 1) }),
  record({ type: literal('nestingRefresh') }),
  record({ type: literal('tableRun'), requestId, action: literal(...TABLE_ACTIONS), ids: distinctIds(MAX_TABLE_IDS), more: boolean }),
  record({ type: literal('tableOpen'), id: text(Limit.id, 1) }),
  record({ type: literal('tableColumns'), columns: tableColumns }),
  record({ type: literal('tableRefresh') }),
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
  manager: optional(nullable(isDirectoryRef)), managerDisabled: optional(boolean), managerError: optional(wireError),
  groups: optional(list(isDirectoryRef, MAX_LISTED_GROUPS)), groupsMore: optional(boolean), groupsError: optional(wireError),
  readOnlyMode: optional(literal(true)),
});
const groupFormState = record({
  view: literal('groupForm'), strings, mode: literal('create', 'edit'), loading: boolean, error: optional(wireError), values: isGroupCreateValues,
});
const lockedFields = record({ fields: list(literal(...USER_TEXT_FIELDS, 'accountEnabled'), USER_TEXT_FIELDS.length + 1), reason: shortText });
const userFormState = record({ view: literal('userForm'), strings, loading: boolean, error: optional(wireError), subject: shortText, values: isUserFormValues, locked: optional(lockedFields) });

const listRow = record({ id: text(Limit.id, 1), displayName: shortText, detail: shortText, kind: literal('user', 'group', 'servicePrincipal', 'device', 'other'), disabled: boolean });
const rowOutcome = record({ id: text(Limit.id, 1), displayName: shortText, done: boolean, message: text(Limit.longText) });
const count = integer(0, 2 ** 31 - 1);
const groupListState = record({
  count: optional(count), total: optional(count), rows: list(listRow, MAX_LIST_ROWS), more: boolean, loading: boolean, search: text(Limit.term),
  error: optional(wireError), readOnly: optional(shortText), busy: boolean, outcomes: optional(list(rowOutcome, MAX_LIST_CHANGE)),
});
const groupPageState = record({
  view: literal('group'), strings, loading: boolean, error: optional(wireError),
  group: optional(record({
    id: text(Limit.id, 1), displayName: shortText, kind: shortText, dynamic: boolean, mail: shortText, created: shortText,
    description: text(Limit.longText), membershipRule: text(Limit.longText), editable: boolean, exportable: boolean,
  })),
  memberOf: optional(list(isDirectoryRef, MAX_MEMBER_OF)), memberOfTotal: optional(count), memberOfError: optional(wireError),
  members: groupListState, owners: groupListState, readOnlyMode: optional(literal(true)),
});

const chartPerson = record({
  id: text(Limit.id, 1), displayName: shortText, jobTitle: shortText, department: shortText, disabled: boolean, managerId: text(Limit.id), reportsRead: boolean, moreReports: boolean,
});
const orgChartState = record({
  view: literal('orgChart'), strings, loading: boolean, error: optional(wireError), focusId: optional(text(Limit.id, 1)),
  people: list(chartPerson, MAX_CHART_PEOPLE), chainEnd: optional(literal('top', 'cycle', 'missing', 'tooDeep')), chainNote: optional(text(Limit.longText)),
});
const nestGroup = record({ id: text(Limit.id, 1), displayName: shortText, kind: shortText });
const nestEdge = record({ from: text(Limit.id, 1), to: text(Limit.id, 1), cycle: boolean });
const nestingState = record({
  view: literal('nesting'), strings, loading: boolean, error: optional(wireError),
  subject: optional(record({ kind: literal('group', 'user'), id: text(Limit.id, 1), displayName: shortText })),
  groups: list(nestGroup, MAX_NEST_GROUPS), down: list(nestEdge, MAX_NEST_EDGES), up: list(nestEdge, MAX_NEST_EDGES), incomplete: optional(text(Limit.longText)),
});

const tableState = record({
  view: literal('table'), strings, kind: literal(...TABLE_KINDS), loading: boolean, columns: tableColumns, loaded: integer(0, MAX_TABLE_ROWS),
  total: optional(integer(0, 2 ** 31 - 1)), error: optional(wireError), lang: text(64), readOnlyMode: optional(literal(true)),
});

const isExtensionMessageShape: Check<ExtensionMessage> = oneOf(
  record({ type: literal('init'), state: oneOf(profileState, groupFormState, userFormState, groupPageState, orgChartState, nestingState, tableState) }),
  record({ type: literal('result'), requestId, ok: literal(true), message: text(Limit.longText) }),
  record({ type: literal('result'), requestId, ok: literal(false), error: wireError }),
  record({ type: literal('validation'), requestId, errors: list(record({ field: text(Limit.label), message: text(Limit.longText) }), 50) }),
  record({ type: literal('notSaved'), requestId, message: text(Limit.longText) }),
  record({ type: literal('searchResult'), requestId, users: list(isDirectoryRef, MAX_CANDIDATES), error: optional(wireError) }),
  record({ type: literal('chartReports'), requestId, managerId: text(Limit.id, 1), people: list(chartPerson, MAX_CHART_REPORTS), more: boolean, error: optional(wireError) }),
  record({
    type: literal('nestingPaths'), requestId, groupId: text(Limit.id, 1), member: boolean, paths: list(list(text(Limit.id, 1), MAX_NEST_GROUPS), MAX_NEST_PATHS),
    more: boolean, cycles: list(nestEdge, MAX_NEST_EDGES), groups: list(nestGroup, MAX_NEST_GROUPS), error: optional(wireError),
  }),
  record({ type: literal('tableRows'), reset: boolean, rows: list(tableRow, MAX_TABLE_CHUNK) }),
  record({ type: literal('tableProgress'), loading: boolean, loaded: integer(0, MAX_TABLE_ROWS), total: optional(integer(0, 2 ** 31 - 1)), error: optional(wireError) }),
  record({ type: literal('tableChanged'), rows: list(tableRow, MAX_TABLE_CHUNK), removed: list(text(Limit.id, 1), MAX_TABLE_CHUNK) }),
  record({ type: literal('tableDone'), requestId, message: text(Limit.longText), outcomes: list(rowOutcome, MAX_TABLE_CHANGE) }),
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
