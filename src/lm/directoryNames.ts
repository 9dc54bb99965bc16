import * as vscode from 'vscode';
import { isGuid, type DirectoryObject, type GraphError, type Group, type Result, type User } from '../core';
import { nameOf } from '../shared/text';
import type { ToolEnv } from './toolTypes';

/** A user or group as named in confirmations and summaries; `found` is false when Graph could not tell us. */
export interface Named<T> {
  label: string;
  found?: T;
}

/** The user's display name (or UPN/id when the lookup fails; a confirmation must still be shown). */
export async function nameUser(env: ToolEnv, key: string | undefined): Promise<Named<User>> {
  const result = await env.graph.getProfile(key, { signal: env.signal });
  if (result.success) return { label: nameOf(result.data), found: result.data };
  return { label: key ?? vscode.l10n.t('the signed-in user') };
}

export async function nameGroup(env: ToolEnv, groupId: string): Promise<Named<Group>> {
  const result = await env.graph.getGroup(groupId, { signal: env.signal });
  if (result.success) return { label: nameOf(result.data), found: result.data };
  return { label: groupId };
}

/** Names for a list of user keys, looked up in parallel; at most `limit` are looked up, the rest counted. */
export async function nameUsers(env: ToolEnv, keys: readonly string[], limit = 10): Promise<{ labels: string[]; more: number }> {
  const named = await Promise.all(keys.slice(0, limit).map((k) => nameUser(env, k)));
  return { labels: named.map((n) => (n.found ? n.label : vscode.l10n.t('{0} (could not be looked up)', n.label))), more: Math.max(0, keys.length - limit) };
}

/**
 * The directory object behind a member key, for the change event and the summary. A UPN must resolve
 * (its id is needed); an id that is not a user may be a group, and one that resolves to neither is still usable.
 */
export async function resolveMember(env: ToolEnv, key: string): Promise<Result<DirectoryObject & { '@odata.type': string }>> {
  const user = await env.graph.getProfile(key, { signal: env.signal });
  if (user.success) {
    const u = user.data;
    return { success: true, data: { id: u.id.toLowerCase(), displayName: u.displayName ?? null, userPrincipalName: u.userPrincipalName ?? null, '@odata.type': '#microsoft.graph.user' } };
  }
  if (!isGuid(key) || !isNotFound(user.error)) return user;
  const group = await env.graph.getGroup(key, { signal: env.signal });
  if (group.success) return { success: true, data: { id: group.data.id.toLowerCase(), displayName: group.data.displayName ?? null, '@odata.type': '#microsoft.graph.group' } };
  if (!isNotFound(group.error)) return group;
  return { success: true, data: { id: key.toLowerCase(), '@odata.type': '#microsoft.graph.directoryObject' } };
}

export function isNotFound(error: GraphError): boolean {
  return error.status === 404 || error.code === 'Request_ResourceNotFound';
}
