/**
 * What browsing asks for at sign-in, and nothing more (Microsoft Graph v1.0 permission tables, least privileged):
 * User.Read signs in and reads the profile, `/me/memberOf` and `GET /organization` (id, name, verified domains:
 * organization-list); User.Read.All lists and searches users with the properties the tree and profile show and reads
 * anyone's manager and direct reports (user-list, user-list-manager: User.ReadBasic.All reads only the basic profile
 * and no manager); GroupMember.Read.All lists and searches groups, their members, owners and memberOf (group-list,
 * group-list-members, group-list-owners, group-list-memberof). User.Read.All and GroupMember.Read.All need an
 * administrator's consent once for the app; no write permission is ever part of it.
 * Its own module: the cloud settings read at activation need it, and the permission tables (accessErrors.ts) can wait.
 */
export const BROWSE_SCOPES: readonly string[] = ['User.Read', 'User.Read.All', 'GroupMember.Read.All'];
