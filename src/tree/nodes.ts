import * as vscode from 'vscode';
import type { DirectoryObject, Group, Page, PageCursor, Result, User } from '../core';
import { CommandIds } from '../contributions';
import { classifyGroup, isWritableThroughGraph, type GroupClass } from '../shared/groupKinds';
import { forMarkdown, forTreeLabel } from '../shared/text';
import { groupKindIcon, groupKindLabel } from '../ui/labels';

/** A row of a directory tree. Nodes keep what they loaded, so expanding again costs no request. */
export abstract class DirectoryNode {
  constructor(readonly parent: DirectoryNode | undefined, readonly key: string) {}

  /** Unique across the view: the same user can appear under several groups. */
  get id(): string {
    return this.parent ? `${this.parent.id}/${this.key}` : this.key;
  }

  abstract getTreeItem(): vscode.TreeItem;

  getChildren(): Promise<DirectoryNode[]> {
    return Promise.resolve([]);
  }
}

export function isGroupObject(o: DirectoryObject): boolean {
  return o['@odata.type'] === '#microsoft.graph.group' || Array.isArray((o as Group).groupTypes);
}

/**
 * Text fields of directory objects are set by anyone in the tenant: tooltips show them as literal text (every
 * Markdown character escaped, one line per field) through the text policy.
 */
function tooltip(title: string, rows: Array<[string, string | null | undefined]>): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**${forMarkdown(title)}**\n\n`);
  for (const [label, value] of rows) {
    if (value === undefined || value === null || value === '') continue;
    md.appendMarkdown(`${forMarkdown(`${label}: ${value}`)}  \n`);
  }
  return md;
}

export class UserNode extends DirectoryNode {
  constructor(parent: DirectoryNode | undefined, public user: User, readonly tree: UserChildrenFactory, readonly memberOf?: string) {
    super(parent, `user:${user.id}`);
  }

  getTreeItem(): vscode.TreeItem {
    const name = forTreeLabel(this.user.displayName, this.user.userPrincipalName ?? this.user.id);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = forTreeLabel(this.user.userPrincipalName ?? this.user.mail);
    const disabled = this.user.accountEnabled === false;
    const guest = this.user.userType === 'Guest';
    item.iconPath = new vscode.ThemeIcon(disabled ? 'circle-slash' : guest ? 'person-add' : 'person');
    item.tooltip = tooltip(name, [
      [vscode.l10n.t('User principal name'), this.user.userPrincipalName],
      [vscode.l10n.t('Mail'), this.user.mail],
      [vscode.l10n.t('Job title'), this.user.jobTitle],
      [vscode.l10n.t('Department'), this.user.department],
      [vscode.l10n.t('Account'), this.user.accountEnabled === undefined ? undefined : disabled ? vscode.l10n.t('Disabled') : vscode.l10n.t('Enabled')],
      [vscode.l10n.t('Type'), this.user.userType],
      [vscode.l10n.t('Object ID'), this.user.id],
    ]);
    item.contextValue = `entraUser${this.memberOf ? '.member' : ''}`;
    // A click or Enter opens the profile; the twistie (or the arrow keys) expands the row.
    item.command = { command: CommandIds.userShowProfile, title: vscode.l10n.t('Show Profile'), arguments: [this] };
    item.accessibilityInformation = { label: `${name}${disabled ? `, ${vscode.l10n.t('disabled')}` : ''}`, role: 'treeitem' };
    return item;
  }

  override getChildren(): Promise<DirectoryNode[]> {
    return Promise.resolve(this.tree.userChildren(this));
  }
}

export class GroupNode extends DirectoryNode {
  constructor(parent: DirectoryNode | undefined, public group: Group, readonly tree: GroupChildrenFactory, readonly memberOf?: string) {
    super(parent, `group:${group.id}`);
  }

  get kind(): GroupClass {
    return classifyGroup(this.group);
  }

  getTreeItem(): vscode.TreeItem {
    const name = forTreeLabel(this.group.displayName, this.group.id);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const kind = this.kind;
    const kindText = groupKindLabel(kind);
    // The kind, and the mail address or nickname so that two groups of the same name can be told apart.
    const address = this.group.mail ?? this.group.mailNickname;
    item.description = address ? `${kindText} · ${forTreeLabel(address)}` : kindText;
    item.iconPath = new vscode.ThemeIcon(groupKindIcon(kind));
    item.tooltip = tooltip(name, [
      [vscode.l10n.t('Kind'), kindText],
      [vscode.l10n.t('Description'), this.group.description],
      [vscode.l10n.t('Mail'), this.group.mail],
      [vscode.l10n.t('Mail nickname'), this.group.mailNickname],
      [vscode.l10n.t('Visibility'), this.group.visibility],
      [vscode.l10n.t('Membership rule'), this.group.membershipRule],
      [vscode.l10n.t('Object ID'), this.group.id],
    ]);
    item.contextValue = groupContextValue(kind, this.memberOf !== undefined);
    // A click or Enter opens the group's page; the twistie (or the arrow keys) expands the row.
    item.command = { command: CommandIds.groupShow, title: vscode.l10n.t('Show Group'), arguments: [this] };
    item.accessibilityInformation = { label: `${name}, ${kindText}`, role: 'treeitem' };
    return item;
  }

  override getChildren(): Promise<DirectoryNode[]> {
    return Promise.resolve(this.tree.groupChildren(this));
  }
}

/**
 * `entraGroup.<kind>.<assigned|dynamic>.<writable|readOnly>[.member]`: the menus offer only what Graph allows on
 * the group (see package.json's `when` clauses).
 */
export function groupContextValue(kind: GroupClass, isMemberRow: boolean): string {
  const membership = kind.dynamic ? 'dynamic' : 'assigned';
  const access = isWritableThroughGraph(kind) ? 'writable' : 'readOnly';
  return `entraGroup.${kind.kind}.${membership}.${access}${isMemberRow ? '.member' : ''}`;
}

export interface UserChildrenFactory {
  userChildren(node: UserNode): DirectoryNode[];
}
export interface GroupChildrenFactory {
  groupChildren(node: GroupNode): DirectoryNode[];
}

export class MessageNode extends DirectoryNode {
  constructor(parent: DirectoryNode | undefined, key: string, private readonly text: string, private readonly icon = 'info') {
    super(parent, key);
  }

  getTreeItem(): vscode.TreeItem {
    // Message rows may quote directory text (a membership rule, a contact's name): the same policy as any label.
    const text = forTreeLabel(this.text);
    const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'entraMessage';
    item.accessibilityInformation = { label: text, role: 'treeitem' };
    return item;
  }
}

/** A list that can read its next page (or retry the failed one). */
export type ListNode = DirectoryNode & { loadMore(): Promise<void>; loadAll(): Promise<void>; reset(): void };

/** Shown instead of an empty list when Graph failed: the message, and a click retries. */
export class ErrorNode extends DirectoryNode {
  constructor(readonly owner: ListNode, private readonly message: string, private readonly code: string) {
    super(owner, 'error');
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Error: {0}', forTreeLabel(this.message, this.code)), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.description = vscode.l10n.t('click to retry');
    item.tooltip = new vscode.MarkdownString(forMarkdown(`${this.code}: ${this.message}`));
    item.contextValue = 'entraError';
    item.command = { command: CommandIds.nodeLoadMore, title: vscode.l10n.t('Retry'), arguments: [this.owner] };
    item.accessibilityInformation = { label: vscode.l10n.t('Error: {0}', forTreeLabel(this.message, this.code)), role: 'treeitem' };
    return item;
  }
}

export class LoadMoreNode extends DirectoryNode {
  constructor(readonly owner: ListNode, private readonly loaded: number, private readonly total: number | undefined) {
    super(owner, 'more');
  }

  getTreeItem(): vscode.TreeItem {
    const label = this.total !== undefined ? vscode.l10n.t('Load more ({0} of {1})', this.loaded, this.total) : vscode.l10n.t('Load more ({0} shown)', this.loaded);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.id}:${this.loaded}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'entraLoadMore';
    item.command = { command: CommandIds.nodeLoadMore, title: vscode.l10n.t('Load more'), arguments: [this.owner] };
    item.accessibilityInformation = { label, role: 'treeitem' };
    return item;
  }
}

/** Most objects "Load all" reads into a list: beyond this, search narrows better than scrolling. */
export const LOAD_ALL_LIMIT = 1000;

export class LoadAllNode extends DirectoryNode {
  constructor(readonly owner: ListNode, private readonly total: number) {
    super(owner, 'all');
  }

  getTreeItem(): vscode.TreeItem {
    const label = vscode.l10n.t('Load all {0}', this.total);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.id}:${this.total}`;
    item.iconPath = new vscode.ThemeIcon('fold-down');
    item.contextValue = 'entraLoadAll';
    item.command = { command: CommandIds.nodeLoadAll, title: label, arguments: [this.owner] };
    item.accessibilityInformation = { label, role: 'treeitem' };
    return item;
  }
}

export type PageLoader<T> = (signal: AbortSignal) => Promise<Result<Page<T>>>;
export type NextLoader<T> = (cursor: PageCursor<T>, signal: AbortSignal) => Promise<Result<Page<T>>>;

/**
 * A list read page by page: the first page on first expansion (one request), the next on "Load more…".
 * A failed page becomes an error row with retry; nothing is silently dropped.
 */
export abstract class PagedNode<T> extends DirectoryNode {
  items: T[] = [];
  private nodes = new Map<string, DirectoryNode>();
  private cursor: PageCursor<T> | undefined;
  private loaded = false;
  /** Set by {@link reload}: the next redraw reads the first page again; what is shown stays until it arrives. */
  private stale = false;
  /** The next read (a redraw after reload, or a retry after it failed) starts from the first page. */
  private fromFirstPage = false;
  private error: { code: string; message: string } | undefined;
  /** How many objects the whole list has, when Graph counted them; kept in step with local changes. */
  private count: number | undefined;
  private inflight: Promise<void> | undefined;
  private abort = new AbortController();

  constructor(parent: DirectoryNode | undefined, key: string, private readonly first: PageLoader<T>, private readonly next: NextLoader<T>) {
    super(parent, key);
  }

  protected abstract childFor(item: T): DirectoryNode;
  protected abstract emptyText(): string;
  protected abstract itemId(item: T): string;
  /** The order rows are shown in; undefined keeps Graph's order (already sorted by the request). */
  protected sortKey?(item: T): string;

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** The list's true size: Graph's count, or the number loaded once the list is complete; undefined when unknown. */
  get total(): number | undefined {
    if (this.count !== undefined) return this.count;
    return this.loaded && !this.cursor && !this.error ? this.items.length : undefined;
  }

  /** The failure of the last read, if it failed (what is loaded is still shown). */
  get failure(): { code: string; message: string } | undefined {
    return this.error;
  }

  override async getChildren(): Promise<DirectoryNode[]> {
    if (!this.loaded || this.stale) await this.load();
    return this.render();
  }

  /**
   * Rows for the loaded items. Nodes are kept per object id, so expanded children (and what they loaded)
   * survive a "Load more…" or a local change instead of being read again.
   */
  render(): DirectoryNode[] {
    const kept = new Map<string, DirectoryNode>();
    const key = this.sortKey?.bind(this);
    const ordered = key ? [...this.items].sort((a, b) => key(a).localeCompare(key(b), undefined, { sensitivity: 'base' })) : this.items;
    const rows: DirectoryNode[] = ordered.map((item) => {
      const id = this.itemId(item);
      const existing = this.nodes.get(id);
      const node = existing && updateObjectNode(existing, item) ? existing : this.childFor(item);
      kept.set(id, node);
      return node;
    });
    this.nodes = kept;
    if (this.error) rows.push(new ErrorNode(this, this.error.message, this.error.code));
    else if (this.cursor) {
      rows.push(new LoadMoreNode(this, this.items.length, this.count));
      if (this.count !== undefined && this.count <= LOAD_ALL_LIMIT) rows.push(new LoadAllNode(this, this.count));
    } else if (rows.length === 0) rows.push(new MessageNode(this, 'empty', this.emptyText()));
    return rows;
  }

  /** Reads the next page, or retries the page that failed. */
  loadMore(): Promise<void> {
    return this.load();
  }

  /** Reads every remaining page (offered only for lists of at most LOAD_ALL_LIMIT); stops at a failure. */
  async loadAll(): Promise<void> {
    do {
      await this.load();
    } while (this.cursor && !this.error && this.items.length < LOAD_ALL_LIMIT);
  }

  /** Forgets everything: the list is read from scratch when next shown. */
  reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.items = [];
    this.nodes = new Map();
    this.cursor = undefined;
    this.loaded = false;
    this.stale = false;
    this.fromFirstPage = false;
    this.error = undefined;
    this.count = undefined;
    this.inflight = undefined;
  }

  /** Reads the list again from its first page, showing what is loaded until the new page arrives (or fails). */
  reload(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.inflight = undefined;
    this.stale = true;
    this.fromFirstPage = true;
  }

  /** Local edits after a change this extension made (Graph may not show it yet); the count follows. */
  prepend(item: T): void {
    const before = this.items.length;
    this.items = [item, ...this.items.filter((i) => this.itemId(i) !== this.itemId(item))];
    if (this.items.length > before && this.count !== undefined) this.count++;
  }
  /** Adds the item at the end unless it is listed; true when added. */
  append(item: T): boolean {
    if (this.items.some((i) => this.itemId(i) === this.itemId(item))) return false;
    this.items.push(item);
    if (this.count !== undefined) this.count++;
    return true;
  }
  remove(id: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((i) => this.itemId(i) !== id);
    const removed = this.items.length !== before;
    if (removed && this.count !== undefined) this.count = Math.max(0, this.count - 1);
    return removed;
  }
  replace(id: string, update: (item: T) => T): boolean {
    let hit = false;
    this.items = this.items.map((i) => (this.itemId(i) === id ? ((hit = true), update(i)) : i));
    return hit;
  }

  private load(): Promise<void> {
    this.inflight ??= this.doLoad().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async doLoad(): Promise<void> {
    const signal = this.abort.signal;
    const at = this.fromFirstPage ? undefined : this.cursor;
    const result = at ? await this.next(at, signal) : await this.first(signal);
    if (signal.aborted) return;
    this.loaded = true;
    // A redraw does not read again by itself after a failure: the retry row does.
    this.stale = false;
    if (!result.success) {
      // Keep what is shown and the cursor: retry reads the same page again.
      this.error = { code: result.error.code, message: result.error.message };
      return;
    }
    this.error = undefined;
    this.fromFirstPage = false;
    this.items = at ? [...this.items, ...result.data.items] : result.data.items;
    if (!at) this.count = result.data.total;
    this.cursor = result.data.next;
  }
}

/** Puts fresh data into a kept user or group row; false when the row cannot be reused. */
function updateObjectNode(node: DirectoryNode, item: unknown): boolean {
  if (node instanceof UserNode) node.user = item as User;
  else if (node instanceof GroupNode) node.group = item as Group;
  else return false;
  return true;
}

/** The key rows are kept under, lower-case: Graph's ids are case-insensitive GUIDs, and change events carry them so. */
export function objectId(o: { id: string }): string {
  return o.id.toLowerCase();
}
