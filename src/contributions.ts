/** Every id the manifest declares, in one place; a test checks package.json against this file and the registrations. */

export const VIEW_CONTAINER_ID = 'entraId';
/** History lives in the panel: a third side-bar view would take the rows the Users and Groups views need. */
export const HISTORY_CONTAINER_ID = 'entraIdHistory';

export const ViewIds = {
  users: 'entraId.users',
  groups: 'entraId.groups',
  history: 'entraId.history',
} as const;

export const CommandIds = {
  signIn: 'entraId.signIn',
  signOut: 'entraId.signOut',
  setClientSecret: 'entraId.setClientSecret',
  clearClientSecret: 'entraId.clearClientSecret',
  switchCloud: 'entraId.switchCloud',
  showLog: 'entraId.showLog',
  accountMenu: 'entraId.accountMenu',
  switchProfile: 'entraId.switchProfile',
  // Guided setup (the walkthrough's steps)
  setupOpen: 'entraId.setup.open',
  setupGenerateScript: 'entraId.setup.generateScript',
  setupOpenAppRegistrations: 'entraId.setup.openAppRegistrations',
  setupOpenApiPermissions: 'entraId.setup.openApiPermissions',
  setupEnterClientId: 'entraId.setup.enterClientId',
  checkAccess: 'entraId.checkAccess',
  // Users view
  usersRefresh: 'entraId.users.refresh',
  usersSearch: 'entraId.users.search',
  usersClearSearch: 'entraId.users.clearSearch',
  usersShowDisabled: 'entraId.users.showDisabled',
  usersHideDisabled: 'entraId.users.hideDisabled',
  usersExport: 'entraId.users.list',
  // Groups view
  groupsRefresh: 'entraId.groups.refresh',
  groupsSearch: 'entraId.groups.search',
  groupsClearSearch: 'entraId.groups.clearSearch',
  groupsExport: 'entraId.groups.list',
  // User actions
  userShowProfile: 'entraId.user.showProfile',
  userShowManager: 'entraId.user.showManager',
  userShowOrgChart: 'entraId.user.showOrgChart',
  userShowGroupPaths: 'entraId.user.showGroupPaths',
  userSetManager: 'entraId.user.setManager',
  userClearManager: 'entraId.user.clearManager',
  userShowMs365Groups: 'entraId.user.showMs365Groups',
  userEdit: 'entraId.user.edit',
  userAddToGroup: 'entraId.user.addToGroup',
  // Group actions
  groupShow: 'entraId.group.show',
  groupShowNesting: 'entraId.group.showNesting',
  groupCreate: 'entraId.group.create',
  groupEdit: 'entraId.group.edit',
  groupDelete: 'entraId.group.delete',
  groupRestore: 'entraId.group.restore',
  groupAddMember: 'entraId.group.addMember',
  groupRemoveMember: 'entraId.group.removeMember',
  groupExportDesiredState: 'entraId.group.exportDesiredState',
  // Desired-state group files
  desiredStatePlan: 'entraId.desiredState.plan',
  desiredStatePlanFolder: 'entraId.desiredState.planFolder',
  desiredStateApply: 'entraId.desiredState.apply',
  desiredStateCopyAs: 'entraId.desiredState.copyAs',
  // History view (the change journal)
  historyFilter: 'entraId.history.filter',
  historyClearFilter: 'entraId.history.clearFilter',
  historyOpen: 'entraId.history.open',
  historyExport: 'entraId.history.export',
  historyUndo: 'entraId.history.undo',
  historyCopyAs: 'entraId.history.copyAs',
  // Any node
  nodeRefresh: 'entraId.node.refresh',
  nodeLoadMore: 'entraId.node.loadMore',
  nodeLoadAll: 'entraId.node.loadAll',
  nodeCopyId: 'entraId.node.copyId',
  nodeEdit: 'entraId.node.edit',
  nodeCopyUpn: 'entraId.node.copyUpn',
  nodeOpenInPortal: 'entraId.node.openInPortal',
} as const;

/** The guided setup's walkthrough: `<publisher>.<name>#<walkthrough id>` (package.json). */
export const WALKTHROUGH_ID = 'entra-directory.entra-directory#setup';

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

/** Context keys set with `setContext`. */
export const ContextKeys = {
  signedIn: 'entraId.signedIn',
  signingIn: 'entraId.signingIn',
  usersSearching: 'entraId.users.searching',
  groupsSearching: 'entraId.groups.searching',
  showDisabled: 'entraId.users.disabledShown',
  /** `entraId.readOnly` in effect: every write command's menu, palette and keybinding entry carries `!entraId.readOnly`. */
  readOnly: 'entraId.readOnly',
  /** A filter narrows the History view. */
  historyFiltered: 'entraId.history.filtered',
} as const;
