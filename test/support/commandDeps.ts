import type { CommandDeps } from '../../src/commands/types';
import type { Services } from '../../src/services';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { panelsOf } from './panels';
import { Uri } from './vscodeFake';
import { DesiredStateEditor } from '../../src/desiredStateEditor';

/** For tests whose commands never reach desired-state files: any call is a test failure. */
export const noDesiredState: CommandDeps['desiredState'] = {
  exportGroup: () => Promise.reject(new Error('unexpected desired-state export')),
  plan: () => Promise.reject(new Error('unexpected plan')),
  planFile: () => Promise.reject(new Error('unexpected plan')),
  apply: () => Promise.reject(new Error('unexpected apply')),
  copyAs: () => Promise.reject(new Error('unexpected copy')),
};

/** What the commands get in `activate`, built around test services: both trees, the page registry, no focused row. */
export function commandDeps(services: Services, overrides: Partial<CommandDeps> = {}): CommandDeps {
  return {
    services,
    trees: { users: new DirectoryTreeProvider('users', services), groups: new DirectoryTreeProvider('groups', services) },
    panels: panelsOf(services),
    desiredState: new DesiredStateEditor(services, Uri.file('/tmp/entra-desired-state-tests')),
    portalUrl: () => 'https://entra.microsoft.com',
    setContext: () => Promise.resolve(),
    switchCloud: () => Promise.resolve(),
    focused: () => undefined,
    ...overrides,
  };
}
