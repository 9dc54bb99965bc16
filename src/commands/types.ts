import type { RefusalOperation } from '../core';
import type { DirectoryTreeProvider } from '../tree/directoryTree';
import type { HistoryTreeProvider } from '../tree/historyTree';
import type { DesiredStateEditor } from '../desiredStateEditor';
import type { Services } from '../services';
import type { Panels } from '../webviews/panels';

export interface CommandDeps {
  services: Services;
  trees: { users: DirectoryTreeProvider; groups: DirectoryTreeProvider };
  panels: Panels;
  /** Desired-state group files: export, plan, apply, copy as a script. */
  desiredState: Pick<DesiredStateEditor, 'exportGroup' | 'plan' | 'planFile' | 'apply' | 'copyAs'>;
  /** The History view: the change journal it reads, its filter and the entries it shows. */
  history: Pick<HistoryTreeProvider, 'journal' | 'filter' | 'setFilter' | 'shown'>;
  /** Portal base of the configured cloud, for "open in the Entra admin center". */
  portalUrl(): string;
  setContext(key: string, value: unknown): Thenable<unknown>;
  /** Switch cloud/tenant: asks and updates settings. */
  switchCloud(): Promise<void>;
  /** The row that has the focus in the Users or Groups view (for keyboard shortcuts). */
  focused(): unknown;
}

export type Handler = (deps: CommandDeps, arg?: unknown) => unknown;

/** A command's handler and whether it needs someone signed in first (asked for once, before the handler runs). */
export interface CommandSpec {
  run: Handler;
  requiresSignIn: boolean;
  /**
   * The directory writes the command makes (any one of them, by the refusal classification's names); absent for
   * commands that change nothing. The one place that says "this command writes": read-only mode refuses it before
   * any request, and package.json's menus, palette and keybindings hide it (a test checks their `when` clauses).
   */
  writes?: readonly RefusalOperation[];
}
