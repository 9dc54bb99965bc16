/** Reading the organization answer: the one tenant, its default and initial domains, and answers that lack them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { organizationFrom } from '../../src/core/organization';
import { ErrorCodes } from '../../src/core';

const domain = (name: unknown, isDefault: unknown, isInitial: unknown): Record<string, unknown> => ({ name, isDefault, isInitial, type: 'Managed' });

describe('organizationFrom', () => {
  it('picks the default and the initial domain by their flags, whatever their order', () => {
    const r = organizationFrom({ value: [{ id: 't1', displayName: 'Contoso', verifiedDomains: [domain('contoso.com', true, false), domain('contoso.onmicrosoft.com', false, true)] }] });
    assert.deepEqual(r, { success: true, data: { id: 't1', displayName: 'Contoso', defaultDomain: 'contoso.com', initialDomain: 'contoso.onmicrosoft.com' } });
  });

  it('leaves out a blank name and domains that are missing or not text', () => {
    const r = organizationFrom({ value: [{ id: 't1', displayName: '  ', verifiedDomains: [domain(42, true, true), 'junk', null] }] });
    assert.deepEqual(r, { success: true, data: { id: 't1' } });
    assert.deepEqual(organizationFrom({ value: [{ id: 't2', displayName: null, verifiedDomains: null }] }), { success: true, data: { id: 't2' } });
  });

  it('reports an answer without an organization as an invalid response, not as a tenant', () => {
    for (const body of [{ value: [] }, {}, null, 'text', { value: [{ displayName: 'No id' }] }, { value: [{ id: '' }] }]) {
      const r = organizationFrom(body);
      assert.equal(r.success, false, JSON.stringify(body));
      if (!r.success) assert.equal(r.error.code, ErrorCodes.invalidResponse);
    }
  });
});
