import { randomBytes, randomUUID } from 'node:crypto';
import type { HttpAnswer } from '../runtime/http.js';
import { htmlAnswer, escapeHtml } from '../runtime/http.js';
import type { IdentityContext } from './identityContext.js';
import { parseScopes } from './scopes.js';
import { clientInfo } from './identityContext.js';

/**
 * GET /{tenant}/oauth2/v2.0/authorize with automatic consent: the configured
 * signed-in user is "signed in" without UI and the browser is sent straight back.
 * Problems that make the redirect URI untrustworthy show an error page (as Entra
 * does); all others are returned to the redirect URI as OAuth2 error parameters.
 */
export interface AuthCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scopes: string[];
  userId: string;
  nonce?: string;
  expiresAt: number;
  used: boolean;
}

export const CODE_LIFETIME_MS = 10 * 60_000;

export function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]') && u.hash === '';
  } catch {
    return false;
  }
}

function errorPage(status: number, code: number, message: string): HttpAnswer {
  return htmlAnswer(
    status,
    `<!doctype html><html><head><title>Sign in error</title></head><body><h1>Sorry, but we’re having trouble signing you in.</h1>` +
      `<p id="error">AADSTS${code}: ${escapeHtml(message)}</p></body></html>`,
  );
}

export function handleAuthorize(ix: IdentityContext, tenantSegment: string, q: URLSearchParams): HttpAnswer {
  const tenantProblem = ix.checkTenant(tenantSegment);
  if (tenantProblem) return errorPage(400, tenantProblem.aadsts, tenantProblem.description);
  const clientId = q.get('client_id');
  if (!clientId) return errorPage(400, 900144, "The request body must contain the following parameter: 'client_id'.");
  const app = ix.apps.get(clientId.toLowerCase());
  if (!app) {
    return errorPage(400, 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantSegment}'.`);
  }
  const singleTenant = ix.singleTenantProblem(tenantSegment, app.clientId);
  if (singleTenant) return errorPage(400, singleTenant.aadsts, singleTenant.description);
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!isLoopbackRedirect(redirectUri)) {
    return errorPage(
      400,
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
    );
  }

  const state = q.get('state') ?? undefined;
  const mode = q.get('response_mode') ?? 'query';
  const back = (params: Record<string, string>): HttpAnswer => redirectBack(redirectUri, mode, state === undefined ? params : { ...params, state });
  const fail = (error: string, code: number, description: string): HttpAnswer =>
    back({ error, error_description: `AADSTS${code}: ${description}`, error_uri: `${ix.origin}/error?code=${code}` });

  if (!['query', 'fragment', 'form_post'].includes(mode)) return fail('invalid_request', 900352, `Invalid response_mode '${mode}'.`);
  if (q.get('response_type') !== 'code') {
    return fail('unsupported_response_type', 700054, `response_type '${q.get('response_type') ?? ''}' is not enabled for the application.`);
  }
  const challenge = q.get('code_challenge');
  if (!challenge) return fail('invalid_request', 9002325, 'Proof Key for Code Exchange is required: send code_challenge and code_challenge_method=S256.');
  if ((q.get('code_challenge_method') ?? 'plain') !== 'S256') {
    return fail('invalid_request', 50148, "The code_challenge_method must be 'S256'.");
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 501491, 'Invalid size of Code_Challenge parameter.');
  const scopes = parseScopes(q.get('scope') ?? '');
  if (scopes.foreignResource) {
    return fail('invalid_resource', 500011, `The resource principal named ${scopes.foreignResource} was not found in the tenant named ${ix.tenantId}.`);
  }
  if (scopes.all.length === 0) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");

  const user = ix.state.usersById.get(ix.signedInUserId());
  if (!user) return fail('invalid_request', 50034, 'The user account does not exist in this directory.');
  if (!user.accountEnabled) return fail('access_denied', 50057, 'The user account is disabled.');

  const code = `0.${randomBytes(48).toString('base64url')}`;
  const nonce = q.get('nonce') ?? undefined;
  ix.codes.set(code, {
    clientId: app.clientId,
    redirectUri,
    challenge,
    scopes: scopes.all,
    userId: user.id,
    ...(nonce !== undefined ? { nonce } : {}),
    expiresAt: Date.now() + CODE_LIFETIME_MS,
    used: false,
  });
  const params: Record<string, string> = { code, session_state: randomUUID() };
  if (q.get('client_info') === '1') params['client_info'] = clientInfo(user.id, ix.tenantId);
  return back(params);
}

function redirectBack(redirectUri: string, mode: string, params: Record<string, string>): HttpAnswer {
  if (mode === 'form_post') {
    const inputs = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    return htmlAnswer(
      200,
      `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()">` +
        `<form method="POST" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`,
    );
  }
  const qs = new URLSearchParams(params).toString();
  const target = mode === 'fragment' ? `${redirectUri}#${qs}` : `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${qs}`;
  return { status: 302, headers: { location: target, 'content-type': 'text/html; charset=utf-8' }, body: `<a href="${escapeHtml(target)}">Continue</a>` };
}
