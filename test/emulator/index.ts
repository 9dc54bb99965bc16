import { randomBytes } from 'node:crypto';
import type {
  Emulator,
  EmulatorConsent,
  EmulatorOptions,
  EmulatorTenant,
  FaultConfig,
  OtherTenantOptions,
  ScriptedFault,
  ThrottleConfig,
  IssueTokenOptions,
  ConsistencyConfig,
  ServerTimeConfig,
} from './types.js';
import { generateTenant } from './directory/generate.js';
import type { TenantState } from './directory/tenant.js';
import { Replication } from './directory/replication.js';
import { CursorStore } from './graph/paging.js';
import { GraphService } from './graph/graphService.js';
import { IdentityService } from './identity/identityService.js';
import { TokenMinter, demoApp, vscodeApp, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from './identity/apps.js';
import { buildOrganization } from './directory/organization.js';
import type { OrganizationRecord } from './directory/organization.js';
import { ConsentStore } from './identity/consent.js';
import { consentControls, consentDemoApp } from './identity/consentControl.js';
import { isDirectoryRole } from './directory/roles.js';
import type { DirectoryRole } from './directory/roles.js';
import type { RegisteredApp } from './identity/apps.js';
import { Throttler } from './runtime/throttle.js';
import { FaultInjector } from './runtime/faults.js';
import { RequestLog } from './runtime/requestLog.js';
import type { ControlTarget } from './runtime/control.js';
import { selfSignedCert } from './runtime/tls.js';
import { EmulatorServer } from './server.js';
import type { TenantRoutes } from './server.js';

/**
 * A Microsoft Graph v1.0 (users & groups) and Microsoft identity platform emulator:
 * one HTTP(S) origin serving /v1.0, the OAuth2/OIDC endpoints and /_emulator control
 * routes over a seeded, mutable in-memory directory.
 */
export type {
  Emulator,
  EmulatorOptions,
  EmulatorStats,
  EmulatorTenant,
  OtherTenantOptions,
  FaultConfig,
  FaultKind,
  ScriptedFault,
  ThrottleConfig,
  ConsistencyConfig,
  ServerTimeConfig,
  RequestLogEntry,
  IssueTokenOptions,
  EmulatorConsent,
  RegisterAppOptions,
  RegisteredAppInfo,
  ConsentGrant,
  RevokeConsent,
  ConsentAnswer,
} from './types.js';
export { TenantState } from './directory/tenant.js';
export type { UserRecord, GroupRecord, GroupKind, DirectoryObject } from './directory/records.js';
export { generateTenant } from './directory/generate.js';
export { ADVERSARIAL_USER_COUNT } from './directory/generate.js';
export { ADVERSARIAL_GROUP_COUNT } from './directory/generateGroups.js';
export { ACCESS_FIXTURES, ACCESS_FIXTURE_USER_COUNT, ACCESS_FIXTURE_GROUP_COUNT } from './directory/accessSeed.js';
export { DIRECTORY_ROLES } from './directory/roles.js';
export type { DirectoryRole } from './directory/roles.js';
export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, VSCODE_CLIENT_ID, VSCODE_PREAUTHORIZED_GRAPH_SCOPES, VSCODE_REDIRECT_URI } from './identity/apps.js';
export { GRAPH_DELEGATED_PERMISSIONS, CONSENT_ADMIN_ROLES } from './identity/consent.js';

export const DEFAULT_TENANT_ID = '7b1c5e2a-3f4d-4e8b-9a6c-0d2e4f6a8b10';
export const DEFAULT_DOMAIN = 'contoso.onmicrosoft.com';
export const DEFAULT_TENANT_NAME = 'Contoso';

export async function startEmulator(o: EmulatorOptions = {}): Promise<Emulator> {
  const host = o.host ?? '127.0.0.1';
  const tenantId = (o.tenantId ?? DEFAULT_TENANT_ID).toLowerCase();
  const domain = o.domain ?? DEFAULT_DOMAIN;
  const others = checkOtherTenants(tenantId, domain, o.otherTenants ?? []);
  const tls = o.tls ?? (o.https ? await selfSignedCert() : undefined);
  // One signing key for every tenant, as Entra signs all tenants' tokens with the same published keys
  // (https://learn.microsoft.com/entra/identity-platform/access-tokens, "Validate tokens"): the tenant is in the claims.
  const secret = randomBytes(32);
  const log = new RequestLog();
  const faults = new FaultInjector(o.faults);
  const throttler = new Throttler(o.throttle);
  let latencyMs = o.latencyMs ?? 0;
  let perItemMs = 0;
  const setServerTime = (cfg: ServerTimeConfig | false | undefined): void => {
    if (cfg && !(Number.isFinite(cfg.perItemMs) && cfg.perItemMs >= 0)) throw new Error('serverTime.perItemMs must be a number >= 0.');
    perItemMs = cfg ? cfg.perItemMs : 0;
  };
  setServerTime(o.serverTime);
  let url = '';
  const shared: SharedParts = { secret, log, faults, throttler, url: () => url, perItemMs: () => perItemMs, consistency: o.consistency };

  const home = buildTenant(
    {
      tenantId,
      domain,
      tenantName: o.tenantName ?? DEFAULT_TENANT_NAME,
      ...(o.customDomain !== undefined ? { customDomain: o.customDomain } : {}),
      users: o.users ?? 50,
      groups: o.groups ?? 20,
      seed: o.seed ?? 1,
      adversarial: o.adversarial ?? true,
    },
    shared,
  );
  const { state, organization, replication, consent, minter } = home;
  const otherTenants = new Map<string, TenantParts>(
    others.map((t, i) => [
      t.tenantId,
      buildTenant({ ...t, users: t.users ?? 30, groups: t.groups ?? 8, seed: t.seed ?? 101 + i, adversarial: t.adversarial ?? false }, shared),
    ]),
  );
  const allTenants = [home, ...otherTenants.values()];

  const emulator: Emulator = {
    url: '',
    graphUrl: '',
    authorityHost: '',
    tenantId,
    domain,
    tenantName: organization.displayName,
    ...(tls ? { caCert: tls.cert } : {}),
    state,
    log: log.entries,
    clearLog: () => log.clear(),
    stats: () => ({ ...log.counters }),
    setLatency: (ms: number) => {
      latencyMs = Math.max(0, ms);
    },
    setFaults: (cfg: FaultConfig | undefined) => faults.setRandom(cfg),
    scriptFaults: (f: ScriptedFault[]) => faults.script(f),
    setThrottle: (cfg: ThrottleConfig | false) => throttler.configure(cfg),
    setConsistency: (cfg: ConsistencyConfig | false) => {
      for (const t of allTenants) t.replication.configure(cfg);
    },
    get consistency() {
      return replication.config;
    },
    setServerTime,
    apps: { demo: { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET } },
    issueToken: (t: IssueTokenOptions) => minter.accessToken(t),
    get signedInUserId() {
      return home.signedInUserId();
    },
    setSignedInUser: (id: string) => home.setSignedInUser(id),
    setUserRoles: (userId: string, roles: DirectoryRole[]) => {
      if (!state.usersById.has(userId)) throw new Error(`No user with id ${userId}`);
      const unknown = roles.find((r) => !isDirectoryRole(r));
      if (unknown !== undefined) throw new Error(`'${String(unknown)}' is not a directory role the emulator knows.`);
      for (const r of [...state.rolesOf(userId)]) state.removeRole(userId, r);
      for (const r of roles) state.assignRole(userId, r);
    },
    consent,
    otherTenants: new Map([...otherTenants].map(([id, t]) => [id, publicTenant(t)])),
    close: () => server.close(),
  };

  const control: ControlTarget = {
    state,
    logSince: (seq) => log.since(seq),
    clearLog: () => emulator.clearLog(),
    stats: () => emulator.stats(),
    setLatency: (ms) => emulator.setLatency(ms),
    setFaults: (cfg) => emulator.setFaults(cfg),
    scriptFaults: (f) => emulator.scriptFaults(f),
    setThrottle: (cfg) => emulator.setThrottle(cfg),
    setConsistency: (cfg) => emulator.setConsistency(cfg),
    consistency: () => ({ config: replication.config ?? false, pending: allTenants.reduce((n, t) => n + t.replication.pending, 0) }),
    setServerTime: (cfg) => emulator.setServerTime(cfg),
    issueToken: (t) => emulator.issueToken(t),
    setSignedInUser: (id) => emulator.setSignedInUser(id),
    setUserRoles: (id, roles) => emulator.setUserRoles(id, roles),
    consent,
    info: () => ({
      url: emulator.url,
      graphUrl: emulator.graphUrl,
      authorityHost: emulator.authorityHost,
      tenantId,
      domain,
      adminUserId: state.adminUserId,
      adminUpn: state.usersById.get(state.adminUserId)?.userPrincipalName,
      signedInUserId: home.signedInUserId(),
      apps: emulator.apps,
      consistency: replication.config ?? false,
      serverTime: perItemMs > 0 ? { perItemMs } : false,
      users: state.usersById.size,
      groups: state.groupsById.size,
      ...(otherTenants.size > 0 ? { otherTenants: [...otherTenants.values()].map(tenantInfo) } : {}),
    }),
  };

  const server = new EmulatorServer({
    graph: home.graph,
    identity: home.identity,
    ...(otherTenants.size > 0 ? { otherTenants: tenantRoutes(otherTenants) } : {}),
    control,
    log,
    faults,
    latencyMs: () => latencyMs,
    ...(tls ? { tls } : {}),
  });
  const port = await server.listen(host, o.port ?? 0);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  url = `${tls ? 'https' : 'http'}://${hostPart}:${port}`;
  emulator.url = url;
  emulator.graphUrl = `${url}/v1.0`;
  emulator.authorityHost = url;
  return emulator;
}

/** What every tenant of one emulator shares: it is one origin, with one log, one fault plan, one throttler. */
interface SharedParts {
  secret: Buffer;
  log: RequestLog;
  faults: FaultInjector;
  throttler: Throttler;
  url: () => string;
  perItemMs: () => number;
  consistency: ConsistencyConfig | false | undefined;
}

interface TenantSeed {
  tenantId: string;
  domain: string;
  tenantName: string;
  customDomain?: string;
  users: number;
  groups: number;
  seed: number;
  adversarial: boolean;
}

/** One tenant: its directory, organization, app registrations, consent, token minter, Graph and identity endpoints. */
interface TenantParts {
  tenantId: string;
  domain: string;
  state: TenantState;
  organization: OrganizationRecord;
  replication: Replication;
  consent: EmulatorConsent;
  minter: TokenMinter;
  graph: GraphService;
  identity: IdentityService;
  signedInUserId(): string;
  setSignedInUser(id: string): void;
}

function buildTenant(t: TenantSeed, shared: SharedParts): TenantParts {
  const { tenantId, domain } = t;
  const state: TenantState = generateTenant({ users: t.users, groups: t.groups, seed: t.seed, adversarial: t.adversarial, domain });
  const organization = buildOrganization({
    tenantId,
    displayName: t.tenantName,
    initialDomain: domain,
    ...(t.customDomain !== undefined ? { customDomain: t.customDomain } : {}),
  });
  const replication = new Replication(state, shared.consistency);
  let signedInUserId = state.adminUserId;

  // Each tenant holds the two apps as its own: the demo app stands for a multi-tenant app an administrator of every
  // tenant consented to (its service principal there, https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals),
  // VS Code's first-party app is present in every tenant. The demo app keeps its single-tenant flag, so `/common`
  // answers for it as with one tenant (AADSTS50194).
  const demo = demoApp();
  const vscode = vscodeApp();
  const apps = new Map<string, RegisteredApp>([
    [demo.clientId.toLowerCase(), demo],
    [vscode.clientId.toLowerCase(), vscode],
  ]);
  const consentStore = new ConsentStore();
  consentDemoApp(consentStore, demo);
  const consent = consentControls(apps, consentStore, (id) => state.usersById.has(id));
  const minter = new TokenMinter(shared.secret, () => `${shared.url()}/${tenantId}/v2.0`, tenantId, state, apps);
  const graph = new GraphService({
    state,
    cursors: new CursorStore(),
    throttler: shared.throttler,
    secret: shared.secret,
    tenantId,
    domain,
    organization,
    authority: shared.url,
    log: shared.log,
    faults: shared.faults,
    replication,
    perItemMs: shared.perItemMs,
  });
  const identity = new IdentityService({
    tenantId,
    domain,
    state,
    apps,
    minter,
    signedInUserId: () => signedInUserId,
    consent: consentStore,
    consentAnswer: () => consent.answerNow(),
    graphOrigin: shared.url,
  });
  return {
    tenantId,
    domain,
    state,
    organization,
    replication,
    consent,
    minter,
    graph,
    identity,
    signedInUserId: () => signedInUserId,
    setSignedInUser: (id: string) => {
      if (!state.usersById.has(id)) throw new Error(`No user with id ${id}`);
      signedInUserId = id;
    },
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Tenant segments that name no one tenant (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc). */
const TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);

/** The other tenants with lower-case ids; each id and domain names one tenant only. */
function checkOtherTenants(homeId: string, homeDomain: string, list: readonly OtherTenantOptions[]): OtherTenantOptions[] {
  const ids = new Set([homeId]);
  const domains = new Set([homeDomain.toLowerCase()]);
  return list.map((t) => {
    const id = t.tenantId.toLowerCase();
    const d = t.domain.toLowerCase();
    if (!GUID.test(id)) throw new Error(`otherTenants: the tenant id '${t.tenantId}' is not a GUID.`);
    if (ids.has(id)) throw new Error(`otherTenants: the tenant id '${t.tenantId}' is used twice.`);
    if (TENANT_ALIASES.has(d) || !d.includes('.')) throw new Error(`otherTenants: '${t.domain}' is not a domain name.`);
    if (domains.has(d)) throw new Error(`otherTenants: the domain '${t.domain}' is used twice.`);
    ids.add(id);
    domains.add(d);
    return { ...t, tenantId: id };
  });
}

/**
 * Which tenant answers a request: the identity endpoints by the tenant id or verified domain in their path
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc, "Find your app's OpenID configuration
 * document URI"), Graph by the tenant that issued the token — Graph has one address for all tenants and reads "the
 * users in the tenant" of the token (https://learn.microsoft.com/graph/auth-v2-service; `tid`,
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference). Anything else is the home
 * tenant's: it answers `common`/`organizations` and refuses unknown tenants (AADSTS90002).
 */
function tenantRoutes(others: ReadonlyMap<string, TenantParts>): TenantRoutes {
  const byDomain = new Map([...others.values()].map((t) => [t.domain.toLowerCase(), t]));
  return {
    identity: (segment) => {
      const s = segment.toLowerCase();
      return (others.get(s) ?? byDomain.get(s))?.identity;
    },
    graph: (tid) => others.get(tid.toLowerCase())?.graph,
  };
}

function publicTenant(t: TenantParts): EmulatorTenant {
  return {
    tenantId: t.tenantId,
    domain: t.domain,
    tenantName: t.organization.displayName,
    state: t.state,
    get signedInUserId() {
      return t.signedInUserId();
    },
    setSignedInUser: (id) => t.setSignedInUser(id),
    issueToken: (o) => t.minter.accessToken(o),
    consent: t.consent,
  };
}

function tenantInfo(t: TenantParts): Record<string, unknown> {
  return {
    tenantId: t.tenantId,
    domain: t.domain,
    tenantName: t.organization.displayName,
    adminUserId: t.state.adminUserId,
    adminUpn: t.state.usersById.get(t.state.adminUserId)?.userPrincipalName,
    signedInUserId: t.signedInUserId(),
    users: t.state.usersById.size,
    groups: t.state.groupsById.size,
  };
}
