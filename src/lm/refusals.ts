import * as vscode from 'vscode';
import type { Group } from '../core';
import { acceptsManualMembers, classifyGroup, isWritableThroughGraph } from '../shared/groupKinds';
import { forMarkdown } from '../shared/text';
import { bold } from './markdown';
import { errorReply, type ToolReply } from './toolReply';
import { LmErrorCodes } from './toolTypes';

/**
 * Why a write tool will not touch a group, from the one group-kind classification; undefined when it may.
 * Results name the group by id only (see `dataReply`).
 */
export function groupRefusal(group: Group, change: 'members' | 'properties'): ToolReply | undefined {
  const c = classifyGroup(group);
  const exchange = vscode.l10n.t('mail-enabled security groups and distribution lists are managed in Exchange Online, not through Microsoft Graph');
  if (!isWritableThroughGraph(c)) {
    const message = change === 'members'
      ? vscode.l10n.t('The group {0} does not take members added or removed by hand: {1}. Nothing was changed.', group.id, exchange)
      : vscode.l10n.t('The group {0} cannot be changed through Microsoft Graph: {1}. Nothing was changed.', group.id, exchange);
    return errorReply(message, { code: change === 'members' ? LmErrorCodes.membershipNotManual : LmErrorCodes.groupNotWritable, message });
  }
  if (change === 'members' && !acceptsManualMembers(c)) {
    const message = vscode.l10n.t('The group {0} does not take members added or removed by hand: its members come from a membership rule (dynamic membership). Nothing was changed.', group.id);
    return errorReply(message, { code: LmErrorCodes.membershipNotManual, message });
  }
  return undefined;
}

/** The opening line of a confirmation for a call that will be refused: the user sees that nothing will happen, and why. */
export function refusalHeadline(refusal: ToolReply): string {
  return `${bold(vscode.l10n.t('Nothing will be changed.'))} ${forMarkdown(refusal.summary)}`;
}
