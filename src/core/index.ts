export { GraphClient } from './client';
export type { GroupsPageOptions, UserGroupsOptions, UserListOptions, UsersPageOptions } from './client';
export type { BulkAddOptions, BulkAddResult } from './bulkMembers';
export type { TransportStats } from './http';
export { odataString, pathSegment, searchClause, userPath } from './odata';
export { parseRetryAfter } from './retry';
export { UserList } from './userList';
export * from './types';
export { checkDisplayName, checkGroupChanges, checkMailNickname, checkUserChanges, checkUserKey, deriveMailNickname, isGuid, isUpn } from './validation';
