import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUDS, delegatedScopesFor, graphResource } from '../../src/auth/clouds';
import { readAuthConfig, sameSignInConfig } from '../../src/auth/config';
import { consentHint, isConsentFailure } from '../../src/auth/consent';

const read = (values: Record<string, unknown>) => readAuthConfig((key) => values[key]);
const APP = '11111111-2222-3333-4444-555555555555';

describe('auth settings', () => {
  it('defaults to the VS Code account in the global cloud', () => {
    const config = read({});
    assert.equal(config.method, 'vscode');
    assert.equal(config.cloudName, 'global');
    assert.ok(config.cloud.ok && config.cloud.cloud.graphBaseUrl === 'https://graph.microsoft.com/v1.0');
    assert.equal(config.clientId, undefined);
    assert.deepEqual(config.problems, []);
  });

  it('reads method, app, tenant and cloud', () => {
    const config = read({ 'entraId.auth.method': 'clientCredentials', 'entraId.auth.clientId': APP, 'entraId.auth.tenantId': 'Contoso.onmicrosoft.com', 'entraId.cloud': 'usGovernment' });
    assert.equal(config.method, 'clientCredentials');
    assert.equal(config.clientId, APP);
    assert.equal(config.tenantId, 'contoso.onmicrosoft.com');
    assert.ok(config.cloud.ok && config.cloud.cloud.vscodeProviderId === 'microsoft-sovereign-cloud');
  });

  it('reports invalid values instead of using them', () => {
    const config = read({ 'entraId.auth.method': 'password', 'entraId.auth.clientId': 'my-app', 'entraId.auth.tenantId': 'not a tenant', 'entraId.cloud': 'mars' });
    assert.equal(config.method, 'vscode');
    assert.equal(config.clientId, undefined);
    assert.equal(config.tenantId, undefined);
    assert.equal(config.problems.length, 3);
    // An unknown cloud is not guessed: sign-in and Graph both refuse with this one message.
    assert.equal(config.cloud.ok, false);
    assert.match(config.cloud.ok ? '' : config.cloud.message, /entraId\.cloud "mars" is not one of/);
  });

  it('accepts GUID, domain and organizations as tenant', () => {
    for (const tenant of [APP, 'contoso.com', 'organizations']) assert.equal(read({ 'entraId.auth.tenantId': tenant }).tenantId, tenant);
  });

  it('resolves a custom cloud and explains a missing endpoint', () => {
    const ok = read({ 'entraId.cloud': 'custom', 'entraId.customGraphEndpoint': 'https://127.0.0.1:8443/v1.0/', 'entraId.customAuthorityHost': 'https://127.0.0.1:8443/ignored' });
    assert.ok(ok.cloud.ok);
    assert.equal(ok.cloud.cloud.graphBaseUrl, 'https://127.0.0.1:8443/v1.0');
    assert.equal(ok.cloud.cloud.authorityHost, 'https://127.0.0.1:8443');
    const missing = read({ 'entraId.cloud': 'custom' });
    assert.ok(!missing.cloud.ok && /entraId.customGraphEndpoint/.test(missing.cloud.message));
  });

  it('tells a change of sign-in apart from an unrelated one', () => {
    assert.ok(sameSignInConfig(read({}), read({ 'entraId.auth.method': 'vscode' })));
    assert.ok(!sameSignInConfig(read({}), read({ 'entraId.auth.clientId': APP })));
    assert.ok(!sameSignInConfig(read({}), read({ 'entraId.cloud': 'china' })));
  });
});

describe('cloud scopes', () => {
  it('leaves global scopes bare and prefixes other clouds with the Graph origin', () => {
    // Browsing's read set only (README, sign-in section); a write adds its one permission.
    assert.deepEqual(delegatedScopesFor(CLOUDS.global), ['User.Read', 'User.Read.All', 'GroupMember.Read.All']);
    assert.deepEqual(delegatedScopesFor(CLOUDS.global, ['GroupMember.ReadWrite.All']), ['User.Read', 'User.Read.All', 'GroupMember.Read.All', 'GroupMember.ReadWrite.All']);
    assert.equal(delegatedScopesFor(CLOUDS.usGovernment)[0], 'https://graph.microsoft.us/User.Read');
    assert.equal(delegatedScopesFor(CLOUDS.usGovernmentDoD)[1], 'https://dod-graph.microsoft.us/User.Read.All');
    assert.equal(delegatedScopesFor(CLOUDS.china, ['User.ReadWrite.All'])[3], 'https://microsoftgraph.chinacloudapi.cn/User.ReadWrite.All');
    assert.equal(graphResource(CLOUDS.global), 'https://graph.microsoft.com');
  });

  it('treats a custom endpoint as a stand-in for Microsoft Graph', () => {
    const config = read({ 'entraId.cloud': 'custom', 'entraId.customGraphEndpoint': 'https://127.0.0.1:8443/v1.0', 'entraId.customAuthorityHost': 'https://127.0.0.1:8443' });
    assert.ok(config.cloud.ok);
    assert.equal(graphResource(config.cloud.cloud), 'https://graph.microsoft.com');
    assert.deepEqual(delegatedScopesFor(config.cloud.cloud), delegatedScopesFor(CLOUDS.global));
  });
});

describe('consent hint', () => {
  it('points at the clientId setting and the cloud portal', () => {
    const hint = consentHint(CLOUDS.usGovernment);
    assert.match(hint, /entraId\.auth\.clientId/);
    assert.match(hint, /portal\.azure\.us/);
    assert.match(consentHint(), /entra\.microsoft\.com/);
  });

  it('recognises identity-platform consent failures, and does not blame consent for every 403', () => {
    // Graph's 403 has many causes (roles, administrator targets, role-assignable groups): not consent by itself.
    assert.ok(!isConsentFailure({ code: 'Authorization_RequestDenied', status: 403, message: 'Insufficient privileges to complete the operation.' }));
    assert.ok(isConsentFailure({ message: 'AADSTS65001: The user or administrator has not consented to use the application.' }));
    assert.ok(isConsentFailure({ message: 'AADSTS90094: Admin approval required.' }));
    assert.ok(!isConsentFailure({ code: 'Request_ResourceNotFound', status: 404, message: 'Not found' }));
  });
});
