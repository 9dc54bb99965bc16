import { randomBytes } from 'node:crypto';
import type { Emulator, EmulatorOptions, FaultConfig, ScriptedFault, ThrottleConfig, IssueTokenOptions, ConsistencyConfig, ServerTimeConfig } from './types.js';
import { generateTenant } from './directory/generate.js';
import type { TenantState } from './directory/tenant.js';
import { Replication } from './directory/replication.js';
import { CursorStore } from './graph/paging.js';
import { GraphService } from './graph/graphService.js';
import { IdentityService } from './identity/identityService.js';
import { TokenMinter, demoApp, vscodeApp, DEMO_CLIENT_SECRET } from './identity/apps.js';
import { buildOrganization } from './directory/organization.js';
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

/**
 * A Microsoft Graph v1.0 (users & groups) and Microsoft identity platform emulator:
 * one HTTP(S) origin serving /v1.0, the OAuth2/OIDC endpoints and /_emulator control
 * routes over a seeded, mutable in-memory directory.
 */
export type {
  Emulator,
  EmulatorOptions,
  EmulatorStats,
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
export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, VSCODE_CLIENT_ID, VSCODE_PREAUTHORIZED_GRAPH_SCOPES } from './identity/apps.js';
export { GRAPH_DELEGATED_PERMISSIONS, CONSENT_ADMIN_ROLES } from './identity/consent.js';

export const DEFAULT_TENANT_ID = '7b1c5e2a-3f4d-4e8b-9a6c-0d2e4f6a8b10';
export const DEFAULT_DOMAIN = 'contoso.onmicrosoft.com';
export const DEFAULT_TENANT_NAME = 'Contoso';

export async function startEmulator(o: EmulatorOptions = {}): Promise<Emulator> {
  const host = o.host ?? '127.0.0.1';
  const tenantId = (o.tenantId ?? DEFAULT_TENANT_ID).toLowerCase();
  const domain = o.domain ?? DEFAULT_DOMAIN;
  const state: TenantState = generateTenant({
    users: o.users ?? 50,
    groups: o.groups ?? 20,
    seed: o.seed ?? 1,
    adversarial: o.adversarial ?? true,
    domain,
  });
  const organization = buildOrganization({
    tenantId,
    displayName: o.tenantName ?? DEFAULT_TENANT_NAME,
    initialDomain: domain,
    ...(o.customDomain !== undefined ? { customDomain: o.customDomain } : {}),
  });
  const tls = o.tls ?? (o.https ? await selfSignedCert() : undefined);
  const secret = randomBytes(32);
  const log = new RequestLog();
  const faults = new FaultInjector(o.faults);
  const throttler = new Throttler(o.throttle);
  let latencyMs = o.latencyMs ?? 0;
  const replication = new Replication(state, o.consistency);
  let perItemMs = 0;
  const setServerTime = (cfg: ServerTimeConfig | false | undefined): void => {
    if (cfg && !(Number.isFinite(cfg.perItemMs) && cfg.perItemMs >= 0)) throw new Error('serverTime.perItemMs must be a number >= 0.');
    perItemMs = cfg ? cfg.perItemMs : 0;
  };
  setServerTime(o.serverTime);
  let signedInUserId = state.adminUserId;
  let url = '';

  const demo = demoApp();
  const vscode = vscodeApp();
  const apps = new Map<string, RegisteredApp>([
    [demo.clientId.toLowerCase(), demo],
    [vscode.clientId.toLowerCase(), vscode],
  ]);
  const consentStore = new ConsentStore();
  consentDemoApp(consentStore, demo);
  const consent = consentControls(apps, consentStore, (id) => state.usersById.has(id));
  const minter = new TokenMinter(secret, () => `${url}/${tenantId}/v2.0`, tenantId, state, apps);
  const graph = new GraphService({
    state,
    cursors: new CursorStore(),
    throttler,
    secret,
    tenantId,
    domain,
    organization,
    authority: () => url,
    log,
    faults,
    replication,
    perItemMs: () => perItemMs,
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
    graphOrigin: () => url,
  });

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
    setConsistency: (cfg: ConsistencyConfig | false) => replication.configure(cfg),
    get consistency() {
      return replication.config;
    },
    setServerTime,
    apps: { demo: { clientId: demo.clientId, clientSecret: DEMO_CLIENT_SECRET } },
    issueToken: (t: IssueTokenOptions) => minter.accessToken(t),
    get signedInUserId() {
      return signedInUserId;
    },
    setSignedInUser: (id: string) => {
      if (!state.usersById.has(id)) throw new Error(`No user with id ${id}`);
      signedInUserId = id;
    },
    setUserRoles: (userId: string, roles: DirectoryRole[]) => {
      if (!state.usersById.has(userId)) throw new Error(`No user with id ${userId}`);
      const unknown = roles.find((r) => !isDirectoryRole(r));
      if (unknown !== undefined) throw new Error(`'${String(unknown)}' is not a directory role the emulator knows.`);
      for (const r of [...state.rolesOf(userId)]) state.removeRole(userId, r);
      for (const r of roles) state.assignRole(userId, r);
    },
    consent,
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
    consistency: () => ({ config: replication.config ?? false, pending: replication.pending }),
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
      signedInUserId,
      apps: emulator.apps,
      consistency: replication.config ?? false,
      serverTime: perItemMs > 0 ? { perItemMs } : false,
      users: state.usersById.size,
      groups: state.groupsById.size,
    }),
  };

  const server = new EmulatorServer({ graph, identity, control, log, faults, latencyMs: () => latencyMs, ...(tls ? { tls } : {}) });
  const port = await server.listen(host, o.port ?? 0);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  url = `${tls ? 'https' : 'http'}://${hostPart}:${port}`;
  emulator.url = url;
  emulator.graphUrl = `${url}/v1.0`;
  emulator.authorityHost = url;
  return emulator;
}
