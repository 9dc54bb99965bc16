import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import type { Group, User } from '../core';
import type { Services } from '../services';
import { DirectReportsFolder, ManagerFolder, MembersFolder, OwnersFolder, UserGroupsFolder, type NodeFactory } from './folders';
import type { DirectoryNode} from './nodes';
import { GroupNode, MessageNode, objectId, PagedNode, UserNode, type ListNode } from './nodes';

export interface TreeSettings {
  pageSize(): number;
  showDisabled(): boolean;
}

class UsersList extends PagedNode<User> {
  constructor(private readonly provider: DirectoryTreeProvider, search: string | undefined, settings: TreeSettings, services: Services) {
    super(undefined, search ? `users?${search}` : 'users',
      (signal) => services.graph().usersPage({ includeDisabled: settings.showDisabled(), ...(search ? { search } : {}), pageSize: settings.pageSize(), signal }),
      (c, signal) => services.graph().nextPage(c, { signal }));
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
  constructor(private readonly provider: DirectoryTreeProvider, search: string | undefined, settings: TreeSettings, services: Services) {
    super(undefined, search ? `groups?${search}` : 'groups',
      (signal) => services.graph().groupsPage({ ...(search ? { search } : {}), pageSize: settings.pageSize(), signal }),
      (c, signal) => services.graph().nextPage(c, { signal }));
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
  private search: string | undefined;
  private readonly childCache = new WeakMap<DirectoryNode, DirectoryNode[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(readonly kind: 'users' | 'groups', private readonly services: Services, private readonly settings: TreeSettings) {
    this.root = this.makeRoot();
    this.subscriptions.push(services.changes.onDidChange((c) => this.apply(c)));
    this.subscriptions.push(services.auth.onDidChangeAccount(() => this.refresh()));
  }

  get searchText(): string | undefined {
    return this.search;
  }

  setSearch(text: string | undefined): void {
    this.search = text?.trim() ? text.trim() : undefined;
    this.refresh();
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
      return this.root.getChildren();
    }
    if (node instanceof PagedNode) return node.getChildren();
    const cached = this.childCache.get(node);
    if (cached) return cached;
    const children = await node.getChildren();
    this.childCache.set(node, children);
    return children;
  }

  // NodeFactory: the fixed children of users and groups.
  userChildren(node: UserNode): DirectoryNode[] {
    const graph = (): ReturnType<Services['graph']> => this.services.graph();
    const size = this.settings.pageSize();
    return [
      new ManagerFolder(node, graph, this),
      new DirectReportsFolder(node, graph, this, size),
      new UserGroupsFolder(node, graph, this, size, true),
      new UserGroupsFolder(node, graph, this, size, false),
    ];
  }

  groupChildren(node: GroupNode): DirectoryNode[] {
    const graph = (): ReturnType<Services['graph']> => this.services.graph();
    const size = this.settings.pageSize();
    const rows: DirectoryNode[] = [new MembersFolder(node, graph, this, size), new OwnersFolder(node, graph, this, size)];
    if (node.kind === 'dynamic' && node.group.membershipRule) {
      rows.push(new MessageNode(node, 'rule', vscode.l10n.t('Rule: {0}', node.group.membershipRule.replace(/[\r\n]+/g, ' ')), 'filter'));
    }
    return rows;
  }

  /** Whether a node belongs to this view. */
  owns(node: DirectoryNode): boolean {
    let top = node;
    while (top.parent) top = top.parent;
    if (top === this.root) return true;
    return (top instanceof UserNode || top instanceof GroupNode) && top.tree === this;
  }

  /** Re-reads one node (or the whole view). */
  refresh(node?: DirectoryNode): void {
    if (!node || node === this.root) {
      this.root.reset();
      this.root = this.makeRoot();
      this.emitter.fire(undefined);
      return;
    }
    if (node instanceof PagedNode) node.reset();
    else this.childCache.delete(node);
    this.emitter.fire(node);
  }

  async loadMore(node: ListNode): Promise<void> {
    await node.loadMore();
    this.emitter.fire(node === this.root ? undefined : node);
  }

  /** Applies a change this extension made to the nodes already loaded. */
  apply(change: DirectoryChange): void {
    const touched = new Set<DirectoryNode | undefined>();
    const visit = (node: DirectoryNode): void => {
      if (node instanceof UserNode && change.kind === 'userUpdated' && node.user.id === change.userId) {
        node.user = { ...node.user, ...change.changes };
        touched.add(node);
      }
      if (node instanceof GroupNode && change.kind === 'groupUpdated' && node.group.id === change.groupId) {
        node.group = { ...node.group, ...change.changes };
        touched.add(node);
      }
      if (node instanceof PagedNode) {
        this.applyToList(node as PagedNode<{ id: string }>, change, touched);
        for (const child of node.isLoaded ? node.render() : []) visit(child);
        return;
      }
      for (const child of this.childCache.get(node) ?? []) visit(child);
    };
    visit(this.root);
    if (touched.has(this.root)) {
      this.emitter.fire(undefined);
      return;
    }
    for (const node of touched) this.emitter.fire(node);
  }

  private applyToList(list: PagedNode<{ id: string }>, change: DirectoryChange, touched: Set<DirectoryNode | undefined>): void {
    const items = list;
    switch (change.kind) {
      case 'groupCreated':
        if (list instanceof GroupsList && !this.search) {
          items.prepend(change.group);
          touched.add(list);
        }
        break;
      case 'groupDeleted':
        if (items.remove(change.groupId)) touched.add(list);
        break;
      case 'groupUpdated':
        if (list instanceof GroupsList && items.replace(change.groupId, (g) => ({ ...g, ...change.changes }))) touched.add(list);
        break;
      case 'userUpdated':
        if (list instanceof UsersList && items.replace(change.userId, (u) => ({ ...u, ...change.changes }))) touched.add(list);
        break;
      case 'memberAdded':
        if (list instanceof MembersFolder && list.ownerObjectId === change.groupId && list.isLoaded) {
          items.append(change.member);
          touched.add(list);
        }
        break;
      case 'memberRemoved':
        if (list instanceof MembersFolder && list.ownerObjectId === change.groupId && items.remove(change.memberId)) touched.add(list);
        if (list instanceof UserGroupsFolder && list.ownerObjectId === change.memberId && items.remove(change.groupId)) touched.add(list);
        break;
    }
  }

  private makeRoot(): UsersList | GroupsList {
    return this.kind === 'users' ? new UsersList(this, this.search, this.settings, this.services) : new GroupsList(this, this.search, this.settings, this.services);
  }

  dispose(): void {
    this.root.reset();
    this.emitter.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
