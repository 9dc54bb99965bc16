import * as vscode from 'vscode';
import { isGuid, type DirectoryObject, type Group, type Result } from '../core';
import { classifyGroup } from '../shared/groupKinds';
import { forMarkdown, nameOf } from '../shared/text';
import { groupKindLabel } from '../ui/labels';
import { bold } from './markdown';
import type { ToolEnv } from './toolTypes';

/** The kinds of directory object a group can hold as member or owner, told apart by `@odata.type`. */
export type ObjectKind = 'user' | 'group' | 'servicePrincipal' | 'device' | 'orgContact' | 'other';

const KINDS: Readonly<Record<string, ObjectKind>> = {
  '#microsoft.graph.user': 'user',
  '#microsoft.graph.group': 'group',
  '#microsoft.graph.serviceprincipal': 'servicePrincipal',
  '#microsoft.graph.device': 'device',
  '#microsoft.graph.orgcontact': 'orgContact',
};

/** A directory object as read for a confirmation: enough to name it by type, name and id. */
export interface DirectoryEntry {
  kind: ObjectKind;
  /** Lower-cased: the change events and the views key on it. */
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
  odataType: string;
}

/**
 * Reads the object behind a member or owner key. An object id is read as a directory object, so a group, service
 * principal, device or contact is named as what it is (Graph accepts all of them as members); a user principal name
 * can only be a user.
 */
export async function readObject(env: ToolEnv, key: string): Promise<Result<DirectoryEntry>> {
  if (isGuid(key)) {
    const read = await env.graph.getDirectoryObject(key, { signal: env.signal });
    return read.success ? { success: true, data: entryOf(read.data, read.data['@odata.type']) } : read;
  }
  const user = await env.graph.getProfile(key, { signal: env.signal });
  return user.success ? { success: true, data: entryOf(user.data, '#microsoft.graph.user') } : user;
}

function entryOf(o: DirectoryObject, odataType: unknown): DirectoryEntry {
  const type = typeof odataType === 'string' ? odataType : '';
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    kind: KINDS[type.toLowerCase()] ?? 'other',
    id: o.id.toLowerCase(),
    displayName: text(o.displayName),
    userPrincipalName: text(o.userPrincipalName),
    mail: text(o.mail),
    odataType: type,
  };
}

/** "User", "Group", "Service principal"…: the type as a confirmation names it. */
export function kindLabel(kind: ObjectKind): string {
  switch (kind) {
    case 'user':
      return vscode.l10n.t('User');
    case 'group':
      return vscode.l10n.t('Group');
    case 'servicePrincipal':
      return vscode.l10n.t('Service principal');
    case 'device':
      return vscode.l10n.t('Device');
    case 'orgContact':
      return vscode.l10n.t('Contact');
    case 'other':
      return vscode.l10n.t('Directory object');
  }
}

/** The type in a sentence of a tool result ("a group", "a service principal"); ids only, never names. */
export function kindNoun(kind: ObjectKind): string {
  switch (kind) {
    case 'user':
      return vscode.l10n.t('a user');
    case 'group':
      return vscode.l10n.t('a group');
    case 'servicePrincipal':
      return vscode.l10n.t('a service principal');
    case 'device':
      return vscode.l10n.t('a device');
    case 'orgContact':
      return vscode.l10n.t('a contact');
    case 'other':
      return vscode.l10n.t('a directory object');
  }
}

/** `**Adele Vance** (adele@contoso.com, id …)` — Markdown, every value escaped. */
export function objectText(o: Pick<DirectoryEntry, 'kind' | 'id' | 'displayName' | 'userPrincipalName' | 'mail'>): string {
  const details = [o.kind === 'user' ? o.userPrincipalName : o.mail, vscode.l10n.t('id {0}', o.id)].filter((d): d is string => Boolean(d));
  return `${bold(nameOf(o))} (${details.map(forMarkdown).join(', ')})`;
}

/** `User: **Adele Vance** (adele@contoso.com, id …)` — Markdown. */
export function objectLine(o: DirectoryEntry): string {
  return `${kindLabel(o.kind)}: ${objectText(o)}`;
}

/** `**Sales** (Security, id …)` — Markdown. */
export function groupText(g: Group): string {
  return `${bold(nameOf(g))} (${forMarkdown(groupKindLabel(classifyGroup(g)))}, ${forMarkdown(vscode.l10n.t('id {0}', g.id))})`;
}

/** `Group: **Sales** (Security, id …)` — Markdown. */
export function groupLine(g: Group): string {
  return `${kindLabel('group')}: ${groupText(g)}`;
}

/** What a confirmation says of an object it could not read: its key and Graph's answer. */
export function unreadLine(kind: string, key: string, error: { code: string; message: string }): string {
  return `${kind}: ${forMarkdown(key)} — ${forMarkdown(vscode.l10n.t('could not be read: {0} ({1})', error.message, error.code))}`;
}

/** The flag every write to a role-assignable group carries: its members hold the directory roles assigned to it. */
export function roleAssignableLines(g: Group): string[] {
  return g.isAssignableToRole === true
    ? [`- ${bold(vscode.l10n.t('Role-assignable group'))}: ${forMarkdown(vscode.l10n.t('Entra ID roles can be assigned to this group; its members hold them.'))}`]
    : [];
}
