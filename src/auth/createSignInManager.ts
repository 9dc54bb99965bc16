import * as vscode from 'vscode';
import { ContextKeys } from '../contributions';
import type { Settings, SettingName } from '../settings';
import { confirmModal } from '../ui/feedback';
import { SECRET_VARIABLE } from './clientSecrets';
import type { AuthConfig } from './config';
import { OriginTrust, parseTrustedOrigins, TRUSTED_ORIGINS_VARIABLE } from './originTrust';
import { SignInManager } from './signInManager';
import { AuthError, type AuthLog, type GetSession } from './types';

/** Settings whose change can alter how we sign in. */
const SIGN_IN_SETTINGS: readonly SettingName[] = ['authMethod', 'clientId', 'tenantId', 'cloud', 'customGraphEndpoint', 'customAuthorityHost'];

/** What the sign-in reads from the process environment, once, at activation (automation and headless hosts). */
export interface AuthEnvironment {
  /** {@link SECRET_VARIABLE}: the app's client secret for this run only. */
  clientSecret?: string;
  /** {@link TRUSTED_ORIGINS_VARIABLE}: comma-separated origins confirmed for this run. */
  trustedOrigins?: string;
}

export function readAuthEnvironment(env: NodeJS.ProcessEnv): AuthEnvironment {
  const clientSecret = env[SECRET_VARIABLE];
  const trustedOrigins = env[TRUSTED_ORIGINS_VARIABLE];
  return { ...(clientSecret ? { clientSecret } : {}), ...(trustedOrigins ? { trustedOrigins } : {}) };
}

/**
 * Wires the {@link SignInManager} to the real editor: settings, SecretStorage, VS Code accounts, the browser, the
 * confirmations kept in globalState. Cheap: nothing is signed in and msal is not loaded here; call
 * `trySilentSignIn()` when the views are up.
 */
export function createSignInManager(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, settings: Settings, environment: AuthEnvironment = {}): SignInManager {
  const readConfig = (): AuthConfig => settings.auth;
  const sovereign = new SovereignEnvironment(log);

  const getSession: GetSession = async (providerId, scopes, options) => {
    // VS Code registers the sovereign-cloud provider only once its environment setting names a cloud.
    if (providerId === 'microsoft-sovereign-cloud' && !(await sovereign.ready(readConfig(), isInteractive(options)))) return undefined;
    return vscode.authentication.getSession(providerId, scopes, options);
  };

  const trusted = parseTrustedOrigins(environment.trustedOrigins);
  for (const problem of trusted.problems) log.warn(problem);
  if (trusted.origins.length) log.info(`${TRUSTED_ORIGINS_VARIABLE} confirms ${trusted.origins.join(', ')} for this session.`);
  // globalState, not settings: machine-local (this key is never given to setKeysForSync) and out of a repository's reach.
  const origins = new OriginTrust({ store: context.globalState, preconfirmed: trusted.origins, ask: (message, detail, action) => confirmModal(message, detail, action), log });

  const manager = new SignInManager({
    secrets: context.secrets,
    readConfig,
    getSession,
    onDidChangeSessions: vscode.authentication.onDidChangeSessions,
    openExternal: async (url) => vscode.env.openExternal(vscode.Uri.parse(url)),
    showInputBox: (options) => vscode.window.showInputBox(options),
    log,
    origins,
    confirm: (message, detail, action) => confirmModal(message, detail, action),
    ...(environment.clientSecret ? { environmentSecret: environment.clientSecret } : {}),
    state: context.globalState,
  });

  context.subscriptions.push(
    manager,
    settings.onDidChange((changed) => {
      if (SIGN_IN_SETTINGS.some((name) => changed.has(name))) manager.reloadConfig();
    }),
    manager.onDidChangeAccount((account) => void vscode.commands.executeCommand('setContext', ContextKeys.signedIn, account !== undefined)),
    // The welcome view shows "Signing in…" instead of a Sign In button while a sign-in is already under way.
    manager.onDidChangeSigningIn((busy) => void vscode.commands.executeCommand('setContext', ContextKeys.signingIn, busy)),
  );
  return manager;
}

function isInteractive(options: vscode.AuthenticationGetSessionOptions): boolean {
  return !options.silent && (Boolean(options.createIfNone) || Boolean(options.forceNewSession));
}

const SOVEREIGN_SETTING = 'microsoft-sovereign-cloud.environment';

/**
 * VS Code's `microsoft-sovereign-cloud.environment` is a user setting shared with every extension that signs in to a
 * national cloud: it is changed only after the user agreed, on an interactive sign-in. A silent sign-in never changes
 * it; it finds no session instead.
 */
class SovereignEnvironment {
  /** Mismatches already logged by silent attempts. */
  private readonly reported = new Set<string>();

  constructor(private readonly log: AuthLog) {}

  async ready(config: AuthConfig, interactive: boolean): Promise<boolean> {
    const wanted = config.cloud.ok ? config.cloud.cloud.sovereignEnvironment : undefined;
    if (!wanted) return true;
    const section = vscode.workspace.getConfiguration('microsoft-sovereign-cloud');
    const current = section.get<unknown>('environment');
    if (current === wanted) return true;
    const old = typeof current === 'string' && current !== '' ? current : undefined;
    if (!interactive) {
      const said = `${String(old)}>${wanted}`;
      if (!this.reported.has(said)) {
        this.reported.add(said);
        this.log.warn(`Not signed in to the ${config.cloudName} cloud: ${SOVEREIGN_SETTING} is ${old ? `"${old}"` : 'not set'}, not "${wanted}". Sign in to change it.`);
      }
      return false;
    }
    const change = vscode.l10n.t('Change Setting');
    const message = old
      ? vscode.l10n.t('Signing in to the {0} cloud needs VS Code\'s setting {1} changed from "{2}" to "{3}". Change it?', config.cloudName, SOVEREIGN_SETTING, old, wanted)
      : vscode.l10n.t('Signing in to the {0} cloud needs VS Code\'s setting {1}, now not set, set to "{2}". Set it?', config.cloudName, SOVEREIGN_SETTING, wanted);
    const detail = vscode.l10n.t('The setting is in your user settings and applies to every extension that signs in to a national cloud through VS Code.');
    if (!(await confirmModal(message, detail, change))) {
      throw new AuthError(vscode.l10n.t('Sign-in stopped: signing in to the {0} cloud needs the setting {1} set to "{2}", and it was left unchanged.', config.cloudName, SOVEREIGN_SETTING, wanted), 'Configuration');
    }
    this.log.info(`Changed ${SOVEREIGN_SETTING} from ${old ? `"${old}"` : 'not set'} to "${wanted}" for sign-in to the ${config.cloudName} cloud.`);
    await section.update('environment', wanted, vscode.ConfigurationTarget.Global);
    return true;
  }
}
