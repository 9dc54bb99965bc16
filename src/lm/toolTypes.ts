import type * as vscode from 'vscode';
import type { GraphClient } from '../core';
import type { Services } from '../services';
import { SettingKeys } from '../shared/settingKeys';
import type { InputProblem, ObjectSchema } from './inputSchema';
import type { ToolReply } from './toolReply';

/** Tool names as declared in `contributes.languageModelTools` (package.json). */
export const LmToolNames = {
  getProfile: 'entra_get_profile',
  getManager: 'entra_get_manager',
  getMs365Groups: 'entra_get_ms365_groups',
  getOrganizationUsers: 'entra_get_organization_users',
  getOrganizationGroups: 'entra_get_organization_groups',
  searchGroups: 'entra_search_groups',
  createGroup: 'entra_create_group',
  updateGroup: 'entra_update_group',
  deleteGroup: 'entra_delete_group',
  addMemberToGroup: 'entra_add_member_to_group',
  removeMemberFromGroup: 'entra_remove_member_from_group',
  updateUser: 'entra_update_user',
} as const;

export type LmToolName = (typeof LmToolNames)[keyof typeof LmToolNames];

/** Codes of the failures the tools themselves produce (every other code is Graph's or the core's). */
export const LmErrorCodes = {
  writeToolsDisabled: 'WriteToolsDisabled',
  notSignedIn: 'NotSignedIn',
  unexpected: 'UnexpectedError',
  /** An invoke that no confirmation describing this very change preceded. */
  notConfirmed: 'NotConfirmed',
  /** A member or owner that is not a user, given to a tool that takes users only. */
  notAUser: 'NotAUser',
  /** A group whose members come from a rule or from Exchange: nobody adds or removes them through Graph. */
  membershipNotManual: 'MembershipNotManual',
  /** A group Graph does not let anyone change (mail-enabled security groups and distribution lists). */
  groupNotWritable: 'GroupNotWritable',
} as const;

/** The setting that turns the write tools off (also the manifest's `when` clause). */
export const WRITE_TOOLS_SETTING = SettingKeys.writeTools;

/** Lists are cut here unless the model asks for more (Graph's page limit is the ceiling). */
export const DEFAULT_MAX_ITEMS = 50;
export const MAX_ITEMS_LIMIT = 999;

/** What one invocation works with. */
export interface ToolEnv {
  readonly services: Services;
  readonly graph: GraphClient;
  /** Aborted when the chat cancels the invocation. */
  readonly signal: AbortSignal;
}

/**
 * What a write tool shows before it runs. Every affected object is named by type, name and id; when the tool
 * already knows it will not make the change (an object could not be read, a group cannot take members by hand…),
 * `refusal` is the result `invoke` gives, and the confirmation says so instead of describing a change.
 */
export interface WriteConfirmation {
  /** Progress text while the tool runs (plain text: objects may be named through the text policy). */
  invocationMessage: string;
  title: string;
  /** Markdown lines, every value already escaped. */
  lines: string[];
  refusal?: ToolReply;
}

/**
 * One Language Model tool. Its input has passed the schema (types, required, no extra properties) and
 * `check` before `prepare` or `run` sees it. Methods (not function properties) so the table can hold
 * tools of different input types.
 */
interface ToolBase<I> {
  readonly inputSchema: ObjectSchema;
  check?(input: I): InputProblem | undefined;
  run(env: ToolEnv, input: I): Promise<ToolReply>;
}

/** Reads only: a progress message, no confirmation. */
export interface ReadToolDefinition<I> extends ToolBase<I> {
  readonly write: false;
  prepare(env: ToolEnv, input: I): Promise<vscode.PreparedToolInvocation>;
}

/** Changes the directory: always confirmed first, and obeys the write-tools setting. */
export interface WriteToolDefinition<I> extends ToolBase<I> {
  readonly write: true;
  prepare(env: ToolEnv, input: I): Promise<WriteConfirmation>;
}

export type LmToolDefinition<I> = ReadToolDefinition<I> | WriteToolDefinition<I>;
