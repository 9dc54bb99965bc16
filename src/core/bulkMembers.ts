import { RESENDS, type GraphContext } from './context';
import { fail, graphErrorFromBody, isAlreadyMember, isRecord, ok } from './errors';
import { pathSegment } from './odata';
import { parseRetryAfter, throttleDelay } from './retry';
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
      const error = answer.kind === 'rejected' ? undefined : answer.error;
      if (error) {
        for (const id of chunk.ids) record({ memberId: id, status: 'failed', error });
      } else {
        // Rejected as a whole (an existing member, a wrong type, a missing object), or maybe applied: find out member by member.
        for (const id of chunk.ids) record(await addOne(ctx, groupId, id, options));
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

/** `transient` carries the error to report once retries run out; without one, member by member finds out what happened. */
type ChunkAnswer = { kind: 'ok' } | { kind: 'transient'; waitMs: number; error?: GraphError } | { kind: 'rejected' } | { kind: 'fatal'; error: GraphError };

function bindBody(ctx: GraphContext, chunk: Chunk): Record<string, unknown> {
  return { 'members@odata.bind': chunk.ids.map((id) => ctx.bindUrl(id)) };
}

async function patchOne(ctx: GraphContext, groupId: string, chunk: Chunk, options: CallOptions): Promise<ChunkAnswer[]> {
  const result = await ctx.call<unknown>('PATCH', `/groups/${pathSegment(groupId)}`, { body: bindBody(ctx, chunk), ...options });
  if (result.success) return [{ kind: 'ok' }];
  return [classify(result.error)];
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
    const answer = result.ambiguous ? { kind: 'transient' as const, waitMs: 0 } : classify(result.error);
    return chunks.map(() => answer);
  }
  const body = result.data.body;
  const responses = isRecord(body) && Array.isArray(body.responses) ? body.responses.filter(isRecord) : [];
  const byId = new Map(responses.map((r) => [String(r.id), r as unknown as BatchItemResponse]));
  const now = ctx.transport.now();
  return chunks.map((_, i): ChunkAnswer => {
    const item = byId.get(String(i + 1));
    if (!item || typeof item.status !== 'number') return { kind: 'transient', waitMs: 0 };
    if (item.status >= 200 && item.status < 300) return { kind: 'ok' };
    const headers = Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    // Built from the item's body, which a gateway may have filled with our Authorization header.
    const error = result.data.scrub(graphErrorFromBody(item.status, item.body, headers['request-id'], ''));
    const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
    return classify(retryAfterMs !== undefined ? { ...error, retryAfterMs } : error, ctx.transport.random);
  });
}

function classify(error: GraphError, random: () => number = Math.random): ChunkAnswer {
  const waitMs = throttleDelay(error.retryAfterMs ?? 1000, random);
  // Throttled or unavailable: nothing was applied, so once retries run out the members fail with Graph's error.
  if (error.status === 429 || error.status === 503) return { kind: 'transient', waitMs, error };
  // A gateway timeout may have been applied: once retries run out, member by member finds out.
  if (error.status === 504) return { kind: 'transient', waitMs };
  if (error.status === 400 || error.status === 404) return { kind: 'rejected' };
  return { kind: 'fatal', error };
}

async function addOne(ctx: GraphContext, groupId: string, id: string, options: CallOptions): Promise<MemberOutcome> {
  const path = `/groups/${pathSegment(groupId)}/members/$ref`;
  const body = { '@odata.id': ctx.bindUrl(id) };
  let result = await ctx.call<unknown>('POST', path, { body, ...options });
  let resent = false;
  // Answer lost after sending: re-send while answers keep getting lost; "already a member" then means ours landed.
  for (let round = 0; !result.success && result.ambiguous && round < RESENDS; round++) {
    resent = true;
    result = await ctx.call<unknown>('POST', path, { body, ...options });
  }
  if (result.success) return { memberId: id, status: 'added' };
  if (isAlreadyMember(result.error)) return { memberId: id, status: resent ? 'added' : 'alreadyMember' };
  return { memberId: id, status: 'failed', error: result.error };
}
