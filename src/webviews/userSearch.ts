import type * as vscode from 'vscode';
import { checkSearchTerm } from '../core/validation';
import type { Services } from '../services';
import { personRef } from './directoryRefs';
import { wireError } from './formRules';
import type { ExtensionMessage } from './protocol';

const MAX_RESULTS = 20;

/** Search-as-you-type for the people pickers: a new term cancels the search still running. */
export class UserSearch implements vscode.Disposable {
  private running: AbortController | undefined;

  constructor(
    private readonly services: Services,
    private readonly post: (message: ExtensionMessage) => void,
  ) {}

  async run(requestId: number, term: string): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const problem = checkSearchTerm(term);
    if (problem) {
      this.post({ type: 'searchResult', requestId, users: [], error: { code: 'ValidationError', message: problem, field: 'term' } });
      return;
    }
    const result = await this.services.graph().searchUsers(term.trim(), { maxItems: MAX_RESULTS, signal: controller.signal });
    // A newer term replaced this search; its answer is the one the page waits for.
    if (controller.signal.aborted) return;
    this.running = undefined;
    if (result.success) {
      this.post({ type: 'searchResult', requestId, users: result.data.slice(0, MAX_RESULTS).map(personRef) });
    } else {
      this.services.log.warn(`User search failed: ${result.error.code}`);
      this.post({ type: 'searchResult', requestId, users: [], error: wireError(result.error, []) });
    }
  }

  dispose(): void {
    this.running?.abort();
  }
}
