import * as vscode from 'vscode';
import { listReply, totalIfCut } from './listReply';
import { compactUser, failure } from './toolReply';
import { maxItemsOf, maxItemsSchema } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

interface Input {
  maxItems?: number;
  includeDisabled?: boolean;
}

export const getOrganizationUsersTool: LmToolDefinition<Input> = {
  write: false,
  inputSchema: {
    type: 'object',
    properties: {
      maxItems: maxItemsSchema('users'),
      includeDisabled: { type: 'boolean', default: false, description: 'Also list disabled accounts (accountEnabled false). Default false: enabled accounts only.' },
    },
    additionalProperties: false,
  },
  prepare: () => Promise.resolve({ invocationMessage: vscode.l10n.t('Listing the users of the organization') }),
  async run(env, input) {
    const max = maxItemsOf(input);
    const includeDisabled = input.includeDisabled ?? false;
    const result = await env.graph.getOrganizationUsers({ maxItems: max + 1, includeDisabled, signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not list the users of the organization'), result.error);
    const total = await totalIfCut(result.data, max, () => env.graph.countUsers({ includeDisabled, signal: env.signal }));
    return listReply(result.data, max, {
      complete: (n) => (includeDisabled ? vscode.l10n.t('The organization has {0} user(s).', n) : vscode.l10n.t('The organization has {0} enabled user(s).', n)),
      partial: (n) => vscode.l10n.t('Showing the first {0} users; more exist.', n),
      narrow: vscode.l10n.t('For one person use entra_get_profile with their user principal name'),
    }, compactUser, { includeDisabled }, total);
  },
};
