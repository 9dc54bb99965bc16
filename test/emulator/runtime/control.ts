import type { TenantState } from '../directory/tenant.js';
import type {
  ConsistencyConfig,
  EmulatorConsent,
  EmulatorStats,
  FaultConfig,
  IssueTokenOptions,
  ScriptedFault,
  ServerTimeConfig,
  ThrottleConfig,
  RequestLogEntry,
  RegisterAppOptions,
  RevokeConsent,
} from '../types.js';
import type { DirectoryRole } from '../directory/roles.js';
import type { HttpAnswer } from './http.js';
import { jsonAnswer } from './http.js';
import { isRecord } from '../util/json.js';

/**
 * /_emulator/* — unauthenticated control routes so another process (the end-to-end
 * suite, the README demo) can inspect and steer a running emulator. Never faulted,
 * never delayed, never logged.
 */
export interface ControlTarget {
  state: TenantState;
  logSince(seq: number): RequestLogEntry[];
  clearLog(): void;
  stats(): EmulatorStats;
  setLatency(ms: number): void;
  setFaults(cfg: FaultConfig | undefined): void;
  scriptFaults(f: ScriptedFault[]): void;
  setThrottle(cfg: ThrottleConfig | false): void;
  setConsistency(cfg: ConsistencyConfig | false): void;
  consistency(): { config: ConsistencyConfig | false; pending: number };
  setServerTime(cfg: ServerTimeConfig | false): void;
  issueToken(o: IssueTokenOptions): string;
  setSignedInUser(id: string): void;
  setUserRoles(id: string, roles: DirectoryRole[]): void;
  consent: EmulatorConsent;
  info(): Record<string, unknown>;
}

const noContent: HttpAnswer = { status: 204, headers: {} };

export function handleControl(t: ControlTarget, method: string, subpath: string, rawQuery: string, bodyText: string | undefined): HttpAnswer {
  let body: unknown;
  try {
    body = bodyText ? (JSON.parse(bodyText) as unknown) : undefined;
  } catch {
    return jsonAnswer(400, { error: 'Body must be JSON.' });
  }
  const parts = subpath.split('/').filter(Boolean);
  const route = `${method} ${parts[0] ?? ''}`;
  try {
    switch (route) {
      case 'GET info':
        return jsonAnswer(200, t.info());
      case 'GET log': {
        const since = Number(new URLSearchParams(rawQuery).get('since') ?? '0');
        return jsonAnswer(200, { entries: t.logSince(Number.isFinite(since) ? since : 0) });
      }
      case 'POST clear-log':
        t.clearLog();
        return noContent;
      case 'GET stats':
        return jsonAnswer(200, t.stats());
      case 'POST faults':
        if (body === null || body === undefined) {
          t.setFaults(undefined);
          t.scriptFaults([]);
          return noContent;
        }
        if (!isRecord(body)) return jsonAnswer(400, { error: 'Expected a FaultConfig or {"scripted": [...]}.' });
        if (Array.isArray(body['scripted'])) t.scriptFaults(body['scripted'] as ScriptedFault[]);
        if (typeof body['rate'] === 'number') t.setFaults(body as unknown as FaultConfig);
        return noContent;
      case 'POST latency': {
        const ms = isRecord(body) ? body['ms'] : body;
        if (typeof ms !== 'number' || ms < 0) return jsonAnswer(400, { error: 'Expected {"ms": number}.' });
        t.setLatency(ms);
        return noContent;
      }
      case 'POST throttle':
        if (body === false || body === null || (isRecord(body) && body['enabled'] === false)) t.setThrottle(false);
        else if (isRecord(body) || body === true) t.setThrottle(isRecord(body) ? body : {});
        else return jsonAnswer(400, { error: 'Expected a ThrottleConfig, or false.' });
        return noContent;
      case 'GET consistency':
        return jsonAnswer(200, t.consistency());
      case 'POST consistency': {
        if (body === false || body === null || (isRecord(body) && body['enabled'] === false)) {
          t.setConsistency(false);
          return noContent;
        }
        const window = isRecord(body) ? body['replicationDelayMs'] : undefined;
        if (!Array.isArray(window) || window.length !== 2 || window.some((n) => typeof n !== 'number')) {
          return jsonAnswer(400, { error: 'Expected {"replicationDelayMs": [min, max], "seed"?: number}, or false.' });
        }
        const seed = isRecord(body) && typeof body['seed'] === 'number' ? { seed: body['seed'] } : {};
        t.setConsistency({ replicationDelayMs: [window[0] as number, window[1] as number], ...seed });
        return noContent;
      }
      case 'POST server-time': {
        if (body === false || body === null) {
          t.setServerTime(false);
          return noContent;
        }
        const ms = isRecord(body) ? body['perItemMs'] : undefined;
        if (typeof ms !== 'number') return jsonAnswer(400, { error: 'Expected {"perItemMs": number}, or false.' });
        t.setServerTime({ perItemMs: ms });
        return noContent;
      }
      case 'POST token':
        if (!isRecord(body) || (body['kind'] !== 'delegated' && body['kind'] !== 'app')) {
          return jsonAnswer(400, { error: 'Expected {"kind": "delegated" | "app", ...}.' });
        }
        return jsonAnswer(200, { access_token: t.issueToken(body as unknown as IssueTokenOptions) });
      case 'POST signed-in-user':
        if (!isRecord(body) || typeof body['id'] !== 'string' || !t.state.usersById.has(body['id'])) {
          return jsonAnswer(400, { error: 'Expected {"id": "<existing user id>"}.' });
        }
        t.setSignedInUser(body['id']);
        return noContent;
      case 'POST user-roles':
        if (!isRecord(body) || typeof body['id'] !== 'string' || !Array.isArray(body['roles'])) {
          return jsonAnswer(400, { error: 'Expected {"id": "<user id>", "roles": ["<directory role>", ...]}.' });
        }
        t.setUserRoles(body['id'], body['roles'] as DirectoryRole[]);
        return noContent;
      case 'POST apps':
        if (!isRecord(body) || !Array.isArray(body['requiredScopes'])) {
          return jsonAnswer(400, { error: 'Expected {"requiredScopes": [...], "clientId"?, "displayName"?, "publicClient"?}.' });
        }
        return jsonAnswer(201, t.consent.registerApp(body as unknown as RegisterAppOptions));
      case 'GET consent-grants':
        return jsonAnswer(200, { value: t.consent.grants(new URLSearchParams(rawQuery).get('clientId') ?? undefined) });
      case 'POST consent-grants':
        return consentGrantRoute(t.consent, parts[1], body);
      case 'POST consent-answer': {
        const answer = isRecord(body) ? body['answer'] : undefined;
        if (answer !== 'accept' && answer !== 'decline') return jsonAnswer(400, { error: 'Expected {"answer": "accept" | "decline"}.' });
        t.consent.setAnswer(answer);
        return noContent;
      }
      case 'GET users':
        return rawUser(t.state, parts[1] ?? '');
      case 'GET groups':
        return rawGroup(t.state, parts[1] ?? '');
      default:
        return jsonAnswer(404, { error: `Unknown control route ${method} /_emulator/${subpath}` });
    }
  } catch (e) {
    return jsonAnswer(400, { error: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * `POST consent-grants` `{"clientId", "consentType": "AllPrincipals" | "Principal", "principalId"?, "scopes"?}` grants;
 * `POST consent-grants/revoke` `{"clientId", "consentType"?, "principalId"?, "scopes"?}` revokes.
 */
function consentGrantRoute(consent: EmulatorConsent, action: string | undefined, body: unknown): HttpAnswer {
  if (!isRecord(body) || typeof body['clientId'] !== 'string') return jsonAnswer(400, { error: 'Expected {"clientId": "...", ...}.' });
  const clientId = body['clientId'];
  const scopes = Array.isArray(body['scopes']) ? (body['scopes'] as string[]) : undefined;
  const principalId = typeof body['principalId'] === 'string' ? body['principalId'] : undefined;
  if (action === 'revoke') {
    const consentType = body['consentType'] === 'AllPrincipals' || body['consentType'] === 'Principal' ? body['consentType'] : undefined;
    const what: RevokeConsent = { ...(consentType ? { consentType } : {}), ...(principalId ? { principalId } : {}), ...(scopes ? { scopes } : {}) };
    consent.revoke(clientId, what);
    return noContent;
  }
  if (action !== undefined) return jsonAnswer(404, { error: `Unknown control route POST /_emulator/consent-grants/${action}` });
  if (body['consentType'] === 'AllPrincipals') return jsonAnswer(201, consent.grantAdminConsent(clientId, scopes));
  if (body['consentType'] === 'Principal' && principalId && scopes) return jsonAnswer(201, consent.grantUserConsent(clientId, principalId, scopes));
  return jsonAnswer(400, { error: 'Expected "consentType": "AllPrincipals" (with optional "scopes"), or "Principal" with "principalId" and "scopes".' });
}

function rawUser(state: TenantState, key: string): HttpAnswer {
  const u = state.user(decodeURIComponent(key));
  if (!u) return jsonAnswer(404, { error: `No user '${key}'.` });
  return jsonAnswer(200, {
    ...u,
    manager: state.managers.get(u.id) ?? null,
    directReports: state.directReportsOf(u.id),
    memberOf: state.memberOfGroups(u.id),
    ownerOf: state.ownedGroups(u.id),
  });
}

function rawGroup(state: TenantState, id: string): HttpAnswer {
  const g = state.group(decodeURIComponent(id));
  if (!g) return jsonAnswer(404, { error: `No group '${id}'.` });
  return jsonAnswer(200, { ...g, members: state.membersOf(g.id), owners: state.ownersOf(g.id), memberOf: state.memberOfGroups(g.id) });
}
