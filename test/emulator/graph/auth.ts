import type { Principal } from './context.js';
import { GraphError } from './errors.js';
import { verifyJwt } from '../identity/jwt.js';
import { GRAPH_RESOURCE, GRAPH_APP_ID } from '../identity/apps.js';

/**
 * Bearer-token check on every Graph call, with Graph's 401 code and messages and a
 * WWW-Authenticate challenge pointing at the emulator's own authority.
 */
export function authenticate(authorization: string | undefined, secret: Buffer, tenantId: string, authority: string): Principal {
  const fail = (message: string): GraphError =>
    new GraphError(401, 'InvalidAuthenticationToken', message, {
      'www-authenticate': `Bearer realm="", authorization_uri="${authority}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
    });
  const m = /^Bearer\s+(.*)$/i.exec(authorization ?? '');
  const token = m?.[1]?.trim() ?? '';
  if (token === '') throw fail('Access token is empty.');
  const v = verifyJwt(token, secret, Math.floor(Date.now() / 1000));
  if (!v.ok) {
    if (v.reason === 'malformed') throw fail('CompactToken parsing failed with error code: 80049217');
    if (v.reason === 'signature') throw fail('Invalid signature.');
    throw fail('Access token has expired or is not yet valid.');
  }
  const c = v.claims;
  if (c['aud'] !== GRAPH_RESOURCE && c['aud'] !== GRAPH_APP_ID) throw fail('Access token validation failure. Invalid audience.');
  if (c['tid'] !== tenantId) throw fail('Access token validation failure. Invalid tenant.');
  const appId = typeof c['appid'] === 'string' ? c['appid'] : typeof c['azp'] === 'string' ? c['azp'] : '';
  const scp = typeof c['scp'] === 'string' ? c['scp'] : undefined;
  const roles = Array.isArray(c['roles']) ? c['roles'].filter((r): r is string => typeof r === 'string') : [];
  const delegated = c['idtyp'] !== 'app' && scp !== undefined;
  return {
    kind: delegated ? 'delegated' : 'app',
    appId,
    tenantId,
    objectId: typeof c['oid'] === 'string' ? c['oid'] : '',
    userId: delegated && typeof c['oid'] === 'string' ? c['oid'] : undefined,
    scopes: new Set((scp ?? '').split(/\s+/).filter(Boolean).map((s) => s.toLowerCase())),
    roles: new Set(roles.map((r) => r.toLowerCase())),
  };
}
