/**
 * Fault soak: mixed directory operations through the real GraphClient against the emulator with injected faults
 * (429, 503, 504, connection resets before and after the change is applied, hung requests) and Graph's eventual
 * consistency, then a comparison of the directory with what the results imply. A success must be visible in the
 * directory; a failure may or may not have been applied (its outcome is unknown), but it must carry an error code;
 * nothing may be applied twice: a create that failed saying the group may exist leaves 0 or 1 group, never more.
 * Reads during the run may show a value for as long as replication may hide its replacement, and no longer.
 *
 * Operations run in lanes: each lane owns its groups and its users' profile fields, so the lanes run concurrently
 * while the expected state of every object follows from one sequence of results.
 */
import { GraphClient, type Result } from '../../src/core';
import { defaultSleep } from '../../src/core/retry';
import { startEmulator, type Emulator, type FaultKind, type GroupRecord } from '../emulator';
import { Rng } from '../emulator/util/prng';

export interface SoakOptions {
  ops: number;
  /** Share of Graph requests that get an injected fault. */
  faultRate: number;
  kinds: FaultKind[];
  lanes: number;
  seed: number;
  /** Per attempt: how long a hung request is waited for. */
  timeoutMs: number;
  /** The emulator's replication window (false: strongly consistent). */
  replicationDelayMs: readonly [number, number] | false;
}

export const DEFAULT_SOAK: SoakOptions = {
  ops: 10_000,
  faultRate: 0.1,
  kinds: ['429', '503', '504', 'reset', 'resetAfterApply', 'hang'],
  lanes: 12,
  seed: 7,
  timeoutMs: 400,
  // Graph's replication, typically a few seconds, at the soak's pace (TIME_SCALE).
  replicationDelayMs: [50, 250],
};

/** How much faster than real the client waits in the soak. */
const TIME_SCALE = 20;

export interface SoakReport {
  ops: number;
  faults: number;
  faultsByKind: Record<string, number>;
  /** Promises that rejected, and failures without an error code. */
  unreported: number;
  /** Successes the directory does not show (or shows differently). */
  lost: number;
  /** Changes applied more than once (a second group for one create). */
  duplicated: number;
  /** Creates reported as failed (saying the group may exist) whose group does exist. */
  createdDespiteFailure: number;
  /** Bulk-add outcomes "already a member" for members that were not (the bulk add's own lost answer had added them). */
  alreadyMemberMisreported: number;
  /** Writes Graph refused because what they addressed or referenced had not replicated yet. */
  notReplicated: number;
  outcomes: Record<string, { ok: number; failed: number }>;
  failureCodes: Record<string, number>;
  requests: number;
  retries: number;
  durationMs: number;
  /** The first problems found, for diagnosis. */
  problems: string[];
}

type OpKind = 'read' | 'create' | 'updateGroup' | 'updateUser' | 'addMember' | 'removeMember' | 'bulkAdd' | 'deleteGroup';

const MIX: ReadonlyArray<readonly [OpKind, number]> = [
  ['read', 26],
  ['create', 10],
  ['updateGroup', 14],
  ['updateUser', 10],
  ['addMember', 16],
  ['removeMember', 12],
  ['bulkAdd', 4],
  ['deleteGroup', 8],
];

const SCOPES = ['User.Read', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All'];
const USER_FIELDS = ['jobTitle', 'department', 'officeLocation'] as const;
type UserField = (typeof USER_FIELDS)[number];

/**
 * The values a property may have now: one after a success, several after failures of unknown outcome. Values a change
 * replaced are remembered with when, since replicas may show them until that change has replicated.
 */
class Possible<T> {
  private readonly values = new Set<string>();
  private readonly replacedAt = new Map<string, number>();
  /** `replacing`: what the property was before `value` (a member link of a group just created was absent). */
  constructor(value: T, replacing?: { value: T }) {
    if (replacing) this.values.add(JSON.stringify(replacing.value));
    this.set(value);
  }
  set(value: T): void {
    const now = performance.now();
    for (const v of this.values) this.replacedAt.set(v, now);
    this.values.clear();
    this.values.add(JSON.stringify(value));
  }
  /** Whether a read sent at `sentAt` may show `value` when changes take up to `lagMs` to replicate. */
  readable(value: T, sentAt: number, lagMs: number): boolean {
    const key = JSON.stringify(value);
    return this.values.has(key) || (this.replacedAt.get(key) ?? -Infinity) + lagMs >= sentAt;
  }
  maybe(value: T): void {
    this.values.add(JSON.stringify(value));
  }
  /** After a call that set `value`: certain when it succeeded, possible when it failed. */
  record(value: T, succeeded: boolean): void {
    if (succeeded) this.set(value);
    else this.maybe(value);
  }
  has(value: T): boolean {
    return this.values.has(JSON.stringify(value));
  }
  get definite(): T | undefined {
    if (this.values.size !== 1) return undefined;
    const [only] = this.values;
    return only === undefined ? undefined : (JSON.parse(only) as T);
  }
  describe(): string {
    return [...this.values].join(' | ');
  }
}

interface GroupModel {
  id: string;
  nickname: string;
  exists: Possible<boolean>;
  displayName: Possible<string>;
  description: Possible<string | null>;
  /** Membership of users this soak touched; others must keep their initial membership. */
  members: Map<string, Possible<boolean>>;
  initialMembers: ReadonlySet<string>;
}

interface UserModel {
  id: string;
  fields: Record<UserField, Possible<string | null>>;
}

interface Lane {
  index: number;
  rng: Rng;
  groups: GroupModel[];
  users: UserModel[];
  counter: number;
}

interface Tally {
  unreported: number;
  lost: number;
  outcomes: Record<string, { ok: number; failed: number }>;
  failureCodes: Record<string, number>;
  problems: string[];
}

export async function runSoak(options: Partial<SoakOptions> = {}): Promise<SoakReport> {
  const o: SoakOptions = { ...DEFAULT_SOAK, ...options };
  const consistency = o.replicationDelayMs ? { replicationDelayMs: o.replicationDelayMs, seed: o.seed } : false;
  const emu = await startEmulator({ users: 120, groups: 40, seed: o.seed, adversarial: true, consistency });
  try {
    return await soak(emu, o);
  } finally {
    await emu.close();
  }
}

async function soak(emu: Emulator, o: SoakOptions): Promise<SoakReport> {
  const started = performance.now();
  const client = new GraphClient({
    baseUrl: emu.graphUrl,
    getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: SCOPES })),
    timeoutMs: o.timeoutMs,
    // Waits run TIME_SCALE times faster, and Graph's replication with them (DEFAULT_SOAK): the soak is about outcomes,
    // retry timing has its own tests.
    sleep: (ms, signal) => defaultSleep(ms / TIME_SCALE, signal),
  });
  const tally: Tally = { unreported: 0, lost: 0, outcomes: {}, failureCodes: {}, problems: [] };
  /** How long a read may still show a replaced value. */
  const lagMs = o.replicationDelayMs ? o.replicationDelayMs[1] : 0;
  const initialGroupIds = new Set(emu.state.groupsById.keys());
  const lanes = makeLanes(emu, o);
  const allUsers = lanes.flatMap((l) => l.users.map((u) => u.id));
  /** Each create's outcome; for a failure, whether it said the group may exist (`created` or `outcomeUnknown`). */
  const createdNicknames = new Map<string, 'ok' | 'failed' | 'failedMaybeCreated'>();
  const prefix = `soak${o.seed}x`;
  /** Members a bulk add reported as "already a member" although they were not before it (its own lost answer added them). */
  let alreadyMemberMisreported = 0;

  emu.clearLog();
  emu.setFaults({ rate: o.faultRate, kinds: o.kinds, seed: o.seed });
  const perLane = Math.floor(o.ops / o.lanes);
  await Promise.all(
    lanes.map(async (lane) => {
      const count = perLane + (lane.index < o.ops % o.lanes ? 1 : 0);
      for (let i = 0; i < count; i++) await step(lane);
    }),
  );
  emu.setFaults(undefined);
  const faultEntries = emu.log.filter((e) => e.fault !== undefined);

  async function run<T>(kind: OpKind, call: () => Promise<Result<T>>): Promise<Result<T> | undefined> {
    const counts = (tally.outcomes[kind] ??= { ok: 0, failed: 0 });
    let result: Result<T>;
    try {
      result = await call();
    } catch (e) {
      tally.unreported++;
      note(`${kind} rejected: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    if (result.success) {
      counts.ok++;
    } else {
      counts.failed++;
      const code = result.error.code;
      if (typeof code !== 'string' || code === '') {
        tally.unreported++;
        note(`${kind} failed without a code: ${result.error.message}`);
      }
      tally.failureCodes[code] = (tally.failureCodes[code] ?? 0) + 1;
    }
    return result;
  }

  function note(problem: string): void {
    if (tally.problems.length < 20) tally.problems.push(problem);
  }

  function lost(problem: string): void {
    tally.lost++;
    note(problem);
  }

  async function step(lane: Lane): Promise<void> {
    const kind = lane.rng.weighted(MIX);
    const live = lane.groups.filter((g) => g.exists.definite === true);
    const n = ++lane.counter;
    const tag = `${lane.index}-${n}`;
    if (kind !== 'create' && kind !== 'updateUser' && live.length === 0) return create(lane, tag);
    switch (kind) {
      case 'read':
        return read(lane, live);
      case 'create':
        return create(lane, tag);
      case 'updateGroup': {
        const g = lane.rng.pick(live);
        const changes: { displayName?: string; description?: string | null } = {};
        const which = lane.rng.int(0, 2);
        if (which !== 1) changes.displayName = `Soak "${tag}" O'Group \\ #${n}`;
        if (which !== 0) changes.description = lane.rng.chance(0.2) ? null : `About ${tag}: 50% of "it" & more`;
        const r = await run(kind, () => client.updateGroup(g.id, changes));
        if (!r) return;
        if (changes.displayName !== undefined) g.displayName.record(changes.displayName, r.success);
        if (changes.description !== undefined) g.description.record(changes.description, r.success);
        return;
      }
      case 'updateUser': {
        const u = lane.rng.pick(lane.users);
        const field = lane.rng.pick(USER_FIELDS);
        const value = `Soak ${field} ${tag}`;
        const r = await run(kind, () => client.updateUser(u.id, { [field]: value }));
        if (!r) return;
        u.fields[field].record(value, r.success);
        return;
      }
      case 'addMember': {
        const g = lane.rng.pick(live);
        const candidates = allUsers.filter((id) => !(membership(g, id).definite ?? false));
        const userId = candidates.length > 0 ? lane.rng.pick(candidates) : lane.rng.pick(allUsers);
        const r = await run(kind, () => client.addMemberToGroup(g.id, userId));
        if (!r) return;
        membership(g, userId).record(true, r.success);
        return;
      }
      case 'removeMember': {
        const g = lane.rng.pick(live);
        const candidates = allUsers.filter((id) => membership(g, id).has(true));
        // Nobody to remove: a remove of a non-member, which Graph answers 404.
        const userId = lane.rng.pick(candidates.length > 0 ? candidates : allUsers);
        const r = await run(kind, () => client.removeMemberFromGroup(g.id, userId));
        if (!r) return;
        membership(g, userId).record(false, r.success);
        return;
      }
      case 'bulkAdd': {
        const g = lane.rng.pick(live);
        const picked = new Set<string>();
        const want = lane.rng.int(2, 25);
        for (let i = 0; i < want * 3 && picked.size < want; i++) picked.add(lane.rng.pick(allUsers));
        const ids = [...picked];
        const before = new Map(ids.map((id) => [id, membership(g, id).definite]));
        const r = await run(kind, () => client.addMembersToGroup(g.id, ids));
        if (!r) return;
        const said = r.success ? r.data.outcomes : (r.error.outcomes ?? []);
        for (const o of said) if (o.status === 'alreadyMember' && before.get(o.memberId) === false) { alreadyMemberMisreported++; note(`bulk add to ${g.id}: ${o.memberId} reported already a member`); }
        if (r.success) {
          for (const id of ids) membership(g, id).set(true);
          return;
        }
        const outcomes = new Map((r.error.outcomes ?? []).map((x) => [x.memberId, x.status]));
        for (const id of ids) {
          const status = outcomes.get(id);
          if (status === 'added' || status === 'alreadyMember') membership(g, id).set(true);
          else membership(g, id).maybe(true);
        }
        return;
      }
      case 'deleteGroup': {
        const g = lane.rng.pick(live);
        const r = await run(kind, () => client.deleteGroup(g.id));
        if (!r) return;
        g.exists.record(false, r.success);
        // A deleted group leaves every group it was nested in.
        for (const other of lanes.flatMap((l) => l.groups)) if (other.initialMembers.has(g.id)) membership(other, g.id).record(false, r.success);
        return;
      }
    }
  }

  async function create(lane: Lane, tag: string): Promise<void> {
    const nickname = `${prefix}${tag.replace('-', 'n')}`;
    const kind = lane.rng.chance(0.3) ? 'microsoft365' : 'security';
    const displayName = `Soak ${tag} "Créé" <b>&</b>`;
    const memberIds = Array.from({ length: lane.rng.int(0, 3) }, () => lane.rng.pick(allUsers));
    const description = lane.rng.chance(0.5) ? `Created by lane ${lane.index}` : undefined;
    const r = await run('create', () =>
      client.createGroup({ displayName, mailNickname: nickname, kind, memberIds, ...(description !== undefined ? { description } : {}) }),
    );
    if (!r) return;
    createdNicknames.set(nickname, r.success ? 'ok' : r.error.created || r.error.outcomeUnknown ? 'failedMaybeCreated' : 'failed');
    if (!r.success) return;
    const members = new Map<string, Possible<boolean>>();
    for (const id of memberIds) members.set(id, new Possible<boolean>(true, { value: false }));
    lane.groups.push({
      id: r.data.id,
      nickname,
      exists: new Possible<boolean>(true),
      displayName: new Possible(displayName),
      description: new Possible<string | null>(description ?? null),
      members,
      initialMembers: new Set(),
    });
  }

  async function read(lane: Lane, live: GroupModel[]): Promise<void> {
    const what = lane.rng.int(0, 3);
    // A group created a moment ago may answer Not Found; a read that succeeds must show what the property may be.
    const sentAt = performance.now();
    if (what === 0) {
      const g = lane.rng.pick(live);
      const r = await run('read', () => client.getGroup(g.id));
      if (!r?.success) return;
      const name = r.data.displayName ?? '';
      if (!g.displayName.readable(name, sentAt, lagMs)) lost(`read group ${g.id}: displayName ${JSON.stringify(name)}, expected ${g.displayName.describe()}`);
    } else if (what === 1) {
      const u = lane.rng.pick(lane.users);
      const r = await run('read', () => client.getProfile(u.id));
      if (!r?.success) return;
      for (const field of USER_FIELDS) {
        const got = r.data[field] ?? null;
        if (!u.fields[field].readable(got, sentAt, lagMs)) lost(`read user ${u.id}: ${field} ${JSON.stringify(got)}, expected ${u.fields[field].describe()}`);
      }
    } else if (what === 2) {
      const g = lane.rng.pick(live);
      const r = await run('read', () => client.groupMembersPage(g.id, { pageSize: 999 }));
      if (!r?.success) return;
      const ids = new Set(r.data.items.map((m) => m.id));
      for (const [id, state] of g.members) {
        if (!state.readable(ids.has(id), sentAt, lagMs)) lost(`read members of ${g.id}: ${id} ${ids.has(id) ? 'present' : 'absent'}, expected ${state.describe()}`);
      }
    } else {
      await run('read', () => client.usersPage({ pageSize: 50 }));
    }
  }

  // ── The directory against the model ──────────────────────────────────────
  let duplicated = 0;
  let createdDespiteFailure = 0;
  const state = emu.state;
  const byNickname = new Map<string, GroupRecord[]>();
  for (const g of state.groups()) {
    if (!initialGroupIds.has(g.id) && !g.mailNickname.startsWith(prefix)) {
      duplicated++;
      note(`a group nobody created: ${g.id} ${g.mailNickname}`);
    }
    if (g.mailNickname.startsWith(prefix)) byNickname.set(g.mailNickname, [...(byNickname.get(g.mailNickname) ?? []), g]);
  }
  for (const [nickname, outcome] of createdNicknames) {
    const found = byNickname.get(nickname) ?? [];
    if (found.length > 1) {
      duplicated += found.length - 1;
      note(`${found.length} groups for the one create of ${nickname} (${outcome})`);
    }
    if (outcome !== 'ok' && found.length > 0) createdDespiteFailure++;
    if (outcome === 'failed' && found.length > 0) {
      // The caller was told "failed" and nothing more: a retry would make a second group.
      tally.unreported++;
      note(`the create of ${nickname} failed without saying that the group may exist, and it does`);
    }
  }
  for (const lane of lanes) {
    for (const g of lane.groups) {
      const record = state.group(g.id);
      if (!g.exists.has(record !== undefined)) {
        lost(`group ${g.id} (${g.nickname}) ${record ? 'exists' : 'is missing'}; expected ${g.exists.describe()}`);
        continue;
      }
      if (!record) continue;
      if (!g.displayName.has(record.displayName)) lost(`group ${g.id}: displayName ${JSON.stringify(record.displayName)}, expected ${g.displayName.describe()}`);
      if (!g.description.has(record.description)) lost(`group ${g.id}: description ${JSON.stringify(record.description)}, expected ${g.description.describe()}`);
      const actual = new Set(state.membersOf(g.id));
      for (const id of new Set([...actual, ...g.initialMembers, ...g.members.keys()])) {
        const want = g.members.get(id) ?? new Possible<boolean>(g.initialMembers.has(id));
        if (!want.has(actual.has(id))) lost(`group ${g.id}: member ${id} ${actual.has(id) ? 'present' : 'absent'}, expected ${want.describe()}`);
      }
    }
    for (const u of lane.users) {
      const record = state.user(u.id);
      if (!record) {
        lost(`user ${u.id} is missing`);
        continue;
      }
      for (const field of USER_FIELDS) {
        if (!u.fields[field].has(record[field])) lost(`user ${u.id}: ${field} ${JSON.stringify(record[field])}, expected ${u.fields[field].describe()}`);
      }
    }
  }

  const faultsByKind: Record<string, number> = {};
  for (const e of faultEntries) if (e.fault) faultsByKind[e.fault] = (faultsByKind[e.fault] ?? 0) + 1;
  return {
    ops: Object.values(tally.outcomes).reduce((n, c) => n + c.ok + c.failed, 0),
    faults: faultEntries.length,
    faultsByKind,
    unreported: tally.unreported,
    lost: tally.lost,
    duplicated,
    createdDespiteFailure,
    alreadyMemberMisreported,
    notReplicated: emu.stats().notReplicated,
    outcomes: tally.outcomes,
    failureCodes: tally.failureCodes,
    requests: client.stats.requests,
    retries: client.stats.retries,
    durationMs: performance.now() - started,
    problems: tally.problems,
  };
}

function membership(g: GroupModel, userId: string): Possible<boolean> {
  let state = g.members.get(userId);
  if (!state) {
    state = new Possible<boolean>(g.initialMembers.has(userId));
    g.members.set(userId, state);
  }
  return state;
}

/** Groups and users whose membership and fields Graph lets a delegated admin change, dealt out to the lanes. */
function makeLanes(emu: Emulator, o: SoakOptions): Lane[] {
  const lanes: Lane[] = Array.from({ length: o.lanes }, (_, index) => ({ index, rng: new Rng(o.seed * 1000 + index), groups: [], users: [], counter: 0 }));
  const groups = [...emu.state.groups()].filter(isPlainGroup);
  const users = [...emu.state.users()].filter((u) => u.accountEnabled && u.onPremisesSyncEnabled !== true && u.id !== emu.state.adminUserId);
  groups.forEach((g, i) => {
    const lane = lanes[i % o.lanes] as Lane;
    lane.groups.push({
      id: g.id,
      nickname: g.mailNickname,
      exists: new Possible<boolean>(true),
      displayName: new Possible(g.displayName),
      description: new Possible<string | null>(g.description),
      members: new Map(),
      initialMembers: new Set(emu.state.membersOf(g.id)),
    });
  });
  users.forEach((u, i) => {
    const lane = lanes[i % o.lanes] as Lane;
    lane.users.push({ id: u.id, fields: { jobTitle: new Possible(u.jobTitle), department: new Possible(u.department), officeLocation: new Possible(u.officeLocation) } });
  });
  return lanes;
}

/** Assigned membership, cloud-mastered, not role-assignable, not Exchange-mastered. */
function isPlainGroup(g: GroupRecord): boolean {
  const unified = g.groupTypes.includes('Unified');
  return !g.groupTypes.includes('DynamicMembership') && g.onPremisesSyncEnabled !== true && g.isAssignableToRole !== true && (unified || !g.mailEnabled);
}

export function formatSoak(r: SoakReport): string[] {
  const kinds = Object.entries(r.faultsByKind).map(([k, n]) => `${k} ${n}`).join(', ');
  const outcomes = Object.entries(r.outcomes).map(([k, c]) => `${k} ${c.ok}/${c.ok + c.failed}`).join(', ');
  const codes = Object.entries(r.failureCodes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  return [
    `soak: ops ${r.ops}, faults ${r.faults}, unreported ${r.unreported}, lost ${r.lost}, duplicated ${r.duplicated}`,
    `soak: faults by kind: ${kinds}`,
    `soak: succeeded/ran: ${outcomes}`,
    `soak: failures by code: ${codes}; failed creates whose group exists (reported as possibly created): ${r.createdDespiteFailure}`,
    `soak: bulk-add outcomes "already a member" for members the same call added: ${r.alreadyMemberMisreported}`,
    `soak: writes refused while replicating: ${r.notReplicated}`,
    `soak: ${r.requests} HTTP attempts, ${r.retries} retries, ${(r.durationMs / 1000).toFixed(1)} s`,
    ...r.problems.map((p) => `soak problem: ${p}`),
  ];
}

