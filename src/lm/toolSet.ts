import type * as vscode from 'vscode';
import type { Services } from '../services';
import { addMemberToGroupTool } from './addMemberToGroupTool';
import { createGroupTool } from './createGroupTool';
import { deleteGroupTool } from './deleteGroupTool';
import { getManagerTool } from './getManagerTool';
import { getMs365GroupsTool } from './getMs365GroupsTool';
import { getOrganizationGroupsTool } from './getOrganizationGroupsTool';
import { getOrganizationUsersTool } from './getOrganizationUsersTool';
import { getProfileTool } from './getProfileTool';
import { removeMemberFromGroupTool } from './removeMemberFromGroupTool';
import { searchGroupsTool } from './searchGroupsTool';
import { LmToolRuntime } from './toolRuntime';
import { LmToolNames, type LmToolDefinition, type LmToolName } from './toolTypes';
import { updateGroupTool } from './updateGroupTool';
import { updateUserTool } from './updateUserTool';

/** Every Language Model tool, in one table: the type makes a missing or misnamed tool a compile error. */
export const LM_TOOLS: Readonly<Record<LmToolName, LmToolDefinition<unknown>>> = {
  [LmToolNames.getProfile]: getProfileTool,
  [LmToolNames.getManager]: getManagerTool,
  [LmToolNames.getMs365Groups]: getMs365GroupsTool,
  [LmToolNames.getOrganizationUsers]: getOrganizationUsersTool,
  [LmToolNames.getOrganizationGroups]: getOrganizationGroupsTool,
  [LmToolNames.searchGroups]: searchGroupsTool,
  [LmToolNames.createGroup]: createGroupTool,
  [LmToolNames.updateGroup]: updateGroupTool,
  [LmToolNames.deleteGroup]: deleteGroupTool,
  [LmToolNames.addMemberToGroup]: addMemberToGroupTool,
  [LmToolNames.removeMemberFromGroup]: removeMemberFromGroupTool,
  [LmToolNames.updateUser]: updateUserTool,
};

/**
 * The twelve tools as VS Code calls them, all through one runtime (it keeps the confirmations shown). The write
 * tools read `entraId.lm.enableWriteTools` on each call.
 */
export function buildLmTools(services: Services): Record<LmToolName, vscode.LanguageModelTool<unknown>> {
  const runtime = new LmToolRuntime(services);
  const tools = {} as Record<LmToolName, vscode.LanguageModelTool<unknown>>;
  for (const [name, def] of Object.entries(LM_TOOLS) as Array<[LmToolName, LmToolDefinition<unknown>]>) tools[name] = runtime.tool(name, def);
  return tools;
}
