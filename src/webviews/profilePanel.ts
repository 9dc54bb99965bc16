import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import type { DirectoryObject, User } from '../core/types';
import type { Services } from '../services';
import { nameOf } from '../commands/feedback';
import { groupRef, personRef } from './directoryRefs';
import { wireError } from './formRules';
import { PanelBase, unexpected, type PanelMessage } from './panelBase';
import { MAX_LISTED_GROUPS, PROFILE_FIELDS, type ProfileAction, type ProfileFieldKey, type ProfileState, type WireError } from './protocol';
import { uiStrings } from './uiStrings';
import { UserFormPanel } from './userFormPanel';

/** A user's profile, manager and Microsoft 365 groups, read-only, with quick actions. */
export class ProfilePanel extends PanelBase {
  /** Opens (or reveals) the profile of `user` (object id or UPN), or of the signed-in user when omitted. */
  static show(services: Services, user?: string): ProfilePanel {
    const key = `profile:${user?.toLowerCase() ?? 'me'}`;
    return PanelBase.reveal(key, (p): p is ProfilePanel => p instanceof ProfilePanel) ?? new ProfilePanel(services, key, user);
  }

  private state: ProfileState = { view: 'profile', strings: uiStrings(), loading: true };
  private user: User | undefined;
  private manager: DirectoryObject | null | undefined;
  private loading: AbortController | undefined;

  private constructor(services: Services, key: string, private readonly userKey: string | undefined) {
    super(services, key, 'profile', vscode.l10n.t('Profile'));
    this.register({ dispose: () => this.loading?.abort() });
    this.register(services.changes.onDidChange((change) => this.apply(change)));
    this.background(() => this.load(), (error) => this.showError(error));
  }

  protected viewState(): ProfileState {
    return this.state;
  }

  protected async handle(message: PanelMessage): Promise<void> {
    if (message.type !== 'action') {
      this.reject(`"${message.type}" is not handled by the profile`);
      return;
    }
    await this.act(message.action);
  }

  private async act(action: ProfileAction): Promise<void> {
    if (action === 'refresh') return this.load().catch((e: unknown) => this.showError(unexpected(e)));
    const user = this.user;
    if (!user) return this.reject(`"${action}" before the profile loaded`);
    const name = nameOf({ id: user.id, displayName: user.displayName ?? user.userPrincipalName });
    switch (action) {
      case 'copyId':
        await vscode.env.clipboard.writeText(user.id);
        void vscode.window.showInformationMessage(vscode.l10n.t('Copied the object ID of {0}.', name));
        return;
      case 'copyUpn':
        if (!user.userPrincipalName) return this.reject('the user has no UPN');
        await vscode.env.clipboard.writeText(user.userPrincipalName);
        void vscode.window.showInformationMessage(vscode.l10n.t('Copied the UPN of {0}.', name));
        return;
      case 'openManager':
        if (!this.manager) return this.reject('there is no manager to open');
        ProfilePanel.show(this.services, this.manager.id);
        return;
      case 'editUser':
        UserFormPanel.show(this.services, user.id);
        return;
    }
  }

  private async load(): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.state = { ...this.state, loading: true };
    this.pushState();

    const graph = this.services.graph();
    const options = { signal: controller.signal };
    const profile = await graph.getProfile(this.userKey, options);
    if (controller.signal.aborted) return;
    if (!profile.success) return this.showError(wireError(profile.error, []));
    const [manager, groups] = await Promise.all([
      graph.getManager(this.userKey, options),
      // One more than shown, to know whether the list goes on.
      graph.getMs365Groups(this.userKey, { ...options, maxItems: MAX_LISTED_GROUPS + 1 }),
    ]);
    if (controller.signal.aborted) return;
    this.loading = undefined;
    this.user = profile.data;
    this.manager = manager.success ? manager.data : undefined;
    this.state = { view: 'profile', strings: this.state.strings, loading: false };
    if (manager.success) this.state.manager = manager.data ? personRef(manager.data) : null;
    else this.state.managerError = wireError(manager.error, []);
    if (groups.success) {
      this.state.groups = groups.data.slice(0, MAX_LISTED_GROUPS).map(groupRef);
      if (groups.data.length > MAX_LISTED_GROUPS) this.state.groupsMore = true;
    }
    else this.state.groupsError = wireError(groups.error, []);
    this.showUser();
  }

  private showError(error: WireError): void {
    this.user = undefined;
    this.manager = undefined;
    this.state = { view: 'profile', strings: this.state.strings, loading: false, error };
    this.pushState();
  }

  /** Edits made elsewhere in the extension are applied as they are: Graph may still serve the old values. */
  private apply(change: DirectoryChange): void {
    if (change.kind !== 'userUpdated' || !this.user || change.userId.toLowerCase() !== this.user.id.toLowerCase()) return;
    this.user = { ...this.user, ...change.changes, id: this.user.id };
    this.showUser();
  }

  private showUser(): void {
    const user = this.user;
    if (!user) return;
    const name = user.displayName ?? user.userPrincipalName ?? user.id;
    this.panel.title = vscode.l10n.t('Profile: {0}', name);
    this.state.user = { id: user.id, displayName: clipText(name), userPrincipalName: clipText(user.userPrincipalName ?? ''), fields: profileFields(user) };
    this.pushState();
  }
}

function clipText(value: string): string {
  return value.slice(0, 1000);
}

function profileFields(user: User): Array<{ key: ProfileFieldKey; value: string }> {
  const text = (v: string | null | undefined): string => clipText(v ?? '');
  const created = user.createdDateTime ? new Date(user.createdDateTime) : undefined;
  const values: Record<ProfileFieldKey, string> = {
    userPrincipalName: text(user.userPrincipalName),
    mail: text(user.mail),
    jobTitle: text(user.jobTitle),
    department: text(user.department),
    officeLocation: text(user.officeLocation),
    companyName: text(user.companyName),
    businessPhone: text(user.businessPhones?.join(', ')),
    mobilePhone: text(user.mobilePhone),
    city: text(user.city),
    country: text(user.country),
    usageLocation: text(user.usageLocation),
    preferredLanguage: text(user.preferredLanguage),
    userType: text(user.userType),
    accountEnabled: user.accountEnabled === undefined || user.accountEnabled === null ? '' : user.accountEnabled ? vscode.l10n.t('Yes') : vscode.l10n.t('No'),
    createdDateTime: created && !Number.isNaN(created.getTime()) ? created.toLocaleString(vscode.env.language) : '',
    id: user.id,
  };
  return PROFILE_FIELDS.map((key) => ({ key, value: values[key] }));
}
