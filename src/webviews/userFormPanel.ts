import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import type { User } from '../core/types';
import type { Services } from '../services';
import { forWebview, nameOf } from '../shared/text';
import { describeFailure } from '../ui/failureWords';
import { confirmModal } from '../ui/feedback';
import { showInfoWithUndo } from '../ui/undoOffer';
import type { JournalEntry } from '../shared/journal';
import { explainError, refusalContext } from '../ui/refusals';
import { checkUserEdit, lockedUserFields, userChanges, userFormField, userValuesFrom, wireError } from './formRules';
import { PanelBase, type PanelMessage, type SaveReply } from './panelBase';
import { USER_TEXT_FIELDS, type UserFormState, type UserFormValues, type WireError } from './protocol';
import { uiStrings } from './uiStrings';

const FORM_FIELDS: readonly string[] = [...USER_TEXT_FIELDS, 'accountEnabled'];

/** Edits a user's profile properties; only the fields that changed are sent to Graph. */
export class UserFormPanel extends PanelBase {
  private state: UserFormState;
  /** The user as last read or saved; edits are compared with it. */
  private user: User | undefined;
  /** Cancels reads when the panel closes. A save is cancelled only from the page; a closed panel's save finishes and is announced. */
  private readonly reads = new AbortController();

  constructor(services: Services, userId: string) {
    super(services, 'userForm', vscode.l10n.t('Edit User'));
    this.state = { view: 'userForm', strings: uiStrings(), loading: true, subject: '', values: userValuesFrom({ id: userId }) };
    this.register({ dispose: () => this.reads.abort() });
    this.register(services.changes.onDidChange((change) => this.apply(change)));
    this.background(() => this.load(userId), (error) => this.showError(error));
  }

  protected viewState(): UserFormState {
    return this.state;
  }

  protected override failed(message: PanelMessage, error: WireError): void {
    if (message.type === 'submit') this.post({ type: 'result', requestId: message.requestId, ok: false, error });
  }

  protected async handle(message: PanelMessage): Promise<void> {
    const user = this.user;
    if (message.type === 'action' && message.action === 'refresh' && user && !this.saving) return this.reload(user.id);
    if (message.type !== 'submit' || message.form !== 'editUser') return this.reject(`"${message.type}" is not handled by the user form`);
    if (!user) return this.reject('a submit before the user loaded');
    return this.runSave(message.requestId, (signal) => this.update(message.requestId, user, message.values, signal));
  }

  private async update(requestId: number, user: User, values: UserFormValues, signal: AbortSignal): Promise<SaveReply> {
    const changes = userChanges(userValuesFrom(user), values);
    if (Object.keys(changes).length === 0) return { type: 'validation', requestId, errors: [{ field: '', message: this.state.strings.noChanges }] };
    // The page disables these; a message that changes one anyway is answered, not sent to Graph.
    const locked = new Set<string>(lockedUserFields(user));
    const refused = Object.keys(changes).map(userFormField).filter((field) => locked.has(field));
    if (refused.length) return { type: 'validation', requestId, errors: refused.map((field) => ({ field, message: syncedReason() })) };
    const errors = checkUserEdit(changes, this.state.strings);
    if (errors.length) return { type: 'validation', requestId, errors };
    if (changes.accountEnabled === false && user.accountEnabled !== false && !(await confirmDisable(user))) {
      return { type: 'notSaved', requestId, message: vscode.l10n.t('Not saved: the account stays enabled. Your other changes are still in the form.') };
    }
    let entry: JournalEntry | undefined;
    const result = await this.services.writes.updateUser(user.id, changes, {
      signal, surface: 'form', objectName: user.displayName ?? user.userPrincipalName ?? undefined, before: user, recorded: (e) => (entry = e),
    });
    if (!result.success) {
      const context = refusalContext(this.services.auth.account, 'updateUser', { user, properties: Object.keys(changes) });
      this.reportFailure(vscode.l10n.t('Could not save the user "{0}"', nameOf(user)), result.error, context);
      const shown = { ...result.error, message: describeFailure(result.error, { change: true, refresh: true }) };
      return { type: 'result', requestId, ok: false, error: wireError(shown, FORM_FIELDS, userFormField, explainError(result.error, context)) };
    }
    // The write path's change event refreshes this form (see `apply`) and any open profile of the user.
    const name = nameOf({ id: user.id, displayName: changes.displayName ?? user.displayName, userPrincipalName: user.userPrincipalName });
    showInfoWithUndo(changes.accountEnabled === false
      ? vscode.l10n.t('Saved user "{0}". The account is disabled: they can no longer sign in.', name)
      : vscode.l10n.t('Saved user "{0}".', name), entry);
    return { type: 'result', requestId, ok: true, message: vscode.l10n.t('Saved.') };
  }

  /** Reads the user again (after a save whose outcome is unknown): the form then shows what Graph holds. */
  private reload(userId: string): void {
    this.state = { ...this.state, loading: true };
    this.pushState();
    this.background(() => this.load(userId), (error) => this.showError(error));
  }

  private async load(userId: string): Promise<void> {
    const result = await this.services.graph().getProfile(userId, { signal: this.reads.signal });
    if (this.isDisposed) return;
    if (result.success) this.show(result.data);
    else this.showError(wireError(result.error, []));
  }

  private showError(error: WireError): void {
    this.state = { ...this.state, loading: false, error };
    this.pushState();
  }

  /** Saved edits are applied as sent: reading back right away could return stale data. */
  private apply(change: DirectoryChange): void {
    const user = this.user;
    if (change.kind !== 'userUpdated' || !user || change.userId !== user.id.toLowerCase()) return;
    this.show({ ...user, ...change.changes, id: user.id });
  }

  private show(user: User): void {
    this.user = user;
    const name = user.displayName ?? user.userPrincipalName ?? user.id;
    this.panel.title = vscode.l10n.t('Edit User: {0}', nameOf(user));
    const { error: _dropped, ...rest } = this.state;
    const locked = lockedUserFields(user);
    const { locked: _previous, ...unlocked } = rest;
    this.state = { ...unlocked, loading: false, subject: forWebview(user.userPrincipalName ?? name), values: userValuesFrom(user), ...(locked.length ? { locked: { fields: locked, reason: syncedReason() } } : {}) };
    this.pushState();
  }
}

/**
 * Disabling an account blocks the person's sign-in (user resource, accountEnabled), so the form asks first, naming
 * whom; the harmless choice is the default button.
 */
function confirmDisable(user: User): Promise<boolean> {
  const name = nameOf(user);
  const upn = user.userPrincipalName ?? user.id;
  return confirmModal(
    vscode.l10n.t('Disable the account of "{0}" ({1})?', name, upn),
    vscode.l10n.t('{0} will be unable to sign in until the account is enabled again.', name),
    vscode.l10n.t('Disable Account'),
    vscode.l10n.t('Keep Enabled'),
  );
}

function syncedReason(): string {
  return vscode.l10n.t('This user is synced from on-premises Active Directory: change these fields there. Only the usage location can be changed here.');
}
