import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import type { Group, GroupKind, UpdateGroupChanges } from '../core/types';
import type { Services } from '../services';
import { nameOf } from '../shared/text';
import { describeFailure } from '../ui/failureWords';
import { showInfo, showWarning } from '../ui/feedback';
import { showInfoWithUndo } from '../ui/undoOffer';
import type { JournalEntry } from '../shared/journal';
import { explainError, refusalContext } from '../ui/refusals';
import {
  checkCreateGroup, checkGroupEdit, createGroupInput, emptyGroupValues, groupChanges, groupValuesFrom, wireError, type GroupChangeSet,
} from './formRules';
import { PanelBase, type PanelMessage, type SaveReply } from './panelBase';
import type { GroupCreateValues, GroupEditValues, GroupFormState, WireError } from './protocol';
import { uiStrings } from './uiStrings';
import { UserSearch } from './userSearch';

const CREATE_FIELDS = ['kind', 'displayName', 'mailNickname', 'description', 'visibility', 'ownerIds', 'memberIds'] as const;
const EDIT_FIELDS = ['displayName', 'mailNickname', 'description', 'visibility'] as const;

/** The form that creates a group, or edits one's name, nickname, description and visibility. */
export class GroupFormPanel extends PanelBase {
  private state: GroupFormState;
  /** The group as last read or saved; edits are compared with it. */
  private group: Group | undefined;
  private readonly search: UserSearch;
  /** Cancels reads when the panel closes. A save is cancelled only from the page; a closed panel's save finishes and is announced. */
  private readonly reads = new AbortController();

  constructor(services: Services, groupId: string | undefined, kind: GroupKind | undefined) {
    super(services, 'groupForm', groupId === undefined ? vscode.l10n.t('New Group') : vscode.l10n.t('Edit Group'));
    this.state = { view: 'groupForm', strings: uiStrings(), mode: groupId === undefined ? 'create' : 'edit', loading: groupId !== undefined, values: emptyGroupValues(kind) };
    this.search = this.register(new UserSearch(services, (m) => this.post(m)));
    this.register({ dispose: () => this.reads.abort() });
    if (groupId !== undefined) {
      this.register(services.changes.onDidChange((change) => this.apply(change)));
      this.background(() => this.load(groupId), (error) => this.showError(error));
    }
  }

  protected viewState(): GroupFormState {
    return this.state;
  }

  protected async handle(message: PanelMessage): Promise<void> {
    const mode = this.state.mode;
    if (message.type === 'searchUsers' && mode === 'create') return this.search.run(message.requestId, message.term);
    if (message.type === 'action' && message.action === 'refresh' && mode === 'edit' && this.group && !this.saving) return this.reload(this.group.id);
    if (message.type !== 'submit') return this.reject(`"${message.type}" is not handled by the group form`);
    if (message.form === 'createGroup' && mode === 'create') return this.runSave(message.requestId, (signal) => this.create(message.requestId, message.values, signal));
    if (message.form === 'editGroup' && mode === 'edit' && this.group) {
      const group = this.group;
      return this.runSave(message.requestId, (signal) => this.update(message.requestId, group, message.values, signal));
    }
    this.reject(`a "${message.form}" submit does not fit this ${mode} form`);
  }

  protected override failed(message: PanelMessage, error: WireError): void {
    if (message.type === 'searchUsers') this.post({ type: 'searchResult', requestId: message.requestId, users: [], error });
    else if (message.type === 'submit') this.post({ type: 'result', requestId: message.requestId, ok: false, error });
  }

  private async create(requestId: number, values: GroupCreateValues, signal: AbortSignal): Promise<SaveReply | undefined> {
    const errors = checkCreateGroup(values, this.state.strings);
    if (errors.length) return { type: 'validation', requestId, errors };
    const input = createGroupInput(values);
    const result = await this.services.writes.createGroup(input, { signal, surface: 'form' });
    if (result.success) {
      const group = result.data;
      void showInfo(vscode.l10n.t('Created group "{0}".', nameOf(group)));
      this.post({ type: 'result', requestId, ok: true, message: vscode.l10n.t('Created.') });
      this.dispose();
      return undefined;
    }
    const created = result.error.created;
    if (created) {
      // The group exists although a later step failed: a second submit would make a duplicate, so close.
      void showWarning(result.error.message);
      this.dispose();
      return undefined;
    }
    const context = refusalContext(this.services.auth.account, 'createGroup');
    this.reportFailure(vscode.l10n.t('Could not create the group "{0}"', input.displayName), result.error, context);
    const shown = { ...result.error, message: describeFailure(result.error, { change: true }) };
    return { type: 'result', requestId, ok: false, error: wireError(shown, CREATE_FIELDS, undefined, explainError(result.error, context)) };
  }

  private async update(requestId: number, group: Group, values: GroupEditValues, signal: AbortSignal): Promise<SaveReply> {
    const changes = groupChanges(groupValuesFrom(group), values);
    if (Object.keys(changes).length === 0) return { type: 'validation', requestId, errors: [{ field: '', message: this.state.strings.noChanges }] };
    const errors = checkGroupEdit(changes, this.state.strings);
    if (errors.length) return { type: 'validation', requestId, errors };
    let entry: JournalEntry | undefined;
    const result = await this.services.writes.updateGroup(group.id, toCoreChanges(changes), {
      signal, surface: 'form', objectName: group.displayName ?? undefined, before: group, recorded: (e) => (entry = e),
    });
    if (!result.success) {
      const context = refusalContext(this.services.auth.account, 'updateGroup', { group, properties: Object.keys(changes) });
      this.reportFailure(vscode.l10n.t('Could not save the group "{0}"', nameOf(group)), result.error, context);
      const shown = { ...result.error, message: describeFailure(result.error, { change: true, refresh: true }) };
      return { type: 'result', requestId, ok: false, error: wireError(shown, EDIT_FIELDS, undefined, explainError(result.error, context)) };
    }
    const name = nameOf({ id: group.id, displayName: changes.displayName ?? group.displayName });
    showInfoWithUndo(vscode.l10n.t('Saved group "{0}".', name), entry);
    // `apply` has shown the saved values through the change event; the confirmation follows the refreshed form.
    return { type: 'result', requestId, ok: true, message: vscode.l10n.t('Saved.') };
  }

  /** Reads the group again (after a save whose outcome is unknown): the form then shows what Graph holds. */
  private reload(groupId: string): void {
    this.state = { ...this.state, loading: true };
    this.pushState();
    this.background(() => this.load(groupId), (error) => this.showError(error));
  }

  private async load(groupId: string): Promise<void> {
    const result = await this.services.graph().getGroup(groupId, { signal: this.reads.signal });
    if (this.isDisposed) return;
    if (result.success) this.show(result.data);
    else this.showError(wireError(result.error, []));
  }

  private showError(error: WireError): void {
    this.state = { ...this.state, loading: false, error };
    this.pushState();
  }

  /** Saved edits (ours or another view's) are applied as sent: reading back could return stale data. */
  private apply(change: DirectoryChange): void {
    const group = this.group;
    if (!group || !('groupId' in change) || change.groupId !== group.id.toLowerCase()) return;
    if (change.kind === 'groupDeleted') this.dispose();
    else if (change.kind === 'groupUpdated') this.show({ ...group, ...change.changes, id: group.id });
  }

  private show(group: Group): void {
    this.group = group;
    this.panel.title = vscode.l10n.t('Edit Group: {0}', nameOf(group));
    const { error: _dropped, ...rest } = this.state;
    this.state = { ...rest, loading: false, values: groupValuesFrom(group) };
    this.pushState();
  }
}

/**
 * The core types `description` as text, but Graph clears a description only with null (an empty string is
 * refused) and the core's check accepts null; the intersection carries that null through the narrower type.
 */
function toCoreChanges(changes: GroupChangeSet): UpdateGroupChanges {
  const { description, ...rest } = changes;
  const core: UpdateGroupChanges = rest;
  if (description === null) return Object.assign(core, { description: null });
  if (description !== undefined) core.description = description;
  return core;
}
