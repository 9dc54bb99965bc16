import * as vscode from 'vscode';
import type { DirectoryChange } from '../changes';
import { CommandIds } from '../contributions';
import type { DirectoryObject, Group, User } from '../core/types';
import type { Services } from '../services';
import { userRef } from '../shared/userRef';
import { classifyGroup } from '../shared/groupKinds';
import { forWebview, nameOf } from '../shared/text';
import { showInfo, showWarning } from '../ui/feedback';
import { readOnlyMessage } from '../ui/writeGuard';
import { groupRef, personRef } from './directoryRefs';
import { wireError } from './formRules';
import { PanelBase, type PanelMessage } from './panelBase';
import { MAX_LISTED_GROUPS, PROFILE_FIELDS, type ProfileAction, type ProfileFieldKey, type ProfileState, type WireError } from './protocol';
import type { Panels } from './panels';
import { uiStrings } from './uiStrings';

/** A user's profile, manager and Microsoft 365 groups, read-only, with quick actions. */
export class ProfilePanel extends PanelBase {
  private state: ProfileState = { view: 'profile', strings: uiStrings(), loading: true };
  private user: User | undefined;
  private manager: DirectoryObject | null | undefined;
  /** The Microsoft 365 groups listed (at most MAX_LISTED_GROUPS), kept so changes can be applied to them. */
  private groups: Group[] | undefined;

  /** `userKey`: object id or UPN; the signed-in user when omitted. */
  constructor(services: Services, private readonly panels: Panels, private readonly userKey: string | undefined) {
    super(services, 'profile', vscode.l10n.t('Profile'));
    this.register(services.changes.onDidChange((change) => this.apply(change)));
    this.register(services.settings.onDidChange((names) => names.has('readOnly') && this.pushState()));
    this.background(() => this.load(), (error) => this.showError(error));
  }

  /** In read-only mode the page offers no change: no Edit User, no Set, Change or Clear Manager. */
  protected viewState(): ProfileState {
    return this.services.settings.readOnly ? { ...this.state, readOnlyMode: true } : this.state;
  }

  protected async handle(message: PanelMessage): Promise<void> {
    if (message.type === 'openGroup') {
      // Only a group the page lists: the page cannot open an arbitrary id through the profile.
      const listed = this.groups?.find((g) => g.id.toLowerCase() === message.groupId.toLowerCase());
      if (!listed) return this.reject('"openGroup" names a group the profile does not list');
      this.panels.showGroup(listed.id);
      return;
    }
    if (message.type !== 'action') {
      this.reject(`"${message.type}" is not handled by the profile`);
      return;
    }
    await this.act(message.action);
  }

  private async act(action: ProfileAction): Promise<void> {
    if (action === 'refresh') return this.background(() => this.load(), (error) => this.showError(error));
    const user = this.user;
    if (!user) return this.reject(`"${action}" before the profile loaded`);
    const name = nameOf(user);
    if (WRITE_ACTIONS.has(action) && this.services.settings.readOnly) {
      void showWarning(readOnlyMessage());
      return this.reject(`"${action}" in read-only mode`);
    }
    switch (action) {
      case 'copyId':
        await vscode.env.clipboard.writeText(user.id);
        void showInfo(vscode.l10n.t('Copied the object ID of {0}.', name));
        return;
      case 'copyUpn':
        if (!user.userPrincipalName) return this.reject('the user has no UPN');
        await vscode.env.clipboard.writeText(user.userPrincipalName);
        void showInfo(vscode.l10n.t('Copied the UPN of {0}.', name));
        return;
      case 'openManager':
        if (!this.manager) return this.reject('there is no manager to open');
        this.panels.showProfile(this.manager.id);
        return;
      case 'editUser':
        this.panels.editUser(user.id);
        return;
      case 'orgChart':
        this.panels.showOrgChart(user.id);
        return;
      case 'setManager':
        await vscode.commands.executeCommand(CommandIds.userSetManager, userRef(user));
        return;
      case 'clearManager':
        await vscode.commands.executeCommand(CommandIds.userClearManager, userRef(user));
        return;
    }
  }

  private async load(): Promise<void> {
    const signal = this.startLoad();
    this.state = { ...this.state, loading: true };
    this.pushState();

    const graph = this.services.graph();
    const options = { signal };
    const profile = await graph.getProfile(this.userKey, options);
    if (signal.aborted) return;
    if (!profile.success) return this.showError(wireError(profile.error, []));
    const [manager, groups] = await Promise.all([
      graph.getManager(this.userKey, options),
      // One more than shown, to know whether the list goes on.
      graph.getMs365Groups(this.userKey, { ...options, maxItems: MAX_LISTED_GROUPS + 1 }),
    ]);
    if (signal.aborted) return;
    this.user = profile.data;
    this.manager = manager.success ? manager.data : undefined;
    this.state = { view: 'profile', strings: this.state.strings, loading: false };
    if (manager.success) this.showManager(manager.data);
    else this.state.managerError = wireError(manager.error, []);
    if (groups.success) {
      this.groups = groups.data.slice(0, MAX_LISTED_GROUPS);
      if (groups.data.length > MAX_LISTED_GROUPS) this.state.groupsMore = true;
    } else {
      this.groups = undefined;
      this.state.groupsError = wireError(groups.error, []);
    }
    this.showUser();
  }

  private showManager(manager: DirectoryObject | null): void {
    this.state.manager = manager ? personRef(manager) : null;
    if (manager?.accountEnabled === false) this.state.managerDisabled = true;
    else delete this.state.managerDisabled;
  }

  private showError(error: WireError): void {
    this.user = undefined;
    this.manager = undefined;
    this.state = { view: 'profile', strings: this.state.strings, loading: false, error };
    this.pushState();
  }

  /**
   * Changes made elsewhere in the extension are applied as they are: Graph may still serve the old values. The
   * page shows the user's own fields and the Microsoft 365 groups the user is a direct member of.
   */
  private apply(change: DirectoryChange): void {
    const user = this.user;
    if (!user) return;
    const userId = user.id.toLowerCase();
    const groups = this.groups;
    switch (change.kind) {
      case 'userUpdated':
        if (change.userId !== userId) return;
        this.user = { ...user, ...change.changes, id: user.id };
        break;
      case 'managerChanged':
        if (change.user.id !== userId) return;
        this.manager = change.manager;
        delete this.state.managerError;
        this.showManager(change.manager);
        break;
      case 'memberAdded':
        if (!groups || change.member.id !== userId || classifyGroup(change.group).kind !== 'microsoft365') return;
        if (groups.some((g) => g.id.toLowerCase() === change.group.id)) return;
        this.groups = [...groups, change.group];
        break;
      case 'memberRemoved':
        if (!groups || change.memberId !== userId) return;
        this.groups = groups.filter((g) => g.id.toLowerCase() !== change.groupId);
        break;
      case 'groupCreated':
        if (!groups || classifyGroup(change.group).kind !== 'microsoft365') return;
        if (!change.memberKeys.includes(userId) && !change.memberKeys.includes((user.userPrincipalName ?? '').toLowerCase())) return;
        this.groups = [...groups, change.group];
        break;
      case 'groupUpdated':
        if (!groups?.some((g) => g.id.toLowerCase() === change.groupId)) return;
        this.groups = groups.map((g) => (g.id.toLowerCase() === change.groupId ? { ...g, ...change.changes, id: g.id } : g));
        break;
      case 'groupDeleted':
        if (!groups?.some((g) => g.id.toLowerCase() === change.groupId)) return;
        this.groups = groups.filter((g) => g.id.toLowerCase() !== change.groupId);
        break;
    }
    this.showUser();
  }

  private showUser(): void {
    const user = this.user;
    if (!user) return;
    const name = user.displayName ?? user.userPrincipalName ?? user.id;
    this.panel.title = vscode.l10n.t('Profile: {0}', nameOf(user));
    if (this.groups) this.state.groups = this.groups.slice(0, MAX_LISTED_GROUPS).map(groupRef);
    this.state.user = { id: user.id, displayName: clipText(name), userPrincipalName: clipText(user.userPrincipalName ?? ''), fields: profileFields(user) };
    this.pushState();
  }
}

/** The profile's buttons that change the directory (the pages' `readOnlyMode` hides them). */
const WRITE_ACTIONS: ReadonlySet<ProfileAction> = new Set<ProfileAction>(['editUser', 'setManager', 'clearManager']);

function clipText(value: string): string {
  return forWebview(value);
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
