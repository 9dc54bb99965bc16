/**
 * What UI test files share with the orchestrator (test/e2e/run.ts): the emulator object, the running code-server and
 * the browser. Kept on `globalThis` so test files see the same object however mocha loads them.
 */
import type { Emulator } from '../../emulator';
import { Workbench, type E2EBrowser } from './browser';
import type { CodeServerProfile, RunningCodeServer } from './codeServer';
import type { Manifest } from './manifest';

export type { Emulator };

export interface UiTestContext {
  emulator: Emulator;
  server: RunningCodeServer;
  /** The throwaway user-data and extensions folders the server runs with. */
  profile: CodeServerProfile;
  browser: E2EBrowser;
  manifest: Manifest;
  /** Opens the workspace in a new page and waits for the workbench; close it when done. */
  openWorkbench(): Promise<Workbench>;
}

const KEY = Symbol.for('entra-directory.e2e.context');
type Holder = { [KEY]?: UiTestContext };

export function setUiTestContext(context: UiTestContext | undefined): void {
  (globalThis as Holder)[KEY] = context;
}

/** The shared context; fails when a UI test is run outside test/e2e/run.ts. */
export function e2e(): UiTestContext {
  const context = (globalThis as Holder)[KEY];
  if (!context) throw new Error('No e2e context: run UI tests through test/e2e/run.ts');
  return context;
}

export function createUiTestContext(parts: Omit<UiTestContext, 'openWorkbench'>): UiTestContext {
  return { ...parts, openWorkbench: () => Workbench.open(parts.browser, parts.server.workbenchUrl()) };
}
