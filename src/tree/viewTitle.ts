import * as vscode from 'vscode';
import { forTreeLabel } from '../shared/text';
import type { DirectoryTreeProvider, ListSummary } from './directoryTree';

/** What a view's title area says: "413 users", or the active search with its count and how to clear it. */
export function describeList(kind: 'users' | 'groups', s: ListSummary): { description: string | undefined; message: string | undefined } {
  const count = s.total ?? s.loaded;
  const noun = kind === 'users' ? vscode.l10n.t('{0} users', count) : vscode.l10n.t('{0} groups', count);
  const counted = s.total !== undefined ? noun : undefined;
  if (!s.search) return { description: counted, message: undefined };
  const term = forTreeLabel(s.search);
  const message = count === 0 && s.total !== undefined
    ? (kind === 'users' ? vscode.l10n.t('No users match "{0}". Clear the search with the ✕ in the title bar.', term) : vscode.l10n.t('No groups match "{0}". Clear the search with the ✕ in the title bar.', term))
    : (kind === 'users' ? vscode.l10n.t('Showing users matching "{0}". Clear the search with the ✕ in the title bar.', term) : vscode.l10n.t('Showing groups matching "{0}". Clear the search with the ✕ in the title bar.', term));
  return { description: counted !== undefined ? `"${term}": ${counted}` : `"${term}"`, message };
}

/** Keeps a tree view's description and message in step with its list. */
export function showListSummary(view: vscode.TreeView<unknown>, tree: DirectoryTreeProvider): vscode.Disposable {
  return tree.onDidChangeSummary((summary) => {
    const { description, message } = describeList(tree.kind, summary);
    view.description = description;
    view.message = message;
  });
}
