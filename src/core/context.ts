import { fail, ok, validationError } from './errors';
import type { GraphTransport, HttpRequest, HttpResult, Method } from './http';
import { backoffDelay } from './retry';
import { selectOf, userPath } from './odata';
import type { CallOptions, Result } from './types';
import { checkUserKey, isGuid } from './validation';

/**
 * How often a POST whose answer was lost is sent again, where a repeat cannot duplicate anything (adding a member:
 * Graph answers "already a member" to a repeat). A create is never sent again (see createGroup).
 */
export const RESENDS = 3;

/** What every action needs: the transport, plus small request helpers shared by reads and writes. */
export class GraphContext {
  constructor(readonly transport: GraphTransport) {}

  /** The URL Graph expects in `@odata.id` / `@odata.bind` for a directory object of this cloud. */
  bindUrl(id: string): string {
    return this.transport.url(`/directoryObjects/${encodeURIComponent(id)}`);
  }

  async call<T>(method: Method, path: string, options: CallOptions & { body?: unknown; advanced?: boolean } = {}): Promise<Result<T> & { ambiguous?: boolean }> {
    const result = await this.send(method, path, options);
    if (!result.success) return result;
    return ok(result.data.body as T);
  }

  /** {@link call} with the whole answer: status, request id, and the token scrubber for errors read from the body. */
  send(method: Method, path: string, options: CallOptions & { body?: unknown; advanced?: boolean } = {}): Promise<HttpResult> {
    const request: HttpRequest = { method, url: this.transport.url(path) };
    if (options.body !== undefined) request.body = options.body;
    if (options.advanced) request.advanced = true;
    if (options.signal) request.signal = options.signal;
    if (options.access) request.access = options.access;
    if (options.onRequest) request.onRequest = options.onRequest;
    return this.transport.send(request);
  }

  /**
   * Waits before trying again something Graph's replication has not caught up with yet (a link to a group created a
   * moment ago, a read of it), and says whether to try: backoff steps under the transport's one retry rule, counted
   * from `since`. False without waiting once that rule allows no more, or when cancelled.
   */
  async waitForReplication(retries: number, since: number, signal?: AbortSignal): Promise<boolean> {
    const delay = backoffDelay(retries, this.transport.random);
    if (signal?.aborted || !this.transport.mayRetry(retries, since, delay)) return false;
    await this.transport.sleep(delay, signal);
    return !signal?.aborted;
  }

  /** `/me` when no user is named, else `/users/{id | UPN}`; a validation error when the key is invalid. */
  userBase(userId: string | undefined): Result<string> {
    if (userId === undefined) return ok('/me');
    const problem = checkUserKey(userId, 'userId');
    return problem ? validationError(problem, 'userId') : ok(userPath(userId));
  }

  /** Object ids for binds: GUIDs pass through, UPNs are looked up (one request each). */
  async resolveIds(keys: readonly string[], field: string, options: CallOptions): Promise<Result<string[]>> {
    const ids: string[] = [];
    for (const key of keys) {
      const problem = checkUserKey(key, field);
      if (problem) return validationError(problem, field);
    }
    for (const key of keys) {
      if (isGuid(key)) {
        ids.push(key.toLowerCase());
        continue;
      }
      const user = await this.call<{ id?: unknown }>('GET', `${userPath(key)}?$select=${selectOf(['id'])}`, options);
      if (!user.success) return fail({ ...user.error, message: `${key}: ${user.error.message}` });
      if (typeof user.data.id !== 'string') return fail({ code: 'InvalidResponse', message: `Graph returned no id for ${key}.` });
      ids.push(user.data.id.toLowerCase());
    }
    return ok([...new Set(ids)]);
  }
}

