import * as vscode from 'vscode';
import { compact, dataReply, failure } from './toolReply';
import { optionalUserTool, requireUserWhenAppOnly, type OptionalUserInput } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

export const getProfileTool: LmToolDefinition<OptionalUserInput> = {
  write: false,
  ...optionalUserTool((user) => vscode.l10n.t('Reading the profile of {0}', user), () => vscode.l10n.t('Reading your profile')),
  async run(env, input) {
    const appOnly = requireUserWhenAppOnly(env, input.userId);
    if (appOnly) return appOnly;
    const result = await env.graph.getProfile(input.userId, { signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not read the profile of {0}', input.userId ?? vscode.l10n.t('the signed-in user')), result.error);
    const who = input.userId ?? vscode.l10n.t('the signed-in user');
    return dataReply(vscode.l10n.t('Profile of {0} (id {1}).', who, result.data.id), compact(result.data));
  },
};
