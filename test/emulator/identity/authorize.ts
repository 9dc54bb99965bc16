import { randomBytes, randomUUID } from 'node:crypto';
import type { HttpAnswer } from '../runtime/http.js';
import { htmlAnswer, escapeHtml } from '../runtime/http.js';
import type { IdentityContext } from './identityContext.js';
import { parseScopes } from './scopes.js';
import { clientInfo } from './identityContext.js';
import type { RegisteredApp } from './apps.js';
import { CONSENT_ERRORS, mayConsentForOrganization, needsAdminConsent, resolveRequestedPermissions } from './consent.js';

/**
 * GET /{tenant}/oauth2/v2.0/authorize: the configured signed-in user is "signed in" without UI, meets the consent
 * rules (see `consentStep`), and the browser is sent back. Problems that make the redirect URI untrustworthy show an
 * error page (as Entra does); all others are returned to the redirect URI as OAuth2 error parameters.
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
  const singleTenant = ix.singleTenantProblem(tenantSegment, app);
  if (singleTenant) return errorPage(400, singleTenant.aadsts, singleTenant.description);
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!isLoopbackRedirect(redirectUri) && !(app.redirectUris ?? []).includes(redirectUri)) {
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

  const requested = resolveRequestedPermissions(app, scopes.graph);
  // A first-party app asking for more than its pre-authorisation: the sign-in page shows the error (msgraph-cli#48).
  if ('notPreauthorized' in requested) return errorPage(400, 65002, CONSENT_ERRORS.notPreauthorized(app));
  // Error parameter as quoted in Power Query's troubleshooting page for this error ("access_denied: AADSTS650053: …").
  if ('unknownScope' in requested) return fail('access_denied', 650053, CONSENT_ERRORS.unknownScope(app, requested.unknownScope));
  const consent = consentStep(ix, app, user.id, requested.permissions, q.get('prompt'));
  if (consent === 'declined') return fail('access_denied', 65004, CONSENT_ERRORS.declined());
  if (consent === 'needsAdmin') {
    const params = { error: 'access_denied', error_description: `AADSTS90094: ${CONSENT_ERRORS.needsAdmin()}`, error_uri: `${ix.origin}/error?code=90094` };
    return adminApprovalPage(app, returnControl(redirectUri, mode, state === undefined ? params : { ...params, state }));
  }

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

/**
 * Consent at sign-in, following "User and admin consent in Microsoft Entra ID"
 * (https://learn.microsoft.com/entra/identity/enterprise-apps/user-admin-consent-overview) and the consent
 * framework (https://learn.microsoft.com/entra/identity-platform/application-consent-experience):
 * - permissions already granted (tenant-wide or to this user) pass without a prompt, unless `prompt=consent`;
 * - a first-party app is never prompted (its pre-authorisation was checked before);
 * - a missing permission that needs an administrator, for a user who may not consent for the organization
 *   (`CONSENT_ADMIN_ROLES`), ends on "Need admin approval" (AADSTS90094);
 * - otherwise the consent prompt is shown and the user answers as scripted (accept by default). Accepting records a
 *   grant for this user only: the prompt's "Consent on behalf of your organization" box starts unticked, so an
 *   administrator who just clicks Accept consents for themselves;
 * - `prompt=admin_consent` asks an administrator to consent for everyone (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow,
 *   `prompt`): accepted, the requested permissions get a tenant-wide (AllPrincipals) grant; a non-administrator
 *   meets "Need admin approval".
 */
function consentStep(ix: IdentityContext, app: RegisteredApp, userId: string, permissions: string[], prompt: string | null): 'granted' | 'declined' | 'needsAdmin' {
  if (app.preauthorizedScopes) return 'granted';
  const admin = mayConsentForOrganization(ix.state, userId);
  if (prompt === 'admin_consent') {
    if (!admin) return 'needsAdmin';
    if (ix.consentAnswer() === 'decline') return 'declined';
    ix.consent.grant(app.clientId, 'AllPrincipals', null, permissions);
    return 'granted';
  }
  const consented = ix.consent.consentedScopes(app.clientId, userId);
  const missing = permissions.filter((p) => !consented.includes(p));
  if (missing.length === 0 && prompt !== 'consent') return 'granted';
  if (!admin && missing.some(needsAdminConsent)) return 'needsAdmin';
  if (ix.consentAnswer() === 'decline') return 'declined';
  if (missing.length > 0) ix.consent.grant(app.clientId, 'Principal', userId, missing);
  return 'granted';
}

/**
 * "Need admin approval": the sign-in page stops here (no redirect) with the app's name, the explanation, the
 * AADSTS90094 detail and a "Return to the application without granting consent" link (page as shown in
 * microsoft/elk-acs-kubernetes#30 and microsoftgraph/microsoft-graph-docs#3917). The link's parameters are not
 * documented; it returns `error=access_denied` with the AADSTS90094 description, which is what clients handling this
 * case match on.
 */
function adminApprovalPage(app: RegisteredApp, returnLink: string): HttpAnswer {
  return htmlAnswer(
    200,
    `<!doctype html><html><head><title>Need admin approval</title></head><body><h1>Need admin approval</h1>` +
      `<p>${escapeHtml(app.displayName)} needs permission to access resources in your organization that only an admin can grant. ` +
      `Please ask an admin to grant permission to this app before you can use it.</p>${returnLink}` +
      `<p id="error">AADSTS90094: ${escapeHtml(CONSENT_ERRORS.needsAdmin())}</p></body></html>`,
  );
}

function redirectTarget(redirectUri: string, mode: string, params: Record<string, string>): string {
  const qs = new URLSearchParams(params).toString();
  return mode === 'fragment' ? `${redirectUri}#${qs}` : `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${qs}`;
}

function postForm(redirectUri: string, params: Record<string, string>, attributes: string, button: string): string {
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return `<form${attributes === '' ? '' : ` ${attributes}`} method="POST" action="${escapeHtml(redirectUri)}">${inputs}${button}</form>`;
}

/** The "Return to the application without granting consent" control: a link, or a form for form_post. */
function returnControl(redirectUri: string, mode: string, params: Record<string, string>): string {
  const label = 'Return to the application without granting consent';
  if (mode === 'form_post') return postForm(redirectUri, params, 'id="return"', `<button>${label}</button>`);
  return `<p><a id="return" href="${escapeHtml(redirectTarget(redirectUri, mode, params))}">${label}</a></p>`;
}

function redirectBack(redirectUri: string, mode: string, params: Record<string, string>): HttpAnswer {
  if (mode === 'form_post') {
    return htmlAnswer(
      200,
      `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()">` +
        `${postForm(redirectUri, params, '', '<noscript><button>Continue</button></noscript>')}</body></html>`,
    );
  }
  const target = redirectTarget(redirectUri, mode, params);
  return { status: 302, headers: { location: target, 'content-type': 'text/html; charset=utf-8' }, body: `<a href="${escapeHtml(target)}">Continue</a>` };
}
