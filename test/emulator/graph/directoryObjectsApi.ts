import type { HandlerContext, GraphResponse } from './context.js';
import { json } from './context.js';
import { DIRECTORY_OBJECT_TYPES } from '../directory/schema.js';
import { notFound } from './errors.js';
import { PERMS, canRead, requirePermission } from './permissions.js';
import { project, resolveSelect, contextUrl } from './projection.js';

/** GET /directoryObjects/{id}: a user, group, service principal or device, typed by @odata.type. */
export function getDirectoryObject(ctx: HandlerContext, id: string): GraphResponse {
  requirePermission(ctx.principal, PERMS.readDirectoryObjects);
  const obj = ctx.view.object(id);
  if (!obj) throw notFound(id);
  const sel = resolveSelect(ctx.query.select, DIRECTORY_OBJECT_TYPES, 'directoryObject', false);
  return json(200, {
    '@odata.context': contextUrl(ctx.graphBase, 'directoryObjects', sel, true),
    ...project(obj, sel, { annotate: true, limited: !canRead(ctx.principal, obj.kind) }),
  });
}
