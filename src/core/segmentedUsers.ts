import type { GraphClient } from './client';
import { ok } from './errors';
import type { Page, PageCursor, Result, User } from './types';

/**
 * The characters a user principal name may begin with: its name part takes letters, digits and ' . - _ ! # ^ ~, and
 * may not begin with a period (https://learn.microsoft.com/graph/api/resources/user, userPrincipalName). Anything else
 * (a tenant that allowed more) is caught by the count check and read in one sequence. `startswith` ignores case, so each letter is
 * one segment. A guest's `name_domain#EXT#@tenant` begins with its own name's first character.
 */
export const UPN_FIRST_CHARACTERS: readonly string[] = [...'abcdefghijklmnopqrstuvwxyz0123456789', "'", '-', '_', '!', '#', '^', '~'];

/** Segments read at once: enough to hide the per-request wait, few enough to stay well inside the identity read budget. */
const DEFAULT_CONCURRENCY = 6;
/**
 * Below this many users one sequence is as quick: the 43 segments over 6 readers take about 8
 * rounds of requests, and a sequence takes one round per 999 users.
 */
const SEGMENTS_FROM = 10_000;

export interface SegmentedRead {
  users: User[];
  /** How the tenant was read: in segments, or in one sequence after a segment query was refused or fell short. */
  mode: 'segments' | 'sequence';
  requests: number;
}

/**
 * Every user of the tenant, read as disjoint segments (by the first character of the user principal name) in parallel,
 * and proven complete against Graph's `$count`: when the segments hold fewer users than the count, or Graph refuses a
 * segment query (400), the tenant is read again in one sequence. Each page is folded in as it arrives.
 */
export async function readAllUsers(graph: GraphClient, options: { concurrency?: number; signal?: AbortSignal; segmentsFrom?: number } = {}): Promise<Result<SegmentedRead>> {
  const signal = options.signal;
  const call = signal ? { signal } : {};
  const before = graph.stats.requests;
  const count = await graph.countUsers({ includeDisabled: true, ...call });
  if (!count.success) return count;
  if (count.data < (options.segmentsFrom ?? SEGMENTS_FROM)) return sequence(graph, call, before);
  const byId = new Map<string, User>();
  const queue = [...UPN_FIRST_CHARACTERS];
  let failure: Result<never> | undefined;
  let refused = false;
  const worker = async (): Promise<void> => {
    for (let prefix = queue.shift(); prefix !== undefined && !failure && !refused; prefix = queue.shift()) {
      let at: PageCursor<User> | undefined = graph.usersWithUpnPrefix(prefix);
      while (at && !failure && !refused) {
        const page: Result<Page<User>> = await graph.nextPage(at, call);
        if (!page.success) {
          if (page.error.status === 400) refused = true;
          else failure = page;
          return;
        }
        for (const u of page.data.items) byId.set(u.id.toLowerCase(), u);
        at = page.data.next;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? DEFAULT_CONCURRENCY }, worker));
  if (failure) return failure;
  if (!refused && byId.size >= count.data) return ok({ users: [...byId.values()], mode: 'segments', requests: graph.stats.requests - before });
  return sequence(graph, call, before);
}

async function sequence(graph: GraphClient, call: { signal?: AbortSignal }, before: number): Promise<Result<SegmentedRead>> {
  const users: User[] = [];
  for await (const page of graph.iterateUsers({ includeDisabled: true, ...call })) {
    if (!page.success) return page;
    users.push(...page.data.items);
  }
  return ok({ users, mode: 'sequence', requests: graph.stats.requests - before });
}
