import * as vscode from 'vscode';
import { ErrorCodes, type GraphError } from '../core';

export interface FailureWording {
  /** The failed call was a change (a write): say whether it may have been applied. */
  change: boolean;
  /** The surface can read the object again (a form's Refresh button): point to it when the outcome is unknown. */
  refresh?: boolean;
}

/** "45 s", "2 min 3 s": how long something took, as a person reads it. */
export function humanDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return vscode.l10n.t('{0} s', seconds);
  const rest = seconds % 60;
  return rest === 0 ? vscode.l10n.t('{0} min', Math.floor(seconds / 60)) : vscode.l10n.t('{0} min {1} s', Math.floor(seconds / 60), rest);
}

/**
 * A failure in people's words: the one place that words a request that got no answer (timeout, network, cancel) and
 * whether a change may have happened. Graph's own refusals keep Graph's message. The raw detail (method, path, code,
 * request id) is for the log, never for this text.
 */
export function describeFailure(error: GraphError, wording: FailureWording): string {
  const waited = error.waitedMs !== undefined ? humanDuration(error.waitedMs) : undefined;
  let what: string;
  switch (error.code) {
    case ErrorCodes.timeout:
      what = waited && (error.attempts ?? 1) > 1
        ? vscode.l10n.t('Microsoft Graph did not answer. Waited {0} in total over {1} attempts.', waited, error.attempts ?? 1)
        : waited
          ? vscode.l10n.t('Microsoft Graph did not answer within {0}.', waited)
          : vscode.l10n.t('Microsoft Graph did not answer.');
      break;
    case ErrorCodes.network:
      what = waited ? vscode.l10n.t('Could not reach Microsoft Graph (tried for {0}).', waited) : vscode.l10n.t('Could not reach Microsoft Graph.');
      break;
    case ErrorCodes.cancelled:
      what = vscode.l10n.t('Cancelled.');
      break;
    default:
      // Graph's answer; when its outcome is unknown the core's message already says what may have happened.
      what = error.message;
  }
  if (!wording.change) return what;
  if (error.outcomeUnknown) {
    const check = error.maybeCreated
      ? vscode.l10n.t('Look for the group "{0}" before creating it again.', error.maybeCreated.displayName)
      : wording.refresh
        ? vscode.l10n.t('Refresh to see the current values (Microsoft Graph can take a moment to show a recent change).')
        : vscode.l10n.t('Check the object before trying again.');
    const unknown = what === error.message ? '' : ` ${vscode.l10n.t('The change may already have been applied.')}`;
    return `${what}${unknown} ${check}`;
  }
  const unanswered = error.code === ErrorCodes.timeout || error.code === ErrorCodes.network || error.code === ErrorCodes.cancelled;
  return unanswered ? `${what} ${vscode.l10n.t('Nothing was changed.')}` : what;
}
