import type { HandlerContext } from './context.js';
import type { DirectoryObject } from '../directory/records.js';
import type { EntityType } from '../directory/schema.js';
import { USER_TYPE, GROUP_TYPE } from '../directory/schema.js';
import type { ExpandItem } from '../odata/queryOptions.js';
import type { JsonObject, JsonValue } from '../util/json.js';
import { badRequest } from './errors.js';
import { project, resolveSelect } from './projection.js';
import { canRead } from './permissions.js';

/**
 * $expand for the navigation properties this client family uses: a user's manager
 * and direct reports, a group's members and owners. Expanded collections are capped
 * at 20 items, as Graph does.
 */
const EXPANDABLE: Record<EntityType['name'], readonly string[]> = {
  user: ['manager', 'directReports'],
  group: ['members', 'owners'],
  servicePrincipal: [],
  device: [],
};

const EXPAND_LIMIT = 20;

export function validateExpand(items: readonly ExpandItem[], types: readonly EntityType[], typeName: string): void {
  for (const item of items) {
    const ok = types.some((t) => EXPANDABLE[t.name].some((n) => n.toLowerCase() === item.name.toLowerCase()));
    if (!ok) {
      throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${item.name}' on type 'microsoft.graph.${typeName}'.`);
    }
    resolveSelect(item.select, [USER_TYPE, GROUP_TYPE], 'directoryObject', true);
  }
}

export function applyExpand(ctx: HandlerContext, obj: DirectoryObject, out: JsonObject, items: readonly ExpandItem[]): void {
  for (const item of items) {
    const name = EXPANDABLE[obj.kind].find((n) => n.toLowerCase() === item.name.toLowerCase());
    if (!name) continue;
    const sel = resolveSelect(item.select, [USER_TYPE, GROUP_TYPE], 'directoryObject', true);
    const render = (id: string): JsonObject | undefined => {
      const target = ctx.view.object(id);
      return target ? project(target, sel, { annotate: true, limited: !canRead(ctx.principal, target.kind) }) : undefined;
    };
    if (name === 'manager') {
      const m = ctx.view.managerOf(obj.rec.id);
      const rendered = m === undefined ? undefined : render(m);
      if (rendered) out['manager'] = rendered;
      continue;
    }
    const ids: Iterable<string> =
      name === 'directReports'
        ? ctx.view.directReportsOf(obj.rec.id)
        : ctx.view.related(obj.rec.id, name === 'members' ? 'members' : 'owners');
    const list: JsonValue[] = [];
    for (const id of ids) {
      if (list.length >= EXPAND_LIMIT) break;
      const r = render(id);
      if (r) list.push(r);
    }
    out[name] = list;
  }
}
