import * as vscode from 'vscode';
import { loadOnce } from '../core/loadOnce';
import type { Services } from '../services';
import { LmToolNames, type LmToolName } from './toolTypes';

type ToolSet = Record<LmToolName, vscode.LanguageModelTool<unknown>>;

/**
 * Registers the twelve tools with `vscode.lm.registerTool` under the names of the `languageModelTools` contribution
 * (package.json). The tools themselves (toolSet.ts, a chunk of its own) and the services they use are read on the
 * first call to any of them, so activation does not read them.
 */
export function registerLmTools(services: () => Services | Promise<Services>): vscode.Disposable[] {
  const load = loadOnce(async (): Promise<ToolSet> => (await import('./toolSet')).buildLmTools(await services()));
  return Object.values(LmToolNames).map((name) =>
    vscode.lm.registerTool(name, {
      prepareInvocation: async (options, token) => (await load())[name].prepareInvocation?.(options, token),
      invoke: async (options, token) => (await load())[name].invoke(options, token),
    }),
  );
}

export { LmToolNames, WRITE_TOOLS_SETTING } from './toolTypes';
