import * as vscode from 'vscode';
import { listReply } from './listReply';
import { plainText } from '../shared/text';
import { compactGroup, failure } from './toolReply';
import { maxItemsOf, maxItemsSchema, OPTIONAL_USER_DESCRIPTION, requireUserWhenAppOnly, userKeyProblem, userKeySchema } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

interface Input {
  userId?: string;
  maxItems?: number;
}

export const getMs365GroupsTool: LmToolDefinition<Input> = {
  write: false,
  inputSchema: {
    type: 'object',
    properties: {
      userId: userKeySchema(OPTIONAL_USER_DESCRIPTION),
      maxItems: maxItemsSchema('groups'),
    },
    additionalProperties: false,
  },
  check: (input) => userKeyProblem(input.userId, 'userId'),
  prepare: (_env, input) =>
    Promise.resolve({
      invocationMessage: input.userId
        ? vscode.l10n.t('Listing the Microsoft 365 groups of {0}', plainText(input.userId))
        : vscode.l10n.t('Listing your Microsoft 365 groups'),
    }),
  async run(env, input) {
    const appOnly = requireUserWhenAppOnly(env, input.userId);
    if (appOnly) return appOnly;
    const who = input.userId ?? vscode.l10n.t('the signed-in user');
    const max = maxItemsOf(input);
    const result = await env.graph.getMs365Groups(input.userId, { maxItems: max + 1, signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not list the Microsoft 365 groups of {0}', who), result.error);
    return listReply(result.data, max, {
      complete: (n) => vscode.l10n.t('{0} Microsoft 365 group(s) with {1} as a direct member.', n, who),
      partial: (n) => vscode.l10n.t('Showing the first {0} Microsoft 365 groups of {1}; more exist.', n, who),
      narrow: vscode.l10n.t('Narrow with entra_search_groups'),
    }, compactGroup);
  },
};
