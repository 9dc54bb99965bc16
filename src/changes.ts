import * as vscode from 'vscode';
import type { DirectoryObject, Group, User } from './core';

/**
 * Changes this extension made to the directory. Graph is eventually consistent, so views apply these
 * to what they already show instead of re-reading and risking stale data.
 */
export type DirectoryChange =
  | { kind: 'groupCreated'; group: Group }
  | { kind: 'groupUpdated'; groupId: string; changes: Partial<Group> }
  | { kind: 'groupDeleted'; groupId: string }
  | { kind: 'memberAdded'; groupId: string; member: DirectoryObject }
  | { kind: 'memberRemoved'; groupId: string; memberId: string }
  | { kind: 'userUpdated'; userId: string; changes: Partial<User> };

export class DirectoryChanges implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DirectoryChange>();
  readonly onDidChange = this.emitter.event;

  fire(change: DirectoryChange): void {
    this.emitter.fire(change);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
