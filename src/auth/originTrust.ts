import * as vscode from 'vscode';
import { COMMAND_TITLES } from './authErrors';
import { CLOUDS, type CloudEndpoints } from './clouds';
import { AuthError, type AuthLog } from './types';

/** The environment variable that confirms origins for automation and headless hosts (read once at activation). */
export const TRUSTED_ORIGINS_VARIABLE = 'ENTRA_ID_TRUSTED_ORIGINS';

/**
 * Where confirmations are kept: the extension's `globalState`. It is machine-local — the extension never passes this
 * key to `setKeysForSync` — so a confirmation given on one machine never travels to another, and it is never a
 * setting a repository or a synced profile could carry.
 */
export interface ConfirmationStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const CONFIRMED_KEY = 'entraId.auth.confirmedOrigins';

/** Every origin Microsoft's own clouds use for Graph and sign-in: these need no confirmation. */
const MICROSOFT_ORIGINS: ReadonlySet<string> = new Set(Object.values(CLOUDS).flatMap((c) => [new URL(c.graphBaseUrl).origin, new URL(c.authorityHost).origin]));

/** The two places a cloud's tokens (and an app's secret) go: Graph's origin and the sign-in authority's origin. */
export interface Destinations {
  graph: string;
  authority: string;
}

export function destinationsOf(cloud: CloudEndpoints): Destinations {
  return { graph: new URL(cloud.graphBaseUrl).origin, authority: new URL(cloud.authorityHost).origin };
}

/**
 * Reads `ENTRA_ID_TRUSTED_ORIGINS`: comma-separated origins (`scheme://host[:port]`). Anything that is not exactly an
 * http(s) origin — a path, a query, credentials — is reported and ignored, so a typo cannot widen what is trusted.
 */
export function parseTrustedOrigins(raw: string | undefined): { origins: string[]; problems: string[] } {
  const origins: string[] = [];
  const problems: string[] = [];
  const entries = (raw ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  entries.forEach((entry, i) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    const isOrigin = url && (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && url.pathname === '/' && !entry.includes('?') && !entry.includes('#');
    if (!url || !isOrigin) problems.push(`${TRUSTED_ORIGINS_VARIABLE}: entry ${i + 1} is not an origin (scheme://host[:port]); it is ignored.`);
    else origins.push(url.origin);
  });
  return { origins, problems };
}

export interface OriginTrustDeps {
  store: ConfirmationStore;
  /** Origins the environment confirmed for this run ({@link TRUSTED_ORIGINS_VARIABLE}), as parsed origins. */
  preconfirmed: readonly string[];
  /** Shows a modal with one action; resolves true only when that action was chosen. */
  ask(message: string, detail: string, action: string): Promise<boolean>;
  log: AuthLog;
}

/**
 * The one rule for hosts that are not Microsoft's: no token request, no client secret and no Graph call with a
 * token goes to a custom Graph endpoint or authority until the user confirmed that pair of origins once on this
 * machine. Every token path of the sign-in manager passes {@link OriginTrust.ensure} first; the Graph client only
 * gets tokens through that path.
 */
export class OriginTrust {
  private readonly preconfirmed: ReadonlySet<string>;
  /** Pairs already reported as waiting, so silent attempts (tree loads, tools) log once. */
  private readonly reported = new Set<string>();

  constructor(private readonly deps: OriginTrustDeps) {
    this.preconfirmed = new Set(deps.preconfirmed);
  }

  isConfirmed(cloud: CloudEndpoints): boolean {
    const destinations = destinationsOf(cloud);
    const foreign = [destinations.graph, destinations.authority].filter((o) => !MICROSOFT_ORIGINS.has(o));
    if (foreign.every((o) => this.preconfirmed.has(o))) return true;
    return this.confirmedPairs().includes(pairKey(destinations));
  }

  /**
   * Resolves when the cloud's origins may receive tokens. Without a confirmation: silently, an AuthError
   * 'NotSignedIn' (nothing shown, one log line); interactively, a modal naming both origins, and an AuthError
   * 'Configuration' unless the user chose "Trust".
   */
  async ensure(cloud: CloudEndpoints, interactive: boolean): Promise<void> {
    if (this.isConfirmed(cloud)) return;
    const destinations = destinationsOf(cloud);
    const key = pairKey(destinations);
    const named = nameOrigins(destinations);
    if (!interactive) {
      if (!this.reported.has(key)) {
        this.reported.add(key);
        this.deps.log.warn(`Nothing is sent to ${named} until you confirm these custom endpoints: run "${COMMAND_TITLES.signIn}".`);
      }
      throw new AuthError(vscode.l10n.t('Sign-in to {0} waits for your confirmation of these custom endpoints. Run "{1}".', named, COMMAND_TITLES.signIn), 'NotSignedIn');
    }
    const trust = vscode.l10n.t('Trust');
    const trusted = await this.deps.ask(
      vscode.l10n.t('Send your Entra ID sign-in and Graph requests to {0}?', named),
      vscode.l10n.t(
        "These are not Microsoft's addresses. They will receive your access tokens and, for your own app registration, its client secret. Trust them only if you set them up. The answer is remembered on this machine only.",
      ),
      trust,
    );
    if (!trusted) {
      this.deps.log.info(`Custom endpoints ${named} were not trusted; nothing was sent to them.`);
      throw new AuthError(
        vscode.l10n.t('Sign-in stopped: you did not trust {0}, so nothing was sent there. Check the settings entraId.customGraphEndpoint and entraId.customAuthorityHost, then sign in again.', named),
        'Configuration',
      );
    }
    const pairs = this.confirmedPairs();
    if (!pairs.includes(key)) await this.deps.store.update(CONFIRMED_KEY, [...pairs, key]);
    this.deps.log.info(`Trusted ${named} for sign-in and Graph on this machine.`);
  }

  private confirmedPairs(): string[] {
    const stored = this.deps.store.get<unknown>(CONFIRMED_KEY);
    return Array.isArray(stored) ? stored.filter((p): p is string => typeof p === 'string') : [];
  }
}

function pairKey(d: Destinations): string {
  return `${d.graph} ${d.authority}`;
}

/** Both origins exactly as they will be contacted; one when Graph and sign-in share it. */
function nameOrigins(d: Destinations): string {
  return d.graph === d.authority ? d.graph : vscode.l10n.t('{0} and {1}', d.graph, d.authority);
}
