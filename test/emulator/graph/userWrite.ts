import type { HandlerContext, GraphResponse } from './context.js';
import { json, noContent } from './context.js';
import type { UserRecord } from '../directory/records.js';
import { USER_TYPE } from '../directory/schema.js';
import type { PropInfo } from '../directory/schema.js';
import { makeUser } from '../directory/factories.js';
import { project, contextUrl } from './projection.js';
import { badRequest, forbidden, invalidJson, invalidPropertyValue } from './errors.js';
import { PERMS, SENSITIVE_USER_PROPS, requirePermission, requireUserCreator, requireUserWrite } from './permissions.js';
import { isRecord } from '../util/json.js';
import type { JsonValue } from '../util/json.js';
import { randomUUID } from 'node:crypto';

/** PATCH /users/{id} (and /me) and POST /users, with Graph's property rules. */

const READ_ONLY = new Set(
  [
    'id',
    'deletedDateTime',
    'createdDateTime',
    'creationType',
    'proxyAddresses',
    'securityIdentifier',
    'assignedPlans',
    'assignedLicenses',
    'provisionedPlans',
    'licenseAssignmentStates',
    'signInActivity',
    'lastPasswordChangeDateTime',
    'externalUserStateChangeDateTime',
    'isManagementRestricted',
    'identityParentId',
    'onPremisesDistinguishedName',
    'onPremisesDomainName',
    'onPremisesLastSyncDateTime',
    'onPremisesProvisioningErrors',
    'onPremisesSamAccountName',
    'onPremisesSecurityIdentifier',
    'onPremisesSyncEnabled',
    'onPremisesUserPrincipalName',
    'serviceProvisioningErrors',
    'mailboxSettings',
    'print',
  ].map((s) => s.toLowerCase()),
);

/** Properties an app-only token may not change. */
const DELEGATED_ONLY = new Set(['aboutme', 'birthday', 'hiredate', 'interests', 'mysite', 'pastprojects', 'preferredname', 'responsibilities', 'schools', 'skills']);

/**
 * Sourced from on-premises AD for synced users (onPremisesSyncEnabled true); Entra refuses cloud edits. Per property
 * the user resource says e.g. "businessPhones … Read-only for users synced from the on-premises directory"
 * (msgraph-typescript-typings User docs); the refusal's text is observed, see ON_PREM_MASTERED.
 */
const SYNC_MASTERED = new Set(
  ['displayName', 'givenName', 'surname', 'jobTitle', 'department', 'mobilePhone', 'businessPhones', 'userPrincipalName', 'mail', 'mailNickname',
    'companyName', 'city', 'country', 'state', 'streetAddress', 'postalCode', 'officeLocation', 'employeeId', 'faxNumber', 'accountEnabled',
    'onPremisesExtensionAttributes'].map((s) => s.toLowerCase()),
);

const MAX_LEN: Record<string, number> = {
  displayName: 256,
  givenName: 64,
  surname: 64,
  mailNickname: 64,
  jobTitle: 128,
  department: 64,
  companyName: 64,
  city: 128,
  state: 128,
  country: 128,
  postalCode: 40,
  streetAddress: 1024,
  employeeId: 16,
  mobilePhone: 64,
  officeLocation: 128,
};

/** 400 Request_BadRequest for changes to synced objects (observed answers; ../shared/graph/graph-facts.md, update_user). */
export const ON_PREM_MASTERED =
  'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.';

export function unknownBodyProperty(name: string, type: string): Error {
  return badRequest(
    `The property '${name}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
}

/** Validates every property first and applies nothing unless all are valid. */
function validateUserChanges(ctx: HandlerContext, body: Record<string, unknown>, target: UserRecord | undefined): Map<string, JsonValue> {
  const changes = new Map<string, JsonValue>();
  for (const [key, value] of Object.entries(body)) {
    if (key === '@odata.type' && value === '#microsoft.graph.user') continue;
    const info = USER_TYPE.props.get(key.toLowerCase());
    if (!info) throw unknownBodyProperty(key, 'user');
    const lower = key.toLowerCase();
    if (READ_ONLY.has(lower)) throw badRequest(`Property '${info.name}' is read-only and cannot be set.`);
    if (ctx.principal.kind === 'app' && DELEGATED_ONLY.has(lower)) throw forbidden();
    if (target?.onPremisesSyncEnabled === true && SYNC_MASTERED.has(lower)) throw badRequest(ON_PREM_MASTERED);
    checkValue(ctx, info, value, target);
    changes.set(info.name, value as JsonValue);
  }
  return changes;
}

function checkValue(ctx: HandlerContext, info: PropInfo, value: unknown, target: UserRecord | undefined): void {
  const name = info.name;
  const bad = (): Error => invalidPropertyValue(name, 'User');
  switch (info.kind) {
    case 'boolean':
      if (typeof value !== 'boolean' && !(value === null && name !== 'accountEnabled')) throw bad();
      return;
    case 'strings':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad();
      if (name === 'businessPhones' && value.length > 1) throw badRequest("Only one value can be set for property 'businessPhones'.");
      return;
    case 'dateTime':
      if (value !== null && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) throw bad();
      return;
    case 'object':
    case 'array':
      if (value !== null && typeof value !== 'object') throw bad();
      return;
    case 'number':
      if (value !== null && typeof value !== 'number') throw bad();
      return;
    default:
      break;
  }
  if (value === null) {
    if (name === 'displayName' || name === 'userPrincipalName' || name === 'mailNickname' || name === 'usageLocation') throw bad();
    return;
  }
  if (typeof value !== 'string') throw bad();
  const max = MAX_LEN[name];
  if (max !== undefined && value.length > max) throw bad();
  if (name === 'displayName' && value.trim() === '') throw bad();
  if (name === 'usageLocation' && !/^[A-Z]{2}$/.test(value)) throw bad();
  if (name === 'onPremisesImmutableId' && /[$_]/.test(value)) throw bad();
  if (name === 'mail' && /[^\x20-\x7e]/.test(value)) throw bad();
  if (name === 'userPrincipalName') {
    const at = value.lastIndexOf('@');
    const local = value.slice(0, at);
    if (at <= 0 || !/^[A-Za-z0-9'.\-_!#^~]+$/.test(local)) throw bad();
    if (value.slice(at + 1).toLowerCase() !== ctx.domain.toLowerCase()) {
      throw badRequest(
        'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
      );
    }
    const other = ctx.state.userByUpn(value);
    if (other && other.id !== target?.id) throw badRequest('Another object with the same value for property userPrincipalName already exists.');
  }
}

function applyChanges(ctx: HandlerContext, u: UserRecord, changes: Map<string, JsonValue>): void {
  for (const [name, value] of changes) {
    if (name === 'passwordProfile') continue; // write-only: never returned
    if (name === 'userPrincipalName' && typeof value === 'string') {
      ctx.state.renameUpn(u, value);
      continue;
    }
    if (name in u) (u as unknown as Record<string, JsonValue>)[name] = Array.isArray(value) ? [...value] : value;
    else (u.extra ??= {})[name] = value;
  }
}

export function patchUser(ctx: HandlerContext, u: UserRecord): GraphResponse {
  const p = ctx.principal;
  const self = p.kind === 'delegated' && p.userId === u.id;
  requirePermission(p, self ? PERMS.writeSelf : PERMS.writeUsers);
  const body = ctx.body();
  if (!isRecord(body)) throw invalidJson();
  const sensitive = Object.keys(body).some((k) => SENSITIVE_USER_PROPS.has(k.toLowerCase()));
  // The caller's role is checked before the values: Graph refuses an unauthorised change whatever it contains.
  requireUserWrite(p, ctx.state, u, sensitive);
  applyChanges(ctx, u, validateUserChanges(ctx, body, u));
  return noContent();
}

export function createUser(ctx: HandlerContext): GraphResponse {
  requirePermission(ctx.principal, PERMS.writeUsers);
  requireUserCreator(ctx.principal, ctx.state);
  const body = ctx.body();
  if (!isRecord(body)) throw invalidJson();
  for (const required of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile']) {
    if (body[required] === undefined) throw badRequest(`A value is required for property '${required}' of resource 'User'.`);
  }
  const changes = validateUserChanges(ctx, body, undefined);
  const upn = changes.get('userPrincipalName') as string;
  const u = makeUser({ id: randomUUID(), userPrincipalName: upn });
  ctx.state.addUser(u);
  changes.delete('userPrincipalName');
  applyChanges(ctx, u, changes);
  return json(201, { '@odata.context': contextUrl(ctx.graphBase, 'users', undefined, true), ...project({ kind: 'user', rec: u }, undefined, { annotate: false }) });
}
