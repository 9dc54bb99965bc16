import * as vscode from 'vscode';
import { ACCESS_ACTIONS, evaluateAccess, type AccessAction, type AccessGap, type ActionAccess, type Refusal } from './core';
import { SettingKeys } from './shared/settingKeys';
import { forMarkdown } from './shared/text';
import { namesOf } from './identityNames';
import type { SignedInIdentity } from './signedInIdentity';
import { methodName } from './statusBar';
import { explainRefusal } from './ui/refusals';
import { accessCallerOf } from './ui/writeGuard';

/** What "Check Access" shows: who, where, what the token grants, read-only mode, and each action's answer. */
export interface AccessReportInput {
  identity: SignedInIdentity | undefined;
  /** The configured cloud by its setting value, and its Graph endpoint when it resolves. */
  cloud: { name: string; graphBaseUrl?: string };
  readOnly: boolean;
}

/**
 * The report as Markdown for VS Code's (read-only) Markdown preview. Every value that did not come from this file —
 * directory names, the token's permissions, endpoints — passes `forMarkdown`, which escapes every Markdown
 * character: no link, image, HTML or table cell can be started by a name.
 */
export function renderAccessReport(input: AccessReportInput): string {
  const t = vscode.l10n.t;
  const out = [`# ${t('Entra ID: access')}`, ''];
  const identity = input.identity;
  if (!identity) {
    out.push(t('Not signed in. Run "Entra ID: Sign In", then "Entra ID: Check Access" again.'));
    return out.join('\n');
  }
  const { account } = identity;
  const names = namesOf(identity);
  const appOnly = account.appOnly;
  const rows: Array<[string, string]> = [
    appOnly
      ? [t('App'), t('{0} (client ID {1})', md(names.who), md(account.label))]
      : [t('Signed in as'), account.displayName ? t('{0} ({1})', md(account.displayName), md(account.label)) : md(account.label)],
    [t('Tenant'), [names.tenant, names.domain && names.domain !== names.tenant ? names.domain : undefined].filter(Boolean).map((n) => md(n ?? '')).join(' · ') || t('unknown')],
    [t('Tenant ID'), account.tenantId ? md(account.tenantId) : t('unknown')],
    [t('Cloud'), input.cloud.graphBaseUrl ? t('{0} (Graph: {1})', md(input.cloud.name), md(input.cloud.graphBaseUrl)) : md(input.cloud.name)],
    [t('Sign-in method'), md(methodName(account.method))],
    [appOnly ? t('Application permissions (app roles)') : t('Delegated permissions (scopes)'), list(account.grantedScopes, t('not listed in the token'))],
    [t('Directory roles'), appOnly ? t('none: an app-only sign-in has no user') : list(account.directoryRoles, t('not listed in the token'), t('none'))],
    [t('Read-only mode'), input.readOnly ? t('on (setting {0}): nothing can be changed', md(SettingKeys.readOnly)) : t('off')],
  ];
  out.push(`| ${t('Item')} | ${t('Value')} |`, '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');

  out.push(`## ${t('Actions')}`, '', `| ${t('Action')} | ${t('Can it work now?')} | ${t('What is missing, or what it depends on')} |`, '| --- | --- | --- |');
  const caller = accessCallerOf({ readOnly: input.readOnly, account });
  for (const action of ACCESS_ACTIONS) {
    const access = evaluateAccess(caller, action);
    out.push(`| ${md(action)} — ${md(actionLabels()[action])} | ${verdict(access)} | ${details(access, appOnly)} |`);
  }
  out.push('', t('The answers come from the access token (permissions and directory roles) and the settings; Graph decides each request. Where an answer depends on the group or user, the page says on what.'));
  return out.join('\n');
}

function md(text: string): string {
  return forMarkdown(text);
}

function list(items: readonly string[] | undefined, unknown: string, empty = unknown): string {
  if (items === undefined) return unknown;
  return items.length ? items.map(md).join(', ') : empty;
}

function verdict(a: ActionAccess): string {
  if (a.missing.length) return `❌ ${vscode.l10n.t('No')}`;
  if (a.dependsOn.length) return `⚠️ ${vscode.l10n.t('Depends')}`;
  if (a.scopesUnknown || a.rolesUnknown) return `❔ ${vscode.l10n.t('Probably')}`;
  return `✅ ${vscode.l10n.t('Yes')}`;
}

function details(a: ActionAccess, appOnly: boolean): string {
  const parts = [...a.missing.map((gap) => gapWords(gap, appOnly, a.writes)), ...a.dependsOn.map(dependsWords)];
  if (!a.missing.length) {
    if (a.scopesUnknown) parts.push(vscode.l10n.t('the token does not list its permissions'));
    if (a.rolesUnknown) parts.push(vscode.l10n.t('the token does not list your directory roles'));
  }
  return parts.map((p) => md(p)).join('; ');
}

function gapWords(gap: AccessGap, appOnly: boolean, writes: boolean): string {
  const t = vscode.l10n.t;
  switch (gap.cause) {
    case 'readOnlyMode':
      return t('read-only mode is on (setting {0})', SettingKeys.readOnly);
    case 'missingScope':
      return appOnly
        ? t('application permission missing, one of {0}: an administrator adds it to the app registration and grants admin consent', gap.scopes.join(', '))
        : writes
          // Every directory write permission needs an administrator's consent (accessErrors' ScopeGrant).
          ? t('permission to consent to, one of {0} (an administrator consents to directory writes)', gap.scopes.join(', '))
          : t('permission to consent to, one of {0}', gap.scopes.join(', '));
    case 'missingRole':
      return t('a directory role, one of {0}', gap.roles.join(', '));
  }
}

/** "Depends on …": what about the target decides, in the words of the refusal it would meet. */
function dependsWords(refusal: Refusal): string {
  const t = vscode.l10n.t;
  switch (refusal.cause) {
    case 'missingRole':
      return refusal.groupOwnerSuffices
        ? t('depends on the group: only groups you own, unless you hold one of {0}', refusal.roles.join(', '))
        : t('depends on the tenant: where only administrators may create groups, one of {0}', refusal.roles.join(', '));
    case 'readOnlyGroupKind':
    case 'dynamicMembership':
    case 'syncedObject':
    case 'roleAssignableGroup':
      return t('depends on the group: {0}', explainRefusal(refusal) ?? '');
    case 'privilegedTarget':
      return t('depends on the user: {0}', explainRefusal(refusal) ?? '');
    case 'missingScope':
    case 'other':
      return explainRefusal(refusal) ?? '';
  }
}

/** Each action in a few words (the names are the chat tools' without `entra_`). */
function actionLabels(): Record<AccessAction, string> {
  const t = vscode.l10n.t;
  return {
    get_organization_users: t('list users'),
    get_organization_groups: t('list groups'),
    get_profile: t('read a profile'),
    get_manager: t('read a manager'),
    get_ms365_groups: t("read a user's Microsoft 365 groups"),
    search_groups: t('search groups'),
    create_group: t('create a group'),
    update_group: t('edit a group'),
    delete_group: t('delete a group'),
    add_member_to_group: t('add a member'),
    remove_member_from_group: t('remove a member'),
    update_user: t('edit a user'),
    set_manager: t('set or clear a manager'),
    add_owner: t('add an owner'),
    remove_owner: t('remove an owner'),
  };
}
