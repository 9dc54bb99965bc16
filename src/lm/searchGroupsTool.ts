import * as vscode from 'vscode';
import { listReply, totalIfCut } from './listReply';
import { plainText } from '../shared/text';
import { compactGroup, failure } from './toolReply';
import { maxItemsOf, maxItemsSchema } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

interface Input {
  query: string;
  maxItems?: number;
}

export const searchGroupsTool: LmToolDefinition<Input> = {
  write: false,
  inputSchema: {
    type: 'object',
    properties: {
      query: {
        type: 'string',
        minLength: 1,
        maxLength: 256,
        description: 'Words to look for in group display names and descriptions. Graph matches the start of words ("sal" finds "Sales EMEA"), case-insensitively.',
      },
      maxItems: maxItemsSchema('groups'),
    },
    required: ['query'],
    additionalProperties: false,
  },
  check: (input) => (input.query.trim() === '' ? { field: 'query', message: vscode.l10n.t('query cannot be blank.') } : undefined),
  prepare: (_env, input) => Promise.resolve({ invocationMessage: vscode.l10n.t('Searching groups for "{0}"', plainText(input.query)) }),
  async run(env, input) {
    const max = maxItemsOf(input);
    const result = await env.graph.searchGroups(input.query, { maxItems: max + 1, signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not search groups for "{0}"', input.query), result.error);
    const total = await totalIfCut(result.data, max, () => env.graph.countGroups({ search: input.query, signal: env.signal }));
    return listReply(result.data, max, {
      complete: (n) => vscode.l10n.t('{0} group(s) match "{1}".', n, input.query),
      partial: (n) => vscode.l10n.t('Showing the first {0} groups matching "{1}"; more exist.', n, input.query),
      narrow: vscode.l10n.t('Narrow with a more specific query'),
    }, compactGroup, { query: input.query }, total);
  },
};
