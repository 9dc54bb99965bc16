import type { DirectoryTreeProvider } from '../tree/directoryTree';
import type { Services } from '../services';

/** The webview forms, as the commands open them. */
export interface Panels {
  showProfile(userId: string | undefined): void;
  createGroup(): void;
  editGroup(groupId: string): void;
  editUser(userId: string): void;
}

export interface CommandDeps {
  services: Services;
  trees: { users: DirectoryTreeProvider; groups: DirectoryTreeProvider };
  panels: Panels;
  /** Portal base of the configured cloud, for "open in the Entra admin center". */
  portalUrl(): string;
  setContext(key: string, value: unknown): Thenable<unknown>;
  /** `entraId.users.showDisabled` */
  showDisabled(): boolean;
  setShowDisabled(value: boolean): Thenable<void>;
  /** Switch cloud/tenant: asks and updates settings. */
  switchCloud(): Promise<void>;
}

export type Handler = (deps: CommandDeps, arg?: unknown) => unknown;
