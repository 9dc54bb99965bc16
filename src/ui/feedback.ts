import * as vscode from 'vscode';
import { consentHint, isConsentFailure } from '../auth/consent';
import type { GraphError } from '../core';
import { forNotification } from '../shared/text';

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

/** Graph's message, its code and request id (what support asks for), plus a hint when consent is missing. */
export function describeError(error: GraphError): string {
  const parts = [error.message];
  const meta = [error.code, error.requestId ? vscode.l10n.t('request-id {0}', error.requestId) : undefined].filter(Boolean).join(', ');
  if (meta) parts.push(`(${meta})`);
  if (isConsentFailure(error)) parts.push(consentHint());
  return parts.join(' ');
}

export function showGraphError(what: string, error: GraphError): void {
  if (error.code === 'Cancelled') return;
  void showError(`${what}: ${describeError(error)}`);
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

/** A modal confirmation naming the object; resolves true only when the named action button was chosen. */
export async function confirmModal(message: string, detail: string, action: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(forNotification(message), { modal: true, detail: forNotification(detail) }, action);
  return answer === action;
}
