import type * as vscode from 'vscode';
import type { AuthConfig } from './auth/config';
import type { CloudEndpoints } from './auth/clouds';
import { GraphClient, type RequestInfo, type TokenProvider } from './core';

/**
 * The Graph client for the configured cloud. Rebuilt only when the cloud changes, so its statistics and
 * connection reuse survive across commands. The cloud is the one the settings object validated for sign-in too.
 */
export class GraphClients {
  private client: GraphClient | undefined;
  private key = '';

  constructor(
    private readonly readCloud: () => AuthConfig['cloud'],
    private readonly tokenProvider: TokenProvider,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
  ) {}

  cloud(): CloudEndpoints | undefined {
    const resolved = this.readCloud();
    return resolved.ok ? resolved.cloud : undefined;
  }

  get(): GraphClient {
    const resolved = this.readCloud();
    const key = JSON.stringify(resolved);
    if (this.client && key === this.key) return this.client;
    this.key = key;
    if (!resolved.ok) {
      // A misconfigured cloud still yields a client: every call fails with the configuration message, before
      // any token is asked for or any request is sent.
      const message = resolved.message;
      this.client = new GraphClient({ baseUrl: 'https://graph.microsoft.com/v1.0', getAccessToken: () => Promise.reject(new Error(message)) });
      return this.client;
    }
    this.client = new GraphClient({ baseUrl: resolved.cloud.graphBaseUrl, getAccessToken: this.tokenProvider, onRequest: (i) => this.logRequest(i) });
    return this.client;
  }

  /** Method, path, status, request id and duration; never a header, token or body. */
  private logRequest(i: RequestInfo): void {
    const status = i.status !== undefined ? String(i.status) : (i.errorCode ?? 'no answer');
    const line = `${i.method} ${i.path} → ${status} ${i.durationMs} ms${i.requestId ? ` request-id ${i.requestId}` : ''}${i.attempt > 1 ? ` (attempt ${i.attempt})` : ''}`;
    if (i.status !== undefined && i.status < 400) this.log.info(line);
    else this.log.warn(line);
  }
}
