import type { TenantState } from './directory/tenant.js';
import type { ConsistencyConfig } from './directory/replication.js';
import type { DirectoryRole } from './directory/roles.js';
import type { ConsentGrant, RevokeConsent } from './identity/consent.js';
import type { ConsentAnswer } from './identity/identityContext.js';

export type { ConsistencyConfig } from './directory/replication.js';

/** Public option and result types of the emulator (re-exported from index.ts). */

export interface EmulatorOptions {
  host?: string;
  port?: number;
  /** Serve HTTPS with a self-signed certificate generated on the fly (unless `tls` is given). */
  https?: boolean;
  tls?: { key: string; cert: string };
  users?: number;
  groups?: number;
  seed?: number;
  /** Add users and groups with hostile display values. */
  adversarial?: boolean;
  latencyMs?: number;
  faults?: FaultConfig;
  throttle?: ThrottleConfig | false;
  tenantId?: string;
  /** The tenant's initial `<name>.onmicrosoft.com` domain; users' UPNs end in it. */
  domain?: string;
  /** The organization's display name (GET /organization). Default 'Contoso'. */
  tenantName?: string;
  /** A custom verified domain that is the tenant's default domain; unset: the initial domain is the default. */
  customDomain?: string;
  /**
   * Graph's eventual consistency (README, "Consistency"): changes reach reads after a replication delay, references to
   * objects not yet replicated fail, $batch items run and answer in a seeded random order. Off unless given.
   */
  consistency?: ConsistencyConfig | false;
  /** Server time per object returned or written, on top of `latencyMs`. Off unless given. */
  serverTime?: ServerTimeConfig | false;
  /**
   * More tenants behind the same origin, as in Microsoft's cloud: each has its own directory, organization, consent
   * and sign-in endpoints (`/{its id or domain}/oauth2/v2.0/...`); Graph answers a request from the directory of the
   * tenant its token was issued in. The request log, faults, throttling and latency stay those of the one server.
   */
  otherTenants?: OtherTenantOptions[];
}

export interface OtherTenantOptions {
  /** A GUID, unlike the home tenant's and the other tenants'. */
  tenantId: string;
  /** The tenant's initial `<name>.onmicrosoft.com` domain; users' UPNs end in it. */
  domain: string;
  /** The organization's display name (GET /organization). */
  tenantName: string;
  /** Default 30. */
  users?: number;
  /** Default 8. */
  groups?: number;
  /** Default: 101 plus its index in the list, so its people differ from the home tenant's. */
  seed?: number;
  /** Add users and groups with hostile display values. Default false. */
  adversarial?: boolean;
}

export interface ServerTimeConfig {
  /** Milliseconds per object in an answer (a list's items, or the object read or created) and per object or link written. */
  perItemMs: number;
}

/**
 * Besides statuses and socket faults, answers no real Graph gives, for testing the client's bounds:
 * - `nextLinkToSelf`: an empty page whose nextLink is the request's own URL;
 * - `nextLinkCycle`: an empty page whose nextLink alternates between two URLs ($skiptoken cycleA / cycleB);
 * - `nextLinkEndless`: an empty page whose nextLink is always a new URL;
 * - `hugeBody`: a 200 JSON list of 1 GiB, streamed in chunks as fast as the client reads (no Content-Length);
 * - `hugeBodyDeclared`: the same, announced with `Content-Length`;
 * - `echoAuthorization`: a 502 whose error message repeats the Authorization header (as some gateways do).
 * Statuses and `echoAuthorization` also apply to $batch items that a scripted fault's `match` targets.
 */
export type FaultKind =
  | '429' | '503' | '504' | 'reset' | 'resetAfterApply' | 'hang'
  | 'nextLinkToSelf' | 'nextLinkCycle' | 'nextLinkEndless' | 'hugeBody' | 'hugeBodyDeclared' | 'echoAuthorization';

export interface FaultConfig {
  /** Probability in [0, 1] that a Graph request is faulted. */
  rate: number;
  /** Kinds to choose from; default 429, 503, 504. */
  kinds?: FaultKind[];
  /** Retry-After seconds sent with injected 429/503/504; omitted = no header. */
  retryAfterSec?: number;
  seed?: number;
}

export interface ScriptedFault {
  kind: FaultKind;
  /** How many matching requests this entry faults; default 1. */
  count?: number;
  /** Raw Retry-After header value, e.g. '0.2' or an HTTP date; omitted = no header. */
  retryAfter?: string;
  match?: { method?: string; pathIncludes?: string };
}

export interface ThrottleConfig {
  /** Resource units per 10 s per app+tenant; default 8000 (a large tenant). */
  ruPer10s?: number;
  /** Write requests per 150 s per app+tenant; default 3000. */
  writesPer150s?: number;
}

export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Decoded pathname, e.g. /v1.0/groups/{id}/members/$ref */
  path: string;
  /** Path and query as received. */
  rawUrl: string;
  query: Record<string, string>;
  /** Lower-case names; the authorization value is replaced by 'Bearer <redacted>'. */
  headers: Record<string, string>;
  body?: unknown;
  status: number;
  requestId: string;
  durationMs: number;
  fault?: FaultKind;
  throttled?: boolean;
  /** seq of the $batch that carried this request. */
  batchParent?: number;
  /**
   * The tenant that answered (sign-in endpoints: the one their path names; Graph: the one that issued the token; a
   * $batch's items: see their parent). Set only when the emulator serves other tenants too.
   */
  tenantId?: string;
}

export interface EmulatorStats {
  requests: number;
  bytesSent: number;
  throttled: number;
  faults: number;
  writes: number;
  /** Writes refused because what they address or reference had not replicated yet (consistency model). */
  notReplicated: number;
}

export interface IssueTokenOptions {
  kind: 'delegated' | 'app';
  userId?: string;
  scopes?: string[];
  roles?: string[];
  expiresInSec?: number;
  clientId?: string;
}

/** An app registration made for a test: the delegated Graph permissions it lists, and no consent yet. */
export interface RegisterAppOptions {
  /** Defaults to a fresh GUID. */
  clientId?: string;
  displayName?: string;
  /** Delegated Graph permissions the registration lists (requiredResourceAccess), e.g. `['User.Read', 'Group.ReadWrite.All']`. */
  requiredScopes: string[];
  /** A public client (no secret, like a desktop app); otherwise a secret is generated. */
  publicClient?: boolean;
}

export interface RegisteredAppInfo {
  clientId: string;
  /** Absent for a public client. */
  clientSecret?: string;
  displayName: string;
  requiredScopes: string[];
}

/** Consent controls: app registrations, delegated permission grants, and the signed-in user's answer to a prompt. */
export interface EmulatorConsent {
  registerApp(o: RegisterAppOptions): RegisteredAppInfo;
  /** An administrator's tenant-wide consent (AllPrincipals) to these permissions, or to all the registration lists. */
  grantAdminConsent(clientId: string, scopes?: string[]): ConsentGrant;
  /** A user's consent for themselves (Principal). */
  grantUserConsent(clientId: string, userId: string, scopes: string[]): ConsentGrant;
  /** Removes grants (all of the app's when `what` is omitted), or some permissions of them. */
  revoke(clientId: string, what?: RevokeConsent): void;
  grants(clientId?: string): ConsentGrant[];
  /** What the signed-in user answers when the consent prompt is shown (`accept` until changed). */
  setAnswer(answer: ConsentAnswer): void;
  readonly answer: ConsentAnswer;
}

export type { ConsentGrant, RevokeConsent, ConsentAnswer, DirectoryRole };

export interface Emulator {
  url: string;
  graphUrl: string;
  authorityHost: string;
  tenantId: string;
  domain: string;
  /** The organization's display name, as GET /organization answers it. */
  tenantName: string;
  caCert?: string;
  state: TenantState;
  log: RequestLogEntry[];
  clearLog(): void;
  stats(): EmulatorStats;
  setLatency(ms: number): void;
  setFaults(cfg: FaultConfig | undefined): void;
  scriptFaults(f: ScriptedFault[]): void;
  setThrottle(cfg: ThrottleConfig | false): void;
  /** Switches the consistency model on (or to another window) or off; either way, earlier changes become visible. */
  setConsistency(cfg: ConsistencyConfig | false): void;
  readonly consistency: ConsistencyConfig | undefined;
  setServerTime(cfg: ServerTimeConfig | false): void;
  apps: { demo: { clientId: string; clientSecret: string } };
  issueToken(o: IssueTokenOptions): string;
  signedInUserId: string;
  setSignedInUser(id: string): void;
  /** Replaces a user's directory roles (`[]` makes an administrator an ordinary user). */
  setUserRoles(userId: string, roles: DirectoryRole[]): void;
  consent: EmulatorConsent;
  /** The tenants of `EmulatorOptions.otherTenants`, by lower-case tenant id (empty when none were asked for). */
  otherTenants: ReadonlyMap<string, EmulatorTenant>;
  close(): Promise<void>;
}

/** Another tenant of the same emulator: its directory and the controls a test needs of it. */
export interface EmulatorTenant {
  tenantId: string;
  domain: string;
  tenantName: string;
  state: TenantState;
  /** The user `/{tenant}/oauth2/v2.0/authorize` signs in (the tenant's admin until changed). */
  readonly signedInUserId: string;
  setSignedInUser(id: string): void;
  /** A token this tenant issued (its `tid` and `iss`). */
  issueToken(o: IssueTokenOptions): string;
  consent: EmulatorConsent;
}
