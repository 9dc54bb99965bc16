import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import { FRESH_FOR_MS } from '../cache/localDirectory';
import { isLocalCursor, type LocalList, localGroupsList, localGroupsMore, localGroupsPage, localUsersList, localUsersMore, localUsersPage } from '../cache/localPages';
import type { DeletedGroup, Group, Page, Result, User } from '../core';
import { isWritableThroughGraph, classifyGroup } from '../shared/groupKinds';
import type { Services } from '../services';
import { showGraphError } from '../ui/feedback';
import { DeletedGroupsFolder } from './deletedGroups';
import { DirectReportsFolder, ManagerFolder, MembersFolder, OwnersFolder, UserGroupsFolder, type NodeFactory } from './folders';
import type { DirectoryNode } from './nodes';
import { GroupNode, MessageNode, objectId, PagedNode, UserNode, type ListNode } from './nodes';
import { RecentManagerChanges } from './recentManagerChanges';

/** What a view's title area says of its list. */
export interface ListSummary {
  loaded: number;
  /** Graph's count of the whole list (with the search, when one is active). */
  total?: number;
  search?: string;
}

/** A search answered from the cached directory lists this many matches at most (and counts them all): it costs no request. */
const LOCAL_SEARCH_MAX = 999;

class UsersList extends PagedNode<User> {
  constructor(private readonly provider: DirectoryTreeProvider, search: string | undefined, services: Services) {
    super(undefined, search ? `users?${search}` : 'users',
      async (signal) =>
        (search
          ? await localUsersPage(services.localDirectory, search, LOCAL_SEARCH_MAX, services.settings.showDisabled, FRESH_FOR_MS.opening)
          : provider.fromCache(await localUsersList(services.localDirectory, services.settings.pageSize, services.settings.showDisabled, FRESH_FOR_MS.keystroke))) ??
        services.graph().usersPage({ includeDisabled: services.settings.showDisabled, ...(search ? { search } : {}), pageSize: services.settings.pageSize, signal }),
      async (c, signal) =>
        isLocalCursor(c)
          ? localUsersMore(services.localDirectory, services.settings.pageSize, services.settings.showDisabled, c)
          : services.graph().nextPage(c, { signal }));
  }
  getTreeItem(): vscode.TreeItem {
    return new vscode.TreeItem('users');
  }
  protected childFor(item: User): DirectoryNode {
    return new UserNode(undefined, item, this.provider);
  }
  protected emptyText(): string {
    return vscode.l10n.t('No users found');
  }
  protected itemId(item: User): string {
    return objectId(item);
  }
}

class GroupsList extends PagedNode<Group> {
  constructor(private readonly provider: DirectoryTreeProvider, search: string | undefined, services: Services) {
    super(undefined, search ? `groups?${search}` : 'groups',
      async (signal) =>
        (search
          ? await localGroupsPage(services.localDirectory, search, LOCAL_SEARCH_MAX, FRESH_FOR_MS.opening)
          : provider.fromCache(await localGroupsList(services.localDirectory, services.settings.pageSize, FRESH_FOR_MS.keystroke))) ??
        services.graph().groupsPage({ ...(search ? { search } : {}), pageSize: services.settings.pageSize, signal }),
      async (c, signal) =>
        isLocalCursor(c)
          ? localGroupsMore(services.localDirectory, services.settings.pageSize, c)
          : services.graph().nextPage(c, { signal }));
  }
  getTreeItem(): vscode.TreeItem {
    return new vscode.TreeItem('groups');
  }
  protected childFor(item: Group): DirectoryNode {
    return new GroupNode(undefined, item, this.provider);
  }
  protected emptyText(): string {
    return vscode.l10n.t('No groups found');
  }
  protected itemId(item: Group): string {
    return objectId(item);
  }
}

/**
 * One provider class for both views (`users` or `groups` root). Children are created once per node and kept,
 * so a refresh of one node re-reads only that node, and local changes patch what is loaded.
 */
export class DirectoryTreeProvider implements vscode.TreeDataProvider<DirectoryNode>, NodeFactory, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DirectoryNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private root: UsersList | GroupsList;
  /** The Groups view's "Recently deleted" folder (shown after the list, not while searching); undefined in Users. */
  private deleted: DeletedGroupsFolder | undefined;
  private search: string | undefined;
  private readonly childCache = new WeakMap<DirectoryNode, DirectoryNode[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Managers set or cleared here, laid over Graph's lagging answers when a Manager or Direct reports folder is read. */
  private readonly recentManagers: RecentManagerChanges;

  private readonly summaryEmitter = new vscode.EventEmitter<ListSummary>();
  /** Fires when the view's total, loaded count or search changes (for the view's description and message). */
  readonly onDidChangeSummary = this.summaryEmitter.event;
  /** The root failure already shown as a notification, so a redraw does not show it again. */
  private notified: unknown;

  /** `now`: the clock the replication window of manager changes is measured by. */
  constructor(readonly kind: 'users' | 'groups', private readonly services: Services, now: () => number = Date.now) {
    this.recentManagers = new RecentManagerChanges(now);
    this.root = this.makeRoot();
    this.deleted = this.makeDeletedFolder();
    this.subscriptions.push(services.changes.onDidChange((c) => this.apply(c)));
    // Another account may see another tenant: nothing loaded, and no change made under the previous one, is kept.
    this.subscriptions.push(services.auth.onDidChangeAccount(() => {
      this.recentManagers.clear();
      this.restart();
    }));
  }

  /** The view's list as its title area shows it. */
  get summary(): ListSummary {
    return { loaded: this.root.items.length, ...(this.root.total !== undefined ? { total: this.root.total } : {}), ...(this.search ? { search: this.search } : {}) };
  }

  get searchText(): string | undefined {
    return this.search;
  }

  setSearch(text: string | undefined): void {
    this.search = text?.trim() ? text.trim() : undefined;
    this.restart();
  }

  getTreeItem(node: DirectoryNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: DirectoryNode): DirectoryNode | undefined {
    return node.parent === this.root ? undefined : node.parent;
  }

  async getChildren(node?: DirectoryNode): Promise<DirectoryNode[]> {
    if (!node) {
      if (!this.services.auth.account) {
        const account = await this.services.auth.trySilentSignIn();
        // Signed out: the view's welcome content offers sign-in.
        if (!account) return [];
      }
      const rows = await this.root.getChildren();
      this.rootRead();
      // Shown below the list once it was read: not while searching, and not under a failed read's error row.
      return this.deleted && !this.search && !this.root.failure ? [...rows, this.deleted] : rows;
    }
    if (node instanceof PagedNode) {
      // A folder's row shows the list's count ("Members (3)"), known only once the list is read — and the editor draws
      // the row before it asks for the children. Draw the row again when this read changed the count.
      const before = node.total;
      const rows = await node.getChildren();
      if (node.total !== before) this.emitter.fire(node);
      return rows;
    }
    const cached = this.childCache.get(node);
    if (cached) return cached;
    const children = await node.getChildren();
    this.childCache.set(node, children);
    return children;
  }

  // NodeFactory: the fixed children of users and groups.
  userChildren(node: UserNode): DirectoryNode[] {
    const graph = (): ReturnType<Services['graph']> => this.services.graph();
    const size = this.services.settings.pageSize;
    return [
      new ManagerFolder(node, graph, this, this.recentManagers),
      new DirectReportsFolder(node, graph, this, size, this.recentManagers),
      new UserGroupsFolder(node, graph, this, size, true),
      new UserGroupsFolder(node, graph, this, size, false),
    ];
  }

  groupChildren(node: GroupNode): DirectoryNode[] {
    const graph = (): ReturnType<Services['graph']> => this.services.graph();
    const size = this.services.settings.pageSize;
    const rows: DirectoryNode[] = [new MembersFolder(node, graph, this, size), new OwnersFolder(node, graph, this, size)];
    if (node.kind.dynamic && node.group.membershipRule) {
      rows.push(new MessageNode(node, 'rule', vscode.l10n.t('Rule: {0}', node.group.membershipRule), 'filter'));
    }
    return rows;
  }

  /** Whether a node belongs to this view. */
  owns(node: DirectoryNode): boolean {
    let top = node;
    while (top.parent) top = top.parent;
    if (top === this.root || (this.deleted !== undefined && top === this.deleted)) return true;
    return (top instanceof UserNode || top instanceof GroupNode) && top.tree === this;
  }

  /**
   * Re-reads one node (or the whole view), showing what is loaded until the new answer arrives. The whole view listed
   * from the cached directory first brings the copy up to date (its delta), so a refresh shows what others changed.
   */
  refresh(node?: DirectoryNode): void {
    if (!node || node === this.root) {
      this.services.localDirectory?.refresh(FRESH_FOR_MS.opening);
      this.root.reload();
      this.deleted?.reload();
      this.emitter.fire(undefined);
      return;
    }
    if (node instanceof PagedNode) node.reload();
    else this.childCache.delete(node);
    this.emitter.fire(node);
  }

  /**
   * A view's first page from the cache. When it is the page saved with the copy (a warm start, while the copy is
   * read), the view lists again once the copy is up to date, if that changed its first page.
   */
  fromCache<T>(list: LocalList<T> | undefined): Result<Page<T>> | undefined {
    void list?.changed?.then((changed) => {
      // Read again from the copy just brought up to date: no delta round of its own, unlike Refresh.
      if (changed && !this.search) {
        this.root.reload();
        this.emitter.fire(undefined);
      }
    });
    return list?.result;
  }

  async loadMore(node: ListNode): Promise<void> {
    await node.loadMore();
    this.afterRead(node);
  }

  async loadAll(node: ListNode): Promise<void> {
    await node.loadAll();
    this.afterRead(node);
  }

  private afterRead(node: ListNode): void {
    if (node === this.root) this.rootRead();
    this.emitter.fire(node === this.root ? undefined : node);
  }

  /** A new list (another search, another account): what was loaded no longer applies. */
  private restart(): void {
    this.root.reset();
    this.root = this.makeRoot();
    this.deleted?.reset();
    this.notified = undefined;
    this.emitter.fire(undefined);
    this.summaryEmitter.fire(this.summary);
  }

  /** After the root list was read: the title area follows, and a new failure gets one short notification. */
  private rootRead(): void {
    this.summaryEmitter.fire(this.summary);
    const failure = this.root.failure;
    if (!failure || failure === this.notified) return;
    this.notified = failure;
    showGraphError(this.services.log, this.kind === 'users' ? vscode.l10n.t('Could not load the users') : vscode.l10n.t('Could not load the groups'), failure);
  }

  /**
   * Applies a change this extension made to every loaded row and list that shows an affected object: the object's
   * own rows, the group's Members folder, the member's groups folders, the view's list, and the counts they show.
   */
  apply(change: DirectoryChange): void {
    // Folders read later lay it over Graph's answers until replication has surely caught up.
    if (change.kind === 'managerChanged') this.recentManagers.record(change.user, change.manager);
    const touched = new Set<DirectoryNode>();
    // A deleted group moves to "Recently deleted": what is loaded of it is read before its rows are dropped.
    const deletedGroup = change.kind === 'groupDeleted' ? this.knownGroup({ id: change.groupId }) : undefined;
    const visit = (node: DirectoryNode): void => {
      if (node instanceof UserNode && change.kind === 'userUpdated' && objectId(node.user) === change.userId) {
        node.user = { ...node.user, ...change.changes };
        touched.add(node);
      }
      if (node instanceof GroupNode && change.kind === 'groupUpdated' && objectId(node.group) === change.groupId) {
        node.group = { ...node.group, ...change.changes };
        touched.add(node);
      }
      if (node instanceof PagedNode) {
        if (node.isLoaded && this.applyToList(node as PagedNode<{ id: string }>, change)) touched.add(node);
        for (const child of node.isLoaded ? node.render() : []) visit(child);
        return;
      }
      for (const child of this.childCache.get(node) ?? []) visit(child);
    };
    visit(this.root);
    if (this.deleted?.isLoaded && this.applyToDeleted(this.deleted, change, deletedGroup)) touched.add(this.deleted);
    if (touched.has(this.root)) {
      this.emitter.fire(undefined);
      this.summaryEmitter.fire(this.summary);
      return;
    }
    for (const node of touched) this.emitter.fire(node);
  }

  /** Patches one loaded list; true when it changed. Ids in changes are lower-case, as `objectId` returns them. */
  private applyToList(list: PagedNode<{ id: string }>, change: DirectoryChange): boolean {
    switch (change.kind) {
      case 'groupCreated': {
        if (list instanceof GroupsList) {
          if (this.search) return false;
          list.prepend(change.group);
          return true;
        }
        if (list instanceof UserGroupsFolder && this.isAmong(list, change.memberKeys) && list.shows(change.group)) return list.append(change.group);
        return false;
      }
      case 'groupDeleted':
        return list.remove(change.groupId);
      case 'groupRestored':
        // Back in the list; the members' own group lists show it on their next read (who they are is not known here).
        if (list instanceof GroupsList && !this.search) {
          list.prepend(change.group);
          return true;
        }
        return false;
      case 'groupUpdated':
        return list.replace(change.groupId, (g) => ({ ...g, ...change.changes }));
      case 'userUpdated': {
        if (list instanceof UsersList && change.changes.accountEnabled === false && !this.services.settings.showDisabled) return list.remove(change.userId);
        return list.replace(change.userId, (u) => ({ ...u, ...change.changes }));
      }
      case 'memberAdded': {
        if (list instanceof MembersFolder && list.ownerObjectId === change.group.id) return list.append(change.member);
        if (list instanceof UserGroupsFolder && list.ownerObjectId === change.member.id && list.shows(change.group)) return list.append(this.knownGroup(change.group));
        return false;
      }
      case 'memberRemoved': {
        if (list instanceof MembersFolder && list.ownerObjectId === change.groupId) return list.remove(change.memberId);
        // The direct membership is gone; a membership through a nested group shows again on the next read.
        if (list instanceof UserGroupsFolder && list.ownerObjectId === change.memberId) return list.remove(change.groupId);
        return false;
      }
      case 'managerChanged': {
        const { user, manager } = change;
        if (list instanceof ManagerFolder && list.ownerObjectId === user.id) return list.showOnly(manager);
        if (!(list instanceof DirectReportsFolder)) return false;
        // The user reports to the new manager only; the previous manager's folder (whoever it was) drops the row.
        return list.ownerObjectId === manager?.id ? list.append(user) : list.remove(user.id);
      }
      case 'ownerAdded':
        return list instanceof OwnersFolder && list.ownerObjectId === change.groupId && list.append(change.owner);
      case 'ownerRemoved':
        return list instanceof OwnersFolder && list.ownerObjectId === change.groupId && list.remove(change.ownerId);
    }
  }

  /** "Recently deleted" after a delete (the group appears, dated now) or a restore (it leaves); true when it changed. */
  private applyToDeleted(folder: DeletedGroupsFolder, change: DirectoryChange, deleted: Group | undefined): boolean {
    if (change.kind === 'groupRestored') return folder.remove(change.group.id);
    if (change.kind !== 'groupDeleted' || !deleted) return false;
    // Only groups Graph keeps go there; a group of unknown kind (only its id is loaded) is shown by id.
    if (deleted.groupTypes !== undefined && !isWritableThroughGraph(classifyGroup(deleted))) return false;
    const entry: DeletedGroup = { ...deleted, id: change.groupId, deletedDateTime: new Date().toISOString() };
    folder.prepend(entry);
    return true;
  }

  /** Whether the user a folder belongs to is one of `keys` (lower-case ids or UPNs). */
  private isAmong(folder: UserGroupsFolder, keys: readonly string[]): boolean {
    const user = folder.owner;
    return keys.includes(objectId(user)) || (typeof user.userPrincipalName === 'string' && keys.includes(user.userPrincipalName.toLowerCase()));
  }

  /** The fullest copy of a group this view has loaded (a change may carry only its id). */
  private knownGroup(group: Group): Group {
    if (group.displayName !== undefined) return group;
    let found: Group | undefined;
    const visit = (node: DirectoryNode): void => {
      if (found) return;
      if (node instanceof GroupNode && objectId(node.group) === group.id) found = node.group;
      const children = node instanceof PagedNode ? (node.isLoaded ? node.render() : []) : (this.childCache.get(node) ?? []);
      for (const child of children) visit(child);
    };
    visit(this.root);
    return found ? { ...found, ...group, id: found.id } : group;
  }

  private makeDeletedFolder(): DeletedGroupsFolder | undefined {
    return this.kind === 'groups' ? new DeletedGroupsFolder(() => this.services.graph()) : undefined;
  }

  private makeRoot(): UsersList | GroupsList {
    return this.kind === 'users' ? new UsersList(this, this.search, this.services) : new GroupsList(this, this.search, this.services);
  }

  dispose(): void {
    this.root.reset();
    this.deleted?.reset();
    this.emitter.dispose();
    this.summaryEmitter.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
