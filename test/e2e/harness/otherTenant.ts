/**
 * The run's second tenant, served by the same emulator origin as the home tenant (Contoso), as Microsoft's cloud serves
 * every tenant from one sign-in host and one Graph host. Small: only the tenant-profile checks sign in to it.
 */
export const FABRIKAM = {
  tenantId: '3c9a1f7e-2b64-4d08-9e15-6a7b8c9d0e21',
  domain: 'fabrikam.onmicrosoft.com',
  tenantName: 'Fabrikam',
  users: 30,
  groups: 8,
} as const;
