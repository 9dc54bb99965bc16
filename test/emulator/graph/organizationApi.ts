import type { HandlerContext, GraphResponse } from './context.js';
import { json } from './context.js';
import { ORGANIZATION_COLLECTIONS, ORGANIZATION_PROPS } from '../directory/organization.js';
import type { JsonObject } from '../util/json.js';
import { notFound, unknownProperty } from './errors.js';
import { hasPermission, PERMS, requirePermission } from './permissions.js';
import { contextUrl, type Selection } from './projection.js';

/**
 * GET /organization (https://learn.microsoft.com/graph/api/organization-list): a collection holding the one tenant;
 * GET /organization/{id} (https://learn.microsoft.com/graph/api/organization-get): that tenant by its id. Both support
 * `$select` only; the other query options are not documented for them and are not modelled.
 */
export function listOrganization(ctx: HandlerContext): GraphResponse {
  requirePermission(ctx.principal, PERMS.readOrganization);
  const sel = selectOf(ctx);
  return json(200, { '@odata.context': contextUrl(ctx.graphBase, 'organization', sel, false), value: [shown(ctx, sel)] });
}

export function getOrganization(ctx: HandlerContext, id: string): GraphResponse {
  requirePermission(ctx.principal, PERMS.readOrganization);
  // The only organization a caller can address is its own tenant's.
  if (id.toLowerCase() !== ctx.organization.id.toLowerCase()) throw notFound(id);
  const sel = selectOf(ctx);
  return json(200, { '@odata.context': contextUrl(ctx.graphBase, 'organization', sel, true), ...shown(ctx, sel) });
}

/** Canonical names of `$select`; an unknown name is Graph's 400. */
function selectOf(ctx: HandlerContext): Selection | undefined {
  const raw = ctx.query.select;
  if (!raw) return undefined;
  const names: string[] = [];
  for (const item of raw) {
    const name = ORGANIZATION_PROPS.find((p) => p.toLowerCase() === item.toLowerCase());
    if (!name) throw unknownProperty(item, 'organization');
    if (!names.includes(name)) names.push(name);
  }
  return { names };
}

/** Only User.Read (no organization or directory read permission): `id`, `displayName` and `verifiedDomains` are real, the rest null. */
const USER_READ_VISIBLE = new Set(['id', 'displayName', 'verifiedDomains']);

function shown(ctx: HandlerContext, sel: Selection | undefined): JsonObject {
  const org = ctx.organization;
  // "Applications granted the User.Read permission are able to read only the id, displayName, and verifiedDomains
  // properties of the organization. All other properties return with null values." (organization-list, Important)
  const limited = !hasPermission(ctx.principal, PERMS.readOrganizationFull);
  const out: JsonObject = {};
  for (const name of sel?.names ?? ORGANIZATION_PROPS) {
    const value = org[name];
    if (limited && !USER_READ_VISIBLE.has(name)) out[name] = ORGANIZATION_COLLECTIONS.has(name) ? [] : null;
    else out[name] = structuredClone(value ?? null);
  }
  return out;
}
