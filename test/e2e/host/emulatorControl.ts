/**
 * The Graph emulator as seen from inside the extension host: its HTTP control routes (`/_emulator/*`: request log,
 * raw directory state, scripted faults) and a small Graph client for arranging fixtures. Fixture requests carry
 * {@link FIXTURE_HEADER}, so assertions on what the extension sent can leave them out.
 */
import { HOST_ENV } from './protocol';
import { waitFor } from './wait';

/** Marks requests the tests make themselves (lower-case, as the emulator logs header names). */
export const FIXTURE_HEADER = 'x-e2e-fixture';

/** `GET /v1.0/users…` etc.: a Graph request of `method` whose path, without the version, matches `path` (case-insensitive). */
export function isGraphRequest(entry: LogEntry, method: string, path: string | RegExp): boolean {
  if (entry.method !== method || !entry.path.startsWith('/v1.0/')) return false;
  const rest = entry.path.slice('/v1.0'.length);
  return typeof path === 'string' ? rest.toLowerCase() === path.toLowerCase() : path.test(rest);
}

export interface LogEntry {
  seq: number;
  method: string;
  /** Decoded path, e.g. /v1.0/groups/{id}/members/$ref */
  path: string;
  rawUrl: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
  /** 0 while the request is still being answered. */
  status: number;
  fault?: string;
}

export interface EmulatorInfo {
  url: string;
  graphUrl: string;
  authorityHost: string;
  tenantId: string;
  domain: string;
  adminUserId: string;
  adminUpn: string;
  users: number;
  groups: number;
  apps: { demo: { clientId: string; clientSecret: string } };
}

/** `GET /_emulator/users/{id}`: the stored user plus its relations (object ids). */
export interface RawUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  accountEnabled: boolean;
  manager: string | null;
  memberOf: string[];
}

/** `GET /_emulator/groups/{id}`: the stored group plus members and owners (object ids). */
export interface RawGroup {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: string | null;
  isAssignableToRole: boolean | null;
  onPremisesSyncEnabled: boolean | null;
  members: string[];
  owners: string[];
}

export interface ScriptedFault {
  kind: '429' | '503' | '504' | 'reset' | 'resetAfterApply' | 'hang';
  count?: number;
  retryAfter?: string;
  match?: { method?: string; pathIncludes?: string };
}

/** A user or group as Graph lists it (the fields the fixtures use). */
export interface GraphObject {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string;
  groupTypes?: string[];
  mailEnabled?: boolean;
  accountEnabled?: boolean;
}

interface GraphList<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

export class EmulatorControl {
  private token: string | undefined;

  constructor(readonly origin: string) {}

  /**
   * From the Graph URL the harness passes in {@link HOST_ENV.graphUrl} (the run's emulator) or, with
   * `HOST_ENV.attackerGraphUrl`, the attacker's emulator.
   */
  static fromEnvironment(variable: (typeof HOST_ENV)['graphUrl' | 'attackerGraphUrl'] = HOST_ENV.graphUrl): EmulatorControl {
    const graphUrl = process.env[variable];
    if (!graphUrl) throw new Error(`${variable} is not set: run the suite through test/e2e/run.ts`);
    return new EmulatorControl(new URL(graphUrl).origin);
  }

  get graphUrl(): string {
    return `${this.origin}/v1.0`;
  }

  info(): Promise<EmulatorInfo> {
    return this.control<EmulatorInfo>('GET', 'info');
  }

  /** Every logged request after `since` (control routes are never logged). */
  async log(since = 0): Promise<LogEntry[]> {
    return (await this.control<{ entries: LogEntry[] }>('GET', `log?since=${since}`)).entries;
  }

  /** The newest sequence number, to take the log from "now" on. */
  async mark(): Promise<number> {
    const entries = await this.log(0);
    return entries.at(-1)?.seq ?? 0;
  }

  /** Answered requests after `since` that the extension sent (fixture requests left out). */
  async extensionRequests(since: number): Promise<LogEntry[]> {
    return (await this.log(since)).filter((e) => e.status !== 0 && e.headers[FIXTURE_HEADER] === undefined);
  }

  /** Waits until the extension has sent (and the emulator answered) a request after `since` that `matches`. */
  waitForRequest(since: number, what: string, matches: (entry: LogEntry) => boolean, timeoutMs = 15_000): Promise<LogEntry> {
    return waitFor(what, async () => (await this.extensionRequests(since)).find(matches), { timeoutMs, intervalMs: 50 });
  }

  user(idOrUpn: string): Promise<RawUser | undefined> {
    return this.controlOrUndefined<RawUser>(`users/${encodeURIComponent(idOrUpn)}`);
  }

  group(id: string): Promise<RawGroup | undefined> {
    return this.controlOrUndefined<RawGroup>(`groups/${encodeURIComponent(id)}`);
  }

  async scriptFaults(faults: ScriptedFault[]): Promise<void> {
    await this.control('POST', 'faults', { scripted: faults });
  }

  /** Clears scripted and random faults. */
  async clearFaults(): Promise<void> {
    await this.control('POST', 'faults');
  }

  // ── Fixtures through Graph (an app token from the control route) ────────────────────────────────

  async graph<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    this.token ??= (await this.control<{ access_token: string }>('POST', 'token', { kind: 'app' })).access_token;
    const response = await fetch(`${this.graphUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        [FIXTURE_HEADER]: '1',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`fixture ${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Every item of a Graph list, following next links. */
  async graphAll<T>(path: string, headers: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: GraphList<T> = await this.graph<GraphList<T>>('GET', next, undefined, headers);
      items.push(...page.value);
      const link = page['@odata.nextLink'];
      next = link ? link.slice(this.graphUrl.length) : undefined;
    }
    return items;
  }

  /** A new security group (no mail, assigned membership) the tests may change freely. */
  async createSecurityGroup(displayName: string, options: { description?: string; members?: string[]; owners?: string[] } = {}): Promise<GraphObject> {
    const nickname = `e2e${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const bind = (ids: string[] | undefined): string[] | undefined => ids?.map((id) => `${this.graphUrl}/directoryObjects/${id}`);
    const members = bind(options.members);
    const owners = bind(options.owners);
    const group = await this.graph<GraphObject>('POST', '/groups', {
      displayName,
      mailNickname: nickname,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(members?.length ? { 'members@odata.bind': members } : {}),
      ...(owners?.length ? { 'owners@odata.bind': owners } : {}),
    });
    await this.untilReplicated(`/groups/${group.id}`);
    if (options.members?.length) {
      const wanted = options.members;
      await waitFor(`the members of ${group.id} to replicate`, async () => {
        const listed = new Set((await this.graphAll<GraphObject>(`/groups/${group.id}/members?$select=id`)).map((m) => m.id));
        return wanted.every((id) => listed.has(id));
      }, { timeoutMs: 15_000, intervalMs: 100 });
    }
    return group;
  }

  /** A new enabled member user, in no group. */
  async createUser(displayName: string): Promise<GraphObject & { userPrincipalName: string }> {
    const { domain } = await this.info();
    const nickname = `e2e${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const user = await this.graph<GraphObject & { userPrincipalName: string }>('POST', '/users', {
      accountEnabled: true,
      displayName,
      mailNickname: nickname,
      userPrincipalName: `${nickname}@${domain}`,
      passwordProfile: { password: `${nickname}!Aa1`, forceChangePasswordNextSignIn: false },
    });
    await this.untilReplicated(`/users/${user.id}`);
    return user;
  }

  /**
   * Graph is eventually consistent, and so is the emulator: a fixture is ready for a test once Graph's reads see it,
   * as an admin's setup would be by the time they act on it.
   */
  private async untilReplicated(path: string): Promise<void> {
    await waitFor(`${path} to replicate`, async () => {
      try {
        await this.graph('GET', path);
        return true;
      } catch {
        return false;
      }
    }, { timeoutMs: 15_000, intervalMs: 100 });
  }

  async deleteUser(id: string): Promise<void> {
    if (await this.user(id)) await this.deleteReplicated(`/users/${id}`);
  }

  async deleteGroup(id: string): Promise<void> {
    if (await this.group(id)) await this.deleteReplicated(`/groups/${id}`);
  }

  /** Deletes a fixture; until the object has replicated, Graph answers 404 to it. */
  private async deleteReplicated(path: string): Promise<void> {
    await this.untilReplicated(path);
    await this.graph('DELETE', path);
  }

  private async controlOrUndefined<T>(route: string): Promise<T | undefined> {
    const response = await fetch(`${this.origin}/_emulator/${route}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET /_emulator/${route} → ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  private async control<T = undefined>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.origin}/_emulator/${route}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /_emulator/${route} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
