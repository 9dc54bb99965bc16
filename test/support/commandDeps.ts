import type { CommandDeps } from '../../src/commands/types';
import type { Services } from '../../src/services';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { panelsOf } from './panels';
import { Uri } from './vscodeFake';
import { DesiredStateEditor } from '../../src/desiredStateEditor';
import { HistoryTreeProvider } from '../../src/tree/historyTree';
import { MemoryJournal } from './memoryJournal';

/** The journal the services' write path records into (test services carry one), else an empty one. */
function journalOf(services: Services): MemoryJournal {
  const journal = (services as { journal?: unknown }).journal;
  return journal instanceof MemoryJournal ? journal : new MemoryJournal();
}

/** For tests whose commands never reach desired-state files: any call is a test failure. */
export const noDesiredState: CommandDeps['desiredState'] = {
  exportGroup: () => Promise.reject(new Error('unexpected desired-state export')),
  plan: () => Promise.reject(new Error('unexpected plan')),
  planFile: () => Promise.reject(new Error('unexpected plan')),
  apply: () => Promise.reject(new Error('unexpected apply')),
  copyAs: () => Promise.reject(new Error('unexpected copy')),
};

/** For tests whose commands never reach the History view: any use is a test failure. */
export const noHistory: CommandDeps['history'] = {
  journal: { read: () => Promise.reject(new Error('unexpected journal read')), onDidAppend: () => ({ dispose: () => undefined }) },
  filter: {},
  setFilter: () => {
    throw new Error('unexpected history filter');
  },
  shown: () => Promise.reject(new Error('unexpected history read')),
};

/** What the commands get in `activate`, built around test services: both trees, the page registry, no focused row. */
export function commandDeps(services: Services, overrides: Partial<CommandDeps> = {}): CommandDeps {
  return {
    services,
    trees: { users: new DirectoryTreeProvider('users', services), groups: new DirectoryTreeProvider('groups', services) },
    panels: panelsOf(services),
    desiredState: new DesiredStateEditor(services, Uri.file('/tmp/entra-desired-state-tests')),
    history: new HistoryTreeProvider(journalOf(services), services.identity.onDidChange),
    portalUrl: () => 'https://entra.microsoft.com',
    setContext: () => Promise.resolve(),
    switchCloud: () => Promise.resolve(),
    focused: () => undefined,
    ...overrides,
  };
}

/** `deps` as registerCommands asks for them (on each run): here built already, so every run gets the same ones. */
export const readyDeps =
  (deps: CommandDeps): (() => CommandDeps) =>
  () =>
    deps;
