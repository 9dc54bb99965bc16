import type { GraphContext } from './context';
import { fail, ok, validationError } from './errors';
import { pathSegment, queryString, Select, selectOf } from './odata';
import { collect, cursor } from './paging';
import type { CallOptions, Group, ListOptions, Result } from './types';
import { checkObjectId } from './validation';

/**
 * Deleted groups (https://learn.microsoft.com/graph/api/resources/directory?view=graph-rest-1.0, deletedItems): Graph
 * keeps a deleted Microsoft 365 or security group for 30 days, then deletes it for good
 * (https://learn.microsoft.com/graph/api/group-delete?view=graph-rest-1.0).
 */
export const DELETED_GROUP_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const FULL_PAGE = 999;

/** A group in deleted items: what it was, and when it was deleted. */
export interface DeletedGroup extends Group {
  /** Absent or null when Graph does not say; such groups are listed last, never dropped. */
  deletedDateTime?: string | null;
}

/**
 * Whole days left to restore a group deleted at `deletedDateTime`, counted at `now`: 30 minus the days since, never
 * below 0; undefined when the date cannot be read.
 */
export function daysLeftToRestore(deletedDateTime: string | null | undefined, now: number): number | undefined {
  const at = Date.parse(deletedDateTime ?? '');
  if (Number.isNaN(at)) return undefined;
  const age = Math.floor(Math.max(0, now - at) / DAY_MS);
  return Math.max(0, DELETED_GROUP_RETENTION_DAYS - age);
}

/**
 * `GET /directory/deletedItems/microsoft.graph.group` (the cast is required:
 * https://learn.microsoft.com/graph/api/directory-deleteditems-list?view=graph-rest-1.0), most recently deleted first
 * (sorted here: Graph sorts deleted items only as an advanced query). Items without a readable deletion date are kept
 * and sorted last rather than dropped.
 */
export async function listDeletedGroups(ctx: GraphContext, options: ListOptions = {}): Promise<Result<DeletedGroup[]>> {
  const q = queryString({ $select: selectOf([...Select.group, 'deletedDateTime']), $top: FULL_PAGE });
  const found = await collect<DeletedGroup>(ctx.transport, cursor(ctx.transport.url(`/directory/deletedItems/microsoft.graph.group${q}`), false), options.maxItems, options.signal);
  if (!found.success) return found;
  const time = (g: DeletedGroup): number => {
    const t = Date.parse(g.deletedDateTime ?? '');
    return Number.isNaN(t) ? -Infinity : t;
  };
  return ok([...found.data].sort((a, b) => time(b) - time(a)));
}

/**
 * `POST /directory/deletedItems/{id}/restore` (https://learn.microsoft.com/graph/api/directory-deleteditems-restore?view=graph-rest-1.0):
 * the group comes back with its id, members and owners; Graph answers with the restored object. A restore whose answer
 * was lost is not sent again (a repeat would say 404 either way): it ends as an unknown outcome.
 */
export async function restoreGroup(ctx: GraphContext, groupId: string, options: CallOptions = {}): Promise<Result<Group>> {
  const problem = checkObjectId(groupId, 'groupId');
  if (problem) return validationError(problem, 'groupId');
  const result = await ctx.call<Group>('POST', `/directory/deletedItems/${pathSegment(groupId)}/restore`, options);
  if (result.success) return ok(result.data);
  if (!result.ambiguous) return result;
  return fail({ ...result.error, outcomeUnknown: true, message: `${result.error.message} The group may have been restored: a request reached Microsoft Graph but its answer was lost.` });
}
