/**
 * The run's other tenants, served by the same emulator origin as the home tenant (Contoso), as Microsoft's cloud serves
 * every tenant from one sign-in host and one Graph host.
 */

/** Small: only the tenant-profile checks sign in to it. */
export const FABRIKAM = {
  tenantId: '3c9a1f7e-2b64-4d08-9e15-6a7b8c9d0e21',
  domain: 'fabrikam.onmicrosoft.com',
  tenantName: 'Fabrikam',
  users: 30,
  groups: 8,
} as const;

/** Large: the views that draw or list much of a directory (org chart, group nesting, the table) are also checked here. */
export const NORTHWIND = {
  tenantId: '5d2e8b41-7c3a-4f96-b0d8-1e4a6c9f3b52',
  domain: 'northwind.onmicrosoft.com',
  tenantName: 'Northwind',
  users: 5000,
  groups: 40,
  seed: 7,
} as const;
