import * as vscode from 'vscode';
import { consentHint } from '../auth/consent';
import type { SignedInAccount } from '../auth/types';
import { classifyRefusal, ErrorCodes, type GraphError, type Group, type Refusal, type RefusalContext, type RefusalOperation, type User } from '../core';
import { classifyGroup } from '../shared/groupKinds';

/**
 * What a refused request needs to be understood: the operation, what the token says the caller may do, and the target
 * as it was read. Every surface (commands, forms, chat tools) builds it here and lets the core classify.
 */
export function refusalContext(
  account: SignedInAccount | undefined,
  operation: RefusalOperation,
  target: { group?: Group; user?: User; properties?: readonly string[] } = {},
): RefusalContext {
  const context: RefusalContext = { operation };
  if (account) {
    context.access = account.appOnly ? 'appOnly' : 'delegated';
    if (account.grantedScopes) context.grantedScopes = account.grantedScopes;
    if (account.directoryRoles) context.callerRoles = account.directoryRoles;
  }
  if (target.group) {
    const kind = classifyGroup(target.group);
    context.group = { kind: kind.kind, dynamic: kind.dynamic, ...(target.group.isAssignableToRole === true ? { roleAssignable: true } : {}) };
  }
  if (target.user) context.user = { ...(target.user.onPremisesSyncEnabled === true ? { synced: true } : {}) };
  if (target.properties) context.properties = target.properties;
  return context;
}

const list = (items: readonly string[]): string => items.join(', ');

/** The refusal in the admin's words, with what fixes it; undefined when Graph's own message is all there is to say. */
export function explainRefusal(refusal: Refusal): string | undefined {
  switch (refusal.cause) {
    case 'missingScope':
      if (refusal.origin === 'identity') {
        return refusal.grant === 'ownApp'
          ? consentHint()
          : refusal.grant === 'appRegistration'
            ? vscode.l10n.t('The app registration does not list the permission; add it under API permissions, then grant consent.')
            : vscode.l10n.t('The permission has not been granted to the app; an administrator must grant consent.');
      }
      return refusal.scopes.length
        ? vscode.l10n.t('The sign-in lacks the permission for this (one of {0}); an administrator must grant it to the app.', list(refusal.scopes))
        : vscode.l10n.t('The sign-in lacks the permission for this; an administrator must grant it to the app.');
    case 'missingRole':
      return refusal.groupOwnerSuffices
        ? vscode.l10n.t('Your account needs a directory role for this (one of {0}), or to own the group.', list(refusal.roles))
        : vscode.l10n.t('Your account needs a directory role for this (one of {0}).', list(refusal.roles));
    case 'privilegedTarget':
      return refusal.properties.length
        ? vscode.l10n.t('This user is an administrator: changing {0} needs one of these roles: {1}.', list(refusal.properties), list(refusal.roles))
        : vscode.l10n.t('This user is an administrator: only these roles may do this: {0}.', list(refusal.roles));
    case 'roleAssignableGroup':
      return refusal.roles.length
        ? vscode.l10n.t('This group can be assigned directory roles: changing it needs the permission {0} and the role {1} (or owning the group).', list(refusal.scopes), list(refusal.roles))
        : vscode.l10n.t('This group can be assigned directory roles: changing it needs the permission {0}.', list(refusal.scopes));
    case 'readOnlyGroupKind':
      return vscode.l10n.t('Distribution lists and mail-enabled security groups are managed in Exchange; change them there.');
    case 'dynamicMembership':
      return vscode.l10n.t('The members of a dynamic group come from its membership rule; change the rule instead.');
    case 'syncedObject':
      return refusal.properties.length
        ? vscode.l10n.t('This object is synced from on-premises Active Directory: change {0} there.', list(refusal.properties))
        : vscode.l10n.t('This object is synced from on-premises Active Directory: change it there.');
    case 'other':
      return undefined;
  }
}

/** Classifies and explains in one step (what most callers want). */
export function explainError(error: GraphError, context?: RefusalContext): string | undefined {
  // No token: the sign-in layer has already said what was refused and what to do (see src/auth/consent.ts).
  if (error.code === ErrorCodes.authentication) return undefined;
  return explainRefusal(classifyRefusal(error, context));
}
