import * as vscode from 'vscode';
import { isWritableThroughGraph, type GroupClass } from '../shared/groupKinds';

/** The kind of a group in people's words, the same in the tree, pickers, forms and messages. */
export function groupKindLabel(c: GroupClass): string {
  switch (c.kind) {
    case 'security':
      return c.dynamic ? vscode.l10n.t('Dynamic security') : vscode.l10n.t('Security');
    case 'microsoft365':
      return c.dynamic ? vscode.l10n.t('Dynamic Microsoft 365') : vscode.l10n.t('Microsoft 365');
    case 'mailEnabledSecurity':
      return c.dynamic ? vscode.l10n.t('Dynamic mail-enabled security') : vscode.l10n.t('Mail-enabled security');
    case 'distribution':
      return c.dynamic ? vscode.l10n.t('Dynamic distribution list') : vscode.l10n.t('Distribution list');
  }
}

/** A codicon per kind: Microsoft 365 groups are organisations, mail-only lists mail, dynamic groups rules. */
export function groupKindIcon(c: GroupClass): string {
  if (c.dynamic) return 'symbol-event';
  switch (c.kind) {
    case 'microsoft365':
      return 'organization';
    case 'distribution':
      return 'mail';
    case 'mailEnabledSecurity':
      return 'shield';
    case 'security':
      return 'shield';
  }
}

/**
 * What deleting does, as Microsoft's group-delete page states it today: Microsoft 365 and security groups go to deleted
 * items and can be restored within 30 days (https://learn.microsoft.com/graph/api/group-delete?view=graph-rest-1.0);
 * distribution groups would be gone at once, but Graph cannot delete those (nor mail-enabled security groups) at all,
 * so every group deleted here can be restored. A Microsoft 365 group takes its mailbox, files and team with it until
 * restored.
 */
export function deletionConsequence(kind: GroupClass): string {
  if (!isWritableThroughGraph(kind)) return vscode.l10n.t('Microsoft Graph cannot delete this kind of group; it is managed in Exchange.');
  return kind.kind === 'microsoft365'
    ? vscode.l10n.t('For 30 days the group, with its members, owners, conversations, files and team, can be restored from "Recently deleted" in the Groups view; after that it is gone for good.')
    : vscode.l10n.t('For 30 days the group, with its members and owners, can be restored from "Recently deleted" in the Groups view; after that it is gone for good.');
}
