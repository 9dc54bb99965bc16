import * as vscode from 'vscode';
import type { DirectoryObject, Group, GraphClient, User } from '../core';
import { acceptsManualMembers, classifyGroup } from '../shared/groupKinds';
import type { DirectoryNode} from './nodes';
import { GroupNode, isGroupObject, MessageNode, objectId, PagedNode, UserNode, type GroupChildrenFactory, type NextLoader, type PageLoader, type UserChildrenFactory } from './nodes';
import type { RecentManagerChanges } from './recentManagerChanges';

export type NodeFactory = UserChildrenFactory & GroupChildrenFactory;

/** Members, owners, reports or groups of one object: a labelled, paged folder. */
abstract class FolderNode<T extends { id: string }> extends PagedNode<T> {
  constructor(
    parent: DirectoryNode,
    key: string,
    private readonly label: string,
    private readonly icon: string,
    first: PageLoader<T>,
    next: NextLoader<T>,
    protected readonly factory: NodeFactory,
  ) {
    super(parent, key, first, next);
  }

  /** "Members (142)": Graph's count of the whole list, never the number loaded. */
  getTreeItem(): vscode.TreeItem {
    const total = this.total;
    const label = total !== undefined ? `${this.label} (${total})` : this.label;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = `entraFolder.${this.key}`;
    item.accessibilityInformation = { label, role: 'treeitem' };
    return item;
  }

  protected itemId(item: T): string {
    return objectId(item);
  }

  /** Relationship lists cannot be sorted by Graph; what is loaded is shown by name. */
  protected override sortKey(item: T): string {
    const o = item as { displayName?: string | null; userPrincipalName?: unknown };
    return o.displayName ?? (typeof o.userPrincipalName === 'string' ? o.userPrincipalName : '');
  }

  /** The object this folder belongs to (a user or a group), lower-case like the ids in change events. */
  get ownerObjectId(): string {
    const p = this.parent;
    if (p instanceof UserNode) return objectId(p.user);
    if (p instanceof GroupNode) return objectId(p.group);
    return '';
  }
}

function objectNode(parent: DirectoryNode, o: DirectoryObject, factory: NodeFactory, memberOf?: string): DirectoryNode {
  if (isGroupObject(o)) return new GroupNode(parent, o, factory, memberOf);
  if (o['@odata.type'] && o['@odata.type'] !== '#microsoft.graph.user') {
    // Devices, contacts, service principals: shown by name, not expandable.
    const kind = o['@odata.type'].replace('#microsoft.graph.', '');
    return new MessageNode(parent, `obj:${o.id}`, `${o.displayName ?? o.id} (${kind})`, 'symbol-misc');
  }
  return new UserNode(parent, o, factory, memberOf);
}

export class MembersFolder extends FolderNode<DirectoryObject> {
  constructor(parent: GroupNode, graph: () => GraphClient, factory: NodeFactory, pageSize: number) {
    super(parent, 'members', vscode.l10n.t('Members'), 'person',
      (signal) => graph().groupMembersPage(parent.group.id, { pageSize, signal }),
      (c, signal) => graph().nextPage(c, { signal }), factory);
  }
  protected childFor(item: DirectoryObject): DirectoryNode {
    // A member row offers "Remove" only where Graph lets anyone remove it: not under dynamic or read-only groups.
    const removable = acceptsManualMembers(classifyGroup((this.parent as GroupNode).group));
    return objectNode(this, item, this.factory, removable ? this.ownerObjectId : undefined);
  }
  protected emptyText(): string {
    return vscode.l10n.t('No members');
  }
}

export class OwnersFolder extends FolderNode<DirectoryObject> {
  constructor(parent: GroupNode, graph: () => GraphClient, factory: NodeFactory, pageSize: number) {
    super(parent, 'owners', vscode.l10n.t('Owners'), 'key',
      (signal) => graph().groupOwnersPage(parent.group.id, { pageSize, signal }),
      (c, signal) => graph().nextPage(c, { signal }), factory);
  }
  protected childFor(item: DirectoryObject): DirectoryNode {
    return objectNode(this, item, this.factory);
  }
  protected emptyText(): string {
    return vscode.l10n.t('No owners');
  }
}

export class ManagerFolder extends FolderNode<DirectoryObject> {
  /** `recent`: manager changes made here that Graph's replicas may not answer yet. */
  constructor(parent: UserNode, graph: () => GraphClient, factory: NodeFactory, recent: RecentManagerChanges) {
    super(parent, 'manager', vscode.l10n.t('Manager'), 'arrow-up',
      async (signal) => {
        const r = await graph().getManager(parent.user.id, { signal });
        if (!r.success) return r;
        const manager = recent.managerOf(parent.user.id, r.data);
        return { success: true, data: { items: manager ? [manager] : [] } };
      },
      () => Promise.resolve({ success: true, data: { items: [] } }), factory);
  }
  protected childFor(item: DirectoryObject): DirectoryNode {
    return objectNode(this, item, this.factory);
  }
  protected emptyText(): string {
    return vscode.l10n.t('No manager');
  }
  /** After the manager was set or cleared here: the one row (or none) the folder shows now; true when it changed. */
  showOnly(manager: DirectoryObject | null): boolean {
    const current = [...this.items];
    if (manager ? current.length === 1 && this.itemId(current[0] as DirectoryObject) === manager.id : current.length === 0) return false;
    for (const item of current) this.remove(this.itemId(item));
    if (manager) this.append(manager);
    return true;
  }
}

export class DirectReportsFolder extends FolderNode<DirectoryObject> {
  /** `recent`: manager changes made here that Graph's replicas may not answer yet. */
  constructor(parent: UserNode, graph: () => GraphClient, factory: NodeFactory, pageSize: number, recent: RecentManagerChanges) {
    super(parent, 'reports', vscode.l10n.t('Direct reports'), 'arrow-down',
      async (signal) => {
        const r = await graph().directReportsPage(parent.user.id, { pageSize, signal });
        return r.success ? { success: true, data: recent.firstReportsPage(parent.user.id, r.data) } : r;
      },
      async (c, signal) => {
        const r = await graph().nextPage(c, { signal });
        return r.success ? { success: true, data: recent.laterReportsPage(r.data) } : r;
      }, factory);
  }
  protected childFor(item: DirectoryObject): DirectoryNode {
    return objectNode(this, item, this.factory);
  }
  protected emptyText(): string {
    return vscode.l10n.t('No direct reports');
  }
}

export class UserGroupsFolder extends FolderNode<Group> {
  constructor(parent: UserNode, graph: () => GraphClient, factory: NodeFactory, pageSize: number, readonly microsoft365Only: boolean) {
    super(parent, microsoft365Only ? 'm365groups' : 'groups',
      microsoft365Only ? vscode.l10n.t('Microsoft 365 groups') : vscode.l10n.t('All groups'),
      microsoft365Only ? 'organization' : 'shield',
      (signal) => graph().userGroupsPage(parent.user.id, { microsoft365Only, transitive: !microsoft365Only, pageSize, signal }),
      (c, signal) => graph().nextPage(c, { signal }), factory);
  }
  /** The user whose groups these are. */
  get owner(): User {
    return (this.parent as UserNode).user;
  }
  /** Whether this folder lists a group of this kind (the Microsoft 365 folder only those). */
  shows(group: Group): boolean {
    return !this.microsoft365Only || classifyGroup(group).kind === 'microsoft365';
  }
  protected childFor(item: Group): DirectoryNode {
    return new GroupNode(this, item, this.factory);
  }
  protected emptyText(): string {
    return this.microsoft365Only ? vscode.l10n.t('No Microsoft 365 groups') : vscode.l10n.t('No groups');
  }
}
