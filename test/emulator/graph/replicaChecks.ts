import type { HandlerContext } from './context.js';
import type { DirectoryObject, GroupRecord, UserRecord } from '../directory/records.js';
import { GraphError, notFound } from './errors.js';

/**
 * How writes meet replication (directory/replication.ts): a write finds the object it addresses, and the objects it
 * references, on a replica, then changes the primary copy.
 *
 * - Addressed by id before it has replicated: 404 Request_ResourceNotFound. "A newly created object [can] return a
 *   'Not Found'" (https://devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/);
 *   a PATCH right after a create can reach a node where the id does not exist yet and answer 404
 *   (https://blogs.aaddevsup.xyz/2021/08/why-do-i-sometimes-get-a-404-when-trying-to-update-an-azure-directory-object-after-i-just-created-it/).
 * - Link writes (members/owners: POST and DELETE …/$ref, `…@odata.bind`) to a group, or referencing an object, that
 *   has not replicated: 400 Request_BadRequest "The source resource object or one of the objects being referenced
 *   don't exist." (https://learn.microsoft.com/graph/api/group-post-members?view=graph-rest-1.0, Note, and
 *   https://learn.microsoft.com/graph/api/group-update?view=graph-rest-1.0, Errors table; graph-facts.md [GPM26]).
 *   Whether a link already exists is decided on the primary copy, where the link is written.
 */
export const NOT_YET_REPLICATED = "The source resource object or one of the objects being referenced don't exist.";

/** A write refused only because replication has not caught up (counted in the emulator's stats). */
export class ReplicationRefusal extends GraphError {}

const refusal = (e: GraphError): ReplicationRefusal => new ReplicationRefusal(e.status, e.code, e.message);
const notYetReplicated = (): ReplicationRefusal => new ReplicationRefusal(400, 'Request_BadRequest', NOT_YET_REPLICATED);

/** The primary copy of the group a write addresses; `link` for membership and ownership writes. */
export function groupToWrite(ctx: HandlerContext, id: string, link: boolean): GroupRecord {
  const primary = ctx.state.group(id);
  if (!primary) throw notFound(id);
  if (!ctx.view.group(id)) throw link ? notYetReplicated() : refusal(notFound(id));
  return primary;
}

/** The primary copy of the user a write addresses, by id or userPrincipalName as a replica resolves it. */
export function userToWrite(ctx: HandlerContext, key: string): UserRecord {
  const seen = ctx.view.user(key);
  const primary = seen ? ctx.state.user(seen.id) : undefined;
  if (primary) return primary;
  throw ctx.state.user(key) ? refusal(notFound(key)) : notFound(key);
}

/** For an object a link write references (found on the primary copy): 400 until a replica has it. */
export function requireReplicated(ctx: HandlerContext, obj: DirectoryObject): void {
  if (!ctx.view.object(obj.rec.id)) throw notYetReplicated();
}
