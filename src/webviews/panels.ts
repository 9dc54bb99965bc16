import * as vscode from 'vscode';
import type { Group, GroupKind, RefusalOperation } from '../core';
import type { TableKind } from '../shared/directoryTable';
import { acceptsManualMembers, classifyGroup } from '../shared/groupKinds';
import { nameOf } from '../shared/text';
import type { Services } from '../services';
import { showWarning } from '../ui/feedback';
import { writeRefusal } from '../ui/writeGuard';
import { GroupFormPanel } from './groupFormPanel';
import { GroupPanel } from './groupPanel';
import { NestingPanel, type NestingSubject } from './nestingPanel';
import { OrgChartPanel } from './orgChartPanel';
import type { PanelBase } from './panelBase';
import { ProfilePanel } from './profilePanel';
import { UserFormPanel } from './userFormPanel';
import { DirectoryTablePanel, type ColumnMemory, type TableDeps } from './tablePanel';
import { tableSource } from './tableSource';
import { FRESH_FOR_MS } from '../cache/localDirectory';

/**
 * The webview pages, as commands and other pages open them. Opening a page may first read the pages' code (see
 * lazyPanels.ts): what the methods return settles when the page is open.
 */
export interface Panels {
  /** A user's profile, by object id or UPN; the signed-in user's when omitted. */
  showProfile(userId: string | undefined): unknown;
  /** A group's own page: properties, counts, member of, members and owners. */
  showGroup(groupId: string): unknown;
  /** A user's org chart: the management chain above and the reports below, expanded on demand. */
  showOrgChart(userId: string | undefined): unknown;
  /** A group's nesting (groups in it, groups it is in), or a user's groups and why the user is in each. */
  showNesting(subject: NestingSubject): unknown;
  createGroup(options?: { kind?: GroupKind }): unknown;
  editGroup(groupId: string): unknown;
  editUser(userId: string): unknown;
  /** Every user or every group in a table that sorts, filters and acts on a selection. */
  showTable(kind: TableKind): unknown;
  /** Closes every page: their contents belong to a tenant that is no longer the one in use (a profile switch). */
  closeAll(): void;
}

/**
 * The open pages, one per object and kind: opening one that is open brings it to the front. Created in
 * `activate`, disposed with the extension (closing every page), and handed to whoever opens pages.
 */
export class WebviewPanels implements Panels, vscode.Disposable {
  private readonly open = new Map<string, PanelBase>();
  private readonly tableDeps: TableDeps;

  /** `table`: what `activate` supplies the directory table (the searchable group picker, global state, the cache). */
  constructor(private readonly services: Services, table: Partial<TableDeps> = {}) {
    this.tableDeps = {
      source:
        table.source ??
        tableSource(
          { ready: () => services.localDirectory?.search() !== undefined, read: async () => (await services.localDirectory?.fresh(FRESH_FOR_MS.keystroke))?.allGroups() },
          () => services.graph(),
        ),
      pickGroup: table.pickGroup ?? ((title) => firstGroups(services, title)),
      memory: table.memory ?? memoryMemento(),
    };
  }

  showProfile(userId: string | undefined): ProfilePanel {
    return this.reveal(`profile:${userId?.toLowerCase() ?? 'me'}`, ProfilePanel, () => new ProfilePanel(this.services, this, userId));
  }

  showGroup(groupId: string): GroupPanel {
    return this.reveal(`group:page:${groupId.toLowerCase()}`, GroupPanel, () => new GroupPanel(this.services, this, groupId));
  }

  showOrgChart(userId: string | undefined): OrgChartPanel {
    return this.reveal(`orgChart:${userId?.toLowerCase() ?? 'me'}`, OrgChartPanel, () => new OrgChartPanel(this.services, this, userId));
  }

  showNesting(subject: NestingSubject): NestingPanel {
    return this.reveal(`nesting:${subject.kind}:${subject.id.toLowerCase()}`, NestingPanel, () => new NestingPanel(this.services, this, subject));
  }

  /** The forms open only when their save could be sent (see {@link refused}); otherwise undefined. */
  createGroup(options: { kind?: GroupKind } = {}): GroupFormPanel | undefined {
    if (this.refused('createGroup')) return undefined;
    return this.reveal('group:create', GroupFormPanel, () => new GroupFormPanel(this.services, undefined, options.kind));
  }

  editGroup(groupId: string): GroupFormPanel | undefined {
    if (this.refused('updateGroup')) return undefined;
    return this.reveal(`group:edit:${groupId.toLowerCase()}`, GroupFormPanel, () => new GroupFormPanel(this.services, groupId, undefined));
  }

  editUser(userId: string): UserFormPanel | undefined {
    if (this.refused('updateUser')) return undefined;
    return this.reveal(`user:edit:${userId.toLowerCase()}`, UserFormPanel, () => new UserFormPanel(this.services, userId));
  }

  showTable(kind: TableKind): DirectoryTablePanel {
    return this.reveal(`table:${kind}`, DirectoryTablePanel, () => new DirectoryTablePanel(this.services, this, kind, this.tableDeps));
  }

  /**
   * A form whose save would certainly be refused is not opened, so nobody fills it in for nothing: read-only mode, or
   * an app-only sign-in without the permission. The message says why and what would fix it.
   */
  private refused(operation: RefusalOperation): boolean {
    const why = writeRefusal({ readOnly: this.services.settings.readOnly, account: this.services.auth.account }, [operation]);
    if (why) void showWarning(why);
    return why !== undefined;
  }

  /** How many pages are open. */
  get size(): number {
    return this.open.size;
  }

  /** The open page for `key`, brought to the front, or a new one. */
  private reveal<P extends PanelBase>(key: string, kind: abstract new (...args: never[]) => P, create: () => P): P {
    const found = this.open.get(key);
    if (found instanceof kind) {
      found.reveal();
      return found;
    }
    found?.dispose();
    const panel = create();
    this.open.set(key, panel);
    panel.onDidDispose(() => {
      if (this.open.get(key) === panel) this.open.delete(key);
    });
    return panel;
  }

  closeAll(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
    this.open.clear();
  }

  dispose(): void {
    this.closeAll();
  }
}

/** Column choices kept for the session only, where no global state was given. */
function memoryMemento(): ColumnMemory {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string, fallback?: T): T | undefined => (values.has(key) ? (values.get(key) as T) : fallback),
    update: (key: string, value: unknown): Thenable<void> => {
      values.set(key, value);
      return Promise.resolve();
    },
  };
}

/** A plain pick of the groups whose members can be changed by hand (first page), where no searchable picker was given. */
async function firstGroups(services: Services, title: string): Promise<Group | undefined> {
  const page = await services.graph().groupsPage({ pageSize: 999 });
  if (!page.success) {
    services.log.warn(`Directory table: could not list groups to pick from: ${page.error.code}: ${page.error.message}`);
    return undefined;
  }
  const items = page.data.items.filter((g) => acceptsManualMembers(classifyGroup(g))).map((g) => ({ label: nameOf(g), description: g.mail ?? '', group: g }));
  return (await vscode.window.showQuickPick(items, { title }))?.group;
}
