import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import type { User } from '../core/types';
import type { Services } from '../services';
import { forWebview, nameOf } from '../shared/text';
import { showInfo } from '../ui/feedback';
import { explainError, refusalContext } from '../ui/refusals';
import { checkUserEdit, lockedUserFields, userChanges, userFormField, userValuesFrom, wireError } from './formRules';
import { PanelBase, type PanelMessage } from './panelBase';
import { USER_TEXT_FIELDS, type ExtensionMessage, type UserFormState, type UserFormValues, type WireError } from './protocol';
import { uiStrings } from './uiStrings';

const FORM_FIELDS: readonly string[] = [...USER_TEXT_FIELDS, 'accountEnabled'];

type Reply = Extract<ExtensionMessage, { type: 'result' | 'validation' }>;

/** Edits a user's profile properties; only the fields that changed are sent to Graph. */
export class UserFormPanel extends PanelBase {
  private state: UserFormState;
  /** The user as last read or saved; edits are compared with it. */
  private user: User | undefined;
  private busy = false;
  /** Cancels reads when the panel closes. Writes are never cancelled: they finish and announce the change. */
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
    if (message.type !== 'submit' || message.form !== 'editUser') return this.reject(`"${message.type}" is not handled by the user form`);
    if (!this.user) return this.reject('a submit before the user loaded');
    if (this.busy) return this.reject('a save is already running');
    this.busy = true;
    let reply: Reply;
    try {
      reply = await this.update(message.requestId, this.user, message.values);
    } finally {
      this.busy = false;
    }
    // Answered once the next save may start.
    this.post(reply);
  }

  private async update(requestId: number, user: User, values: UserFormValues): Promise<Reply> {
    const changes = userChanges(userValuesFrom(user), values);
    if (Object.keys(changes).length === 0) return { type: 'validation', requestId, errors: [{ field: '', message: this.state.strings.noChanges }] };
    // The page disables these; a message that changes one anyway is answered, not sent to Graph.
    const locked = new Set<string>(lockedUserFields(user));
    const refused = Object.keys(changes).map(userFormField).filter((field) => locked.has(field));
    if (refused.length) return { type: 'validation', requestId, errors: refused.map((field) => ({ field, message: syncedReason() })) };
    const errors = checkUserEdit(changes, this.state.strings);
    if (errors.length) return { type: 'validation', requestId, errors };
    const result = await this.services.writes.updateUser(user.id, changes);
    if (!result.success) {
      this.services.log.warn(`Update user failed: ${result.error.code}${result.error.status ? ` (${result.error.status})` : ''}`);
      const why = explainError(result.error, refusalContext(this.services.auth.account, 'updateUser', { user, properties: Object.keys(changes) }));
      return { type: 'result', requestId, ok: false, error: wireError(result.error, FORM_FIELDS, userFormField, why) };
    }
    // The write path's change event refreshes this form (see `apply`) and any open profile of the user.
    const name = nameOf({ id: user.id, displayName: changes.displayName ?? user.displayName, userPrincipalName: user.userPrincipalName });
    void showInfo(vscode.l10n.t('Saved user "{0}".', name));
    return { type: 'result', requestId, ok: true, message: vscode.l10n.t('Saved.') };
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

function syncedReason(): string {
  return vscode.l10n.t('This user is synced from on-premises Active Directory: change these fields there. Only the usage location can be changed here.');
}
