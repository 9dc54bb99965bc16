import type { Group, User } from '../core';
import { isGuid, isUpn } from '../core';
import { GroupNode, UserNode } from '../tree/nodes';

/** What a command was invoked on: a tree node, an id or UPN from a webview or another command, or nothing (palette). */
export function userArg(arg: unknown): User | undefined {
  if (arg instanceof UserNode) return arg.user;
  if (typeof arg === 'string' && (isGuid(arg) || isUpn(arg))) return { id: arg };
  return undefined;
}

export function groupArg(arg: unknown): Group | undefined {
  if (arg instanceof GroupNode) return arg.group;
  if (typeof arg === 'string' && isGuid(arg)) return { id: arg };
  return undefined;
}

/** The group a member row sits under (set when a user or group is listed as a member). */
export function memberContext(arg: unknown): { groupId: string; member: User | Group } | undefined {
  if ((arg instanceof UserNode || arg instanceof GroupNode) && arg.memberOf) {
    return { groupId: arg.memberOf, member: arg instanceof UserNode ? arg.user : arg.group };
  }
  return undefined;
}
