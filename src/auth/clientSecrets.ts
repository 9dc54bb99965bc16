import { isGuid } from '../core/validation';
import { COMMAND_TITLES } from './authErrors';
import { profileSuffix, SECRET_KEYS, type AuthLog, type SecretStore } from './types';

/** A client secret handed over by the environment (CI, a headless host) instead of the password box. */
export const SECRET_VARIABLE = 'ENTRA_ID_CLIENT_SECRET';

/** Machine-local memory of "the user cleared this app's secret" (globalState; never synced, never a setting). */
export interface ClearedStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** Per profile like the secret itself; without a profile the key used before profiles existed. */
const clearedKey = (clientId: string, profile?: string): string => `entraId.auth.secretCleared/${clientId}${profileSuffix(profile)}`;

/**
 * The app registration's client secret: the one typed into the password box (SecretStorage), or the one in
 * {@link SECRET_VARIABLE}, which is used in memory for this run only. The environment's secret wins for this run but
 * is never stored, so it never overwrites or outlives the stored one. Clearing the secret drops both, and is
 * remembered, so the environment cannot bring a cleared secret back on the next start.
 */
export class ClientSecrets {
  private fromEnvironment: { clientId: string; profile: string | undefined; secret: string } | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly cleared: ClearedStore | undefined,
    private readonly log: AuthLog,
  ) {}

  /**
   * Takes the environment's secret for `clientId` in `profile` (the configured app and profile at activation), if
   * that is a valid app id; another profile never gets it, even for the same app.
   */
  adoptFromEnvironment(secret: string | undefined, clientId: string | undefined, profile?: string): void {
    const value = secret?.trim();
    if (!value) return;
    // Bound to a validated app id: a secret must never be filed (or sent) under whatever a setting happens to hold.
    if (!clientId || !isGuid(clientId)) {
      this.log.warn(`${SECRET_VARIABLE} is set, but entraId.auth.clientId holds no valid application (client) ID: the secret is not used.`);
      return;
    }
    if (this.cleared?.get<boolean>(clearedKey(clientId, profile)) === true) {
      this.log.warn(`${SECRET_VARIABLE} is not used for app ${clientId}: its secret was cleared with "${COMMAND_TITLES.clearClientSecret}" on this machine. "${COMMAND_TITLES.setClientSecret}" stores a new one and lifts this.`);
      return;
    }
    this.fromEnvironment = { clientId, profile, secret: value };
    this.log.info(`Using the client secret from ${SECRET_VARIABLE} for app ${clientId} for this session only; it is not stored.`);
  }

  async get(clientId: string, profile?: string): Promise<string | undefined> {
    if (this.fromEnvironmentFor(clientId, profile)) return this.fromEnvironment?.secret;
    return this.secrets.get(SECRET_KEYS.clientSecret(clientId, profile));
  }

  /** Stores a typed-in secret; it replaces the environment's for the rest of this run. */
  async store(clientId: string, secret: string, profile?: string): Promise<void> {
    await this.secrets.store(SECRET_KEYS.clientSecret(clientId, profile), secret);
    this.dropEnvironment(clientId, profile);
    await this.cleared?.update(clearedKey(clientId, profile), undefined);
  }

  /** Deletes the stored secret, drops the environment's for this run, and keeps it dropped on later starts. */
  async clear(clientId: string, profile?: string): Promise<void> {
    this.dropEnvironment(clientId, profile);
    await this.cleared?.update(clearedKey(clientId, profile), true);
    await this.secrets.delete(SECRET_KEYS.clientSecret(clientId, profile));
  }

  private fromEnvironmentFor(clientId: string, profile: string | undefined): boolean {
    return this.fromEnvironment?.clientId === clientId && this.fromEnvironment.profile?.toLowerCase() === profile?.toLowerCase();
  }

  private dropEnvironment(clientId: string, profile: string | undefined): void {
    if (this.fromEnvironmentFor(clientId, profile)) this.fromEnvironment = undefined;
  }
}
