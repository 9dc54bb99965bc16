import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import { managementChain, type ChainEnd } from '../core/hierarchy';
import type { DirectoryObject } from '../core/types';
import type { Services } from '../services';
import { forWebview, nameOf } from '../shared/text';
import { describeError, showInfo } from '../ui/feedback';
import { saveSvg } from '../ui/saveCsv';
import { wireError } from './formRules';
import { orgChartSvg } from './orgChartSvg';
import { PanelBase, type PanelMessage } from './panelBase';
import { MAX_CHART_PEOPLE, MAX_CHART_REPORTS, type ChartPerson, type OrgChartState, type WireError } from './protocol';
import type { Panels } from './panels';
import { uiStrings } from './uiStrings';

/**
 * The org chart of one person: the management chain above (read to the top, a cycle or a missing manager), the person,
 * and their direct reports; the page asks for more reports as people are expanded. The panel keeps every person it
 * has sent, so the page opens and expands only people it was given, and a rebuilt page gets them all back.
 */
export class OrgChartPanel extends PanelBase {
  private state: OrgChartState = { view: 'orgChart', strings: uiStrings(), loading: true, people: [] };
  /** Everyone on the chart, by lower-case id, in the order sent (managers before their reports). */
  private readonly people = new Map<string, ChartPerson>();

  constructor(services: Services, private readonly panels: Panels, private readonly userKey: string | undefined) {
    super(services, 'orgChart', vscode.l10n.t('Org Chart'));
    this.register(services.changes.onDidChange((change) => this.apply(change)));
    this.background(() => this.load(), (error) => this.showError(error));
  }

  protected viewState(): OrgChartState {
    return { ...this.state, people: [...this.people.values()] };
  }

  protected async handle(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'chartExpand':
        return this.expand(message.requestId, message.userId);
      case 'chartOpen': {
        const person = this.people.get(message.userId.toLowerCase());
        if (!person) return this.reject('"chartOpen" names a person the chart does not show');
        this.panels.showProfile(person.id);
        return;
      }
      case 'chartAction':
        if (message.action === 'refresh') return this.background(() => this.load(), (error) => this.showError(error));
        return this.exportSvg();
      default:
        this.reject(`"${message.type}" is not handled by the org chart`);
    }
  }

  private async load(): Promise<void> {
    const signal = this.startLoad();
    this.state = { ...this.state, loading: true };
    this.pushState();
    const graph = this.services.graph();
    const chain = await managementChain(graph, this.userKey, { signal });
    if (signal.aborted) return;
    if (!chain.success) return this.showError(wireError(chain.error, []));
    const { user, managers, end } = chain.data;
    const reports = await graph.getDirectReports(user.id, { signal, maxItems: MAX_CHART_REPORTS + 1 });
    if (signal.aborted) return;
    this.people.clear();
    this.addChain(managers, user);
    const focus = this.people.get(user.id.toLowerCase());
    this.state = { view: 'orgChart', strings: this.state.strings, loading: false, people: [], focusId: user.id, chainEnd: end.kind };
    const note = this.chainNote(end);
    if (note) this.state.chainNote = note;
    if (reports.success) {
      for (const r of reports.data.slice(0, MAX_CHART_REPORTS)) this.add(r, user.id, false);
      if (focus) this.markRead(focus, reports.data);
    } else {
      this.state.error = wireError(reports.error, []);
    }
    this.panel.title = vscode.l10n.t('Org Chart: {0}', nameOf(user));
    this.pushState();
  }

  private chainNote(end: ChainEnd): string | undefined {
    switch (end.kind) {
      case 'cycle': {
        const again = this.people.get(end.managerId.toLowerCase());
        return forWebview(again?.displayName ?? end.managerId);
      }
      case 'missing':
        return forWebview(describeError(end.error), 2000);
      case 'top':
      case 'tooDeep':
        return undefined;
    }
  }

  /** Adds a person once: someone already on the chart (a manager cycle) keeps their place. */
  private add(o: DirectoryObject, managerId: string, reportsRead: boolean): ChartPerson | undefined {
    const key = o.id.toLowerCase();
    if (this.people.has(key) || this.people.size >= MAX_CHART_PEOPLE) return undefined;
    const person = chartPerson(o, managerId, reportsRead);
    this.people.set(key, person);
    return person;
  }

  private async expand(requestId: number, userId: string): Promise<void> {
    const manager = this.people.get(userId.toLowerCase());
    if (!manager) return this.reject('"chartExpand" names a person the chart does not show');
    const reply = (people: ChartPerson[], more: boolean, error?: WireError): void =>
      this.post({ type: 'chartReports', requestId, managerId: manager.id, people, more, ...(error ? { error } : {}) });
    const reports = await this.services.graph().getDirectReports(manager.id, { maxItems: MAX_CHART_REPORTS + 1 });
    if (!reports.success) return reply([], false, wireError(reports.error, []));
    for (const r of reports.data.slice(0, MAX_CHART_REPORTS)) this.add(r, manager.id, false);
    this.markRead(manager, reports.data);
    // Every report on the chart, those added before too: a page rebuilt while this was read dropped an earlier reply.
    const shown = reports.data.flatMap((r) => this.people.get(r.id.toLowerCase()) ?? []).filter((p) => p.managerId.toLowerCase() === manager.id.toLowerCase());
    reply(shown, manager.moreReports);
  }

  /** `person`'s reports were read: marks whether some of them are not drawn (beyond one expansion, or a full chart). */
  private markRead(person: ChartPerson, reports: readonly DirectoryObject[]): void {
    person.reportsRead = true;
    person.moreReports = reports.length > MAX_CHART_REPORTS || reports.some((r) => !this.people.has(r.id.toLowerCase()));
  }

  private async exportSvg(): Promise<void> {
    const focus = this.state.focusId ? this.people.get(this.state.focusId.toLowerCase()) : undefined;
    const svg = orgChartSvg([...this.people.values()], { title: vscode.l10n.t('Org chart of {0}', focus?.displayName ?? ''), disabled: this.state.strings.disabled });
    const file = await saveSvg(svg, `org-chart-${focus?.displayName ?? 'entra'}`);
    if (file) void showInfo(vscode.l10n.t('Saved the org chart ({0} people) to {1}.', this.people.size, file.fsPath));
  }

  /** Edits made in the extension show at once: new names, titles and departments, and people who moved. */
  private apply(change: DirectoryChange): void {
    if (change.kind === 'userUpdated') {
      const person = this.people.get(change.userId);
      if (!person) return;
      const c = change.changes;
      if (typeof c.displayName === 'string') person.displayName = forWebview(c.displayName);
      if (typeof c.jobTitle === 'string' || c.jobTitle === null) person.jobTitle = forWebview(c.jobTitle);
      if (typeof c.department === 'string' || c.department === null) person.department = forWebview(c.department);
      if (typeof c.accountEnabled === 'boolean') person.disabled = !c.accountEnabled;
      this.pushState();
    } else if (change.kind === 'managerChanged') {
      const person = this.people.get(change.user.id);
      const manager = change.manager ? this.people.get(change.manager.id) : undefined;
      if (!person && !manager?.reportsRead) return;
      // The focus or someone above it: the chain changed from that person up.
      if (person && this.chainAboveFocus().has(person.id.toLowerCase())) return void this.background(() => this.relinkChain(person, change.manager), (error) => this.showError(error));
      // Someone below: moves under the new manager when that manager's reports are shown; otherwise leaves the chart
      // with everyone drawn below them.
      if (person) this.people.delete(change.user.id);
      if (manager?.reportsRead) {
        const moved = this.add(change.user, manager.id, person?.reportsRead ?? false);
        if (moved && person) moved.moreReports = person.moreReports;
      } else if (person) {
        for (const key of this.drawnBelow(person.id).keys()) this.people.delete(key);
      }
      this.pushState();
    }
  }

  /**
   * `person` (the focus or someone above it) has a new manager, or none. The link just written is not read back (Graph
   * lags behind a write); the chain above the new manager is read, its links unchanged by this write. Everyone drawn
   * above `person` before, with their other reports, leaves the chart; `person` and everyone below stay.
   */
  private async relinkChain(person: ChartPerson, manager: DirectoryObject | null): Promise<void> {
    const kept = this.drawnBelow(person.id);
    const signal = this.startLoad();
    const chain = manager ? await managementChain(this.services.graph(), manager.id, { signal }) : undefined;
    if (signal.aborted) return;
    if (chain && !chain.success) return this.showError(wireError(chain.error, []));
    this.people.clear();
    if (chain) this.addChain(chain.data.managers, chain.data.user);
    const managerPerson = manager ? this.people.get(manager.id.toLowerCase()) : undefined;
    person.managerId = managerPerson?.id ?? '';
    // The new manager's reports are not read: only `person` is known among them.
    for (const [k, p] of kept) if (!this.people.has(k)) this.people.set(k, p);
    const end: ChainEnd = chain ? chain.data.end : { kind: 'top' };
    this.state = { ...this.state, chainEnd: end.kind };
    delete this.state.chainNote;
    const note = this.chainNote(end);
    if (note) this.state.chainNote = note;
    this.pushState();
  }

  /** The focus and everyone drawn above it (lower-case ids). */
  private chainAboveFocus(): Set<string> {
    const chain = new Set<string>();
    let at = this.state.focusId ? this.people.get(this.state.focusId.toLowerCase()) : undefined;
    while (at && !chain.has(at.id.toLowerCase())) {
      chain.add(at.id.toLowerCase());
      at = at.managerId === '' ? undefined : this.people.get(at.managerId.toLowerCase());
    }
    return chain;
  }

  /** `managerId`'s card and everyone drawn below it, by lower-case id. */
  private drawnBelow(managerId: string): Map<string, ChartPerson> {
    const below = new Map<string, ChartPerson>();
    const top = this.people.get(managerId.toLowerCase());
    if (top) below.set(managerId.toLowerCase(), top);
    for (let grew = true; grew;) {
      grew = false;
      for (const [key, p] of this.people) {
        if (!below.has(key) && (below.has(p.managerId.toLowerCase()) || p.managerId.toLowerCase() === managerId.toLowerCase())) {
          below.set(key, p);
          grew = true;
        }
      }
    }
    return below;
  }

  /** The chain from its top down to `user`: the farthest manager read has no manager drawn above. */
  private addChain(managers: readonly DirectoryObject[], user: DirectoryObject): void {
    const line = [...managers].reverse().concat(user);
    line.forEach((person, i) => this.add(person, i === 0 ? '' : (line[i - 1] as DirectoryObject).id, false));
  }


  private showError(error: WireError): void {
    this.people.clear();
    this.state = { view: 'orgChart', strings: this.state.strings, loading: false, people: [], error };
    this.pushState();
  }
}

function chartPerson(o: DirectoryObject, managerId: string, reportsRead: boolean): ChartPerson {
  const str = (v: unknown): string => (typeof v === 'string' ? forWebview(v) : '');
  return {
    id: forWebview(o.id, 128),
    displayName: forWebview(str(o.displayName) || str(o.userPrincipalName) || o.id),
    jobTitle: str(o.jobTitle),
    department: str(o.department),
    disabled: o.accountEnabled === false,
    managerId: forWebview(managerId, 128),
    reportsRead,
    moreReports: false,
  };
}
