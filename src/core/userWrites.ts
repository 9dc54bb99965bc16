import type { GraphContext } from './context';
import { ok, validationError } from './errors';
import type { CallOptions, Result } from './types';

/**
 * Sets a user's manager (PUT /users/{id}/manager/$ref, https://learn.microsoft.com/graph/api/user-post-manager).
 * `managerKey` is an object id or a UPN. A PUT replaces the link, so sending it again after a lost answer is safe.
 */
export async function setManager(ctx: GraphContext, userId: string, managerKey: string, options: CallOptions = {}): Promise<Result<void>> {
  const base = ctx.userBase(userId);
  if (!base.success) return base;
  const manager = await ctx.resolveIds([managerKey], 'managerId', options);
  if (!manager.success) return manager;
  const managerId = manager.data[0] ?? '';
  if (managerId.toLowerCase() === userId.toLowerCase()) return validationError('A user cannot be their own manager.', 'managerId');
  const result = await ctx.call<unknown>('PUT', `${base.data}/manager/$ref`, { body: { '@odata.id': ctx.bindUrl(managerId) }, ...options });
  return result.success ? ok(undefined) : result;
}

/** Clears a user's manager (DELETE /users/{id}/manager/$ref, https://learn.microsoft.com/graph/api/user-delete-manager). */
export async function removeManager(ctx: GraphContext, userId: string, options: CallOptions = {}): Promise<Result<void>> {
  const base = ctx.userBase(userId);
  if (!base.success) return base;
  const result = await ctx.call<unknown>('DELETE', `${base.data}/manager/$ref`, options);
  if (result.success) return ok(undefined);
  // No manager after an attempt whose answer was lost: what the call was for.
  if (result.ambiguous && result.error.status === 404) return ok(undefined);
  return result;
}
