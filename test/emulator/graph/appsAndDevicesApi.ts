import type { HandlerContext, GraphResponse } from './context.js';
import { DEVICE_TYPE, SERVICE_PRINCIPAL_TYPE } from '../directory/schema.js';
import { listCollection, countCollection } from './collection.js';
import type { CollectionSpec } from './collection.js';
import { PERMS, requirePermission } from './permissions.js';

/**
 * GET /servicePrincipals and /devices with $count: collections like /users and /groups
 * (https://learn.microsoft.com/graph/api/serviceprincipal-list?view=graph-rest-1.0,
 * https://learn.microsoft.com/graph/api/device-list?view=graph-rest-1.0).
 */
export type AppsOrDevices = 'servicePrincipals' | 'devices';

function spec(ctx: HandlerContext, set: AppsOrDevices): CollectionSpec {
  const sp = set === 'servicePrincipals';
  return {
    ids: () => (sp ? ctx.view.servicePrincipalIds() : ctx.view.deviceIds()),
    types: [sp ? SERVICE_PRINCIPAL_TYPE : DEVICE_TYPE],
    typeName: sp ? 'servicePrincipal' : 'device',
    entitySet: set,
    relationship: false,
    annotate: false,
  };
}

function requireRead(ctx: HandlerContext, set: AppsOrDevices): void {
  requirePermission(ctx.principal, set === 'servicePrincipals' ? PERMS.readServicePrincipals : PERMS.readDevices);
}

export function listAppsOrDevices(ctx: HandlerContext, set: AppsOrDevices): GraphResponse {
  requireRead(ctx, set);
  return listCollection(ctx, spec(ctx, set));
}

export function countAppsOrDevices(ctx: HandlerContext, set: AppsOrDevices): GraphResponse {
  requireRead(ctx, set);
  return countCollection(ctx, spec(ctx, set));
}
