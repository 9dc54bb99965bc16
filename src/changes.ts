import * as vscode from 'vscode';
import type { DirectoryObject, Group, User } from './core';

/**
 * Changes this extension made to the directory. Graph is eventually consistent, so views apply these to what they
 * already show instead of re-reading and risking stale data. Ids are lower-case (see {@link normaliseChange}), so
 * every view can compare them with `===`.
 */
export type DirectoryChange =
  /** `memberKeys`: the members and owners the group was created with that are in it now (ids or UPNs). */
  | { kind: 'groupCreated'; group: Group; memberKeys: string[] }
  | { kind: 'groupUpdated'; groupId: string; changes: Partial<Group> }
  | { kind: 'groupDeleted'; groupId: string }
  /** `group`: the group as Graph's restore answered it (back from deleted items with its members and owners). */
  | { kind: 'groupRestored'; group: Group }
  /** `group`: what is known of the group (at least its id), for the member's own list of groups. */
  | { kind: 'memberAdded'; group: Group; member: DirectoryObject }
  | { kind: 'memberRemoved'; groupId: string; memberId: string }
  /** `owner`: what is known of the new owner (at least its id), for the group's Owners list. */
  | { kind: 'ownerAdded'; groupId: string; owner: DirectoryObject }
  | { kind: 'ownerRemoved'; groupId: string; ownerId: string }
  | { kind: 'userUpdated'; userId: string; changes: Partial<User> }
  /** `user`: what is known of the user (at least the id), for the manager's Direct reports; `manager` null = none. */
  | { kind: 'managerChanged'; user: DirectoryObject; manager: DirectoryObject | null };

const lower = (id: string): string => id.toLowerCase();

/** The same change with every object id lower-cased (UPNs too: they compare case-insensitively). */
export function normaliseChange(change: DirectoryChange): DirectoryChange {
  switch (change.kind) {
    case 'groupCreated':
      return { ...change, group: { ...change.group, id: lower(change.group.id) }, memberKeys: change.memberKeys.map(lower) };
    case 'groupUpdated':
      return { ...change, groupId: lower(change.groupId) };
    case 'groupDeleted':
      return { ...change, groupId: lower(change.groupId) };
    case 'groupRestored':
      return { ...change, group: { ...change.group, id: lower(change.group.id) } };
    case 'memberAdded':
      return { ...change, group: { ...change.group, id: lower(change.group.id) }, member: { ...change.member, id: lower(change.member.id) } };
    case 'memberRemoved':
      return { ...change, groupId: lower(change.groupId), memberId: lower(change.memberId) };
    case 'ownerAdded':
      return { ...change, groupId: lower(change.groupId), owner: { ...change.owner, id: lower(change.owner.id) } };
    case 'ownerRemoved':
      return { ...change, groupId: lower(change.groupId), ownerId: lower(change.ownerId) };
    case 'userUpdated':
      return { ...change, userId: lower(change.userId) };
    case 'managerChanged':
      return { ...change, user: { ...change.user, id: lower(change.user.id) }, manager: change.manager && { ...change.manager, id: lower(change.manager.id) } };
  }
}

/** The bus views listen on. Only {@link DirectoryWrites} fires it. */
export class DirectoryChanges implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DirectoryChange>();
  readonly onDidChange = this.emitter.event;

  fire(change: DirectoryChange): void {
    this.emitter.fire(normaliseChange(change));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
