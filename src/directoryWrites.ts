import type * as vscode from 'vscode';
import type { DirectoryChange, DirectoryChanges } from './changes';
import {
  ErrorCodes, type BulkAddOptions, type BulkAddResult, type CallOptions, type CreateGroupInput, type DirectoryObject, type GraphClient, type GraphError, type Group,
  type MembershipApplyReport, type MembershipPlan, type Result, type UpdateGroupChanges, type User,
} from './core';
import { confirmProductionWrite, productionDeclinedMessage, type ProductionTarget } from './productionGuard';
import { READ_ONLY_CODE, readOnlyMessage } from './ui/writeGuard';

/**
 * The one way the extension changes the directory. Commands, forms and chat tools call these methods instead of
 * the Graph client, so that every successful write is announced exactly once, with the same shape, to every view
 * that shows an affected object. A failing view never turns a done write into a failure: the caller would try
 * again and, for a create, make a duplicate.
 */
export class DirectoryWrites {
  constructor(
    private readonly graph: () => GraphClient,
    private readonly changes: DirectoryChanges,
    private readonly log: Pick<vscode.LogOutputChannel, 'warn'>,
    /** Read-only mode in effect (the settings' `readOnly`): then every write fails here, before any request. */
    private readonly readOnly: () => boolean = () => false,
    /** The production tenant in effect (a profile marked `production`), or undefined: then nothing more is asked. */
    private readonly production: () => ProductionTarget | undefined = () => undefined,
    private readonly confirmProduction: (target: ProductionTarget) => Promise<boolean> = confirmProductionWrite,
  ) {}

  /**
   * The last line of read-only mode: the surfaces refuse writes earlier, in their own words; whatever gets past them
   * (a page opened before the setting changed, a command run from another extension) stops here unsent. In a
   * production profile every write is confirmed once more here, after the action's own confirmation and before any
   * request; declined, it ends as a cancellation and nothing is sent.
   */
  private async refused(): Promise<{ success: false; error: GraphError } | undefined> {
    if (this.readOnly()) return { success: false, error: { code: READ_ONLY_CODE, message: readOnlyMessage() } };
    const target = this.production();
    if (target && !(await this.confirmProduction(target))) return { success: false, error: { code: ErrorCodes.cancelled, message: productionDeclinedMessage(target) } };
    return undefined;
  }

  /** Creates the group; announces it also when it was created but some members could not be added. */
  async createGroup(input: CreateGroupInput, options: CallOptions = {}): Promise<Result<Group>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().createGroup(input, options);
    const group = result.success ? result.data : result.error.created;
    if (group) {
      const failed = new Set((result.success ? [] : (result.error.outcomes ?? [])).filter((o) => o.status === 'failed').map((o) => o.memberId.toLowerCase()));
      const memberKeys = [...(input.ownerIds ?? []), ...(input.memberIds ?? [])].filter((key) => !failed.has(key.toLowerCase()));
      this.announce({ kind: 'groupCreated', group, memberKeys });
    }
    return result;
  }

  async updateGroup(groupId: string, changes: UpdateGroupChanges, options: CallOptions = {}): Promise<Result<void>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().updateGroup(groupId, changes, options);
    if (result.success) this.announce({ kind: 'groupUpdated', groupId, changes: { ...(changes as Partial<Group>) } });
    return result;
  }

  async deleteGroup(groupId: string, options: CallOptions = {}): Promise<Result<void>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().deleteGroup(groupId, options);
    if (result.success) this.announce({ kind: 'groupDeleted', groupId });
    return result;
  }

  /** Brings a deleted group back from deleted items; views show it again (its members and owners come back with it). */
  async restoreGroup(groupId: string, options: CallOptions = {}): Promise<Result<Group>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().restoreGroup(groupId, options);
    if (result.success) this.announce({ kind: 'groupRestored', group: { ...result.data, id: result.data.id || groupId } });
    return result;
  }

  /** Adds one member. Graph's "already a member" answer stays a failure for the caller to word: nothing changed. */
  async addMember(group: Group, member: DirectoryObject, options: CallOptions = {}): Promise<Result<void>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().addMemberToGroup(group.id, member.id, options);
    if (result.success) this.announce({ kind: 'memberAdded', group, member });
    return result;
  }

  /**
   * Adds many members at once (Graph's bulk path, 20 a PATCH), announcing each member that was added. The result is
   * the client's: every member's outcome, or a PartialFailure carrying them.
   */
  async addMembers(group: Group, members: readonly DirectoryObject[], options: BulkAddOptions = {}): Promise<Result<BulkAddResult>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().addMembersToGroup(group.id, members.map((m) => m.id), options);
    const outcomes = result.success ? result.data.outcomes : (result.error.outcomes ?? []);
    const added = new Set(outcomes.filter((o) => o.status === 'added').map((o) => o.memberId.toLowerCase()));
    for (const member of members) if (added.has(member.id.toLowerCase())) this.announce({ kind: 'memberAdded', group, member });
    return result;
  }

  /** Makes `owner` an owner. Graph's "already exist" answer stays a failure for the caller to word: nothing changed. */
  async addOwner(groupId: string, owner: DirectoryObject, options: CallOptions = {}): Promise<Result<void>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().addOwner(groupId, owner.id, options);
    if (result.success) this.announce({ kind: 'ownerAdded', groupId, owner });
    return result;
  }

  async removeOwner(groupId: string, ownerId: string, options: CallOptions = {}): Promise<Result<void>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().removeOwner(groupId, ownerId, options);
    if (result.success) this.announce({ kind: 'ownerRemoved', groupId, ownerId });
    return result;
  }

  async removeMember(groupId: string, memberId: string, options: CallOptions = {}): Promise<Result<void>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().removeMemberFromGroup(groupId, memberId, options);
    if (result.success) this.announce({ kind: 'memberRemoved', groupId, memberId });
    return result;
  }

  async updateUser(userId: string, changes: Partial<User>, options: CallOptions = {}): Promise<Result<void>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().updateUser(userId, changes, options);
    if (result.success) this.announce({ kind: 'userUpdated', userId, changes: { ...changes } });
    return result;
  }

  /** Makes `manager` the manager of `user`; both are what the caller knows of them (at least the id). */
  async setManager(user: DirectoryObject, manager: DirectoryObject, options: CallOptions = {}): Promise<Result<void>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().setManager(user.id, manager.id, options);
    if (result.success) this.announce({ kind: 'managerChanged', user, manager });
    return result;
  }

  async removeManager(user: DirectoryObject, options: CallOptions = {}): Promise<Result<void>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().removeManager(user.id, options);
    if (result.success) this.announce({ kind: 'managerChanged', user, manager: null });
    return result;
  }

  /**
   * Applies a desired-state plan (see `GraphClient.applyMembershipPlan`) and announces each change it made, so every
   * view follows; a member found already added or already gone changed nothing here and is not announced.
   */
  async applyMembershipPlan(group: Group, plan: MembershipPlan, options: CallOptions = {}): Promise<Result<MembershipApplyReport>> {
    const refused = await this.refused();
    if (refused) return refused;
    const result = await this.graph().applyMembershipPlan(plan, options);
    if (!result.success) return result;
    const objects = new Map([...plan.add.members, ...plan.add.owners].map((o) => [o.id.toLowerCase(), o]));
    for (const o of result.data.outcomes) {
      if (o.outcome !== 'done') continue;
      const object = objects.get(o.id.toLowerCase()) ?? { id: o.id };
      if (o.change === 'add') this.announce(o.list === 'members' ? { kind: 'memberAdded', group, member: object } : { kind: 'ownerAdded', groupId: group.id, owner: object });
      else this.announce(o.list === 'members' ? { kind: 'memberRemoved', groupId: group.id, memberId: o.id } : { kind: 'ownerRemoved', groupId: group.id, ownerId: o.id });
    }
    return result;
  }

  private announce(change: DirectoryChange): void {
    try {
      this.changes.fire(change);
    } catch (e) {
      this.log.warn(`Updating the views after ${change.kind} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
