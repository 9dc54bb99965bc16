/**
 * 3. Add N members to a new security group: ours (`members@odata.bind` PATCHes of 20 inside `$batch`)
 *    against the Graph SDK (one POST …/members/$ref per member), without and with injected faults.
 *    Every reported outcome is checked against the group's final membership.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { GraphClient, MemberOutcome } from '../../../src/core';
import type { ScriptedFault } from '../../emulator';
import type { ControlApi, Fixture, Remote } from '../control';
import { injectedFaults, wireRequests, writeUnits } from '../logStats';
import { peerStatus } from '../peer';
import type { AddMembersRun } from '../types';
import { elapsed, pool } from '../util';

type Status = MemberOutcome['status'];

const KINDS = ['429', '503', '504', 'reset'] as const;

export interface AddMembersOptions {
  faultRate: number;
  peerConcurrency: number;
  /** Rounds: each client once a round, forward on even rounds and backward on odd ones. */
  runs: number;
}

export async function addMembers(ctl: Remote<ControlApi>, fx: Fixture, c: { ours: GraphClient; peer: Client }, o: AddMembersOptions): Promise<AddMembersRun[]> {
  const ids = fx.memberIds;
  let groupNo = 0;
  const newGroup = async (): Promise<string> => {
    const g = await c.ours.createGroup({ displayName: `Bench members ${Date.now()}-${++groupNo}`, kind: 'security' });
    if (!g.success) throw new Error(`createGroup failed: ${g.error.code}: ${g.error.message}`);
    return g.data.id;
  };

  const run = async (round: number, label: string, faultRate: number, add: (groupId: string) => Promise<Map<string, Status>>, scripted: (groupId: string) => ScriptedFault[]): Promise<AddMembersRun> => {
    const groupId = await newGroup();
    await ctl.clearLog();
    if (faultRate > 0) {
      await ctl.setFaults({ rate: faultRate, kinds: [...KINDS], seed: 7 });
      await ctl.scriptFaults(scripted(groupId));
    }
    const started = performance.now();
    let outcomes: Map<string, Status>;
    try {
      outcomes = await add(groupId);
    } finally {
      await ctl.setFaults(null);
      await ctl.scriptFaults([]);
    }
    const wallMs = elapsed(started);
    const log = await ctl.log();
    const final = new Set(await ctl.members(groupId));
    let mismatches = 0;
    const count = (s: Status): number => [...outcomes.values()].filter((v) => v === s).length;
    for (const id of ids) {
      const reported = outcomes.get(id);
      const inGroup = final.has(id);
      if (reported === undefined || (reported === 'failed') === inGroup) mismatches++;
    }
    return {
      label,
      round,
      faultRate,
      members: ids.length,
      requests: wireRequests(log).length,
      wallMs,
      writeUnits: writeUnits(log),
      faultsInjected: injectedFaults(log),
      added: count('added'),
      alreadyMembers: count('alreadyMember'),
      failed: count('failed'),
      finalMembers: final.size,
      mismatches,
    };
  };

  const ours = async (groupId: string): Promise<Map<string, Status>> => {
    const r = await c.ours.addMembersToGroup(groupId, ids);
    const list = r.success ? r.data.outcomes : (r.error.outcomes ?? []);
    return new Map(list.map((x) => [x.memberId, x.status]));
  };
  const peer = async (groupId: string): Promise<Map<string, Status>> => {
    const out = new Map<string, Status>();
    await pool(ids, o.peerConcurrency, async (id) => {
      try {
        await c.peer.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': `${fx.graphUrl}/directoryObjects/${id}` });
        out.set(id, 'added');
      } catch (e) {
        const already = peerStatus(e) === 400 && e instanceof Error && /already exist/i.test(e.message);
        out.set(id, already ? 'alreadyMember' : 'failed');
      }
    });
    return out;
  };

  // Random faults only hit top-level requests, and ours sends few of them; so both runs also get one scripted
  // fault of each kind on their membership writes (ours: the first $batch, then PATCHes inside later ones).
  const oursScript = (groupId: string): ScriptedFault[] => [
    { kind: 'reset', match: { method: 'POST', pathIncludes: '/$batch' } },
    ...(['429', '503', '504'] as const).map((kind) => ({ kind, retryAfter: '0.2', match: { method: 'PATCH', pathIncludes: groupId } })),
  ];
  const peerScript = (groupId: string): ScriptedFault[] =>
    KINDS.map((kind) => ({ kind, ...(kind !== 'reset' ? { retryAfter: '0.2' } : {}), match: { method: 'POST', pathIncludes: `${groupId}/members/$ref` } }));
  const none = (): ScriptedFault[] => [];
  const pct = `${Math.round(o.faultRate * 100)}% faults + 4 scripted`;
  const contenders: Array<(round: number) => Promise<AddMembersRun>> = [
    (round) => run(round, 'ours addMembersToGroup', 0, ours, none),
    (round) => run(round, `Graph SDK POST $ref ×${ids.length}`, 0, peer, none),
    ...(o.faultRate > 0
      ? [
          (round: number) => run(round, `ours addMembersToGroup, ${pct}`, o.faultRate, ours, oursScript),
          (round: number) => run(round, `Graph SDK POST $ref, ${pct}`, o.faultRate, peer, peerScript),
        ]
      : []),
  ];
  const runs: AddMembersRun[] = [];
  for (let round = 0; round < o.runs; round++) {
    for (const contender of round % 2 === 0 ? contenders : [...contenders].reverse()) runs.push(await contender(round));
  }
  return runs;
}
