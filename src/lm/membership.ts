import * as vscode from 'vscode';
import type { Group } from '../core';
import { nameOf } from '../shared/text';
import { groupLine, kindLabel, kindNoun, objectLine, readObject, roleAssignableLines, unreadLine, type DirectoryEntry } from './directoryNames';
import { groupRefusal } from './refusals';
import { errorReply, failure, type ToolReply } from './toolReply';
import { LmErrorCodes, LmToolNames, type ToolEnv } from './toolTypes';

export interface MembershipInput {
  groupId: string;
  memberId: string;
}

/**
 * The group and the member as read for one membership change, with Markdown list lines naming both (or saying
 * which could not be read); `refusal` when the change will not be made.
 */
export type MembershipCheck =
  | { lines: string[]; refusal: ToolReply; group?: Group; member?: DirectoryEntry }
  | { lines: string[]; refusal?: undefined; group: Group; member: DirectoryEntry };

/**
 * Reads both objects and applies the rules both the confirmation and the run follow: each object must be read (a
 * change is never made to something the confirmation could not name), the group must take members by hand, and for
 * an add the member must be a user.
 */
export async function checkMembership(env: ToolEnv, input: MembershipInput, change: 'add' | 'remove'): Promise<MembershipCheck> {
  const [group, member] = await Promise.all([env.graph.getGroup(input.groupId, { signal: env.signal }), readObject(env, input.memberId)]);
  const lines = [
    `- ${member.success ? objectLine(member.data) : unreadLine(vscode.l10n.t('Member'), input.memberId, member.error)}`,
    `- ${group.success ? groupLine(group.data) : unreadLine(kindLabel('group'), input.groupId, group.error)}`,
    ...(group.success ? roleAssignableLines(group.data) : []),
  ];
  if (!group.success) {
    return { lines, refusal: failure(vscode.l10n.t('Could not read the group {0}', input.groupId), group.error), ...(member.success ? { member: member.data } : {}) };
  }
  const found = { group: group.data, lines };
  if (!member.success) return { ...found, refusal: failure(vscode.l10n.t('Could not read the member {0}', input.memberId), member.error) };
  if (change === 'add' && member.data.kind !== 'user') {
    // The tool's schema promises users; nesting a group (or adding an app or a device) would hand out access the
    // confirmation's wording does not suggest.
    const message = vscode.l10n.t('The member {0} is {1} (id {2}), not a user: {3} adds users only. Nothing was changed.', input.memberId, kindNoun(member.data.kind), member.data.id, LmToolNames.addMemberToGroup);
    return { ...found, member: member.data, refusal: errorReply(message, { code: LmErrorCodes.notAUser, message }) };
  }
  const refusal = groupRefusal(group.data, 'members');
  return refusal ? { ...found, member: member.data, refusal } : { ...found, member: member.data };
}

/** A name for progress messages (plain text): the object's name when read, else the key the model gave. */
export function labelOf(o: { id: string; displayName?: string | null } | undefined, key: string): string {
  return o ? nameOf(o) : key;
}
