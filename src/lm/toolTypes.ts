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
 * One Language Model tool. Its input has passed the schema (types, required, no extra properties) and
 * `check` before `prepare` or `run` sees it. Methods (not function properties) so the table can hold
 * tools of different input types.
 */
export interface LmToolDefinition<I> {
  /** Changes the directory: asks for confirmation and obeys the write-tools setting. */
  readonly write: boolean;
  readonly inputSchema: ObjectSchema;
  check?(input: I): InputProblem | undefined;
  prepare(env: ToolEnv, input: I): Promise<vscode.PreparedToolInvocation>;
  run(env: ToolEnv, input: I): Promise<ToolReply>;
}
