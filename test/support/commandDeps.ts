import type { CommandDeps } from '../../src/commands/types';
import type { Services } from '../../src/services';
import { DirectoryTreeProvider } from '../../src/tree/directoryTree';
import { panelsOf } from './panels';

/** What the commands get in `activate`, built around test services: both trees, the page registry, no focused row. */
export function commandDeps(services: Services, overrides: Partial<CommandDeps> = {}): CommandDeps {
  return {
    services,
    trees: { users: new DirectoryTreeProvider('users', services), groups: new DirectoryTreeProvider('groups', services) },
    panels: panelsOf(services),
    portalUrl: () => 'https://entra.microsoft.com',
    setContext: () => Promise.resolve(),
    switchCloud: () => Promise.resolve(),
    focused: () => undefined,
    ...overrides,
  };
}
