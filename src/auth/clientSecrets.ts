import { isGuid } from '../core/validation';
import { COMMAND_TITLES } from './authErrors';
import { SECRET_KEYS, type AuthLog, type SecretStore } from './types';

/** A client secret handed over by the environment (CI, a headless host) instead of the password box. */
export const SECRET_VARIABLE = 'ENTRA_ID_CLIENT_SECRET';

/** Machine-local memory of "the user cleared this app's secret" (globalState; never synced, never a setting). */
export interface ClearedStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const clearedKey = (clientId: string): string => `entraId.auth.secretCleared/${clientId}`;

/**
 * The app registration's client secret: the one typed into the password box (SecretStorage), or the one in
 * {@link SECRET_VARIABLE}, which is used in memory for this run only. The environment's secret wins for this run but
 * is never stored, so it never overwrites or outlives the stored one. Clearing the secret drops both, and is
 * remembered, so the environment cannot bring a cleared secret back on the next start.
 */
export class ClientSecrets {
  private fromEnvironment: { clientId: string; secret: string } | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly cleared: ClearedStore | undefined,
    private readonly log: AuthLog,
  ) {}

  /** Takes the environment's secret for `clientId` (the configured app at activation), if that is a valid app id. */
  adoptFromEnvironment(secret: string | undefined, clientId: string | undefined): void {
    const value = secret?.trim();
    if (!value) return;
    // Bound to a validated app id: a secret must never be filed (or sent) under whatever a setting happens to hold.
    if (!clientId || !isGuid(clientId)) {
      this.log.warn(`${SECRET_VARIABLE} is set, but entraId.auth.clientId holds no valid application (client) ID: the secret is not used.`);
      return;
    }
    if (this.cleared?.get<boolean>(clearedKey(clientId)) === true) {
      this.log.warn(`${SECRET_VARIABLE} is not used for app ${clientId}: its secret was cleared with "${COMMAND_TITLES.clearClientSecret}" on this machine. "${COMMAND_TITLES.setClientSecret}" stores a new one and lifts this.`);
      return;
    }
    this.fromEnvironment = { clientId, secret: value };
    this.log.info(`Using the client secret from ${SECRET_VARIABLE} for app ${clientId} for this session only; it is not stored.`);
  }

  async get(clientId: string): Promise<string | undefined> {
    if (this.fromEnvironment?.clientId === clientId) return this.fromEnvironment.secret;
    return this.secrets.get(SECRET_KEYS.clientSecret(clientId));
  }

  /** Stores a typed-in secret; it replaces the environment's for the rest of this run. */
  async store(clientId: string, secret: string): Promise<void> {
    await this.secrets.store(SECRET_KEYS.clientSecret(clientId), secret);
    this.dropEnvironment(clientId);
    await this.cleared?.update(clearedKey(clientId), undefined);
  }

  /** Deletes the stored secret, drops the environment's for this run, and keeps it dropped on later starts. */
  async clear(clientId: string): Promise<void> {
    this.dropEnvironment(clientId);
    await this.cleared?.update(clearedKey(clientId), true);
    await this.secrets.delete(SECRET_KEYS.clientSecret(clientId));
  }

  private dropEnvironment(clientId: string): void {
    if (this.fromEnvironment?.clientId === clientId) this.fromEnvironment = undefined;
  }
}
