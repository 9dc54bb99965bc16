import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { AuthError } from './types';
import { describeAuthFailure } from './redact';
import { isConsentFailure } from './consent';

/** A one-shot HTTP listener on 127.0.0.1 that receives the authorization redirect from the browser. */
export interface LoopbackRedirect {
  /** `http://127.0.0.1:PORT/` — the app registers `http://127.0.0.1` (Web platform, see appRegistration.ts); the port is not matched. */
  readonly redirectUri: string;
  /** Resolves with the authorization code once a redirect with the expected `state` arrives. */
  waitForCode(state: string, timeoutMs: number, signal?: AbortSignal): Promise<string>;
  close(): void;
}

const SUCCESS_PAGE = 'Sign-in complete. You can close this tab and return to VS Code.';
const FAILURE_PAGE = 'Sign-in did not complete. You can close this tab; VS Code shows the details.';
const REFUSED_PAGE = 'This is not the answer to the sign-in VS Code is waiting for.';

/** The redirect's parameters; each may appear once (a second copy could be read differently by another parser). */
const SINGLE_PARAMETERS = ['code', 'state', 'error', 'error_description'] as const;

/** Starts listening on an ephemeral port; only loopback, so nothing outside this machine can reach it. */
export async function startLoopbackRedirect(): Promise<LoopbackRedirect> {
  /** 'refused': not ours, keep waiting; 'completed' / 'failed': the one answer, the wait is over. */
  let onRedirect: ((query: URLSearchParams) => 'completed' | 'failed' | 'refused') | undefined;
  const server = http.createServer((req, res) => {
    // The raw target, not a parsed URL: `//other.host/?code=…` would parse to the path `/`.
    const target = req.url ?? '';
    const at = target.indexOf('?');
    const path = at === -1 ? target : target.slice(0, at);
    const query = new URLSearchParams(at === -1 ? '' : target.slice(at + 1));
    // Browsers also ask for /favicon.ico and the like; only a redirect to `/` carrying code or error is ours.
    if (req.method !== 'GET' || path !== '/' || (!query.has('code') && !query.has('error')) || !onRedirect) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const outcome = SINGLE_PARAMETERS.some((name) => query.getAll(name).length > 1) ? 'refused' : onRedirect(query);
    res.writeHead(outcome === 'completed' ? 200 : 400, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' });
    res.end(outcome === 'completed' ? SUCCESS_PAGE : outcome === 'failed' ? FAILURE_PAGE : REFUSED_PAGE);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    onRedirect = undefined;
    server.close();
    server.closeAllConnections();
  };

  return {
    redirectUri: `http://127.0.0.1:${port}/`,
    close,
    waitForCode(state: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          finish();
          reject(new AuthError(vscode.l10n.t('Sign-in timed out: the browser did not return to VS Code within {0} minutes.', Math.round(timeoutMs / 60_000)), 'Cancelled'));
        }, timeoutMs);
        const onAbort = (): void => {
          finish();
          reject(new AuthError(vscode.l10n.t('Sign-in was cancelled.'), 'Cancelled'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const finish = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          // Let the response to the browser flush before the server goes away.
          setImmediate(close);
        };
        onRedirect = (query) => {
          // A redirect without our state is not the answer to our request (stale tab, another site); keep waiting.
          if (query.get('state') !== state) return 'refused';
          // The first answer wins: later requests (a reload, a second tab) find nobody waiting and get 404.
          onRedirect = undefined;
          finish();
          const code = query.get('code');
          if (code && !query.has('error')) {
            resolve(code);
            return 'completed';
          }
          reject(redirectError(query.get('error') ?? 'unknown_error', query.get('error_description') ?? ''));
          return 'failed';
        };
      });
    },
  };
}

function redirectError(rawError: string, description: string): AuthError {
  // The query is attacker-reachable text: keep the OAuth error code to its alphabet.
  const error = rawError.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64) || 'unknown_error';
  const { description: safe } = describeAuthFailure(description);
  if (error === 'access_denied' && !isConsentFailure({ message: description })) {
    return new AuthError(vscode.l10n.t('Sign-in was cancelled in the browser.'), 'Cancelled');
  }
  if (isConsentFailure({ code: error, message: description })) {
    return new AuthError(vscode.l10n.t('Sign-in needs consent that was not granted ({0}): {1}', error, safe), 'ConsentRequired');
  }
  return new AuthError(vscode.l10n.t('Sign-in failed ({0}): {1}', error, safe), 'Failed');
}
