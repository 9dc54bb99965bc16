import * as vscode from 'vscode';
import { ErrorCodes } from '../core';
import type { Services } from '../services';
import { forMarkdown, plainText } from '../shared/text';
import { READ_ONLY_CODE, readOnlyMessage } from '../ui/writeGuard';
import { checkInput, type InputProblem } from './inputSchema';
import { bold } from './markdown';
import { ShownConfirmations } from './shownConfirmations';
import { errorReply, toToolResult, type ToolReply } from './toolReply';
import { LmErrorCodes, WRITE_TOOLS_SETTING, type LmToolDefinition, type ReadToolDefinition, type ToolEnv, type WriteConfirmation, type WriteToolDefinition } from './toolTypes';

export { LmErrorCodes } from './toolTypes';

/** How long a confirmation stays good for its invoke. */
export const CONFIRMATION_TTL_MS = 10 * 60_000;

export interface RuntimeOptions {
  /** The clock the confirmations expire by (tests move it). */
  now?: () => number;
}

/**
 * Wraps tool definitions as `vscode.LanguageModelTool`s. Whatever happens (bad input, Graph failure, cancellation,
 * a bug) the model gets a tool result with `success: false`; nothing is thrown at it.
 *
 * A write tool always answers `prepareInvocation` with a confirmation, whatever the write-tools setting says, and
 * `invoke` runs only the call that very confirmation described: the runtime keeps the confirmations it returned
 * (instance state, one runtime per registration) and refuses an invoke without one — the setting turned on after a
 * "turned off" confirmation, a confirmation that could not be built, an input that differs from the one shown.
 */
export class LmToolRuntime {
  private readonly shown: ShownConfirmations;

  constructor(private readonly services: Services, options: RuntimeOptions = {}) {
    this.shown = new ShownConfirmations(options.now ?? Date.now, CONFIRMATION_TTL_MS);
  }

  tool<I>(name: string, def: LmToolDefinition<I>): vscode.LanguageModelTool<unknown> {
    return {
      prepareInvocation: (options, token) => (def.write ? this.prepareWrite(name, def, options.input, token) : this.prepareRead(name, def, options.input, token)),
      invoke: async (options, token) => {
        const started = Date.now();
        const reply = await this.invoke(name, def, options.input, token);
        const outcome = reply.payload.success ? 'ok' : reply.payload.error.code;
        this.services.log.info(`LM tool ${name}: ${outcome} (${Date.now() - started} ms)`);
        return toToolResult(reply);
      },
    };
  }

  private get writesEnabled(): boolean {
    return this.services.settings.writeToolsEnabled;
  }

  private async prepareRead<I>(name: string, def: ReadToolDefinition<I>, input: unknown, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    try {
      // Invalid input is refused by `invoke` before any request; a read needs no confirmation.
      if (checkInput(def.inputSchema, input) || def.check?.(input as I)) return { invocationMessage: vscode.l10n.t('Checking the input of {0}', name) };
      return await withSignal(token, (signal) => def.prepare(this.env(signal), input as I));
    } catch (e) {
      this.services.log.warn(`${name}: preparing the invocation failed: ${errorText(e)}`);
      return {};
    }
  }

  private async prepareWrite<I>(name: string, def: WriteToolDefinition<I>, input: unknown, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    let c: WriteConfirmation;
    try {
      c = await this.confirmation(name, def, input, token);
    } catch (e) {
      this.services.log.warn(`${name}: preparing the confirmation failed: ${errorText(e)}`);
      c = unbuildable(name, e);
    }
    this.shown.record(name, input, c.refusal ? { refusal: c.refusal } : {});
    return {
      invocationMessage: c.invocationMessage,
      confirmationMessages: { title: c.title, message: new vscode.MarkdownString(c.lines.join('\n')) },
    };
  }

  /** The confirmation, or a "nothing will be changed" one saying why, in the order `invoke` checks. */
  private async confirmation<I>(name: string, def: WriteToolDefinition<I>, input: unknown, token: vscode.CancellationToken): Promise<WriteConfirmation> {
    if (this.services.settings.readOnly) return nothingWillChange(name, vscode.l10n.t('Entra ID is in read-only mode'), readOnlyMode());
    if (!this.writesEnabled) {
      const message = vscode.l10n.t('Entra ID write tools were turned off (setting "{0}") when this call was prepared, so nothing was changed. The user can turn them on in the settings; then call the tool again.', WRITE_TOOLS_SETTING);
      return nothingWillChange(name, vscode.l10n.t('Entra ID write tools are turned off'), errorReply(message, { code: LmErrorCodes.writeToolsDisabled, message }));
    }
    const problem = checkInput(def.inputSchema, input) ?? def.check?.(input as I);
    if (problem) return nothingWillChange(name, vscode.l10n.t('Invalid input for {0}', name), invalidInput(problem));
    if (!(await this.signedIn())) return nothingWillChange(name, vscode.l10n.t('Not signed in to Microsoft Entra ID'), notSignedIn());
    return withSignal(token, (signal) => def.prepare(this.env(signal), input as I));
  }

  private async invoke<I>(name: string, def: LmToolDefinition<I>, input: unknown, token: vscode.CancellationToken): Promise<ToolReply> {
    try {
      // Used up whatever follows: one confirmation, one invoke.
      const shown = def.write ? this.shown.take(name, input) : undefined;
      // Read-only mode refuses whatever was confirmed: it may have been turned on since.
      if (def.write && this.services.settings.readOnly) return readOnlyMode();
      if (def.write && !this.writesEnabled) return writesDisabled();
      // Validation comes before everything else: bad input never causes a request.
      const problem = checkInput(def.inputSchema, input) ?? def.check?.(input as I);
      if (problem) return invalidInput(problem);
      if (def.write) {
        if (!shown) return notConfirmed();
        if (shown.refusal) return shown.refusal;
      }
      if (token.isCancellationRequested) return cancelled();
      if (!(await this.signedIn())) return notSignedIn();
      const reply = await withSignal(token, (signal) => def.run(this.env(signal), input as I));
      return token.isCancellationRequested && !reply.payload.success ? cancelled() : reply;
    } catch (e) {
      this.services.log.error(`${name} failed unexpectedly: ${errorText(e)}`);
      const message = vscode.l10n.t('The tool failed unexpectedly: {0}', plainText(errorText(e)));
      return errorReply(message, { code: LmErrorCodes.unexpected, message });
    }
  }

  private env(signal: AbortSignal): ToolEnv {
    return { services: this.services, graph: this.services.graph(), signal };
  }

  private async signedIn(): Promise<boolean> {
    if (this.services.auth.account) return true;
    try {
      return (await this.services.auth.trySilentSignIn()) !== undefined;
    } catch {
      return false;
    }
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

/** A confirmation that says the call will change nothing, and why; `invoke` then answers with `refusal`. */
function nothingWillChange(name: string, title: string, refusal: ToolReply): WriteConfirmation {
  return {
    invocationMessage: vscode.l10n.t('Running {0}', name),
    title,
    lines: [`${bold(vscode.l10n.t('Nothing will be changed.'))} ${forMarkdown(refusal.summary)}`, '', `- ${vscode.l10n.t('Tool: {0}', bold(name))}`],
    refusal,
  };
}

/** When building the confirmation failed, the user is still asked, is told that nothing will change, and nothing does. */
function unbuildable(name: string, e: unknown): WriteConfirmation {
  const message = vscode.l10n.t('The confirmation of this change could not be prepared ({0}), so nothing was changed.', plainText(errorText(e)));
  return nothingWillChange(name, vscode.l10n.t('Change the Entra ID directory?'), errorReply(message, { code: LmErrorCodes.notConfirmed, message }));
}

function invalidInput(problem: InputProblem): ToolReply {
  return errorReply(vscode.l10n.t('Invalid input: {0}', problem.message), { code: ErrorCodes.validation, message: problem.message, ...(problem.field ? { field: problem.field } : {}) });
}

function writesDisabled(): ToolReply {
  const message = vscode.l10n.t('Entra ID write tools are turned off (setting "{0}"). Nothing was changed; the user can turn them on in the settings.', WRITE_TOOLS_SETTING);
  return errorReply(message, { code: LmErrorCodes.writeToolsDisabled, message });
}

function readOnlyMode(): ToolReply {
  const message = readOnlyMessage();
  return errorReply(message, { code: READ_ONLY_CODE, message });
}

function notConfirmed(): ToolReply {
  const message = vscode.l10n.t('No confirmation of this exact change was shown to the user (or it expired), so nothing was changed. Call the tool again to ask the user.');
  return errorReply(message, { code: LmErrorCodes.notConfirmed, message });
}

function notSignedIn(): ToolReply {
  const message = vscode.l10n.t('Nobody is signed in to Microsoft Entra ID. Ask the user to run "Entra ID: Sign In" and try again.');
  return errorReply(message, { code: LmErrorCodes.notSignedIn, message });
}

function cancelled(): ToolReply {
  const message = vscode.l10n.t('The request was cancelled.');
  return errorReply(message, { code: ErrorCodes.cancelled, message });
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
