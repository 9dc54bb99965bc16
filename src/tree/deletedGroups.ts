import * as vscode from 'vscode';
import type { DeletedGroup, GraphClient } from '../core';
import { daysLeftToRestore } from '../core';
import { classifyGroup } from '../shared/groupKinds';
import { forMarkdown, forTreeLabel } from '../shared/text';
import { groupKindLabel } from '../ui/labels';
import { DirectoryNode, objectId, PagedNode } from './nodes';

/** "deleted 2026-12-07 · 29 days left": when, and how long it can still be restored (30 days, as Graph keeps it). */
export function deletedGroupDescription(group: DeletedGroup, now: number): string {
  const days = daysLeftToRestore(group.deletedDateTime, now);
  if (days === undefined) return group.deletedDateTime ? vscode.l10n.t('deleted {0}', forTreeLabel(group.deletedDateTime)) : vscode.l10n.t('deleted (date unknown)');
  const date = forTreeLabel((group.deletedDateTime ?? '').slice(0, 10));
  if (days === 0) return vscode.l10n.t('deleted {0} · last day to restore', date);
  return days === 1 ? vscode.l10n.t('deleted {0} · 1 day left', date) : vscode.l10n.t('deleted {0} · {1} days left', date, days);
}

/** One deleted group: its name, kind, deletion date and days left; the context menu offers Restore. */
export class DeletedGroupNode extends DirectoryNode {
  constructor(parent: DirectoryNode, public group: DeletedGroup, private readonly now: () => number) {
    super(parent, `deleted:${group.id}`);
  }

  getTreeItem(): vscode.TreeItem {
    const name = forTreeLabel(this.group.displayName, this.group.id);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const kind = groupKindLabel(classifyGroup(this.group));
    const when = deletedGroupDescription(this.group, this.now());
    item.description = `${kind} · ${when}`;
    item.iconPath = new vscode.ThemeIcon('trash');
    const md = new vscode.MarkdownString('', false);
    md.isTrusted = false;
    md.appendMarkdown(`**${forMarkdown(name)}**\n\n${forMarkdown(`${kind} · ${when}`)}  \n${forMarkdown(vscode.l10n.t('Object ID: {0}', this.group.id))}`);
    item.tooltip = md;
    item.contextValue = 'entraDeletedGroup';
    item.accessibilityInformation = { label: `${name}, ${kind}, ${when}`, role: 'treeitem' };
    return item;
  }
}

/**
 * "Recently deleted" in the Groups view: the groups Graph keeps in deleted items (30 days), most recently deleted
 * first. Read when expanded; after a delete or restore made here it is patched, not re-read (Graph lags).
 */
export class DeletedGroupsFolder extends PagedNode<DeletedGroup> {
  constructor(graph: () => GraphClient, private readonly now: () => number = Date.now) {
    super(undefined, 'deletedGroups',
      async (signal) => {
        const r = await graph().listDeletedGroups({ signal });
        return r.success ? { success: true, data: { items: r.data, total: r.data.length } } : r;
      },
      () => Promise.resolve({ success: true, data: { items: [] } }));
  }

  getTreeItem(): vscode.TreeItem {
    const total = this.total;
    const label = total !== undefined ? vscode.l10n.t('Recently deleted ({0})', total) : vscode.l10n.t('Recently deleted');
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('trash');
    item.tooltip = vscode.l10n.t('Groups deleted in the last 30 days. Right-click one to restore it with its members and owners.');
    item.contextValue = 'entraFolder.deletedGroups';
    item.accessibilityInformation = { label, role: 'treeitem' };
    return item;
  }

  protected childFor(item: DeletedGroup): DirectoryNode {
    return new DeletedGroupNode(this, item, this.now);
  }
  protected emptyText(): string {
    return vscode.l10n.t('No groups deleted in the last 30 days');
  }
  protected itemId(item: DeletedGroup): string {
    return objectId(item);
  }
}

/** The command argument for Restore: a row of this folder. */
export function deletedGroupArg(arg: unknown): DeletedGroup | undefined {
  return arg instanceof DeletedGroupNode ? arg.group : undefined;
}
