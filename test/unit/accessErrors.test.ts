import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyRefusal, isConsentRefusal, rolesFromWids } from '../../src/core';

const DENIED = { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', status: 403 };

describe('classifyRefusal: the identity platform', () => {
  // Texts as the token endpoint and the authorize redirect word them (error_description starts with the AADSTS number).
  const cases: [string, string, string][] = [
    ['invalid_grant', "AADSTS65001: The user or administrator has not consented to use the application with ID 'x' named 'y'.", 'userConsent'],
    ['invalid_grant', 'AADSTS65002: Consent between first party application and first party resource must be configured via preauthorization.', 'ownApp'],
    ['access_denied', 'AADSTS90094: The grant requires admin permission.', 'adminConsent'],
    ['access_denied', "AADSTS90099: The application 'x' has not been authorized in the tenant 'y'.", 'adminConsent'],
    ['invalid_client', 'AADSTS650056: Misconfigured application.', 'appRegistration'],
    ['invalid_request', 'AADSTS650057: Invalid resource. The client has requested access to a resource which is not listed in the requested permissions.', 'appRegistration'],
  ];
  for (const [code, message, grant] of cases) {
    it(`reads ${message.slice(0, 12)} as a missing grant (${grant})`, () => {
      const r = classifyRefusal({ code, message });
      assert.equal(r.cause, 'missingScope');
      assert.ok(r.cause === 'missingScope' && r.origin === 'identity' && r.grant === grant && r.aadsts === Number(/\d+/.exec(message)?.[0]));
      assert.equal(isConsentRefusal({ code, message }), true);
    });
  }

  it('reads consent_required and the editor\'s "admin approval" text, and nothing else, as consent', () => {
    assert.equal(classifyRefusal({ code: 'consent_required', message: 'The user needs to consent.' }).cause, 'missingScope');
    assert.equal(isConsentRefusal({ code: 'Failed', message: 'Need admin approval' }), true);
    assert.equal(isConsentRefusal({ code: 'invalid_grant', message: 'AADSTS50126: Error validating credentials due to invalid username or password.' }), false);
    assert.equal(isConsentRefusal(DENIED), false);
  });
});

describe('classifyRefusal: Graph answers', () => {
  it('leaves a 403 without deciding facts as other, whatever the operation', () => {
    assert.deepEqual(classifyRefusal(DENIED), { cause: 'other' });
    assert.deepEqual(classifyRefusal(DENIED, { operation: 'updateGroup' }), { cause: 'other' });
    assert.deepEqual(classifyRefusal(DENIED, { operation: 'updateUser', access: 'delegated', grantedScopes: ['User.ReadWrite.All'] }), { cause: 'other' });
    assert.deepEqual(classifyRefusal({ code: 'Request_ResourceNotFound', message: 'Resource x does not exist.', status: 404 }, { operation: 'deleteGroup' }), { cause: 'other' });
  });

  it('knows the older texts of the Exchange refusal, and the documented 403 for the same kinds', () => {
    for (const message of ['Unable to update the specified properties for objects that have originated within an external service.', 'The service does not currently support writes of mail-enabled groups.']) {
      assert.equal(classifyRefusal({ code: 'Request_BadRequest', message, status: 400 }).cause, 'readOnlyGroupKind');
    }
    assert.deepEqual(classifyRefusal(DENIED, { operation: 'addMember', group: { kind: 'mailEnabledSecurity' } }), { cause: 'readOnlyGroupKind', groupKind: 'mailEnabledSecurity', manageIn: 'exchange' });
    assert.equal(classifyRefusal(DENIED, { operation: 'removeMember', group: { kind: 'security', synced: true } }).cause, 'syncedObject');
  });

  it('names the permissions an app-only token lacks, with Group.Create for creating groups', () => {
    const r = classifyRefusal(DENIED, { operation: 'createGroup', access: 'appOnly', grantedScopes: ['User.Read.All'] });
    assert.deepEqual(r, { cause: 'missingScope', origin: 'graph', scopes: ['Group.Create', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'], grant: 'adminConsent' });
  });

  it('derives the roles for a privileged target from the target\'s roles (the sensitive-attributes table)', () => {
    const context = { operation: 'updateUser', properties: ['mobilePhone', 'jobTitle'], access: 'delegated', callerRoles: ['Helpdesk Administrator'] } as const;
    const helpdeskTarget = classifyRefusal(DENIED, { ...context, user: { privileged: true, roles: ['Helpdesk Administrator'] } });
    assert.deepEqual(helpdeskTarget, { cause: 'privilegedTarget', roles: ['User Administrator', 'Privileged Authentication Administrator', 'Global Administrator'], properties: ['mobilePhone'], appNeedsRole: false });
    const both = classifyRefusal(DENIED, { ...context, user: { privileged: true, roles: ['Helpdesk Administrator', 'Privileged Role Administrator'] } });
    assert.ok(both.cause === 'privilegedTarget' && both.roles.join() === 'Privileged Authentication Administrator,Global Administrator');
    // Only non-sensitive properties: the target's privilege is not the cause; the caller's missing role is.
    const plain = classifyRefusal(DENIED, { ...context, properties: ['jobTitle'], user: { privileged: true, roles: ['Global Administrator'] } });
    assert.equal(plain.cause, 'missingRole');
  });

  it('does not blame a role the caller holds', () => {
    const r = classifyRefusal(DENIED, { operation: 'updateGroup', access: 'delegated', grantedScopes: ['Group.ReadWrite.All'], callerRoles: ['Groups Administrator'], group: { kind: 'security' } });
    assert.deepEqual(r, { cause: 'other' });
  });

  it('turns token wids into role names and ignores unknown templates', () => {
    assert.deepEqual(rolesFromWids(['62E90394-69F5-4237-9190-012177145E10', 'b79fbf4d-3ef9-4689-8143-76b194e85509', 'fdd7a751-b60b-444a-984c-02652fe8fa1c']), ['Global Administrator', 'Groups Administrator']);
  });
});
