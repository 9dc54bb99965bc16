/**
 * Microsoft Entra built-in directory roles the emulator knows, by display name, with their role template ids
 * (the ids Entra puts in an access token's `wids` claim). Source of the names and ids: "Microsoft Entra built-in
 * roles", https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference.
 */
export const DIRECTORY_ROLES = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Privileged Authentication Administrator': '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Groups Administrator': 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  'Authentication Administrator': 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  'Helpdesk Administrator': '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  'Password Administrator': '966707d0-3269-4727-9be2-8c3a10f19b9d',
  'Directory Writers': '9360feb5-f418-4baa-8175-e2a00bac4301',
  'Directory Readers': '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  'Exchange Administrator': '29232cdf-9323-42fd-ade2-1d097af3e4de',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
} as const;

export type DirectoryRole = keyof typeof DIRECTORY_ROLES;

/** Every member user's token carries this template id in `wids` besides those of its roles ("User" default role). */
export const DEFAULT_USER_ROLE_TEMPLATE = 'b79fbf4d-3ef9-4689-8143-76b194e85509';

export function isDirectoryRole(name: string): name is DirectoryRole {
  return Object.prototype.hasOwnProperty.call(DIRECTORY_ROLES, name);
}
