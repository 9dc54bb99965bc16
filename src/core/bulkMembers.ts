import { RESENDS, type GraphContext } from './context';
import { fail, graphErrorFromBody, isAlreadyMember, isNotYetReplicated, isRecord, ok } from './errors';
import { pathSegment } from './odata';
import { backoffDelay, parseRetryAfter, throttleDelay } from './retry';
import { ErrorCodes, type CallOptions, type GraphError, type MemberOutcome, type Result } from './types';

/** Graph binds at most 20 members in one PATCH, and carries at most 20 requests in one $batch. */
const BIND_CHUNK = 20;
const BATCH_SIZE = 20;

export interface BulkAddOptions extends CallOptions {
  /** Reported after each member's outcome is known. */
  onProgress?: (done: number, total: number) => void;
}

export interface BulkAddResult {
  outcomes: MemberOutcome[];
  added: number;
  alreadyMembers: number;
}

interface Chunk {
  ids: string[];
  tries: number;
  /** When the chunk was first sent: from then on its retries share one retry budget, as a request's do. */
  since?: number;
  /** A PATCH of this chunk lost its answer: it may have been applied. */
  mayHaveLanded?: boolean;
}

interface BatchItemResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Adds many members with `members@odata.bind` PATCHes of 20, several PATCHes per `$batch`.
 * A PATCH is all-or-nothing, so a chunk that fails is retried member by member to find the culprit:
 * every member ends with an exact outcome. Succeeds only if every member ends up in the group.
 * A group created a moment ago refuses links until it has replicated: those chunks wait and are sent again.
 */
export async function addMembersInChunks(ctx: GraphContext, groupId: string, ids: readonly string[], options: BulkAddOptions = {}): Promise<Result<BulkAddResult>> {
  const outcomes = new Map<string, MemberOutcome>();
  const total = ids.length;
  const record = (o: MemberOutcome): void => {
    outcomes.set(o.memberId, o);
    options.onProgress?.(outcomes.size, total);
  };
  let queue: Chunk[] = [];
  for (let i = 0; i < ids.length; i += BIND_CHUNK) queue.push({ ids: ids.slice(i, i + BIND_CHUNK), tries: 0 });

  while (queue.length > 0) {
    if (options.signal?.aborted) break;
    const round = queue.splice(0, BATCH_SIZE);
    const sentAt = ctx.transport.now();
    const answers = round.length === 1 ? await patchOne(ctx, groupId, round[0] as Chunk, options) : await patchBatch(ctx, groupId, round, options);
    let waitMs = 0;
    const retry: Chunk[] = [];
    for (const [index, chunk] of round.entries()) {
      const answer = answers[index] as ChunkAnswer;
      const since = (chunk.since ??= sentAt);
      if (answer.maybeApplied) chunk.mayHaveLanded = true;
      if (answer.kind === 'ok') {
        for (const id of chunk.ids) record({ memberId: id, status: 'added' });
        continue;
      }
      // The transport's rule, so that a Retry-After in a $batch item cannot make the client wait longer than a request may.
      if (answer.kind === 'transient' && ctx.transport.mayRetry(chunk.tries, since, answer.waitMs)) {
        chunk.tries++;
        waitMs = Math.max(waitMs, answer.waitMs);
        retry.push(chunk);
        continue;
      }
      const error = answer.kind === 'rejected' || chunk.mayHaveLanded ? undefined : answer.error;
      if (error) {
        for (const id of chunk.ids) record({ memberId: id, status: 'failed', error });
      } else {
        // Rejected as a whole (an existing member, a wrong type, a missing object), or maybe applied, or still not
        // replicated when the retry rule ran out: find out member by member, within what is left of the chunk's budget.
        const each: Array<{ id: string } & Awaited<ReturnType<typeof addMemberRef>>> = [];
        for (const id of chunk.ids) each.push({ id, ...(await addMemberRef(ctx, groupId, id, options, since)) });
        // A PATCH adds all of its members or none: one of ours that lost its answer did land when every member is
        // now found in the group (none added or refused just now).
        const landed = chunk.mayHaveLanded === true && each.every((t) => !t.result.success && isAlreadyMember(t.result.error));
        for (const t of each) record(memberOutcome(t.id, t.result, t.resent || landed));
      }
    }
    if (retry.length) {
      queue = [...retry, ...queue];
      await ctx.transport.sleep(waitMs, options.signal);
    }
  }

  const list = ids.map((id) => outcomes.get(id) ?? { memberId: id, status: 'failed' as const, error: { code: ErrorCodes.cancelled, message: 'Not attempted: the operation was cancelled.' } });
  const added = list.filter((o) => o.status === 'added').length;
  const alreadyMembers = list.filter((o) => o.status === 'alreadyMember').length;
  const failed = list.filter((o) => o.status === 'failed');
  if (failed.length === 0) return ok({ outcomes: list, added, alreadyMembers });
  const first = failed[0]?.error;
  return fail({
    code: ErrorCodes.partialFailure,
    message: `${failed.length} of ${list.length} members could not be added${first ? ` (first: ${first.code}: ${first.message})` : ''}; ${added} added, ${alreadyMembers} already members.`,
    outcomes: list,
  });
}

/**
 * `transient` carries the error to report once retries run out; without one, member by member finds out what happened.
 * `maybeApplied`: the PATCH's answer was lost, so it may have been applied (member by member then tells).
 */
type ChunkAnswer = ({ kind: 'ok' } | { kind: 'transient'; waitMs: number; error?: GraphError } | { kind: 'rejected' } | { kind: 'fatal'; error: GraphError }) & {
  maybeApplied?: boolean;
};

function bindBody(ctx: GraphContext, chunk: Chunk): Record<string, unknown> {
  return { 'members@odata.bind': chunk.ids.map((id) => ctx.bindUrl(id)) };
}

async function patchOne(ctx: GraphContext, groupId: string, chunk: Chunk, options: CallOptions): Promise<ChunkAnswer[]> {
  const result = await ctx.call<unknown>('PATCH', `/groups/${pathSegment(groupId)}`, { body: bindBody(ctx, chunk), ...options });
  if (result.success) return [{ kind: 'ok' }];
  // The transport re-sends a PATCH whose answer was lost; its last answer (e.g. "already a member") then hides that.
  return [{ ...classify(result.error, chunk.tries, ctx.transport.random), ...(result.ambiguous ? { maybeApplied: true } : {}) }];
}

async function patchBatch(ctx: GraphContext, groupId: string, chunks: Chunk[], options: CallOptions): Promise<ChunkAnswer[]> {
  const requests = chunks.map((chunk, i) => ({
    id: String(i + 1),
    method: 'PATCH',
    url: `/groups/${pathSegment(groupId)}`,
    headers: { 'Content-Type': 'application/json' },
    body: bindBody(ctx, chunk),
  }));
  const result = await ctx.send('POST', '/$batch', { body: { requests }, ...options });
  if (!result.success) {
    // The PATCHes inside are safe to repeat: a repeated bind is caught member by member.
    return chunks.map((chunk) => (result.ambiguous ? { kind: 'transient' as const, waitMs: 0, maybeApplied: true } : classify(result.error, chunk.tries, ctx.transport.random)));
  }
  const body = result.data.body;
  const responses = isRecord(body) && Array.isArray(body.responses) ? body.responses.filter(isRecord) : [];
  const byId = new Map(responses.map((r) => [String(r.id), r as unknown as BatchItemResponse]));
  const now = ctx.transport.now();
  return chunks.map((chunk, i): ChunkAnswer => {
    const item = byId.get(String(i + 1));
    if (!item || typeof item.status !== 'number') return { kind: 'transient', waitMs: 0 };
    if (item.status >= 200 && item.status < 300) return { kind: 'ok' };
    const headers = Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    // Built from the item's body, which a gateway may have filled with our Authorization header.
    const error = result.data.scrub(graphErrorFromBody(item.status, item.body, headers['request-id'], ''));
    const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
    return classify(retryAfterMs !== undefined ? { ...error, retryAfterMs } : error, chunk.tries, ctx.transport.random);
  });
}

/** `tries`: the chunk's retries so far, which set the backoff while a new group replicates. */
function classify(error: GraphError, tries: number, random: () => number): ChunkAnswer {
  // A group or member created a moment ago: the PATCH applied nothing; wait and send it again. Once the retry rule runs
  // out, member by member tells which member (if any) is the problem.
  if (isNotYetReplicated(error)) return { kind: 'transient', waitMs: backoffDelay(tries, random) };
  const waitMs = throttleDelay(error.retryAfterMs ?? 1000, random);
  // Throttled or unavailable: nothing was applied, so once retries run out the members fail with Graph's error.
  if (error.status === 429 || error.status === 503) return { kind: 'transient', waitMs, error };
  // A gateway timeout may have been applied: once retries run out, member by member finds out.
  if (error.status === 504) return { kind: 'transient', waitMs, maybeApplied: true };
  if (error.status === 400 || error.status === 404) return { kind: 'rejected' };
  return { kind: 'fatal', error };
}

/** `ours`: a request of ours that lost its answer may have added the member, so "already a member" means it did. */
function memberOutcome(id: string, result: Result<unknown>, ours: boolean): MemberOutcome {
  if (result.success) return { memberId: id, status: 'added' };
  if (isAlreadyMember(result.error)) return { memberId: id, status: ours ? 'added' : 'alreadyMember' };
  return { memberId: id, status: 'failed', error: result.error };
}

/**
 * `POST /groups/{id}/members/$ref` for one member. An answer lost after sending is sent again (`resent`: an "already a
 * member" then means ours landed); a group or member not yet replicated is waited for and the POST sent again, under
 * the transport's retry rule counted from `since`.
 */
export function addMemberRef(ctx: GraphContext, groupId: string, memberId: string, options: CallOptions, since = ctx.transport.now()): Promise<{ result: Result<unknown>; resent: boolean }> {
  return addLinkRef(ctx, groupId, 'members', memberId, options, since);
}

/** {@link addMemberRef} for either link of a group: its members or its owners (`POST /groups/{id}/owners/$ref`). */
export async function addLinkRef(ctx: GraphContext, groupId: string, relation: 'members' | 'owners', objectId: string, options: CallOptions, since = ctx.transport.now()): Promise<{ result: Result<unknown>; resent: boolean }> {
  const path = `/groups/${pathSegment(groupId)}/${relation}/$ref`;
  const body = { '@odata.id': ctx.bindUrl(objectId) };
  let resends = 0;
  let waits = 0;
  for (;;) {
    const result = await ctx.call<unknown>('POST', path, { body, ...options });
    if (result.success) return { result, resent: resends > 0 };
    if (result.ambiguous && resends < RESENDS) resends++;
    else if (!(isNotYetReplicated(result.error) && (await ctx.waitForReplication(waits++, since, options.signal)))) return { result, resent: resends > 0 };
  }
}
