import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import type { WriteAction, WriteOptions } from '../directoryWrites';
import { isAlreadyMember, isLastOwnerRefusal } from '../core';
import type { DirectoryObject, GraphError, Group } from '../core/types';
import type { Services } from '../services';
import { acceptsManualMembers, classifyGroup, isWritableThroughGraph } from '../shared/groupKinds';
import { forWebview, nameOf } from '../shared/text';
import { confirmModal, showInfo } from '../ui/feedback';
import { groupKindLabel } from '../ui/labels';
import { readOnlyMessage } from '../ui/writeGuard';
import { CandidateSearch, type CandidateKinds } from './candidateSearch';
import { groupRef } from './directoryRefs';
import { wireError } from './formRules';
import { CommandIds } from '../contributions';
import { PanelBase, unexpected, type PanelMessage } from './panelBase';
import type { Panels } from './panels';
import { MAX_MEMBER_OF, type GroupListName, type GroupPageAction, type GroupPageState, type RowOutcome, type WireError } from './protocol';
import { RelationList, type NextPage } from './relationList';
import { addedOutcomes, failureReason, outcome } from './rowOutcomes';
import { uiStrings } from './uiStrings';

const PAGE = 100;

type ListMessage = Extract<PanelMessage, { type: 'listRemove' | 'listAdd' }>;

/**
 * A group's own page: its properties and counts, the groups it belongs to, and its Members and Owners lists with
 * paging, search, and adding and removing many at once. Changes made anywhere in the extension are applied as they
 * are announced; the page never re-reads right after a write.
 */
export class GroupPanel extends PanelBase {
  private readonly strings = uiStrings();
  private group: Group | undefined;
  private loading = true;
  private error: WireError | undefined;
  private memberOf: Group[] | undefined;
  private memberOfTotal: number | undefined;
  private memberOfError: WireError | undefined;
  private readonly lists: Record<GroupListName, RelationList>;
  private readonly candidates: CandidateSearch;
  private reads = new AbortController();

  constructor(services: Services, private readonly panels: Panels, private readonly groupId: string) {
    super(services, 'group', vscode.l10n.t('Group'));
    const graph = (): ReturnType<Services['graph']> => services.graph();
    const next: NextPage = (at, signal) => graph().nextPage(at, { signal });
    this.lists = {
      members: new RelationList('members', (search, signal) => graph().groupMembersPage(groupId, { pageSize: PAGE, signal, ...(search !== undefined ? { search } : {}) }), next, undefined),
      owners: new RelationList('owners', (search, signal) => graph().groupOwnersPage(groupId, { pageSize: PAGE, signal, ...(search !== undefined ? { search } : {}) }), next, undefined),
    };
    this.candidates = this.register(new CandidateSearch(services, (m) => this.post(m)));
    this.register({ dispose: () => this.reads.abort() });
    this.register({ dispose: () => Object.values(this.lists).forEach((l) => l.dispose()) });
    this.register(services.changes.onDidChange((change) => this.apply(change)));
    this.register(services.settings.onDidChange((names) => {
      if (!names.has('readOnly') || !this.group) return;
      this.setReadOnly(this.group);
      this.pushState();
    }));
    this.background(() => this.load(), (error) => this.showError(error));
  }

  protected viewState(): GroupPageState {
    const state: GroupPageState = { view: 'group', strings: this.strings, loading: this.loading, members: this.lists.members.state(), owners: this.lists.owners.state() };
    if (this.error) state.error = this.error;
    const group = this.group;
    if (group) {
      const kind = classifyGroup(group);
      const created = group.createdDateTime ? new Date(group.createdDateTime) : undefined;
      state.group = {
        id: forWebview(group.id, 128),
        displayName: forWebview(group.displayName ?? group.id),
        kind: groupKindLabel(kind),
        dynamic: kind.dynamic,
        mail: forWebview(group.mail ?? ''),
        created: created && !Number.isNaN(created.getTime()) ? created.toLocaleString(vscode.env.language) : '',
        description: forWebview(group.description ?? '', 4096),
        membershipRule: forWebview(group.membershipRule ?? '', 4096),
        editable: isWritableThroughGraph(kind) && !this.services.settings.readOnly,
        // A file, not a change: read-only mode exports too; the kinds are those whose members can be managed here.
        exportable: acceptsManualMembers(kind),
      };
    }
    if (this.services.settings.readOnly) state.readOnlyMode = true;
    if (this.memberOf) state.memberOf = this.memberOf.slice(0, MAX_MEMBER_OF).map(groupRef);
    if (this.memberOfTotal !== undefined) state.memberOfTotal = this.memberOfTotal;
    if (this.memberOfError) state.memberOfError = this.memberOfError;
    return state;
  }

  protected async handle(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'groupAction':
        return this.act(message.action);
      case 'listMore': {
        const list = this.lists[message.list];
        const loading = list.more();
        this.pushState();
        await loading;
        return this.pushState();
      }
      case 'listSearch': {
        const loading = this.lists[message.list].load(message.term.trim());
        this.pushState();
        await loading;
        return this.pushState();
      }
      case 'searchCandidates':
        if (!this.group) return this.reject('a search before the group loaded');
        return this.candidates.run(message.requestId, message.term, this.candidateKinds(message.list), this.lists[message.list]);
      case 'listRemove':
      case 'listAdd':
        return this.change(message);
      default:
        this.reject(`"${message.type}" is not handled by the group page`);
    }
  }

  protected override failed(message: PanelMessage, error: WireError): void {
    if (message.type === 'searchCandidates') this.post({ type: 'searchResult', requestId: message.requestId, users: [], error });
    else if (message.type === 'listRemove' || message.type === 'listAdd') {
      this.lists[message.list].busy = false;
      this.pushState();
      this.post({ type: 'result', requestId: message.requestId, ok: false, error });
    }
  }

  private async act(action: GroupPageAction): Promise<void> {
    if (action === 'refresh') return this.load().catch((e: unknown) => this.showError(unexpected(e)));
    const group = this.group;
    if (!group) return this.reject(`"${action}" before the group loaded`);
    switch (action) {
      case 'copyId':
        await vscode.env.clipboard.writeText(group.id);
        void showInfo(vscode.l10n.t('Copied the object ID of {0}.', nameOf(group)));
        return;
      case 'editGroup':
        if (!isWritableThroughGraph(classifyGroup(group))) return this.reject('the group cannot be edited here');
        // Opening the form says why when read-only mode (or the app's permissions) refuse it.
        this.panels.editGroup(group.id);
        return;
      case 'exportDesiredState':
        if (!acceptsManualMembers(classifyGroup(group))) return this.reject('the membership of this group cannot be managed as a file');
        // The same command as the tree row's and the palette's: one place writes the file.
        await vscode.commands.executeCommand(CommandIds.groupExportDesiredState, group.id);
        return;
      case 'nesting':
        this.panels.showNesting({ kind: 'group', id: group.id });
        return;
    }
  }

  /**
   * Members can be users or (in a security group) groups, service principals and devices; owners and Microsoft 365
   * members only users (group-post-members).
   */
  private candidateKinds(list: GroupListName): CandidateKinds {
    const kind = classifyGroup(this.group ?? { id: this.groupId });
    const security = list === 'members' && kind.kind === 'security';
    return { groups: security, servicePrincipalsAndDevices: security, exclude: this.groupId };
  }

  private async load(): Promise<void> {
    this.reads.abort();
    const controller = new AbortController();
    this.reads = controller;
    this.loading = true;
    this.pushState();
    const graph = this.services.graph();
    const group = await graph.getGroup(this.groupId, { signal: controller.signal });
    if (controller.signal.aborted) return;
    if (!group.success) return this.showError(wireError(group.error, []));
    this.group = group.data;
    this.error = undefined;
    this.panel.title = vscode.l10n.t('Group: {0}', nameOf(group.data));
    this.setReadOnly(group.data);
    const [memberOf] = await Promise.all([
      graph.groupMemberOfPage(this.groupId, { pageSize: MAX_MEMBER_OF, signal: controller.signal }),
      this.lists.members.load(''),
      this.lists.owners.load(''),
    ]);
    if (controller.signal.aborted) return;
    this.loading = false;
    if (memberOf.success) {
      this.memberOf = memberOf.data.items;
      this.memberOfTotal = memberOf.data.total;
      this.memberOfError = undefined;
    } else {
      this.memberOf = undefined;
      this.memberOfError = wireError(memberOf.error, []);
    }
    this.pushState();
  }

  /**
   * The lists show without their add and remove controls where Graph does not let anyone change them, or read-only
   * mode is on, and say why.
   */
  private setReadOnly(group: Group): void {
    if (this.services.settings.readOnly) {
      this.lists.owners.readOnly = readOnlyMessage();
      this.lists.members.readOnly = readOnlyMessage();
      return;
    }
    const kind = classifyGroup(group);
    const label = groupKindLabel(kind);
    const exchange = isWritableThroughGraph(kind) ? undefined : vscode.l10n.t('{0} groups are managed in Exchange: their members and owners cannot be changed here.', label);
    this.lists.owners.readOnly = exchange;
    this.lists.members.readOnly = exchange ?? (acceptsManualMembers(kind) ? undefined : vscode.l10n.t("Members come from the group's membership rule; they cannot be added or removed by hand."));
  }

  private showError(error: WireError): void {
    this.loading = false;
    this.error = error;
    this.pushState();
  }

  /** Removes or adds what the page chose, one outcome per row; announced changes update the lists as they happen. */
  private async change(message: ListMessage): Promise<void> {
    const list = this.lists[message.list];
    const group = this.group;
    if (!group) return this.reject('a change before the group loaded');
    if (list.readOnly) return this.reject(`the ${message.list} of this group cannot be changed here`);
    if (list.busy) return this.reject('a change is already running');
    const targets = message.type === 'listRemove' ? message.ids.map((id) => list.find(id)) : message.ids.map((id) => this.candidates.offered(id));
    if (targets.some((t) => t === undefined)) return this.reject(`${message.type} names an object the page was not shown`);
    const objects = targets as DirectoryObject[];
    if (message.type === 'listRemove' && !(await this.confirmRemoval(group, message.list, objects))) {
      this.post({ type: 'result', requestId: message.requestId, ok: true, message: '' });
      return;
    }
    list.busy = true;
    list.outcomes = undefined;
    this.pushState();
    let outcomes: RowOutcome[];
    try {
      // One page action, however many rows: a production profile asks once for all of them.
      const action = this.services.writes.action();
      outcomes = message.type === 'listRemove' ? await this.remove(group, message.list, objects, action) : await this.add(group, message.list, objects, action);
    } finally {
      list.busy = false;
    }
    list.outcomes = outcomes;
    const done = outcomes.filter((o) => o.done).length;
    const summary = message.type === 'listRemove' ? vscode.l10n.t('Removed {0} of {1}.', done, outcomes.length) : vscode.l10n.t('Added {0} of {1}.', done, outcomes.length);
    // The answer first: the page lets go of its selection, then rebuilds from the state that reports each row.
    this.post({ type: 'result', requestId: message.requestId, ok: true, message: summary });
    this.pushState();
  }

  /**
   * One confirmation naming the count and the group. Removing every owner of a Microsoft 365 group first says what
   * that means: Graph keeps the last one (group-delete-owners), and a group without owners is managed by admins only.
   */
  private confirmRemoval(group: Group, list: GroupListName, objects: DirectoryObject[]): Promise<boolean> {
    const name = nameOf(group);
    const count = objects.length;
    if (list === 'members') {
      const question = count === 1 ? vscode.l10n.t('Remove "{0}" from "{1}"?', nameOf(objects[0] as DirectoryObject), name) : vscode.l10n.t('Remove {0} members from "{1}"?', count, name);
      return confirmModal(question, vscode.l10n.t('Only the memberships are removed; the members themselves stay in the directory.'), vscode.l10n.t('Remove'));
    }
    const question = count === 1 ? vscode.l10n.t('Remove "{0}" as an owner of "{1}"?', nameOf(objects[0] as DirectoryObject), name) : vscode.l10n.t('Remove {0} owners of "{1}"?', count, name);
    const owners = this.lists.owners.wholeCount;
    const leavesNone = owners !== undefined && count >= owners;
    const detail = leavesNone && classifyGroup(group).kind === 'microsoft365'
      ? vscode.l10n.t("This would leave the Microsoft 365 group without an owner: nobody but administrators could then manage its members, settings, conversations and files. Microsoft Graph does not remove a group's last owner, so one of them stays an owner.")
      : vscode.l10n.t('Only the ownership is removed; the people stay in the directory (and members stay members).');
    return confirmModal(question, detail, vscode.l10n.t('Remove'));
  }

  /** What the journal is told of a change made on this page (the names it shows), and the action it belongs to. */
  private journalNote(group: Group, o: DirectoryObject, action: WriteAction): WriteOptions {
    return { action, surface: 'form', objectName: group.displayName ?? undefined, relatedName: typeof o.displayName === 'string' ? o.displayName : undefined };
  }

  private async remove(group: Group, list: GroupListName, objects: DirectoryObject[], action: WriteAction): Promise<RowOutcome[]> {
    const outcomes: RowOutcome[] = [];
    for (const o of objects) {
      const result = list === 'members' ? await this.services.writes.removeMember(group.id, o.id, this.journalNote(group, o, action))
        : await this.services.writes.removeOwner(group.id, o.id, this.journalNote(group, o, action));
      outcomes.push(result.success
        ? outcome(o, true, vscode.l10n.t('Removed.'))
        : outcome(o, false, this.reason(result.error, group, list === 'members' ? 'removeMember' : 'removeOwner')));
    }
    return outcomes;
  }

  private async add(group: Group, list: GroupListName, objects: DirectoryObject[], action: WriteAction): Promise<RowOutcome[]> {
    if (list === 'owners') {
      const outcomes: RowOutcome[] = [];
      for (const o of objects) {
        const result = await this.services.writes.addOwner(group.id, o, this.journalNote(group, o, action));
        if (result.success) outcomes.push(outcome(o, true, vscode.l10n.t('Added.')));
        else if (isAlreadyMember(result.error)) outcomes.push(outcome(o, false, vscode.l10n.t('Already an owner.')));
        else outcomes.push(outcome(o, false, this.reason(result.error, group, 'addOwner')));
      }
      return outcomes;
    }
    const result = await this.services.writes.addMembers(group, objects, { action, surface: 'form' });
    return addedOutcomes(objects, result, (error) => this.reason(error, group, 'addMember'));
  }

  /** Why a row's change failed, in the admin's words where the refusal is known. */
  private reason(error: GraphError, group: Group, operation: 'addMember' | 'removeMember' | 'addOwner' | 'removeOwner'): string {
    if (operation === 'removeOwner' && isLastOwnerRefusal(error)) {
      return vscode.l10n.t('Not removed: a group that has owners must keep at least one. Add another owner first.');
    }
    return failureReason(this.services, 'Group page', error, group, operation);
  }

  /** Changes announced by any surface of the extension, applied to what the page shows. */
  private apply(change: DirectoryChange): void {
    const id = this.groupId.toLowerCase();
    let changed = false;
    switch (change.kind) {
      case 'groupDeleted':
        if (change.groupId === id) return this.dispose();
        changed = this.dropMemberOf(change.groupId);
        break;
      case 'groupUpdated':
        if (change.groupId === id && this.group) {
          this.group = { ...this.group, ...change.changes, id: this.group.id };
          this.panel.title = vscode.l10n.t('Group: {0}', nameOf(this.group));
          changed = true;
        }
        if (this.memberOf?.some((g) => g.id.toLowerCase() === change.groupId)) {
          this.memberOf = this.memberOf.map((g) => (g.id.toLowerCase() === change.groupId ? { ...g, ...change.changes, id: g.id } : g));
          changed = true;
        }
        break;
      case 'memberAdded':
        if (change.group.id === id) changed = this.lists.members.added(change.member);
        if (change.member.id === id && this.memberOf && !this.memberOf.some((g) => g.id.toLowerCase() === change.group.id)) {
          this.memberOf = [...this.memberOf, change.group];
          if (this.memberOfTotal !== undefined) this.memberOfTotal++;
          changed = true;
        }
        break;
      case 'memberRemoved':
        if (change.groupId === id) changed = this.lists.members.removed(change.memberId);
        if (change.memberId === id) changed = this.dropMemberOf(change.groupId) || changed;
        break;
      case 'ownerAdded':
        if (change.groupId === id) changed = this.lists.owners.added(change.owner);
        break;
      case 'ownerRemoved':
        if (change.groupId === id) changed = this.lists.owners.removed(change.ownerId);
        break;
      case 'userUpdated':
        changed = this.lists.members.updated(change.userId, change.changes);
        changed = this.lists.owners.updated(change.userId, change.changes) || changed;
        break;
      case 'groupCreated':
        break;
    }
    if (changed) this.pushState();
  }

  private dropMemberOf(groupId: string): boolean {
    if (!this.memberOf?.some((g) => g.id.toLowerCase() === groupId)) return false;
    this.memberOf = this.memberOf.filter((g) => g.id.toLowerCase() !== groupId);
    if (this.memberOfTotal !== undefined) this.memberOfTotal = Math.max(0, this.memberOfTotal - 1);
    return true;
  }
}
