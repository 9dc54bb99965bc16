import type * as vscode from 'vscode';
import { loadOnce } from '../core/loadOnce';
import type { Panels } from './panels';

/**
 * Pages whose code (every page, its forms and renderers: panels.ts and what it imports) is read when the first page
 * opens rather than at activation. Each method settles when its page is open; a page that cannot be opened because
 * that code failed to load rejects with the reason.
 */
export function lazyPanels(load: () => Promise<Panels & vscode.Disposable>): Panels & vscode.Disposable {
  const panels = loadOnce(load);
  let loaded: (Panels & vscode.Disposable) | undefined;
  let disposed = false;
  const open = async (show: (p: Panels) => unknown): Promise<void> => {
    const p = await panels();
    loaded = p;
    if (disposed) p.dispose();
    else await show(p);
  };
  return {
    showProfile: (userId) => open((p) => p.showProfile(userId)),
    showGroup: (groupId) => open((p) => p.showGroup(groupId)),
    showOrgChart: (userId) => open((p) => p.showOrgChart(userId)),
    showNesting: (subject) => open((p) => p.showNesting(subject)),
    createGroup: (options) => open((p) => p.createGroup(options)),
    editGroup: (groupId) => open((p) => p.editGroup(groupId)),
    editUser: (userId) => open((p) => p.editUser(userId)),
    showTable: (kind) => open((p) => p.showTable(kind)),
    // Nothing to close before the first page: the pages' code was never read.
    closeAll: () => loaded?.closeAll(),
    dispose: () => {
      disposed = true;
      loaded?.dispose();
    },
  };
}
