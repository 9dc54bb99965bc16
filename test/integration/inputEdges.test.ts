/** Input the fuzzer (test/hardening/fuzz.ts) found breaking the "never rejects" contract. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator } from '../emulator';
import { assertFail, assertOk, delegatedClient, graphRequests, startIntegrationEmulator } from './helpers';

describe('search terms holding half a surrogate pair', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 20, groups: 5 });
  });
  after(() => emu.close());
  beforeEach(() => emu.clearLog());

  // An emoji cut in two: U+1F600 is \uD83D\uDE00.
  const halves = ['\uD83D', 'ab\uDE00', 'x\uD83Dy', '\uDE00\uD83D'];

  it('are refused as invalid input, without a request and without rejecting', async () => {
    const c = delegatedClient(emu);
    for (const term of halves) {
      assertFail(await c.searchGroups(term), 'ValidationError');
      assertFail(await c.searchUsers(term), 'ValidationError');
      assertFail(await c.usersPage({ search: term }), 'ValidationError');
      assertFail(await c.groupsPage({ search: term }), 'ValidationError');
    }
    assert.equal(graphRequests(emu).length, 0);
  });

  it('while a whole emoji is searched for', async () => {
    assertOk(await delegatedClient(emu).searchGroups('\uD83D\uDE00 launch'));
    assert.equal(graphRequests(emu).length, 1);
  });
});
