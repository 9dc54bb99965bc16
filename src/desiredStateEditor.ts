import * as vscode from 'vscode';
import { URI } from 'vscode-uri';
import type { DirectoryObject, Group, MembershipApplyReport, MembershipList, MembershipPlan, Result } from './core';
import { MEMBERSHIP_LISTS } from './core';
import type { Services } from './services';
import { acceptsManualMembers, classifyGroup } from './shared/groupKinds';
import { DESIRED_STATE_SUFFIX, duplicates, isDesiredStatePath, parseDesiredState, renderDesiredState, type DesiredStateFile, type Located } from './shared/desiredState';
import { currentStateUri, exportTarget } from './shared/desiredStatePaths';
import { planScript } from './shared/planScripts';
import { nameOf } from './shared/text';
import { DesiredStateDiagnostics } from './desiredStateDiagnostics';
import { confirmModal, showError, showGraphError, showInfo, showWarning, withProgress } from './ui/feedback';
import { groupKindLabel } from './ui/labels';
import { pickScriptKind } from './ui/scriptKind';

/** What a Plan found for a file: the plan, the group it was computed for, and the membership it was computed from. */
interface Planned {
  group: Group;
  plan: MembershipPlan;
  /** The current lists in canonical form, the left side of the diff: a later Apply recomputes and compares. */
  current: string;
}

/** Everything the Plan and Apply commands need to know about a file, or why it cannot be planned. */
type Checked = { ok: true; planned: Planned; file: DesiredStateFile } | { ok: false; message: string };

/**
 * Desired-state group files in the editor: export, diagnostics, the Plan (a diff of the current membership against
 * the file, and a summary), Apply through the one write path, and Copy as… a script.
 */
export class DesiredStateEditor implements vscode.Disposable {
  private diagnostics: vscode.DiagnosticCollection | undefined;
  private readonly planned = new Map<string, Planned>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: Services,
    private readonly storage: vscode.Uri,
  ) {}

  /** CodeLens at the top of each file, and diagnostics as a file is opened, edited (once typing pauses) and saved. */
  register(): vscode.Disposable {
    this.diagnostics = vscode.languages.createDiagnosticCollection('entraDesiredState');
    const lenses: vscode.CodeLensProvider = {
      provideCodeLenses: (document) => {
        const top = new vscode.Range(0, 0, 0, 0);
        return [
          new vscode.CodeLens(top, { title: vscode.l10n.t('Plan'), command: 'entraId.desiredState.plan', arguments: [document.uri] }),
          new vscode.CodeLens(top, { title: vscode.l10n.t('Apply'), command: 'entraId.desiredState.apply', arguments: [document.uri] }),
          new vscode.CodeLens(top, { title: vscode.l10n.t('Copy as…'), command: 'entraId.desiredState.copyAs', arguments: [document.uri] }),
        ];
      },
    };
    this.disposables.push(
      this.diagnostics,
      vscode.languages.registerCodeLensProvider({ pattern: `**/*${DESIRED_STATE_SUFFIX}` }, lenses),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (isDesiredStatePath(d.uri.path) && this.services.auth.account) void this.check(d);
      }),
      // Background checks set diagnostics only: the plan a later Apply compares with stays the one the user saw.
      new DesiredStateDiagnostics(
        (d, signal) => this.check(d, signal, false),
        () => this.services.auth.account !== undefined,
        this.services.auth.onDidChangeAccount,
        (message, error) => this.services.log.error(message, error),
      ).register(),
    );
    return this;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** Writes the group's members and owners as a desired-state file in the workspace (or where the user saves it). */
  async exportGroup(group: Group): Promise<void> {
    const read = await withProgress(vscode.l10n.t('Reading the members and owners of "{0}"…', nameOf(group)), (signal) => this.readLists(group.id, signal));
    if (!read.success) return showGraphError(this.services.log, vscode.l10n.t('Could not read "{0}"', nameOf(group)), read.error);
    const text = renderDesiredState(group, read.data);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const suggested = folder ? exportTarget(URI.from(folder), group) : undefined;
    const target = await vscode.window.showSaveDialog({
      ...(suggested ? { defaultUri: vscode.Uri.from(suggested) } : {}),
      filters: { [vscode.l10n.t('Desired-state group file')]: ['json'] },
      title: vscode.l10n.t('Export "{0}" as a desired-state file', nameOf(group)),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(target);
    if (!isDesiredStatePath(target.path)) void showWarning(vscode.l10n.t('Saved. Name the file "…{0}" so that Plan and Apply are offered for it.', DESIRED_STATE_SUFFIX));
  }

  /** Plan: the diff of the current membership against the file, a summary, and the file's diagnostics. */
  async plan(arg: unknown): Promise<void> {
    const document = await this.documentOf(arg);
    if (!document) return;
    const checked = await withProgress(vscode.l10n.t('Planning "{0}"…', basename(document.uri)), (signal) => this.check(document, signal));
    if (!checked.ok) return void showError(checked.message);
    const { planned } = checked;
    const left = vscode.Uri.from(currentStateUri(URI.from(this.storage), planned.group.id));
    await vscode.workspace.fs.writeFile(left, new TextEncoder().encode(planned.current));
    await vscode.commands.executeCommand('vscode.diff', left, document.uri, vscode.l10n.t('{0}: directory ↔ desired', nameOf(planned.group)));
    const apply = vscode.l10n.t('Apply');
    const copy = vscode.l10n.t('Copy as…');
    const answer = await showInfo(summary(planned.group, planned.plan), ...(planned.plan.unresolved.length === 0 && changeCount(planned.plan) > 0 ? [apply, copy] : []));
    if (answer === apply) await this.apply(document.uri);
    else if (answer === copy) await this.copyAs(document.uri);
  }

  /**
   * Apply: recomputes the plan from the directory as it is now (a plan older than the directory is never applied),
   * confirms with what will change, and reports an outcome per member.
   */
  async apply(arg: unknown): Promise<void> {
    const document = await this.documentOf(arg);
    if (!document) return;
    const shown = this.planned.get(document.uri.toString());
    const checked = await withProgress(vscode.l10n.t('Checking "{0}" against the directory…', basename(document.uri)), (signal) => this.check(document, signal));
    if (!checked.ok) return void showError(checked.message);
    const { group, plan } = checked.planned;
    if (plan.unresolved.length > 0) return void showError(vscode.l10n.t('{0} entries match no object or more than one; see the Problems view. Nothing was changed.', String(plan.unresolved.length)));
    if (changeCount(plan) === 0) return void showInfo(vscode.l10n.t('"{0}" already matches the file: nothing to change.', nameOf(group)));
    const changed = shown !== undefined && shown.current !== checked.planned.current;
    const detail = `${changed ? vscode.l10n.t('The directory changed since the last plan; this is the plan for it now.') + ' ' : ''}${summary(group, plan)}`;
    if (!(await confirmModal(vscode.l10n.t('Apply the file to "{0}"?', nameOf(group)), detail, vscode.l10n.t('Apply')))) return;
    const result = await withProgress(vscode.l10n.t('Applying {0} changes to "{1}"…', String(changeCount(plan)), nameOf(group)), (signal) =>
      this.services.writes.applyMembershipPlan(group, plan, { signal, surface: 'apply' }),
    );
    this.planned.delete(document.uri.toString());
    if (!result.success) return showGraphError(this.services.log, vscode.l10n.t('Could not apply the file to "{0}"', nameOf(group)), result.error);
    this.report(group, plan, result.data);
  }

  /**
   * One file's plan for a folder's summary: its counts, or why it could not be planned (its diagnostics are set
   * either way). The plan is kept as the one shown, so Apply can tell when the directory changed since.
   */
  async planFile(document: vscode.TextDocument, signal?: AbortSignal): Promise<{ ok: true; group: Group; plan: MembershipPlan } | { ok: false; message: string }> {
    const checked = await this.check(document, signal);
    return checked.ok ? { ok: true, group: checked.planned.group, plan: checked.planned.plan } : checked;
  }

  /** Copy as…: the plan as a script for a REST client, Microsoft Graph PowerShell or the Azure CLI. */
  async copyAs(arg: unknown): Promise<void> {
    const document = await this.documentOf(arg);
    if (!document) return;
    const choice = await pickScriptKind(vscode.l10n.t('Copy the plan as'));
    if (!choice) return;
    const checked = await withProgress(vscode.l10n.t('Planning "{0}"…', basename(document.uri)), (signal) => this.check(document, signal));
    if (!checked.ok) return void showError(checked.message);
    await vscode.env.clipboard.writeText(planScript(choice.script, checked.planned.plan, this.services.graph().baseUrl));
    void showInfo(vscode.l10n.t('Copied the plan for "{0}" as {1}. It holds no token: sign in with that tool to run it.', nameOf(checked.planned.group), choice.label));
  }

  /**
   * Reads the file, the group and its lists, computes the plan, and sets the file's diagnostics (unless cancelled by
   * then: a newer check is coming). `remember`: keep the plan as the one shown, which Apply compares with.
   */
  private async check(document: vscode.TextDocument, signal?: AbortSignal, remember = true): Promise<Checked> {
    const text = document.getText();
    const file = parseDesiredState(text);
    const problems: vscode.Diagnostic[] = file.problems.map((p) => diagnostic(document, p, p.message, vscode.DiagnosticSeverity.Error));
    const done = (result: Checked): Checked => {
      if (signal?.aborted) return result;
      this.diagnostics?.set(document.uri, problems);
      if (result.ok && remember) this.planned.set(document.uri.toString(), result.planned);
      return result;
    };
    if (file.problems.length > 0 || !file.groupId) return done({ ok: false, message: vscode.l10n.t('The file has mistakes; see the Problems view.') });
    for (const list of MEMBERSHIP_LISTS) {
      for (const d of duplicates(file[list] ?? [])) problems.push(diagnostic(document, d, vscode.l10n.t('Listed twice in "{0}".', list), vscode.DiagnosticSeverity.Warning));
    }
    const graph = this.services.graph();
    const read = await graph.getGroup(file.groupId.value, signal ? { signal } : {});
    if (!read.success) {
      problems.push(diagnostic(document, file.groupId, vscode.l10n.t('This group could not be read: {0}', read.error.message), vscode.DiagnosticSeverity.Error));
      return done({ ok: false, message: vscode.l10n.t('Could not read the group {0}: {1}', file.groupId.value, read.error.message) });
    }
    const group = read.data;
    const kind = classifyGroup(group);
    if (group.membershipRule || !acceptsManualMembers(kind)) {
      const why = group.membershipRule ? vscode.l10n.t('"{0}" has dynamic membership: its members follow its rule and cannot be managed by a file.', nameOf(group)) : vscode.l10n.t('"{0}" ({1}) is managed in Exchange: its membership cannot be changed here.', nameOf(group), groupKindLabel(kind));
      problems.push(diagnostic(document, file.groupId, why, vscode.DiagnosticSeverity.Error));
      return done({ ok: false, message: why });
    }
    if (file.displayName && group.displayName && file.displayName.value !== group.displayName) {
      problems.push(diagnostic(document, file.displayName, vscode.l10n.t('The group is now named "{0}".', nameOf(group)), vscode.DiagnosticSeverity.Warning));
    }
    const desired: { members?: string[]; owners?: string[] } = {};
    for (const list of MEMBERSHIP_LISTS) if (file[list]) desired[list] = (file[list] ?? []).map((e) => e.value);
    const [plan, lists] = await Promise.all([graph.planGroupMembership(group.id, desired, signal ? { signal } : {}), this.readLists(group.id, signal, desired)]);
    if (!plan.success) return done({ ok: false, message: vscode.l10n.t('Could not plan "{0}": {1}', nameOf(group), plan.error.message) });
    if (!lists.success) return done({ ok: false, message: vscode.l10n.t('Could not read "{0}": {1}', nameOf(group), lists.error.message) });
    const unresolved = new Set(plan.data.unresolved);
    const guests = new Set([...plan.data.add.members, ...plan.data.add.owners, ...(lists.data.members ?? []), ...(lists.data.owners ?? [])].filter((o) => o.userType === 'Guest').flatMap((o) => [o.id.toLowerCase(), ...(typeof o.userPrincipalName === 'string' ? [o.userPrincipalName.toLowerCase()] : [])]));
    for (const list of MEMBERSHIP_LISTS) {
      for (const e of file[list] ?? []) {
        if (unresolved.has(e.value)) problems.push(diagnostic(document, e, vscode.l10n.t('No user or object matches "{0}" (or more than one does).', e.value), vscode.DiagnosticSeverity.Error));
        else if (guests.has(e.value.trim().toLowerCase())) problems.push(diagnostic(document, e, vscode.l10n.t('A guest user.'), vscode.DiagnosticSeverity.Information));
      }
    }
    return done({ ok: true, file, planned: { group, plan: plan.data, current: renderDesiredState(group, lists.data) } });
  }

  /** The group's current lists; only those `which` names (all when omitted). */
  private async readLists(groupId: string, signal?: AbortSignal, which?: { members?: unknown; owners?: unknown }): Promise<Result<{ members?: DirectoryObject[]; owners?: DirectoryObject[] }>> {
    const graph = this.services.graph();
    const lists: { members?: DirectoryObject[]; owners?: DirectoryObject[] } = {};
    for (const list of MEMBERSHIP_LISTS) {
      if (which && which[list] === undefined) continue;
      const options = { pageSize: 999, ...(signal ? { signal } : {}) };
      let page = await (list === 'members' ? graph.groupMembersPage(groupId, options) : graph.groupOwnersPage(groupId, options));
      const objects: DirectoryObject[] = [];
      for (;;) {
        if (!page.success) return page;
        objects.push(...page.data.items);
        if (!page.data.next) break;
        page = await graph.nextPage(page.data.next, signal ? { signal } : {});
      }
      lists[list] = objects;
    }
    return { success: true, data: lists };
  }

  private report(group: Group, plan: MembershipPlan, report: MembershipApplyReport): void {
    const names = new Map([...plan.add.members, ...plan.add.owners, ...plan.remove.members, ...plan.remove.owners].map((o) => [o.id.toLowerCase(), nameOf(o)]));
    const log = this.services.log;
    const count = (outcome: string): number => report.outcomes.filter((o) => o.outcome === outcome).length;
    for (const o of report.outcomes) {
      const line = `${nameOf(group)}: ${o.change} ${o.list === 'members' ? 'member' : 'owner'} ${names.get(o.id.toLowerCase()) ?? o.id} (${o.id}): ${o.outcome}${o.error ? ` — ${o.error.code}: ${o.error.message}` : ''}`;
      if (o.outcome === 'failed') log.error(line);
      else log.info(line);
    }
    const message = vscode.l10n.t('"{0}": {1} done, {2} already so, {3} failed.', nameOf(group), String(count('done')), String(count('alreadyDone')), String(count('failed')));
    const details = vscode.l10n.t('Show each member');
    void (count('failed') > 0 ? showWarning(message, details) : showInfo(message, details)).then((a) => {
      if (a === details) log.show();
    });
  }

  private async documentOf(arg: unknown): Promise<vscode.TextDocument | undefined> {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || !isDesiredStatePath(uri.path)) {
      void showInfo(vscode.l10n.t('Open a desired-state group file (…{0}) first.', DESIRED_STATE_SUFFIX));
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    // Plan and Apply read the file as saved, as source control sees it.
    if (document.isDirty) await document.save();
    return document;
  }
}

function diagnostic(document: vscode.TextDocument, at: Pick<Located, 'offset' | 'length'>, message: string, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const range = new vscode.Range(document.positionAt(at.offset), document.positionAt(at.offset + at.length));
  const d = new vscode.Diagnostic(range, message, severity);
  d.source = 'Entra ID';
  return d;
}

function changeCount(plan: MembershipPlan): number {
  return MEMBERSHIP_LISTS.reduce((n, list: MembershipList) => n + plan.add[list].length + plan.remove[list].length, 0);
}

function summary(group: Group, plan: MembershipPlan): string {
  const add = plan.add.members.length + plan.add.owners.length;
  const remove = plan.remove.members.length + plan.remove.owners.length;
  return vscode.l10n.t('"{0}": {1} to add, {2} to remove, {3} unresolved, {4} unchanged.', nameOf(group), String(add), String(remove), String(plan.unresolved.length), String(plan.unchanged));
}

function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
