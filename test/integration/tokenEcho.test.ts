/** A gateway that repeats the Authorization header in its error (found by test/hardening/secrets.ts): the token must not reach the caller. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GraphClient } from '../../src/core';
import type { Emulator } from '../emulator';
import { startIntegrationEmulator } from './helpers';
import { ALL_DELEGATED } from '../support/services';

describe('an error that repeats the bearer token', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 5, groups: 2 });
  });
  after(() => emu.close());

  it('is passed on without the token, for each token the call used', async () => {
    const tokens = [emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED, expiresInSec: -60 }), emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED })];
    let calls = 0;
    const echo: typeof fetch = (input, init) => {
      const auth = new Headers(init?.headers).get('authorization') ?? '';
      if (++calls === 1) return fetch(input, init); // the expired token: Graph's own 401, then a refresh
      return Promise.resolve(new Response(JSON.stringify({ error: { code: auth, message: `Gateway refused "${auth}" (first try: ${tokens[0] ?? ''})` } }), { status: 502, headers: { 'content-type': 'application/json' } }));
    };
    let issued = 0;
    const client = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: () => Promise.resolve(tokens[issued++] ?? ''), fetch: echo, maxRetries: 0 });
    const r = await client.getProfile();
    assert.equal(r.success, false);
    if (r.success) return;
    assert.equal(r.error.status, 502);
    assert.equal(r.error.code, 'Bearer [redacted]');
    assert.equal(r.error.message, 'Gateway refused "Bearer [redacted]" (first try: [redacted])');
    assert.equal(calls, 2);
  });
});
