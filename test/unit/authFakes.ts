/** Fakes for the sign-in tests: SecretStorage, log, VS Code sessions, settings, and an msal network client with a custom CA. */
import * as http from 'node:http';
import * as https from 'node:https';
import type * as Msal from '@azure/msal-node';
import * as vscode from 'vscode';
import { readAuthConfig, type AuthConfig } from '../../src/auth/config';
import type { SignInManagerDeps } from '../../src/auth/signInManager';
import type { AuthLog, GetSession, SecretStore, SessionLike } from '../../src/auth/types';

export class FakeSecrets implements SecretStore {
  readonly values = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changed.fire({ key });
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changed.fire({ key });
    return Promise.resolve();
  }
}

export class FakeLog implements AuthLog {
  readonly lines: string[] = [];
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
  text(): string {
    return this.lines.join('\n');
  }
}

/** Settings by full key; `read()` is what the manager calls. */
export function settingsFrom(values: Record<string, unknown>): { values: Record<string, unknown>; read: () => AuthConfig } {
  return { values, read: () => readAuthConfig((key) => values[key]) };
}

/** An unsigned JWT with the given claims (the code under test only decodes). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.sig`;
}

export interface SessionCall {
  providerId: string;
  scopes: readonly string[];
  options: vscode.AuthenticationGetSessionOptions;
}

/** VS Code's accounts: `session` is what a silent request finds; `interactive` answers createIfNone/forceNewSession. */
export class FakeSessions {
  readonly calls: SessionCall[] = [];
  session: SessionLike | undefined;
  interactive: () => Promise<SessionLike | undefined> = () => Promise.resolve(this.session);
  private readonly changed = new vscode.EventEmitter<{ provider: { id: string } }>();
  readonly onDidChangeSessions = this.changed.event;

  readonly getSession: GetSession = (providerId, scopes, options) => {
    this.calls.push({ providerId, scopes, options });
    if (options.silent || (!options.createIfNone && !options.forceNewSession)) return Promise.resolve(this.session);
    return this.interactive();
  };

  fireChange(providerId: string): void {
    this.changed.fire({ provider: { id: providerId } });
  }
}

export function session(label: string, claims: Record<string, unknown> = {}, scopes: readonly string[] = []): SessionLike {
  return { accessToken: fakeJwt({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims }), account: { id: `id-${label}`, label }, scopes };
}

/** Deps for a SignInManager with everything faked; override what a test cares about. */
export function fakeDeps(overrides: Partial<SignInManagerDeps> & { settings?: Record<string, unknown> } = {}): SignInManagerDeps & { secrets: FakeSecrets; log: FakeLog; sessions: FakeSessions; opened: string[]; questions: string[] } {
  const sessions = new FakeSessions();
  const opened: string[] = [];
  // The consent question before a write's first consent: recorded, and answered yes unless a test says otherwise.
  const questions: string[] = [];
  const { settings, ...rest } = overrides;
  return {
    secrets: new FakeSecrets(),
    readConfig: settingsFrom(settings ?? {}).read,
    getSession: sessions.getSession,
    onDidChangeSessions: sessions.onDidChangeSessions,
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve(true);
    },
    showInputBox: () => Promise.resolve(undefined),
    log: new FakeLog(),
    // Tests about other things treat every destination as confirmed; the confirmation rule has tests of its own.
    origins: { ensure: () => Promise.resolve() },
    confirm: (message: string) => {
      questions.push(message);
      return Promise.resolve(true);
    },
    sessions,
    opened,
    questions,
    ...rest,
  } as SignInManagerDeps & { secrets: FakeSecrets; log: FakeLog; sessions: FakeSessions; opened: string[]; questions: string[] };
}

/** msal's network client over node:https, trusting `ca` (the emulator's self-signed certificate). */
export function httpsNetworkClient(ca: string | Buffer): Msal.INetworkModule {
  const send = <T>(method: 'GET' | 'POST', url: string, options?: Msal.NetworkRequestOptions): Promise<Msal.NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = https.request(url, { method, ca, headers: options?.headers ?? {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          try {
            resolve({ status: res.statusCode ?? 0, headers, body: (text ? JSON.parse(text) : {}) as T });
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
      });
      req.on('error', reject);
      if (method === 'POST' && options?.body) req.write(options.body);
      req.end();
    });
  return {
    sendGetRequestAsync: <T>(url: string, options?: Msal.NetworkRequestOptions) => send<T>('GET', url, options),
    sendPostRequestAsync: <T>(url: string, options?: Msal.NetworkRequestOptions) => send<T>('POST', url, options),
  };
}

/** A GET with a custom CA that does not follow redirects; returns status, Location and body. */
export function rawGet(url: string, ca?: string | Buffer): Promise<{ status: number; location?: string; body: string }> {
  const request = url.startsWith('https:') ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ...(ca ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}), body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}
