import { randomInt, randomUUID } from 'node:crypto';
import type { HandlerContext, GraphResponse } from './context.js';
import { json, noContent } from './context.js';
import type { GroupRecord } from '../directory/records.js';
import { isDynamic, isExchangeMastered, isUnified } from '../directory/records.js';
import { GROUP_TYPE } from '../directory/schema.js';
import { makeGroup } from '../directory/factories.js';
import { compileRule } from '../directory/dynamicRule.js';
import { listCollection, countCollection } from './collection.js';
import type { CollectionSpec } from './collection.js';
import { project, resolveSelect, contextUrl } from './projection.js';
import { applyExpand, validateExpand } from './expand.js';
import { badRequest, forbidden, invalidJson, notFound } from './errors.js';
import { PERMS, isAdministrator, requirePermission, requireGroupWrite, requireRoleAssignableCreate } from './permissions.js';
import { DUPLICATE_ALIAS, EXCHANGE_MASTERED_MESSAGE, aliasTaken, groupTraits, resolveBinds, splitGroupBody } from './groupValidation.js';
import { ON_PREM_MASTERED } from './userWrite.js';
import { isRecord } from '../util/json.js';
import type { JsonValue } from '../util/json.js';

/** /groups and /groups/{id}: list, count, get, create, update, delete. */

const GROUPS_SPEC = (ctx: HandlerContext): CollectionSpec => ({
  ids: () => ctx.view.groupIds(),
  types: [GROUP_TYPE],
  typeName: 'group',
  entitySet: 'groups',
  relationship: false,
  annotate: false,
});

export function resolveGroup(ctx: HandlerContext, id: string): GroupRecord {
  const g = ctx.view.group(id);
  if (!g) throw notFound(id);
  return g;
}

export function listGroups(ctx: HandlerContext): GraphResponse {
  requirePermission(ctx.principal, PERMS.readGroups);
  return listCollection(ctx, GROUPS_SPEC(ctx));
}

export function countGroups(ctx: HandlerContext): GraphResponse {
  requirePermission(ctx.principal, PERMS.readGroups);
  return countCollection(ctx, GROUPS_SPEC(ctx));
}

export function getGroup(ctx: HandlerContext, g: GroupRecord): GraphResponse {
  requirePermission(ctx.principal, PERMS.readGroups);
  const sel = resolveSelect(ctx.query.select, [GROUP_TYPE], 'group', false);
  if (ctx.query.expand) validateExpand(ctx.query.expand, [GROUP_TYPE], 'group');
  const body = { '@odata.context': contextUrl(ctx.graphBase, 'groups', sel, true), ...project({ kind: 'group', rec: g }, sel, { annotate: false }) };
  if (ctx.query.expand) applyExpand(ctx, { kind: 'group', rec: g }, body, ctx.query.expand);
  return json(200, body);
}

export function createGroup(ctx: HandlerContext): GraphResponse {
  const p = ctx.principal;
  requirePermission(p, PERMS.createGroups);
  const body = ctx.body();
  if (!isRecord(body)) throw invalidJson();
  const { props, binds } = splitGroupBody(body, true);
  for (const required of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled']) {
    if (!props.has(required)) throw badRequest(`A value is required for property '${required}' of resource 'Group'.`);
  }
  const groupTypes = (props.get('groupTypes') as string[] | undefined) ?? [];
  const unified = groupTypes.includes('Unified');
  const dynamic = groupTypes.includes('DynamicMembership');
  const nick = props.get('mailNickname') as string;
  const mailEnabled = props.get('mailEnabled') === true;
  const securityEnabled = props.get('securityEnabled') === true;
  const assignable = props.get('isAssignableToRole') === true;
  // Observed answer (github.com/microsoftgraph/msgraph-sdk-powershell/issues/1805); the docs only say these kinds can't be created.
  if (!unified && mailEnabled) throw badRequest('Cannot Create a mail-enabled security groups and or distribution list.');
  if (unified && !mailEnabled) throw badRequest("A Microsoft 365 group must be created with 'mailEnabled' set to true.");
  if (!unified && !securityEnabled) throw badRequest('A group must be either a Microsoft 365 group or security enabled.');
  if (dynamic && typeof props.get('membershipRule') !== 'string') throw badRequest("A value is required for property 'membershipRule' of resource 'Group'.");
  if (props.get('visibility') === 'HiddenMembership' && !unified) throw badRequest("The visibility 'HiddenMembership' is only supported for Microsoft 365 groups.");
  if (assignable) {
    if (!securityEnabled || dynamic) throw badRequest("Property 'isAssignableToRole' requires a security-enabled group without dynamic membership.");
    requireRoleAssignableCreate(p, ctx.state);
  }
  if (unified && aliasTaken(ctx, nick)) throw badRequest(DUPLICATE_ALIAS);

  const caller = p.kind === 'delegated' ? p.userId : undefined;
  const callerIsAdmin = caller !== undefined && isAdministrator(p, ctx.state);
  const refs = resolveBinds(ctx, binds, { unified, dynamic, exchange: false, assignable: false }, (id) =>
    badRequest(`Invalid object identifier '${id}'.`),
  );
  if (caller !== undefined && !callerIsAdmin && refs.owners.some((o) => o.rec.id === caller)) {
    throw badRequest('Request contains a property with duplicate values.');
  }

  const g = makeGroup({
    id: randomUUID(),
    displayName: props.get('displayName') as string,
    mailNickname: nick,
    description: (props.get('description') as string | null | undefined) ?? null,
    mailEnabled,
    securityEnabled,
    groupTypes,
    visibility: (props.get('visibility') as string | undefined) ?? (unified ? 'Public' : 'Private'),
    membershipRule: (props.get('membershipRule') as string | undefined) ?? null,
    membershipRuleProcessingState: dynamic ? ((props.get('membershipRuleProcessingState') as string | undefined) ?? 'On') : null,
    isAssignableToRole: assignable ? true : null,
    classification: (props.get('classification') as string | undefined) ?? null,
    preferredLanguage: (props.get('preferredLanguage') as string | undefined) ?? null,
    theme: (props.get('theme') as string | undefined) ?? null,
    ...(unified ? unifiedMail(ctx, nick) : {}),
  });
  if (unified) g.expirationDateTime = null;
  ctx.state.addGroup(g);
  for (const o of refs.owners) ctx.state.addOwner(g.id, o.rec.id);
  for (const m of refs.members) ctx.state.addMember(g.id, m.rec.id);
  // A delegated creator becomes owner of a Microsoft 365 group; of a security group only when not an admin.
  if (caller !== undefined && refs.owners.length === 0 && (unified || !callerIsAdmin)) ctx.state.addOwner(g.id, caller);
  if (dynamic) recomputeDynamic(ctx, g);
  return json(201, { '@odata.context': contextUrl(ctx.graphBase, 'groups', undefined, true), ...project({ kind: 'group', rec: g }, undefined, { annotate: false }) });
}

export function patchGroup(ctx: HandlerContext, g: GroupRecord): GraphResponse {
  const body = ctx.body();
  if (!isRecord(body)) throw invalidJson();
  const { props, binds, exchange } = splitGroupBody(body, false);
  const onlyBinds = props.size === 0 && exchange.size === 0;
  requirePermission(ctx.principal, onlyBinds ? PERMS.writeMembers : PERMS.writeGroups);
  refuseReadOnlyKind(g, 'Update');
  requireGroupWrite(ctx.principal, ctx.state, g);

  if (exchange.size > 0) {
    if (props.size > 0 || binds.members.length + binds.owners.length > 0) {
      throw badRequest('Exchange-backed properties must be updated in their own PATCH request, without other properties.');
    }
    if (ctx.principal.kind === 'app' || !isUnified(g)) throw forbidden();
    for (const [k, v] of exchange) (g.extra ??= {})[k] = v;
    return { status: 200, headers: {} };
  }

  const nextTypes = (props.get('groupTypes') as string[] | undefined) ?? g.groupTypes;
  if (nextTypes.includes('Unified') !== isUnified(g)) throw badRequest("Property 'groupTypes' cannot change whether a group is a Microsoft 365 group.");
  const nick = props.get('mailNickname');
  if (typeof nick === 'string' && isUnified(g) && aliasTaken(ctx, nick, g.id)) throw badRequest(DUPLICATE_ALIAS);
  const willBeDynamic = nextTypes.includes('DynamicMembership');
  const rule = props.has('membershipRule') ? props.get('membershipRule') : g.membershipRule;
  if (willBeDynamic && typeof rule !== 'string') throw badRequest("A value is required for property 'membershipRule' of resource 'Group'.");

  const refs = resolveBinds(ctx, binds, groupTraits(g), (id) => notFound(id));
  // A new nickname leaves `mail` and proxyAddresses as they are: Exchange owns the SMTP addresses, and the docs' group
  // reads show a `mail` unrelated to mailNickname (group-get example: mailNickname "library", mail "library2@…").
  for (const [k, v] of props) setGroupProp(g, k, v);
  for (const o of refs.owners) ctx.state.addOwner(g.id, o.rec.id);
  for (const m of refs.members) ctx.state.addMember(g.id, m.rec.id);
  if (isDynamic(g) && (props.has('membershipRule') || props.has('groupTypes'))) {
    g.membershipRuleProcessingState ??= 'On';
    recomputeDynamic(ctx, g);
  }
  return noContent();
}

export function deleteGroup(ctx: HandlerContext, g: GroupRecord): GraphResponse {
  requirePermission(ctx.principal, PERMS.writeGroups);
  refuseReadOnlyKind(g, 'Delete');
  requireGroupWrite(ctx.principal, ctx.state, g);
  // Every group Graph may delete goes to deleted items for 30 days (directory/deletedItems.ts, group-delete).
  ctx.state.deletedItems.deleteGroup(g.id);
  return noContent();
}

/**
 * Groups Graph may read but not change. Mail-enabled security groups and distribution lists: "read-only through
 * Microsoft Graph" (https://learn.microsoft.com/graph/api/resources/groups-overview). Live Graph answers membership
 * writes with 400 Request_BadRequest "Cannot Update a mail-enabled security groups and or distribution list."
 * (github.com/microsoftgraph/microsoft-graph-docs/issues/14827) and creates with "Cannot Create …"; the PATCH answer
 * is taken to be the same "Cannot Update …" and DELETE to follow the pattern ("Cannot Delete …"), both unverified.
 * The docs instead say 403 for "a group that can't be managed through Microsoft Graph" (group-post-members, and the
 * support article authorization-requestdenied-403-error-add-user-group) — doc and observed answers disagree; the
 * emulator gives the observed 400. Groups synced from on-premises refuse every change with the sync message.
 */
function refuseReadOnlyKind(g: GroupRecord, verb: 'Update' | 'Delete'): void {
  if (isExchangeMastered(g)) throw badRequest(EXCHANGE_MASTERED_MESSAGE.replace('Update', verb));
  if (g.onPremisesSyncEnabled === true) throw badRequest(ON_PREM_MASTERED);
}

/**
 * `mail` of a new Microsoft 365 group is Exchange's choice, not `nickname@domain`: the docs' create example answers
 * mailNickname "library" with mail "library7423@contoso.com" and proxyAddresses ["SMTP:library7423@contoso.com"]
 * (api-reference/v1.0/api/group-post-groups.md, example 1). Clients must read `mail` back, never derive it.
 */
function unifiedMail(ctx: HandlerContext, nick: string): { mail: string; proxyAddresses: string[] } {
  const mail = `${nick}${randomInt(1000, 10000)}@${ctx.domain}`;
  return { mail, proxyAddresses: [`SMTP:${mail}`] };
}

function setGroupProp(g: GroupRecord, name: string, value: JsonValue): void {
  if (name in g) (g as unknown as Record<string, JsonValue>)[name] = value;
  else (g.extra ??= {})[name] = value;
}

/** Dynamic membership is evaluated when the rule is set, replacing user members. */
export function recomputeDynamic(ctx: HandlerContext, g: GroupRecord): void {
  if (!g.membershipRule) return;
  const pred = compileRule(g.membershipRule);
  for (const id of ctx.state.membersOf(g.id)) ctx.state.removeMember(g.id, id);
  for (const u of ctx.state.users()) if (pred(u)) ctx.state.addMember(g.id, u.id);
}
