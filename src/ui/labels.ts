import * as vscode from 'vscode';
import type { GroupClass } from '../shared/groupKinds';

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
