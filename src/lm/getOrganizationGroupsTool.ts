import * as vscode from 'vscode';
import { listReply, totalIfCut } from './listReply';
import { compactGroup, failure } from './toolReply';
import { maxItemsOf, maxItemsSchema } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

interface Input {
  maxItems?: number;
}

export const getOrganizationGroupsTool: LmToolDefinition<Input> = {
  write: false,
  inputSchema: {
    type: 'object',
    properties: { maxItems: maxItemsSchema('groups') },
    additionalProperties: false,
  },
  prepare: () => Promise.resolve({ invocationMessage: vscode.l10n.t('Listing the groups of the organization') }),
  async run(env, input) {
    const max = maxItemsOf(input);
    const result = await env.graph.getOrganizationGroups({ maxItems: max + 1, signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not list the groups of the organization'), result.error);
    const total = await totalIfCut(result.data, max, () => env.graph.countGroups({ signal: env.signal }));
    return listReply(result.data, max, {
      complete: (n) => vscode.l10n.t('The organization has {0} group(s).', n),
      partial: (n) => vscode.l10n.t('Showing the first {0} groups; more exist.', n),
      narrow: vscode.l10n.t('Narrow with entra_search_groups'),
    }, compactGroup, {}, total);
  },
};
