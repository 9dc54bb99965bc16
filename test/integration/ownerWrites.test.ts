/**
 * Owners through the client against an eventually consistent Graph (the emulator's replication model on): adding and
 * removing owners, Graph's "already exist" and last-owner answers, links to a group created a moment ago, and ids
 * kept inside their path segment.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isAlreadyMember, isLastOwnerRefusal } from '../../src/core';
import type { Emulator } from '../emulator';
import { assertFail, assertOk, delegatedClient, graphRequests, startIntegrationEmulator } from './helpers';

describe('group owners through the client', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 120, groups: 10, seed: 33 });
  });
  after(() => emu.close());
  beforeEach(() => emu.clearLog());

  const plainUsers = (n: number, skip = 0): string[] =>
    [...emu.state.users()]
      .filter((u) => u.accountEnabled && u.onPremisesSyncEnabled !== true && u.userType !== 'Guest' && u.id !== emu.signedInUserId)
      .slice(skip, skip + n)
      .map((u) => u.id);

  it('adds owners to a group created a moment ago, waiting out replication, and answers a repeat as "already exist"', async () => {
    const client = delegatedClient(emu);
    const [first, second] = plainUsers(2);
    assert.ok(first && second);
    const group = assertOk(await client.createGroup({ displayName: 'Owned right away', mailNickname: 'owned-right-away', kind: 'security', ownerIds: [first] }));
    // The group has not replicated yet: Graph refuses the link with 400 until it has; the client waits and sends it again.
    assertOk(await client.addOwner(group.id, second));
    const posts = graphRequests(emu).filter((e) => e.method === 'POST' && e.path === `/v1.0/groups/${group.id}/owners/$ref`);
    assert.ok(posts.length >= 1 && posts.at(-1)?.status === 204, 'the last POST was applied');
    assert.deepEqual(new Set(emu.state.ownersOf(group.id)), new Set([first, second]));

    const again = await client.addOwner(group.id, second);
    assert.equal(again.success, false);
    assert.ok(!again.success && isAlreadyMember(again.error), 'Graph says the owner is already there');
  });

  it('removes an owner, and reports the refusal to remove the last one plainly classifiable', async () => {
    const client = delegatedClient(emu);
    const [first, second] = plainUsers(2, 5);
    assert.ok(first && second);
    const group = assertOk(await client.createGroup({ displayName: 'Two owners', mailNickname: 'two-owners', kind: 'microsoft365', ownerIds: [first, second] }));
    assertOk(await client.removeOwner(group.id, second));
    assert.deepEqual(emu.state.ownersOf(group.id), [first]);
    const last = await client.removeOwner(group.id, first);
    assert.ok(!last.success, 'the last owner stays');
    assert.ok(isLastOwnerRefusal(last.error), `classified as the last-owner refusal: ${last.error.message}`);
    assert.equal(last.error.status, 400);
    assert.deepEqual(emu.state.ownersOf(group.id), [first]);
    // An owner that is not one: Graph's 404, not a success.
    const [stranger] = plainUsers(1, 9);
    assert.ok(stranger);
    assert.equal((await client.removeOwner(group.id, stranger)).success, false);
  });

  it('validates ids before any request and keeps them inside their path segment', async () => {
    const client = delegatedClient(emu);
    assertFail(await client.addOwner('not-a-guid', plainUsers(1)[0] ?? ''), 'ValidationError');
    assertFail(await client.removeOwner('11111111-2222-4333-8444-555555555555', '../members/x'), 'ValidationError');
    assert.equal(graphRequests(emu).length, 0, 'nothing was sent');
  });
});
