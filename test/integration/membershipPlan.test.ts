/**
 * The desired-state contract, `planGroupMembership` and `applyMembershipPlan`, against an eventually consistent Graph
 * (the emulator's replication model on): the exact requests, an outcome per member, an omitted list left alone,
 * unresolved entries refused before any request, and 1,000 adds + 1,000 removals in PATCHes of 20 and `$batch`es of 20.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { MembershipApplyReport } from '../../src/core';
import type { Emulator, RequestLogEntry } from '../emulator';
import { makeGroup } from '../emulator/directory/factories';
import { assertFail, assertOk, delegatedClient, REPLICATION_DELAY_MS, startIntegrationEmulator } from './helpers';

/** Longer than the emulator's slowest replication, so seeded links have reached reads. */
const REPLICATED_MS = (Array.isArray(REPLICATION_DELAY_MS) ? (REPLICATION_DELAY_MS[1] ?? 1000) : 1000) + 300;

describe('desired-state membership: plan and apply', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startIntegrationEmulator({ users: 2200, groups: 5, seed: 16 });
  });
  after(() => emu.close());
  beforeEach(() => emu.clearLog());

  let taken = 0;
  /** Fresh enabled member users, never handed out twice. */
  const users = (n: number): Array<{ id: string; upn: string }> => {
    const all = [...emu.state.users()].filter((u) => u.accountEnabled && u.userType !== 'Guest' && u.id !== emu.signedInUserId);
    const picked = all.slice(taken, taken + n);
    taken += n;
    assert.equal(picked.length, n, 'the tenant has enough users');
    return picked.map((u) => ({ id: u.id, upn: u.userPrincipalName }));
  };

  /** A group seeded straight into the directory, waited for until reads show it. */
  const seededGroup = async (members: string[], owners: string[]): Promise<string> => {
    const id = randomUUID();
    emu.state.addGroup(makeGroup({ id, displayName: `Desired ${id.slice(0, 8)}`, mailNickname: `desired-${id.slice(0, 8)}`, securityEnabled: true, mailEnabled: false, groupTypes: [] }));
    for (const m of members) emu.state.addMember(id, m);
    for (const o of owners) emu.state.addOwner(id, o);
    await delay(REPLICATED_MS);
    return id;
  };

  /** Requests as Graph saw them: the outer ones, and the ones a $batch carried (with their parent's seq). */
  const outer = (): RequestLogEntry[] => emu.log.filter((e) => e.path.startsWith('/v1.0/') && e.batchParent === undefined);
  const inner = (): RequestLogEntry[] => emu.log.filter((e) => e.batchParent !== undefined);
  const outcomeOf = (report: MembershipApplyReport, id: string, change: 'add' | 'remove'): string | undefined =>
    report.outcomes.find((o) => o.id === id && o.change === change)?.outcome;

  it('plans from UPNs and ids, leaves an omitted list alone, and applies with exact requests and an outcome per member', async () => {
    const client = delegatedClient(emu);
    const [a, b, c, d, e, owner1, owner2] = users(7);
    assert.ok(a && b && c && d && e && owner1 && owner2);
    const groupId = await seededGroup([a.id, b.id, c.id], [owner1.id, owner2.id]);
    emu.clearLog();

    // a by UPN in other case (already a member), d by id, e by UPN, d again by UPN (a duplicate counts once).
    const plan = assertOk(await client.planGroupMembership(groupId, { members: [a.upn.toUpperCase(), d.id, e.upn, d.upn] }));
    assert.deepEqual(plan.add.members.map((o) => o.id).sort(), [d.id, e.id].sort());
    assert.deepEqual(plan.remove.members.map((o) => o.id).sort(), [b.id, c.id].sort());
    assert.deepEqual(plan.add.owners, []);
    assert.deepEqual(plan.remove.owners, []);
    assert.deepEqual(plan.unresolved, []);
    assert.equal(plan.unchanged, 1);
    // Owners were omitted: not even read.
    assert.ok(!emu.log.some((r) => r.path.includes('/owners')), 'nothing asked about owners');
    // a was found in the members list; d (by id and by UPN) and e were looked up, 20 per $batch: one batch here.
    const lookups = inner().filter((r) => r.method === 'GET');
    assert.deepEqual(
      lookups.map((r) => (r.path.startsWith('/v1.0/directoryObjects/') ? r.path : r.query['$filter'])).sort(),
      [`/v1.0/directoryObjects/${d.id}`, `userPrincipalName eq '${e.upn}'`, `userPrincipalName eq '${d.upn}'`].sort(),
    );
    assert.equal(new Set(lookups.map((r) => r.batchParent)).size, 1);

    emu.clearLog();
    const report = assertOk(await client.applyMembershipPlan(plan));
    const writes = outer().filter((r) => r.method !== 'GET');
    // One PATCH binding d and e, then one $batch with the two removals.
    assert.deepEqual(writes.map((r) => `${r.method} ${r.path}`), [`PATCH /v1.0/groups/${groupId}`, 'POST /v1.0/$batch']);
    const binds = (writes[0]?.body as Record<string, string[]>)['members@odata.bind'] ?? [];
    assert.deepEqual(binds.map((u) => u.slice(u.lastIndexOf('/') + 1)).sort(), [d.id, e.id].sort());
    assert.deepEqual(
      inner().map((r) => `${r.method} ${r.path}`).sort(),
      [b.id, c.id].map((id) => `DELETE /v1.0/groups/${groupId}/members/${id}/$ref`).sort(),
    );
    assert.equal(report.outcomes.length, 4);
    for (const id of [d.id, e.id]) assert.equal(outcomeOf(report, id, 'add'), 'done');
    for (const id of [b.id, c.id]) assert.equal(outcomeOf(report, id, 'remove'), 'done');
    assert.deepEqual(new Set(emu.state.membersOf(groupId)), new Set([a.id, d.id, e.id]));
    assert.deepEqual(new Set(emu.state.ownersOf(groupId)), new Set([owner1.id, owner2.id]), 'owners untouched');
  });

  it('an empty list means no one, and changes made since the plan count as already done', async () => {
    const client = delegatedClient(emu);
    const [a, b, newOwner, oldOwner] = users(4);
    assert.ok(a && b && newOwner && oldOwner);
    const groupId = await seededGroup([a.id, b.id], [oldOwner.id]);
    const plan = assertOk(await client.planGroupMembership(groupId, { members: [], owners: [newOwner.upn] }));
    assert.deepEqual(plan.remove.members.map((o) => o.id).sort(), [a.id, b.id].sort());
    assert.deepEqual(plan.add.owners.map((o) => o.id), [newOwner.id]);
    assert.deepEqual(plan.remove.owners.map((o) => o.id), [oldOwner.id]);

    // Someone else removes a and adds the new owner before the plan is applied.
    emu.state.removeMember(groupId, a.id);
    emu.state.addOwner(groupId, newOwner.id);
    await delay(REPLICATED_MS);
    emu.clearLog();
    const report = assertOk(await client.applyMembershipPlan(plan));
    assert.equal(outcomeOf(report, a.id, 'remove'), 'alreadyDone');
    assert.equal(outcomeOf(report, b.id, 'remove'), 'done');
    assert.equal(report.outcomes.find((o) => o.list === 'owners' && o.change === 'add')?.outcome, 'alreadyDone');
    assert.equal(report.outcomes.find((o) => o.list === 'owners' && o.change === 'remove')?.outcome, 'done');
    assert.deepEqual(emu.state.membersOf(groupId), []);
    assert.deepEqual(emu.state.ownersOf(groupId), [newOwner.id]);
    // The owner was added before the old one was removed: the last owner is never removed.
    const ownerWrites = [...outer(), ...inner()].filter((r) => r.path.includes('/owners/')).sort((x, y) => x.seq - y.seq);
    assert.deepEqual(ownerWrites.map((r) => r.method), ['POST', 'DELETE']);
  });

  it('lists entries that match nothing as unresolved, and refuses to apply such a plan without a request', async () => {
    const client = delegatedClient(emu);
    const [a] = users(1);
    assert.ok(a);
    const groupId = await seededGroup([a.id], []);
    const stranger = randomUUID();
    const plan = assertOk(await client.planGroupMembership(groupId, { members: [a.id, 'nobody@nowhere.example', stranger, 'not an entry'] }));
    assert.deepEqual(plan.unresolved.sort(), ['nobody@nowhere.example', stranger, 'not an entry'].sort());
    assert.equal(plan.unchanged, 1);
    assert.deepEqual(plan.remove.members, []);

    emu.clearLog();
    const refused = await client.applyMembershipPlan(plan);
    assertFail(refused, 'ValidationError');
    assert.ok(!refused.success && refused.error.message.includes('nobody@nowhere.example'), 'the refusal names the entries');
    assert.equal(emu.log.length, 0, 'no request at all');
    assert.deepEqual(emu.state.membersOf(groupId), [a.id]);
  });

  it('refuses a desired state or a plan of the wrong shape before any request', async () => {
    const client = delegatedClient(emu);
    assertFail(await client.planGroupMembership('not-a-guid', { members: [] }), 'ValidationError');
    assertFail(await client.planGroupMembership(randomUUID(), { members: [42] as unknown as string[] }), 'ValidationError');
    const groupId = randomUUID();
    const bad = { groupId, add: { members: [{ id: 'x' }], owners: [] }, remove: { members: [], owners: [] }, unresolved: [], unchanged: 0 };
    assertFail(await client.applyMembershipPlan(bad), 'ValidationError');
    assert.equal(emu.log.length, 0);
  });

  it('applies 1,000 adds and 1,000 removals with at most 50 PATCHes of 20 and removals 20 per $batch', { timeout: 240_000 }, async () => {
    const client = delegatedClient(emu);
    const leaving = users(1000).map((u) => u.id);
    const joining = users(1000).map((u) => u.id);
    const groupId = await seededGroup(leaving, []);
    const plan = assertOk(await client.planGroupMembership(groupId, { members: joining }));
    assert.equal(plan.add.members.length, 1000);
    assert.equal(plan.remove.members.length, 1000);

    emu.clearLog();
    const report = assertOk(await client.applyMembershipPlan(plan));
    assert.equal(report.outcomes.length, 2000);
    assert.deepEqual(report.outcomes.filter((o) => o.outcome !== 'done'), []);

    const patches = [...outer(), ...inner()].filter((r) => r.method === 'PATCH' && r.path === `/v1.0/groups/${groupId}` && r.status === 204);
    assert.ok(patches.length <= 50, `${patches.length} member-binding PATCHes`);
    for (const p of patches) assert.ok(((p.body as Record<string, unknown[]>)['members@odata.bind'] ?? []).length <= 20);
    const deletes = inner().filter((r) => r.method === 'DELETE');
    assert.equal(new Set(deletes.filter((r) => r.status === 204).map((r) => r.path)).size, 1000);
    const perBatch = new Map<number, number>();
    for (const r of deletes) perBatch.set(r.batchParent ?? -1, (perBatch.get(r.batchParent ?? -1) ?? 0) + 1);
    assert.ok([...perBatch.values()].every((n) => n <= 20), 'at most 20 removals per $batch');
    assert.ok(perBatch.size >= 50, `${perBatch.size} batches carried the removals`);
    assert.ok(!outer().some((r) => r.method === 'DELETE'), 'no removal outside a $batch');
    assert.deepEqual(new Set(emu.state.membersOf(groupId)), new Set(joining));
  });
});
