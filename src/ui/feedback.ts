import * as vscode from 'vscode';
import { ErrorCodes, type GraphError, type RefusalContext } from '../core';
import { clip, forModalDetail, forNotification, plainText } from '../shared/text';
import { describeFailure } from './failureWords';
import { explainError } from './refusals';

/**
 * Every notification and modal of the extension goes through here, so the whole composed message — names, Graph's
 * codes and request ids included — passes the text policy once.
 */
export function showInfo<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
  return vscode.window.showInformationMessage(forNotification(message), ...actions);
}

export function showWarning<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(forNotification(message), ...actions);
}

export function showError<T extends string>(message: string, ...actions: T[]): Thenable<T | undefined> {
  return vscode.window.showErrorMessage(forNotification(message), ...actions);
}

/** Longest part of Graph's message a toast shows; the whole message, code and request id go to the log. */
const TOAST_MESSAGE_LIMIT = 200;
/** Room for a sign-in failure's message: what was refused, why, and what to do (with the portal link). */
const SIGN_IN_MESSAGE_LIMIT = 700;

/** Graph's message, its code and request id: what support asks for, written to the log. */
export function describeError(error: GraphError): string {
  const meta = [error.code, error.status !== undefined ? String(error.status) : undefined, error.requestId ? `request-id ${error.requestId}` : undefined].filter(Boolean).join(', ');
  return meta ? `${error.message} (${meta})` : error.message;
}

/**
 * A short toast (what failed and why, in a line) with the details in the log, one click away. When the refusal has a
 * known cause (a permission, a role, an administrator target, a group managed elsewhere…) the toast says it and what
 * fixes it: that is the one thing the admin must act on. `context` says what was attempted on what.
 */
export function showGraphError(log: Pick<vscode.LogOutputChannel, 'error' | 'show'>, what: string, error: GraphError, context?: RefusalContext): void {
  if (error.code === 'Cancelled') return;
  log.error(`${what}: ${describeError(error)}`);
  const explained = explainError(error, context);
  const hint = explained ? ` ${explained}` : '';
  const details = vscode.l10n.t('Show Log');
  // An unanswered request is worded for people (how long, whether a change may have happened); the raw one is logged.
  const unanswered = error.code === ErrorCodes.timeout || error.code === ErrorCodes.network;
  const message = unanswered ? describeFailure(error, { change: error.outcomeUnknown === true }) : error.message;
  // The sign-in layer's messages are written for people and end with the fix (a permission, an administrator's consent,
  // the guided setup): shown whole, where Graph's own text is cut short.
  const limit = error.code === ErrorCodes.authentication ? SIGN_IN_MESSAGE_LIMIT : TOAST_MESSAGE_LIMIT;
  void showError(`${what}: ${clip(plainText(message), limit)}${hint}`, details).then((answer) => {
    if (answer === details) log.show();
  });
}

/** Runs work with a cancellable notification; the signal aborts the Graph requests. */
export function withProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress<T>({ location: vscode.ProgressLocation.Notification, title: forNotification(title), cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      return work(controller.signal, (message) => progress.report({ message: forNotification(message) })).finally(() => {
        sub.dispose();
      });
    }),
  );
}

/**
 * A modal confirmation naming the object; resolves true only when the named action button was chosen. With `keep`,
 * that harmless choice is the dialog's first (default) button, so Enter never takes the action by accident.
 */
export async function confirmModal(message: string, detail: string, action: string, keep?: string): Promise<boolean> {
  const options = { modal: true, detail: forModalDetail(detail) };
  const answer = keep === undefined
    ? await vscode.window.showWarningMessage(forNotification(message), options, action)
    : await vscode.window.showWarningMessage(forNotification(message), options, keep, action);
  return answer === action;
}
