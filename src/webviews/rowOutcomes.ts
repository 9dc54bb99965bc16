import * as vscode from 'vscode';
import type { BulkAddResult, DirectoryObject, GraphError, Group, MemberOutcome, Result } from '../core';
import type { Services } from '../services';
import { forWebview, nameOf } from '../shared/text';
import { explainError, refusalContext } from '../ui/refusals';
import type { RowOutcome } from './protocol';

/** What became of one row of a change, as a page shows it. */
export function outcome(o: DirectoryObject, done: boolean, message: string): RowOutcome {
  return { id: forWebview(o.id, 128), displayName: forWebview(nameOf(o)), done, message: forWebview(message, 2000) };
}

/** Each object's outcome of a bulk member add: added, already a member, or why not (its own error, else the call's). */
export function addedOutcomes(objects: readonly DirectoryObject[], result: Result<BulkAddResult>, reason: (error: GraphError) => string): RowOutcome[] {
  const byId = new Map<string, MemberOutcome>((result.success ? result.data.outcomes : (result.error.outcomes ?? [])).map((o) => [o.memberId.toLowerCase(), o]));
  return objects.map((o) => {
    const each = byId.get(o.id.toLowerCase());
    if (each?.status === 'added') return outcome(o, true, vscode.l10n.t('Added.'));
    if (each?.status === 'alreadyMember') return outcome(o, false, vscode.l10n.t('Already a member.'));
    // No outcome of its own: the whole call failed (a bad id, no permission); its error is this member's reason.
    const error = each?.error ?? (result.success ? undefined : result.error);
    return outcome(o, false, error ? reason(error) : vscode.l10n.t('Not added.'));
  });
}

/** Why a row's change failed, in the admin's words where the refusal is known; the whole error goes to the log. */
export function failureReason(services: Services, where: string, error: GraphError, group: Group, operation: 'addMember' | 'removeMember' | 'addOwner' | 'removeOwner'): string {
  services.log.warn(`${where}: ${operation} failed: ${error.code}${error.status ? ` (${error.status})` : ''}: ${error.message}`);
  const why = explainError(error, refusalContext(services.auth.account, operation, { group }));
  return forWebview(why ? `${error.message} ${why}` : error.message, 2000);
}
