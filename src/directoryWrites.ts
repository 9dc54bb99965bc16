import type * as vscode from 'vscode';
import type { DirectoryChange, DirectoryChanges } from './changes';
import {
  ErrorCodes, type BulkAddOptions, type BulkAddResult, type CallOptions, type CreateGroupInput, type DirectoryObject, type GraphClient, type GraphError, type Group,
  type MembershipApplyReport, type MembershipPlan, type RequestInfo, type Result, type UpdateGroupChanges, type User,
} from './core';
import type { SignedInAccount } from './auth/types';
import type { JournalSink } from './journalStore';
import { confirmProductionWrite, productionDeclinedMessage, type ProductionTarget } from './productionGuard';
import { journalValues, MAX_REQUESTS_PER_ENTRY, outcomeOf, type JournalAction, type JournalEntry, type JournalObject, type JournalSurface } from './shared/journal';
import { READ_ONLY_CODE, readOnlyMessage } from './ui/writeGuard';

/**
 * One thing the user asked for — a command, a page's "Remove selected", an Apply — which may take several writes.
 * Made once per action by the caller (`DirectoryWrites.action()`) and passed with each of its writes, so the
 * production question is asked once for all of them: confirmed, every write of the action goes; declined, none is
 * sent and the action's later writes are refused without asking again.
 */
export class WriteAction {
  private answer: Promise<boolean> | undefined;

  /** The action's one answer to `ask`, asked at its first write (also when several writes start at once). */
  confirmOnce(ask: () => Promise<boolean>): Promise<boolean> {
    this.answer ??= ask();
    return this.answer;
  }
}

/**
 * What a caller tells the write path about a change, for the journal: where it came from, and what only the caller
 * knows (names of objects it names by id, the values an update replaces: forms hold the originals).
 */
export interface WriteOptions extends CallOptions {
  surface: JournalSurface;
  /** The changed object's name, when the method takes only its id. */
  objectName?: string;
  /** The member's or owner's name, when the method takes only its id. */
  relatedName?: string;
  /** Updates: the object's values before the change (only the changed fields are kept). */
  before?: Readonly<Record<string, unknown>>;
  /** The user action this write belongs to (without one, the write is an action of its own): see {@link WriteAction}. */
  action?: WriteAction;
  /** An undo: the journal entry it reverses. */
  undoOf?: string;
  /** Called with each journal entry this write produced (e.g. to offer Undo on the change's notification). */
  recorded?: (entry: JournalEntry) => void;
}

/** The journal the write path records into, and who is signed in. */
export interface WriteJournal {
  sink: JournalSink;
  account(): SignedInAccount | undefined;
  now?(): Date;
  newId?(): string;
}

type Subject = Pick<JournalEntry, 'object'> & Partial<Pick<JournalEntry, 'related' | 'before' | 'after' | 'runId'>>;

/** The journal's kind of a directory object, from what is known of it. */
function kindOf(o: DirectoryObject): JournalObject['kind'] {
  const type = typeof o['@odata.type'] === 'string' ? o['@odata.type'].toLowerCase() : '';
  if (type.endsWith('.user') || typeof o.userPrincipalName === 'string') return 'user';
  if (type.endsWith('.group') || Array.isArray(o.groupTypes)) return 'group';
  return 'object';
}

const named = (id: string, kind: JournalObject['kind'], name: unknown): JournalObject => ({ id, kind, ...(typeof name === 'string' && name ? { name } : {}) });
const objectRef = (o: DirectoryObject): JournalObject => named(o.id, kindOf(o), o.displayName ?? o.userPrincipalName);

/**
 * The one way the extension changes the directory. Commands, forms and chat tools call these methods instead of
 * the Graph client, so that every successful write is announced exactly once, with the same shape, to every view
 * that shows an affected object. A failing view never turns a done write into a failure: the caller would try
 * again and, for a create, make a duplicate.
 *
 * Every write is also recorded here, once, in the change journal (src/shared/journal.ts): one entry per change with the
 * caller's surface, its outcome and the request ids the transport saw. A write refused here before any request
 * (read-only mode, a declined production prompt) changed nothing and is not journaled.
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
    private readonly journal?: WriteJournal,
  ) {}

  /**
   * The last line of read-only mode: the surfaces refuse writes earlier, in their own words; whatever gets past them
   * (a page opened before the setting changed, a command run from another extension) stops here unsent. In a
   * production profile each user action is confirmed once more here, after the action's own confirmation and before
   * its first request; declined, it ends as a cancellation and nothing of the action is sent.
   */
  private async refused(options: WriteOptions): Promise<{ success: false; error: GraphError } | undefined> {
    if (this.readOnly()) return { success: false, error: { code: READ_ONLY_CODE, message: readOnlyMessage() } };
    const target = this.production();
    const action = options.action ?? new WriteAction();
    if (target && !(await action.confirmOnce(() => this.confirmProduction(target)))) return { success: false, error: { code: ErrorCodes.cancelled, message: productionDeclinedMessage(target) } };
    return undefined;
  }

  /** A new user action: pass it with each write the action makes, so that it is confirmed as one. */
  action(): WriteAction {
    return new WriteAction();
  }


  /** Creates the group; announces it also when it was created but some members could not be added. */
  async createGroup(input: CreateGroupInput, options: WriteOptions): Promise<Result<Group>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().createGroup(input, o));
    const group = result.success ? result.data : result.error.created;
    if (group) {
      const failed = new Set((result.success ? [] : (result.error.outcomes ?? [])).filter((o) => o.status === 'failed').map((o) => o.memberId.toLowerCase()));
      const memberKeys = [...(input.ownerIds ?? []), ...(input.memberIds ?? [])].filter((key) => !failed.has(key.toLowerCase()));
      this.announce({ kind: 'groupCreated', group, memberKeys });
    }
    const after = journalValues({ displayName: input.displayName, mailNickname: input.mailNickname, description: input.description, kind: input.kind, visibility: input.visibility });
    await this.record('createGroup', options, { object: named(group?.id ?? '', 'group', input.displayName), after }, result, requests);
    return result;
  }

  async updateGroup(groupId: string, changes: UpdateGroupChanges, options: WriteOptions): Promise<Result<void>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().updateGroup(groupId, changes, o));
    if (result.success) this.announce({ kind: 'groupUpdated', groupId, changes: { ...(changes as Partial<Group>) } });
    await this.record('updateGroup', options, { object: named(groupId, 'group', options.objectName), ...this.beforeAfter(changes, options.before) }, result, requests);
    return result;
  }

  async deleteGroup(groupId: string, options: WriteOptions): Promise<Result<void>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().deleteGroup(groupId, o));
    if (result.success) this.announce({ kind: 'groupDeleted', groupId });
    await this.record('deleteGroup', options, { object: named(groupId, 'group', options.objectName) }, result, requests);
    return result;
  }

  /** Brings a deleted group back from deleted items; views show it again (its members and owners come back with it). */
  async restoreGroup(groupId: string, options: WriteOptions): Promise<Result<Group>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().restoreGroup(groupId, o));
    if (result.success) this.announce({ kind: 'groupRestored', group: { ...result.data, id: result.data.id || groupId } });
    await this.record('restoreGroup', options, { object: named(groupId, 'group', options.objectName ?? (result.success ? result.data.displayName : undefined)) }, result, requests);
    return result;
  }


  /** Adds one member. Graph's "already a member" answer stays a failure for the caller to word: nothing changed. */
  async addMember(group: Group, member: DirectoryObject, options: WriteOptions): Promise<Result<void>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().addMemberToGroup(group.id, member.id, o));
    if (result.success) this.announce({ kind: 'memberAdded', group, member });
    await this.record('addMember', options, { object: objectRef({ ...group, '@odata.type': '#microsoft.graph.group' }), related: objectRef(member) }, result, requests);
    return result;
  }

  /**
   * Adds many members at once (Graph's bulk path, 20 a PATCH), announcing each member that was added. The result is
   * the client's: every member's outcome, or a PartialFailure carrying them. Journaled one entry per member that was
   * added or failed (one run id); a member that already was one changed nothing and is not journaled.
   */
  async addMembers(group: Group, members: readonly DirectoryObject[], options: BulkAddOptions & WriteOptions): Promise<Result<BulkAddResult>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().addMembersToGroup(group.id, members.map((m) => m.id), o));
    const outcomes = result.success ? result.data.outcomes : (result.error.outcomes ?? []);
    const added = new Set(outcomes.filter((o) => o.status === 'added').map((o) => o.memberId.toLowerCase()));
    for (const member of members) if (added.has(member.id.toLowerCase())) this.announce({ kind: 'memberAdded', group, member });
    const runId = this.newId();
    const byId = new Map(members.map((m) => [m.id.toLowerCase(), m]));
    const groupRef = objectRef({ ...group, '@odata.type': '#microsoft.graph.group' });
    // Without per-member outcomes (the call failed as a whole), each member is journaled as failed if anything was sent.
    const whole = requests.length > 0 ? members.map((m) => ({ memberId: m.id, status: 'failed' as const, error: result.success ? undefined : result.error })) : [];
    const recorded = outcomes.length > 0 ? outcomes : whole;
    for (const o of recorded) {
      if (o.status === 'alreadyMember') continue;
      const member = byId.get(o.memberId.toLowerCase()) ?? { id: o.memberId };
      await this.record('addMember', options, { object: groupRef, related: objectRef(member), runId }, o.status === 'added' ? { success: true, data: undefined } : { success: false, error: o.error ?? { code: ErrorCodes.partialFailure, message: '' } }, requests);
    }
    return result;
  }

  /** Makes `owner` an owner. Graph's "already exist" answer stays a failure for the caller to word: nothing changed. */
  async addOwner(groupId: string, owner: DirectoryObject, options: WriteOptions): Promise<Result<void>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().addOwner(groupId, owner.id, o));
    if (result.success) this.announce({ kind: 'ownerAdded', groupId, owner });
    await this.record('addOwner', options, { object: named(groupId, 'group', options.objectName), related: objectRef(owner) }, result, requests);
    return result;
  }

  async removeOwner(groupId: string, ownerId: string, options: WriteOptions): Promise<Result<void>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().removeOwner(groupId, ownerId, o));
    if (result.success) this.announce({ kind: 'ownerRemoved', groupId, ownerId });
    await this.record('removeOwner', options, { object: named(groupId, 'group', options.objectName), related: named(ownerId, 'object', options.relatedName) }, result, requests);
    return result;
  }

  async removeMember(groupId: string, memberId: string, options: WriteOptions): Promise<Result<void>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().removeMemberFromGroup(groupId, memberId, o));
    if (result.success) this.announce({ kind: 'memberRemoved', groupId, memberId });
    await this.record('removeMember', options, { object: named(groupId, 'group', options.objectName), related: named(memberId, 'object', options.relatedName) }, result, requests);
    return result;
  }

  async updateUser(userId: string, changes: Partial<User>, options: WriteOptions): Promise<Result<void>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().updateUser(userId, changes, o));
    if (result.success) this.announce({ kind: 'userUpdated', userId, changes: { ...changes } });
    await this.record('updateUser', options, { object: named(userId, 'user', options.objectName), ...this.beforeAfter(changes, options.before) }, result, requests);
    return result;
  }

  /** Makes `manager` the manager of `user`; both are what the caller knows of them (at least the id). */
  async setManager(user: DirectoryObject, manager: DirectoryObject, options: WriteOptions): Promise<Result<void>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().setManager(user.id, manager.id, o));
    if (result.success) this.announce({ kind: 'managerChanged', user, manager });
    await this.record('setManager', options, { object: { ...objectRef(user), kind: 'user' }, related: objectRef(manager) }, result, requests);
    return result;
  }

  async removeManager(user: DirectoryObject, options: WriteOptions): Promise<Result<void>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().removeManager(user.id, o));
    if (result.success) this.announce({ kind: 'managerChanged', user, manager: null });
    await this.record('removeManager', options, { object: { ...objectRef(user), kind: 'user' } }, result, requests);
    return result;
  }

  /**
   * Applies a desired-state plan (see `GraphClient.applyMembershipPlan`) and announces each change it made, so every
   * view follows; a member found already added or already gone changed nothing here and is not announced. Journaled
   * one entry per member change (one run id); a plan that failed after a request was sent is journaled as failed entries,
   * one refused before any request is not journaled (nothing reached the directory).
   */
  async applyMembershipPlan(group: Group, plan: MembershipPlan, options: WriteOptions): Promise<Result<MembershipApplyReport>> {
    const refused = await this.refused(options);
    if (refused) return refused;
    const { result, requests } = await this.watched(options, (o) => this.graph().applyMembershipPlan(plan, o));
    const objects = new Map([...plan.add.members, ...plan.add.owners, ...plan.remove.members, ...plan.remove.owners].map((o) => [o.id.toLowerCase(), o]));
    const runId = this.newId();
    const groupRef = objectRef({ ...group, '@odata.type': '#microsoft.graph.group' });
    const actionOf = (list: 'members' | 'owners', change: 'add' | 'remove'): JournalAction => (list === 'members' ? (change === 'add' ? 'addMember' : 'removeMember') : change === 'add' ? 'addOwner' : 'removeOwner');
    if (!result.success) {
      if (requests.length > 0) for (const [list, change, items] of [['members', 'add', plan.add.members], ['owners', 'add', plan.add.owners], ['members', 'remove', plan.remove.members], ['owners', 'remove', plan.remove.owners]] as const) {
        for (const item of items) await this.record(actionOf(list, change), options, { object: groupRef, related: objectRef(item), runId }, result, requests);
      }
      return result;
    }
    for (const o of result.data.outcomes) {
      if (o.outcome === 'alreadyDone') continue;
      const object = objects.get(o.id.toLowerCase()) ?? { id: o.id };
      if (o.outcome === 'done') {
        if (o.change === 'add') this.announce(o.list === 'members' ? { kind: 'memberAdded', group, member: object } : { kind: 'ownerAdded', groupId: group.id, owner: object });
        else this.announce(o.list === 'members' ? { kind: 'memberRemoved', groupId: group.id, memberId: o.id } : { kind: 'ownerRemoved', groupId: group.id, ownerId: o.id });
      }
      const outcome: Result<void> = o.outcome === 'done' ? { success: true, data: undefined } : { success: false, error: o.error ?? { code: ErrorCodes.partialFailure, message: '' } };
      await this.record(actionOf(o.list, o.change), options, { object: groupRef, related: objectRef(object), runId }, outcome, requests);
    }
    return result;
  }

  /** Runs a write with its requests watched (each attempt's client-request-id and Graph's request-id), for the journal. */
  private async watched<T, O extends CallOptions>(options: O & WriteOptions, call: (options: O) => Promise<Result<T>>): Promise<{ result: Result<T>; requests: RequestInfo[] }> {
    const requests: RequestInfo[] = [];
    const { surface: _surface, objectName: _objectName, relatedName: _relatedName, before: _before, action: _action, undoOf: _undoOf, recorded: _recorded, ...rest } = options;
    const callOptions = {
      ...rest,
      onRequest: (info: RequestInfo) => {
        requests.push(info);
        options.onRequest?.(info);
      },
    } as unknown as O;
    return { result: await call(callOptions), requests };
  }

  /** An update's changed fields, with their values before (from the caller) and after. */
  private beforeAfter(changes: object, before: Readonly<Record<string, unknown>> | undefined): Pick<Subject, 'before' | 'after'> {
    const after = journalValues(changes as Record<string, unknown>);
    if (!before) return { after };
    const was: Record<string, unknown> = {};
    for (const field of Object.keys(after)) was[field] = before[field] ?? null;
    return { before: journalValues(was), after };
  }

  /** Appends the change's journal entry; a journal that cannot be written is logged by the store, never a failed change. */
  private async record(action: JournalAction, options: WriteOptions, subject: Subject, result: Result<unknown>, requests: readonly RequestInfo[]): Promise<void> {
    if (!this.journal) return;
    const account = this.journal.account();
    const seen = requests.map((r) => ({ ...(r.clientRequestId ? { clientRequestId: r.clientRequestId } : {}), ...(r.requestId ? { requestId: r.requestId } : {}) }));
    const entry: JournalEntry = {
      v: 1,
      id: this.newId(),
      at: (this.journal.now?.() ?? new Date()).toISOString(),
      who: { label: account?.label ?? 'not signed in', ...(account?.userId ? { userId: account.userId } : {}), ...(account?.tenantId ? { tenantId: account.tenantId } : {}) },
      surface: options.surface,
      action,
      ...subject,
      ...outcomeOf(result.success ? undefined : result.error),
      requests: seen.slice(0, MAX_REQUESTS_PER_ENTRY),
      ...(seen.length > MAX_REQUESTS_PER_ENTRY ? { requestsTruncated: true as const } : {}),
      ...(options.undoOf ? { undoOf: options.undoOf } : {}),
    };
    await this.journal.sink.append(entry);
    try {
      options.recorded?.(entry);
    } catch (e) {
      this.log.warn(`After journaling ${action}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private newId(): string {
    return this.journal?.newId?.() ?? crypto.randomUUID();
  }

  private announce(change: DirectoryChange): void {
    try {
      this.changes.fire(change);
    } catch (e) {
      this.log.warn(`Updating the views after ${change.kind} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
