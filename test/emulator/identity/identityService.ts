import type { TenantState } from '../directory/tenant.js';
import type { RegisteredApp, TokenMinter } from './apps.js';
import type { ConsentAnswer, IdentityContext, RefreshGrant } from './identityContext.js';
import type { ConsentStore } from './consent.js';
import { tenantChecks } from './identityContext.js';
import type { AuthCode } from './authorize.js';
import { handleAuthorize, isLoopbackRedirect } from './authorize.js';
import { handleToken } from './token.js';
import { AadError, aadErrorAnswer } from './aadErrors.js';
import { openIdConfiguration, instanceDiscovery, jwks } from './discovery.js';
import type { HttpAnswer } from '../runtime/http.js';
import { jsonAnswer, htmlAnswer } from '../runtime/http.js';

/**
 * The Microsoft identity platform endpoints, served from the same origin as Graph:
 * discovery, keys, authorize (with the consent rules), token and logout.
 */
export interface IdentityRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string>;
  bodyText?: string;
  origin: string;
}

const IDENTITY_SECOND_SEGMENTS = new Set(['oauth2', 'v2.0', 'discovery', '.well-known']);

export function isIdentityPath(path: string): boolean {
  const parts = path.split('/').filter(Boolean);
  return parts.length >= 2 && IDENTITY_SECOND_SEGMENTS.has((parts[1] ?? '').toLowerCase());
}

export class IdentityService {
  readonly codes = new Map<string, AuthCode>();
  readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(
    private readonly o: {
      tenantId: string;
      domain: string;
      state: TenantState;
      apps: ReadonlyMap<string, RegisteredApp>;
      minter: TokenMinter;
      signedInUserId: () => string;
      consent: ConsentStore;
      consentAnswer: () => ConsentAnswer;
      graphOrigin: () => string;
    },
  ) {}

  get tenantId(): string {
    return this.o.tenantId;
  }

  handle(req: IdentityRequest): HttpAnswer {
    const parts = req.path.split('/').filter(Boolean);
    const [tenant = '', ...rest] = parts;
    const route = rest.join('/').toLowerCase();
    const ix = this.context(req.origin);
    const q = new URLSearchParams(req.rawQuery);
    try {
      switch (route) {
        case 'v2.0/.well-known/openid-configuration':
        case '.well-known/openid-configuration': {
          const t = ix.checkTenant(tenant);
          if (t) throw new AadError(t.status, t.error, t.aadsts, t.description);
          return jsonAnswer(200, openIdConfiguration(req.origin, tenant, this.o.tenantId, this.o.graphOrigin()));
        }
        case 'discovery/instance':
          return jsonAnswer(200, instanceDiscovery(req.origin, q.get('authorization_endpoint') ?? undefined));
        case 'discovery/v2.0/keys':
        case 'discovery/keys':
          return jsonAnswer(200, jwks());
        case 'oauth2/v2.0/authorize': {
          const params = req.method === 'POST' ? new URLSearchParams(req.bodyText ?? '') : q;
          return handleAuthorize(ix, tenant, params);
        }
        case 'oauth2/v2.0/token':
          if (req.method !== 'POST') throw new AadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
          if (!/application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
            throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
          }
          return jsonAnswer(200, handleToken(ix, tenant, new URLSearchParams(req.bodyText ?? ''), req.headers['authorization']), {
            'cache-control': 'no-store, no-cache',
            pragma: 'no-cache',
          });
        case 'oauth2/v2.0/logout': {
          const back = q.get('post_logout_redirect_uri');
          if (back && isLoopbackRedirect(back)) return { status: 302, headers: { location: back } };
          return htmlAnswer(200, '<!doctype html><html><body><p>You have signed out of your account.</p></body></html>');
        }
        default:
          return jsonAnswer(404, { error: 'not_found', error_description: `No identity endpoint at '${req.path}'.` });
      }
    } catch (e) {
      if (e instanceof AadError) return aadErrorAnswer(e, req.origin, req.headers['client-request-id']);
      throw e;
    }
  }

  private context(origin: string): IdentityContext {
    return {
      origin,
      tenantId: this.o.tenantId,
      domain: this.o.domain,
      state: this.o.state,
      apps: this.o.apps,
      codes: this.codes,
      refreshTokens: this.refreshTokens,
      minter: this.o.minter,
      signedInUserId: this.o.signedInUserId,
      consent: this.o.consent,
      consentAnswer: this.o.consentAnswer,
      ...tenantChecks(this.o.tenantId, this.o.domain),
    };
  }
}
