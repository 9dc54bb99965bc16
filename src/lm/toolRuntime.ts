import * as vscode from 'vscode';
import { ErrorCodes } from '../core';
import type { Services } from '../services';
import { checkInput } from './inputSchema';
import { forMarkdown, plainText } from '../shared/text';
import { errorReply, toToolResult, type ToolReply } from './toolReply';
import { WRITE_TOOLS_SETTING, type LmToolDefinition } from './toolTypes';

export const LmErrorCodes = {
  writeToolsDisabled: 'WriteToolsDisabled',
  notSignedIn: 'NotSignedIn',
  unexpected: 'UnexpectedError',
} as const;

/**
 * Wraps a definition as a `vscode.LanguageModelTool`. Whatever happens (bad input, Graph failure,
 * cancellation, a bug) the model gets a tool result with `success: false`; nothing is thrown at it.
 */
export function toLanguageModelTool<I>(name: string, def: LmToolDefinition<I>, services: Services): vscode.LanguageModelTool<unknown> {
  const isWriteEnabled = (): boolean => services.settings.writeToolsEnabled;
  return {
    prepareInvocation: async (options, token) => {
      try {
        return await prepare(name, def, services, isWriteEnabled, options.input, token);
      } catch (e) {
        services.log.warn(`${name}: preparing the confirmation failed: ${errorText(e)}`);
        // Never let a write through unconfirmed because its description could not be built.
        return def.write ? fallbackConfirmation(name, options.input) : {};
      }
    },
    invoke: async (options, token) => {
      const started = Date.now();
      const reply = await invoke(name, def, services, isWriteEnabled, options.input, token);
      const outcome = reply.payload.success ? 'ok' : reply.payload.error.code;
      services.log.info(`LM tool ${name}: ${outcome} (${Date.now() - started} ms)`);
      return toToolResult(reply);
    },
  };
}

async function prepare<I>(name: string, def: LmToolDefinition<I>, services: Services, isWriteEnabled: () => boolean, input: unknown, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
  if (def.write && !isWriteEnabled()) return { invocationMessage: writeDisabledMessage() };
  // Invalid input is refused by `invoke` before any request, so there is nothing to confirm.
  if (checkInput(def.inputSchema, input) || def.check?.(input as I)) return { invocationMessage: vscode.l10n.t('Checking the input of {0}', name) };
  return withSignal(token, (signal) => def.prepare({ services, graph: services.graph(), signal }, input as I));
}

async function invoke<I>(name: string, def: LmToolDefinition<I>, services: Services, isWriteEnabled: () => boolean, input: unknown, token: vscode.CancellationToken): Promise<ToolReply> {
  try {
    if (def.write && !isWriteEnabled()) {
      return errorReply(writeDisabledMessage(), { code: LmErrorCodes.writeToolsDisabled, message: writeDisabledMessage() });
    }
    // Validation comes before everything else: bad input never causes a request.
    const problem = checkInput(def.inputSchema, input) ?? def.check?.(input as I);
    if (problem) {
      return errorReply(vscode.l10n.t('Invalid input: {0}', problem.message), { code: ErrorCodes.validation, message: problem.message, ...(problem.field ? { field: problem.field } : {}) });
    }
    if (token.isCancellationRequested) return cancelled();
    if (!services.auth.account && !(await trySilentSignIn(services))) {
      const message = vscode.l10n.t('Nobody is signed in to Microsoft Entra ID. Ask the user to run "Entra ID: Sign In" and try again.');
      return errorReply(message, { code: LmErrorCodes.notSignedIn, message });
    }
    const reply = await withSignal(token, (signal) => def.run({ services, graph: services.graph(), signal }, input as I));
    return token.isCancellationRequested && !reply.payload.success ? cancelled() : reply;
  } catch (e) {
    services.log.error(`${name} failed unexpectedly: ${errorText(e)}`);
    const message = vscode.l10n.t('The tool failed unexpectedly: {0}', plainText(errorText(e)));
    return errorReply(message, { code: LmErrorCodes.unexpected, message });
  }
}

async function withSignal<T>(token: vscode.CancellationToken, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const sub = token.onCancellationRequested(() => controller.abort());
  try {
    return await work(controller.signal);
  } finally {
    sub.dispose();
  }
}

async function trySilentSignIn(services: Services): Promise<boolean> {
  try {
    return (await services.auth.trySilentSignIn()) !== undefined;
  } catch {
    return false;
  }
}

function cancelled(): ToolReply {
  const message = vscode.l10n.t('The request was cancelled.');
  return errorReply(message, { code: ErrorCodes.cancelled, message });
}

function writeDisabledMessage(): string {
  return vscode.l10n.t('Entra ID write tools are turned off (setting "{0}"). Nothing was changed; the user can turn them on in the settings.', WRITE_TOOLS_SETTING);
}

function fallbackConfirmation(name: string, input: unknown): vscode.PreparedToolInvocation {
  let json: string;
  try {
    json = JSON.stringify(input) ?? '';
  } catch {
    json = '';
  }
  return {
    confirmationMessages: {
      title: vscode.l10n.t('Change the Entra ID directory?'),
      message: new vscode.MarkdownString(vscode.l10n.t('Run {0} with this input: {1}', `**${forMarkdown(name)}**`, forMarkdown(json.length > 1000 ? `${json.slice(0, 999)}…` : json))),
    },
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
