/**
 * A change as a script to run elsewhere: Microsoft Graph REST (an `.http` file for REST clients), Microsoft Graph
 * PowerShell (`Invoke-MgGraphRequest`) or Azure CLI (`az rest`, bash). The same requests the extension sends: for a
 * plan, member adds bound 20 per PATCH, owners added one `POST …/owners/$ref` each, removals `DELETE …/{id}/$ref`; for
 * a journal entry, the one request of its action. A script never carries a token: the REST file names a `{{token}}`
 * variable, the others sign in with their own tools, asking for the permissions the steps need.
 */
import { writeAccess, type DirectoryObject, type MembershipPlan, type WriteOperation } from '../core';
import type { JournalAction, JournalEntry, JournalObject } from './journal';
import { nameOf } from './text';

/** Graph binds at most 20 members in one PATCH (learn.microsoft.com/graph/api/group-update). */
const BIND_CHUNK = 20;

export type ScriptKind = 'http' | 'powershell' | 'azcli';

export interface ScriptStep {
  method: 'PATCH' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute URL. */
  url: string;
  body?: Record<string, unknown>;
  /** One line saying what the step does, with names (already plain text). */
  comment: string;
  /** The least privileged delegated permission the request needs (the write path's own table). */
  permission: string;
}

const permissionFor = (operation: WriteOperation): string => writeAccess(operation).scopes[0] ?? 'Directory.ReadWrite.All';

/** The requests that carry out `plan`, in the order the extension sends them (adds before removals). */
export function planSteps(plan: MembershipPlan, baseUrl: string): ScriptStep[] {
  const base = baseUrl.replace(/\/+$/, '');
  const group = `${base}/groups/${encodeURIComponent(plan.groupId)}`;
  const bind = (o: DirectoryObject): string => `${base}/directoryObjects/${encodeURIComponent(o.id)}`;
  const names = (objects: readonly DirectoryObject[]): string => objects.map((o) => nameOf(o, 80)).join(', ');
  const steps: ScriptStep[] = [];
  for (let i = 0; i < plan.add.members.length; i += BIND_CHUNK) {
    const chunk = plan.add.members.slice(i, i + BIND_CHUNK);
    steps.push({ method: 'PATCH', url: group, body: { 'members@odata.bind': chunk.map(bind) }, comment: `Add members: ${names(chunk)}`, permission: permissionFor('addMember') });
  }
  for (const o of plan.add.owners) steps.push({ method: 'POST', url: `${group}/owners/$ref`, body: { '@odata.id': bind(o) }, comment: `Add owner: ${names([o])}`, permission: permissionFor('addOwner') });
  for (const o of plan.remove.members) steps.push({ method: 'DELETE', url: `${group}/members/${encodeURIComponent(o.id)}/$ref`, comment: `Remove member: ${names([o])}`, permission: permissionFor('removeMember') });
  for (const o of plan.remove.owners) steps.push({ method: 'DELETE', url: `${group}/owners/${encodeURIComponent(o.id)}/$ref`, comment: `Remove owner: ${names([o])}`, permission: permissionFor('removeOwner') });
  return steps;
}

/** The write operation whose permission a journal action needs (clearing a manager is the manager's permission). */
const OPERATION_OF: Record<JournalAction, WriteOperation> = {
  createGroup: 'createGroup', updateGroup: 'updateGroup', deleteGroup: 'deleteGroup', restoreGroup: 'restoreGroup',
  addMember: 'addMember', removeMember: 'removeMember', addOwner: 'addOwner', removeOwner: 'removeOwner',
  updateUser: 'updateUser', setManager: 'setManager', removeManager: 'setManager',
};

/**
 * The request that makes the change a journal entry records, to repeat it elsewhere (the Graph pages: group-post-members,
 * group-delete-members, group-post-owners, group-delete-owners, group-update, user-update, group-delete,
 * directory-deleteditems-restore, user-post-manager, user-delete-manager, group-post-groups). Undefined when the entry
 * does not hold what the request needs: a membership entry without its member, an update or a create without values.
 */
export function entrySteps(entry: JournalEntry, baseUrl: string): ScriptStep[] | undefined {
  const base = baseUrl.replace(/\/+$/, '');
  const id = (o: JournalObject): string => encodeURIComponent(o.id);
  const name = (o: JournalObject): string => nameOf({ id: o.id, displayName: o.name }, 80);
  const permission = permissionFor(OPERATION_OF[entry.action]);
  const step = (method: ScriptStep['method'], url: string, comment: string, body?: Record<string, unknown>): ScriptStep[] => [{ method, url, comment, permission, ...(body ? { body } : {}) }];
  const group = `${base}/groups/${id(entry.object)}`;
  const related = entry.related;
  const values = entry.after && Object.keys(entry.after).length > 0 ? entry.after : undefined;
  switch (entry.action) {
    case 'addMember':
      return related && step('POST', `${group}/members/$ref`, `Add member: ${name(related)} to ${name(entry.object)}`, { '@odata.id': `${base}/directoryObjects/${id(related)}` });
    case 'removeMember':
      return related && step('DELETE', `${group}/members/${id(related)}/$ref`, `Remove member: ${name(related)} from ${name(entry.object)}`);
    case 'addOwner':
      return related && step('POST', `${group}/owners/$ref`, `Add owner: ${name(related)} to ${name(entry.object)}`, { '@odata.id': `${base}/directoryObjects/${id(related)}` });
    case 'removeOwner':
      return related && step('DELETE', `${group}/owners/${id(related)}/$ref`, `Remove owner: ${name(related)} from ${name(entry.object)}`);
    case 'updateGroup':
      return values && step('PATCH', group, `Update the group ${name(entry.object)}`, values);
    case 'updateUser':
      return values && step('PATCH', `${base}/users/${id(entry.object)}`, `Update the user ${name(entry.object)}`, values);
    case 'createGroup':
      return values && step('POST', `${base}/groups`, `Create the group ${name(entry.object)}`, values);
    case 'deleteGroup':
      return step('DELETE', group, `Delete the group ${name(entry.object)}`);
    case 'restoreGroup':
      return step('POST', `${base}/directory/deletedItems/${id(entry.object)}/restore`, `Restore the group ${name(entry.object)}`);
    case 'setManager':
      return related && step('PUT', `${base}/users/${id(entry.object)}/manager/$ref`, `Make ${name(related)} the manager of ${name(entry.object)}`, { '@odata.id': `${base}/users/${id(related)}` });
    case 'removeManager':
      return step('DELETE', `${base}/users/${id(entry.object)}/manager/$ref`, `Clear the manager of ${name(entry.object)}`);
  }
}

export function planScript(kind: ScriptKind, plan: MembershipPlan, baseUrl: string): string {
  return script(kind, planSteps(plan, baseUrl));
}

/** `steps` as a script of `kind`. */
export function script(kind: ScriptKind, steps: readonly ScriptStep[]): string {
  if (kind === 'http') return httpScript(steps);
  if (kind === 'powershell') return powerShellScript(steps);
  return azCliScript(steps);
}

/** The permissions the steps need, each once, in the order first needed. */
const permissionsOf = (steps: readonly ScriptStep[]): string[] => [...new Set(steps.map((s) => s.permission))];

/** REST Client / `.http` format: requests separated by `###`; the token is a variable the user sets. */
function httpScript(steps: readonly ScriptStep[]): string {
  const head = [`# Set @token to an access token with ${permissionsOf(steps).join(', ')} (never stored in this file).`, '@token = ', ''];
  const blocks = steps.map((s) => {
    const lines = [`# ${s.comment}`, `${s.method} ${s.url}`, 'Authorization: Bearer {{token}}'];
    if (s.body !== undefined) lines.push('Content-Type: application/json', '', JSON.stringify(s.body, null, 2));
    return lines.join('\n');
  });
  return `${[...head, blocks.join('\n\n###\n\n')].join('\n')}\n`;
}

function powerShellScript(steps: readonly ScriptStep[]): string {
  const lines = [`# Microsoft Graph PowerShell. Sign in first: Connect-MgGraph -Scopes ${permissionsOf(steps).join(',')}`, '$ErrorActionPreference = \'Stop\''];
  for (const s of steps) {
    lines.push(`# ${s.comment}`);
    const body = s.body !== undefined ? ` -Body ${powerShellQuote(JSON.stringify(s.body))} -ContentType 'application/json'` : '';
    lines.push(`Invoke-MgGraphRequest -Method ${s.method} -Uri ${powerShellQuote(s.url)}${body}`);
  }
  return `${lines.join('\n')}\n`;
}

function azCliScript(steps: readonly ScriptStep[]): string {
  const lines = ['#!/usr/bin/env bash', '# Azure CLI. Sign in first: az login', 'set -euo pipefail'];
  for (const s of steps) {
    lines.push(`# ${s.comment}`);
    const body = s.body !== undefined ? ` --headers ${bashQuote('Content-Type=application/json')} --body ${bashQuote(JSON.stringify(s.body))}` : '';
    lines.push(`az rest --method ${s.method.toLowerCase()} --url ${bashQuote(s.url)}${body}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A PowerShell verbatim string: nothing inside is expanded, and a quote is doubled. PowerShell also reads the
 * typographic single quotes (U+2018–U+201B) as quotes, so they are doubled too.
 */
export function powerShellQuote(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`;
}

/** A bash single-quoted word: nothing inside is expanded; a quote closes, is escaped, and reopens. */
export function bashQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
