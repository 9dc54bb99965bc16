/** Public types of the Graph core. Property names follow Microsoft Graph v1.0. */
import type { WriteAccess } from './accessErrors';

export type Result<T> = { success: true; data: T } | { success: false; error: GraphError };

/** Codes the core itself produces; every other code is Graph's own. */
export const ErrorCodes = {
  validation: 'ValidationError',
  timeout: 'Timeout',
  network: 'NetworkError',
  cancelled: 'Cancelled',
  invalidResponse: 'InvalidResponse',
  foreignNextLink: 'ForeignNextLink',
  /** A list whose nextLinks lead back to a page already read, or on through empty pages without end. */
  pagingLoop: 'PagingLoop',
  /** A list longer than the client follows (see MAX_PAGES in paging.ts). */
  tooManyPages: 'TooManyPages',
  /** An answer larger than the client reads (see MAX_RESPONSE_BYTES in http.ts). */
  responseTooLarge: 'ResponseTooLarge',
  authentication: 'AuthenticationFailed',
  partialFailure: 'PartialFailure',
  notFound: 'Request_ResourceNotFound',
} as const;

export interface MemberOutcome {
  memberId: string;
  status: 'added' | 'alreadyMember' | 'failed';
  error?: GraphError;
}

export interface GraphError {
  /** Graph's `error.code`, or one of {@link ErrorCodes}. */
  code: string;
  message: string;
  /** HTTP status when Graph answered. */
  status?: number;
  /** Graph's request id (`innerError['request-id']` or the `request-id` header). */
  requestId?: string;
  /** How long Graph asked us to wait when the failure was throttling. */
  retryAfterMs?: number;
  /** For validation errors: the offending input field. */
  field?: string;
  /** For bulk membership changes that did not fully succeed: what happened to each member. */
  outcomes?: MemberOutcome[];
  /** When a create succeeded but a follow-up step failed: the object that now exists. */
  created?: Group;
  /** The request reached Graph but no answer came back (for a member add, not even after re-sending): the change may have been applied. */
  outcomeUnknown?: boolean;
  /**
   * For a request that got no answer in the end (timeout, network): how long it ran in total, from the first attempt to
   * giving up, and how many attempts that took. A single attempt's timeout says little when the retries took minutes.
   */
  waitedMs?: number;
  attempts?: number;
  /** With `outcomeUnknown` for a create: what to look for before trying again (`createdAfter` is an ISO time). */
  maybeCreated?: { displayName: string; mailNickname: string; createdAfter: string };
}

export interface DirectoryObject {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  [property: string]: unknown;
}

export interface User extends DirectoryObject {
  userPrincipalName?: string | null;
  mail?: string | null;
  givenName?: string | null;
  surname?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  officeLocation?: string | null;
  mobilePhone?: string | null;
  businessPhones?: string[];
  preferredLanguage?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
  usageLocation?: string | null;
  companyName?: string | null;
  city?: string | null;
  country?: string | null;
  createdDateTime?: string | null;
  /** True for a user synced from on-premises Active Directory: its synced properties are changed there, not in Graph. */
  onPremisesSyncEnabled?: boolean | null;
}

export interface Group extends DirectoryObject {
  description?: string | null;
  mail?: string | null;
  mailEnabled?: boolean;
  mailNickname?: string;
  securityEnabled?: boolean;
  groupTypes?: string[];
  visibility?: string | null;
  membershipRule?: string | null;
  /** Directory roles can be assigned to the group: its members hold them. */
  isAssignableToRole?: boolean | null;
  createdDateTime?: string | null;
}

/** The signed-in tenant, as the extension names it. */
export interface Organization {
  /** The tenant id. */
  id: string;
  /** The tenant's display name; unset when Graph gave none. */
  displayName?: string;
  /** The verified domain marked default (new users and mail use it). */
  defaultDomain?: string;
  /** The `<name>.onmicrosoft.com` domain the tenant was created with. */
  initialDomain?: string;
}

export type GroupKind = 'security' | 'microsoft365';
export type GroupVisibility = 'Public' | 'Private' | 'HiddenMembership';

export interface CreateGroupInput {
  displayName: string;
  mailNickname?: string;
  description?: string;
  kind: GroupKind;
  visibility?: GroupVisibility;
  ownerIds?: string[];
  memberIds?: string[];
}

export interface UpdateGroupChanges {
  displayName?: string;
  /** null clears the description. */
  description?: string | null;
  mailNickname?: string;
  visibility?: string;
}

/** Cancellation for any call. */
export interface CallOptions {
  signal?: AbortSignal;
  /**
   * The permission a write needs beyond browsing, handed to the token provider. The client's write methods set it
   * from the one permission table (accessErrors' writeAccess); reads leave it unset.
   */
  access?: WriteAccess;
  /**
   * Sees every request this call sends (each attempt, never a header value or body): how the write path records the
   * request ids of a change. A failing observer never fails the request.
   */
  onRequest?: (info: RequestInfo) => void;
}

export interface ListOptions extends CallOptions {
  /** Stop paging as soon as this many items are collected. */
  maxItems?: number;
}

/** One request the client made, for logs. Never carries tokens. */
export interface RequestInfo {
  method: string;
  /** Path and query relative to the Graph base URL. */
  path: string;
  status?: number;
  requestId?: string;
  /** The `client-request-id` header this attempt sent (a fresh GUID per attempt). */
  clientRequestId?: string;
  durationMs: number;
  attempt: number;
  errorCode?: string;
}

/**
 * What a request asks of the token provider: a fresh token (after Graph's 401), and for a write the permission it
 * needs beyond the sign-in's read permissions (the provider may have to ask the user to consent to it first).
 */
export interface TokenRequest {
  forceRefresh?: boolean;
  access?: WriteAccess;
}

export type TokenProvider = (options?: TokenRequest) => Promise<string>;

export interface GraphClientOptions {
  /** e.g. 'https://graph.microsoft.com/v1.0', a national cloud's, or the emulator's. */
  baseUrl: string;
  getAccessToken: TokenProvider;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Retries of one request on throttling/transient faults. Default 6. */
  maxRetries?: number;
  /** Total time one request may spend waiting to retry. Default 120 s. */
  retryBudgetMs?: number;
  /** Called after each HTTP attempt (for an output channel). */
  onRequest?: (info: RequestInfo) => void;
  /** Test seams. */
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** A page of a lazily read list, and how to get the next one. */
export interface Page<T> {
  items: T[];
  next?: PageCursor<T>;
  /** How many objects the whole list has, when the request asked Graph to count them (`$count=true`). */
  total?: number;
  /** On a delta query's last page: where to ask for the changes made from now on. */
  deltaLink?: string;
}

/** Opaque continuation of a list; pass it back to `GraphClient.nextPage`. */
export interface PageCursor<T> {
  readonly url: string;
  readonly advanced: boolean;
  /** Phantom: keeps the element type attached to the cursor. */
  readonly __item?: T;
  /** Where the cursor stands in its list, for the guards against endless lists (set by the paging code). */
  readonly progress?: ListProgress;
}

/** How far a list has been followed: every link so far (shared along the list) with its page index, and the run of empty pages. */
export interface ListProgress {
  readonly links: Map<string, number>;
  /** Index of the cursor's page; the first page is 0. */
  readonly page: number;
  /** Empty pages just before the cursor's page. */
  readonly emptyBefore: number;
}
