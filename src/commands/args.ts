import type { Group, User } from '../core';
import { isGuid, isUpn } from '../core';
import { isUserRef } from '../shared/userRef';
import { GroupNode, UserNode } from '../tree/nodes';

/**
 * What a command was invoked on: a tree node, an id or UPN (or a UserRef) from a page or another command, or
 * nothing (palette).
 */
export function userArg(arg: unknown): User | undefined {
  if (arg instanceof UserNode) return arg.user;
  if (typeof arg === 'string' && (isGuid(arg) || isUpn(arg))) return { id: arg };
  if (isUserRef(arg)) return { id: arg.id, displayName: arg.displayName, userPrincipalName: arg.userPrincipalName };
  return undefined;
}

export function groupArg(arg: unknown): Group | undefined {
  if (arg instanceof GroupNode) return arg.group;
  if (typeof arg === 'string' && isGuid(arg)) return { id: arg };
  return undefined;
}

/** The group a member row sits under (set when a user or group is listed as a member), read from the tree. */
export function memberContext(arg: unknown): { groupId: string; group?: Group; member: User | Group } | undefined {
  if ((arg instanceof UserNode || arg instanceof GroupNode) && arg.memberOf) {
    let node = arg.parent;
    while (node && !(node instanceof GroupNode && node.group.id.toLowerCase() === arg.memberOf)) node = node.parent;
    const group = node instanceof GroupNode ? node.group : undefined;
    return { groupId: arg.memberOf, ...(group ? { group } : {}), member: arg instanceof UserNode ? arg.user : arg.group };
  }
  return undefined;
}
