/**
 * Walks through the directory's hierarchies: a user's management chain (`/manager`, one step at a time) and the
 * nesting of groups (`members` and `memberOf`, one level at a time). Both are bounded and remember what they have
 * seen, so a manager cycle or a group nested in itself is reported, never followed round.
 */
import type { GraphClient, GroupRelation } from './client';
import { ok } from './errors';
import type { CallOptions, DirectoryObject, GraphError, Group, Result, User } from './types';
import { cycleEdges, edgeKey, pathsTo, type Edges, type MemberPaths } from './nestingPaths';

/** Managers followed at most: deeper than any real organisation; a longer chain is cut and said to be cut. */
export const MAX_CHAIN = 50;

/** Why the chain above a user stops where it does. */
export type ChainEnd =
  /** The last person has no manager: the top of the organisation. */
  | { kind: 'top' }
  /** The last person's manager is already in the chain (`managerId`): Graph holds a manager cycle. */
  | { kind: 'cycle'; managerId: string }
  /** The last person's manager could not be read (deleted, hidden, or an error): the chain is incomplete. */
  | { kind: 'missing'; error: GraphError }
  /** MAX_CHAIN managers were read and there are more. */
  | { kind: 'tooDeep' };

export interface ManagementChain {
  user: User;
  /** Nearest manager first. */
  managers: DirectoryObject[];
  end: ChainEnd;
}

/** The chain of managers above `userId` (the signed-in user when undefined), read upward until the top, a cycle, a missing manager or MAX_CHAIN. */
export async function managementChain(client: GraphClient, userId: string | undefined, options: CallOptions & { maxDepth?: number } = {}): Promise<Result<ManagementChain>> {
  const { maxDepth = MAX_CHAIN, ...call } = options;
  const user = await client.getProfile(userId, { ...call, select: ['jobTitle', 'department', 'accountEnabled'] });
  if (!user.success) return user;
  const seen = new Set([user.data.id.toLowerCase()]);
  const managers: DirectoryObject[] = [];
  let at: DirectoryObject = user.data;
  for (;;) {
    if (managers.length >= maxDepth) return ok({ user: user.data, managers, end: { kind: 'tooDeep' } });
    const manager = await client.getManager(at.id, { ...call, person: true });
    if (!manager.success) return ok({ user: user.data, managers, end: { kind: 'missing', error: manager.error } });
    if (manager.data === null) return ok({ user: user.data, managers, end: { kind: 'top' } });
    const key = manager.data.id.toLowerCase();
    if (seen.has(key)) return ok({ user: user.data, managers, end: { kind: 'cycle', managerId: manager.data.id } });
    seen.add(key);
    managers.push(manager.data);
    at = manager.data;
  }
}

/** Groups read at most in one walk through nesting: each costs a request. */
export const MAX_WALK = 200;
/** Groups read at once while walking. */
const WALK_PARALLEL = 4;

export interface GroupWalk {
  /** The groups met, by id (lower case), the start included when it is a group. */
  groups: Map<string, Group>;
  /** Group → the groups one step on (its member groups, or the groups it is a member of), by id in lower case. */
  edges: Map<string, string[]>;
  /** Edges `from>to` that close a cycle (see cycleEdges). */
  cycles: Set<string>;
  /** MAX_WALK groups were read and more were waiting: the picture is incomplete. */
  truncated: boolean;
  /** A group whose next step could not be read, and why; the walk goes on without it. */
  failures: Array<{ groupId: string; error: GraphError }>;
}

/**
 * Walks from `start` one level at a time: `members` downward through the groups nested in it, `memberOf` upward through
 * the groups it belongs to. `first` replaces the first step (a user's own groups). `keep` prunes the walk.
 */
export async function walkGroups(
  client: GraphClient,
  start: string,
  relation: Extract<GroupRelation, 'members' | 'memberOf'>,
  options: CallOptions & { maxGroups?: number; first?: Group[]; keep?: (groupId: string) => boolean } = {},
): Promise<GroupWalk> {
  const { maxGroups = MAX_WALK, first, keep = () => true, ...call } = options;
  const walk: GroupWalk = { groups: new Map(), edges: new Map(), cycles: new Set(), truncated: false, failures: [] };
  const root = start.toLowerCase();
  const read = new Set<string>();
  let level = [root];
  if (first) {
    walk.edges.set(root, link(walk, first, keep));
    read.add(root);
    level = walk.edges.get(root) ?? [];
  }
  while (level.length > 0 && !call.signal?.aborted) {
    const todo = level.filter((id) => !read.has(id));
    const room = maxGroups - read.size;
    if (todo.length > room) walk.truncated = true;
    const batch = todo.slice(0, Math.max(0, room));
    const next: string[] = [];
    for (let i = 0; i < batch.length; i += WALK_PARALLEL) {
      const slice = batch.slice(i, i + WALK_PARALLEL);
      const answers = await Promise.all(slice.map((id) => client.getGroupRelatives(id, relation, call)));
      slice.forEach((id, j) => {
        read.add(id);
        const answer = answers[j] as Result<Group[]>;
        if (!answer.success) {
          walk.failures.push({ groupId: id, error: answer.error });
          return;
        }
        const to = link(walk, answer.data, keep);
        walk.edges.set(id, to);
        next.push(...to);
      });
    }
    level = [...new Set(next)];
  }
  walk.cycles = cycleEdges(root, walk.edges);
  return walk;
}

function link(walk: GroupWalk, groups: readonly Group[], keep: (groupId: string) => boolean): string[] {
  const ids: string[] = [];
  for (const g of groups) {
    const id = g.id.toLowerCase();
    if (!keep(id)) continue;
    walk.groups.set(id, g);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

export interface MembershipExplanation {
  /** The user is a member of the group, directly or through nesting (Graph's `transitiveMemberOf`). */
  member: boolean;
  /** From a group the user is directly in to the target, ids in lower case. */
  paths: MemberPaths;
  /** Edges `[from, to]` among the user's groups that close a cycle of nesting (from → a group it is a member of). */
  cycles: Array<[string, string]>;
  groups: Map<string, Group>;
  truncated: boolean;
  failures: GroupWalk['failures'];
}

/**
 * Why `userId` is a member of `groupId`: Graph's `transitiveMemberOf` says whether; walking `memberOf` upward from
 * the user's own groups, through those groups only, finds the paths.
 */
export async function explainMembership(client: GraphClient, userId: string, groupId: string, options: CallOptions = {}): Promise<Result<MembershipExplanation>> {
  const all = await client.getUserGroups(userId, { ...options, transitive: true });
  if (!all.success) return all;
  const target = groupId.toLowerCase();
  const within = new Set(all.data.map((g) => g.id.toLowerCase()));
  const empty: MemberPaths = { paths: [], cycles: [], more: false };
  if (!within.has(target)) return ok({ member: false, paths: empty, cycles: [], groups: new Map(), truncated: false, failures: [] });
  const direct = await client.getUserGroups(userId, { ...options, transitive: false });
  if (!direct.success) return direct;
  const walk = await walkGroups(client, userId, 'memberOf', { ...options, first: direct.data, keep: (id) => within.has(id) });
  const starts = walk.edges.get(userId.toLowerCase()) ?? [];
  const parents: Edges = walk.edges;
  const paths = pathsTo(starts, target, parents);
  const cycles = new Map<string, [string, string]>(paths.cycles.map(([from, to]) => [edgeKey(from, to), [from, to]]));
  for (const key of walk.cycles) {
    const [from = '', to = ''] = key.split('>');
    cycles.set(key, [from, to]);
  }
  return ok({ member: true, paths, cycles: [...cycles.values()], groups: walk.groups, truncated: walk.truncated, failures: walk.failures });
}
