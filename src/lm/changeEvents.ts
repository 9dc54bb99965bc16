import type { DirectoryChange } from '../changes';
import type { ToolEnv } from './toolTypes';

/**
 * Tells the views about a change that has been made. A failing listener must not turn a successful
 * write into a failed tool result: the model would retry and, e.g., create the group twice.
 */
export function announce(env: ToolEnv, change: DirectoryChange): void {
  try {
    env.services.changes.fire(change);
  } catch (e) {
    env.services.log.warn(`Updating the views after ${change.kind} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
