import * as vscode from 'vscode';
import { compactObject, dataReply, failure, okReply } from './toolReply';
import { optionalUserTool, requireUserWhenAppOnly, type OptionalUserInput } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

export const getManagerTool: LmToolDefinition<OptionalUserInput> = {
  write: false,
  ...optionalUserTool((user) => vscode.l10n.t('Looking up the manager of {0}', user), () => vscode.l10n.t('Looking up your manager')),
  async run(env, input) {
    const appOnly = requireUserWhenAppOnly(env, input.userId);
    if (appOnly) return appOnly;
    const who = input.userId ?? vscode.l10n.t('the signed-in user');
    const result = await env.graph.getManager(input.userId, { signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not read the manager of {0}', who), result.error);
    if (result.data === null) return okReply(vscode.l10n.t('No manager is set for {0} in the directory.', who), null, { hasManager: false });
    return dataReply(vscode.l10n.t('The manager of {0} has the id {1}.', who, result.data.id), compactObject(result.data), { hasManager: true });
  },
};
