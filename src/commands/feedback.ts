import * as vscode from 'vscode';
import { consentHint, isConsentFailure } from '../auth/consent';
import type { GraphError } from '../core';
import type { Services } from '../services';

/** Graph's message, its code and request id (what support asks for), plus a hint when consent is missing. */
export function describeError(error: GraphError): string {
  const parts = [plainMessage(error.message)];
  const meta = [error.code, error.requestId ? vscode.l10n.t('request-id {0}', error.requestId) : undefined].filter(Boolean).join(', ');
  if (meta) parts.push(`(${meta})`);
  if (isConsentFailure(error)) parts.push(consentHint());
  return parts.join(' ');
}

export function showGraphError(what: string, error: GraphError): void {
  if (error.code === 'Cancelled') return;
  void vscode.window.showErrorMessage(`${what}: ${describeError(error)}`);
}

/** Runs work with a cancellable notification; the signal aborts the Graph requests. */
export function withProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress<T>({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      return work(controller.signal, (message) => progress.report({ message })).finally(() => {
        sub.dispose();
      });
    }),
  );
}

/** A modal confirmation naming the object; resolves true only when the named action button was chosen. */
export async function confirmModal(message: string, detail: string, action: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  return answer === action;
}

/** Ensures someone is signed in, prompting when needed. */
export async function ensureSignedIn(services: Services): Promise<boolean> {
  if (services.auth.account) return true;
  if (await services.auth.trySilentSignIn()) return true;
  return (await services.auth.signIn()) !== undefined;
}

// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[\r\n\t\u000b\u000c\u2028\u2029\u0085]+/g;
// Overrides and isolates make text read differently from what it is ("Invoice \u202Efdp.exe").
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text from the directory (or Graph) for notifications: one line, no bidi controls, and never a link. The workbench
 * turns `[label](https:…|command:…|file:…)` in a notification into a live link, a command link included; a
 * zero-width space between `]` and `(` keeps the text as it reads but no longer a link.
 */
export function plainMessage(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(BIDI_CONTROLS, '\uFFFD').replace(/\]\(/g, ']\u200B(');
}

/** Plain text for messages: one line, bounded, so a crafted name cannot fill the screen (see {@link plainMessage}). */
export function nameOf(o: { displayName?: string | null; id: string }): string {
  const text = plainMessage(o.displayName ?? o.id).trim() || o.id;
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
