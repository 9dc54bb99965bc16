/**
 * OpenID Connect discovery documents for an emulated authority. Endpoint URLs keep
 * the tenant segment the client used (tenant id, domain, organizations, common);
 * the issuer is tenant-specific except for the multi-tenant aliases, where Entra
 * publishes the `{tenantid}` template.
 */
export function openIdConfiguration(origin: string, tenantSegment: string, tenantId: string, graphHost: string): Record<string, unknown> {
  const base = `${origin}/${tenantSegment}`;
  const multi = tenantSegment === 'common' || tenantSegment === 'organizations';
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['HS256'],
    response_types_supported: ['code'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${origin}/${multi ? '{tenantid}' : tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${graphHost}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid', 'email'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    tenant_region_scope: 'NA',
    cloud_instance_name: new URL(origin).host,
    cloud_graph_host_name: new URL(origin).host,
    msgraph_host: new URL(graphHost).host,
    rbac_url: origin,
  };
}

/** The instance-discovery answer MSAL asks for; the emulator host is its own only alias. */
export function instanceDiscovery(origin: string, authorizationEndpoint: string | undefined): Record<string, unknown> {
  const host = new URL(origin).host;
  let tenant = 'common';
  if (authorizationEndpoint) {
    try {
      tenant = new URL(authorizationEndpoint).pathname.split('/')[1] || 'common';
    } catch {
      // malformed parameter: fall back to the common endpoint
    }
  }
  return {
    tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

/** Tokens are HS256-signed with a private per-instance secret, so there is no public key to publish. */
export function jwks(): Record<string, unknown> {
  return { keys: [] };
}
