import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import { explainMembership, walkGroups, type GroupWalk } from '../core/hierarchy';
import { edgeKey } from '../core/nestingPaths';
import type { Group } from '../core/types';
import type { Services } from '../services';
import { classifyGroup } from '../shared/groupKinds';
import { forWebview, nameOf } from '../shared/text';
import { groupKindLabel } from '../ui/labels';
import { wireError } from './formRules';
import { PanelBase, type PanelMessage } from './panelBase';
import { MAX_NEST_EDGES, MAX_NEST_GROUPS, MAX_NEST_PATHS, type NestEdge, type NestGroup, type NestingState, type WireError } from './protocol';
import type { Panels } from './panels';
import { uiStrings } from './uiStrings';

export type NestingSubject = { kind: 'group' | 'user'; id: string };

/**
 * Group nesting, read level by level and never round a cycle. For a group: the groups nested in it and the groups it
 * is a member of, directly and through nesting. For a user: the groups the user is in, directly and through nesting,
 * and on request the paths from the user to one of them.
 */
export class NestingPanel extends PanelBase {
  private state: NestingState = { view: 'nesting', strings: uiStrings(), loading: true, groups: [], down: [], up: [] };
  /** The groups the page shows, by lower-case id: the page opens and explains only these. */
  private readonly known = new Map<string, NestGroup>();

  constructor(services: Services, private readonly panels: Panels, private readonly subject: NestingSubject) {
    super(services, 'nesting', vscode.l10n.t('Group Nesting'));
    this.register(services.changes.onDidChange((change) => this.apply(change)));
    this.background(() => this.load(), (error) => this.showError(error));
  }

  protected viewState(): NestingState {
    return this.state;
  }

  protected async handle(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'nestingOpen': {
        const group = this.known.get(message.groupId.toLowerCase());
        if (!group) return this.reject('"nestingOpen" names a group the page does not show');
        this.panels.showGroup(group.id);
        return;
      }
      case 'nestingRefresh':
        return this.background(() => this.load(), (error) => this.showError(error));
      case 'nestingExplain':
        return this.explain(message.requestId, message.groupId);
      default:
        this.reject(`"${message.type}" is not handled by the nesting graph`);
    }
  }

  private async load(): Promise<void> {
    const signal = this.startLoad();
    this.state = { ...this.state, loading: true };
    this.pushState();
    const graph = this.services.graph();
    this.known.clear();
    if (this.subject.kind === 'group') {
      const group = await graph.getGroup(this.subject.id, { signal });
      if (signal.aborted) return;
      if (!group.success) return this.showError(wireError(group.error, []));
      const [down, up] = await Promise.all([walkGroups(graph, group.data.id, 'members', { signal }), walkGroups(graph, group.data.id, 'memberOf', { signal })]);
      if (signal.aborted) return;
      this.remember(group.data);
      this.panel.title = vscode.l10n.t('Group Nesting: {0}', nameOf(group.data));
      this.finish({ kind: 'group', id: group.data.id, displayName: forWebview(nameOf(group.data)) }, down, up);
      return;
    }
    const user = await graph.getProfile(this.subject.id, { signal, select: [] });
    if (signal.aborted) return;
    if (!user.success) return this.showError(wireError(user.error, []));
    const direct = await graph.getUserGroups(user.data.id, { signal });
    if (signal.aborted) return;
    if (!direct.success) return this.showError(wireError(direct.error, []));
    // The user's groups and, upward from them, every group they lead to: the user's transitive memberships.
    const up = await walkGroups(graph, user.data.id, 'memberOf', { signal, first: direct.data });
    if (signal.aborted) return;
    this.panel.title = vscode.l10n.t('Group Nesting: {0}', nameOf(user.data));
    this.finish({ kind: 'user', id: user.data.id, displayName: forWebview(nameOf(user.data)) }, undefined, up);
  }

  private finish(subject: NonNullable<NestingState['subject']>, down: GroupWalk | undefined, up: GroupWalk): void {
    for (const walk of [down, up]) for (const g of walk?.groups.values() ?? []) this.remember(g);
    const rootKey = subject.id.toLowerCase();
    let edgesLeftOut = 0;
    const edges = (walk: GroupWalk | undefined): NestEdge[] => {
      const out: NestEdge[] = [];
      for (const [from, tos] of walk?.edges ?? []) {
        for (const to of tos) out.push({ from: this.idOf(from, rootKey, subject.id), to: this.idOf(to, rootKey, subject.id), cycle: walk?.cycles.has(edgeKey(from, to)) ?? false });
      }
      edgesLeftOut += Math.max(0, out.length - MAX_NEST_EDGES);
      return out.slice(0, MAX_NEST_EDGES);
    };
    this.state = {
      view: 'nesting', strings: this.state.strings, loading: false, subject,
      groups: [...this.known.values()].slice(0, MAX_NEST_GROUPS), down: edges(down), up: edges(up),
    };
    const incomplete = [down, up].flatMap((w) => (w ? incompleteness(w) : []));
    if (this.known.size > MAX_NEST_GROUPS) incomplete.push(vscode.l10n.t('Only the first {0} groups are shown.', MAX_NEST_GROUPS));
    if (edgesLeftOut > 0) incomplete.push(vscode.l10n.t('{0} nesting links are not drawn (at most {1} each way).', String(edgesLeftOut), String(MAX_NEST_EDGES)));
    if (incomplete.length > 0) this.state.incomplete = forWebview(incomplete.join(' '), 4000);
    this.pushState();
  }

  private idOf(key: string, rootKey: string, rootId: string): string {
    return key === rootKey ? rootId : this.known.get(key)?.id ?? key;
  }

  private remember(g: Group): void {
    this.known.set(g.id.toLowerCase(), { id: forWebview(g.id, 128), displayName: forWebview(nameOf(g)), kind: forWebview(groupKindLabel(classifyGroup(g))) });
  }

  private async explain(requestId: number, groupId: string): Promise<void> {
    const target = this.known.get(groupId.toLowerCase());
    if (this.subject.kind !== 'user' || !target) return this.reject('"nestingExplain" names a group the page does not show');
    const answer = await explainMembership(this.services.graph(), this.subject.id, target.id);
    if (!answer.success) {
      return this.post({ type: 'nestingPaths', requestId, groupId: target.id, member: false, paths: [], more: false, cycles: [], groups: [], error: wireError(answer.error, []) });
    }
    for (const g of answer.data.groups.values()) this.remember(g);
    const id = (key: string): string => this.known.get(key)?.id ?? key;
    const used = new Set(answer.data.paths.paths.flat().concat(answer.data.cycles.flat()));
    this.post({
      type: 'nestingPaths', requestId, groupId: target.id, member: answer.data.member,
      paths: answer.data.paths.paths.slice(0, MAX_NEST_PATHS).map((p) => p.map(id)),
      more: answer.data.paths.more || answer.data.truncated,
      cycles: answer.data.cycles.map(([from, to]) => ({ from: id(from), to: id(to), cycle: true })).slice(0, MAX_NEST_EDGES),
      groups: [...used].flatMap((key) => this.known.get(key) ?? []).slice(0, MAX_NEST_GROUPS),
    });
  }

  /** Group names and kinds edited in the extension show at once; the nesting itself is read again with Refresh. */
  private apply(change: DirectoryChange): void {
    if (change.kind !== 'groupUpdated' || typeof change.changes.displayName !== 'string') return;
    const group = this.known.get(change.groupId);
    if (!group) return;
    group.displayName = forWebview(change.changes.displayName);
    this.state = { ...this.state, groups: this.state.groups.map((g) => (g.id.toLowerCase() === change.groupId ? { ...g, displayName: group.displayName } : g)) };
    this.pushState();
  }

  private showError(error: WireError): void {
    this.state = { view: 'nesting', strings: this.state.strings, loading: false, groups: [], down: [], up: [], error };
    this.pushState();
  }
}

function incompleteness(walk: GroupWalk): string[] {
  const notes: string[] = [];
  if (walk.truncated) notes.push(vscode.l10n.t('The walk stopped after {0} groups; more are nested.', walk.groups.size));
  for (const f of walk.failures.slice(0, 3)) notes.push(vscode.l10n.t('A group could not be read: {0}', f.error.message));
  if (walk.failures.length > 3) notes.push(vscode.l10n.t('{0} more groups could not be read.', walk.failures.length - 3));
  return notes;
}
