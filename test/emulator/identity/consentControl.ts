import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorConsent, RegisterAppOptions } from '../types.js';
import type { RegisteredApp } from './apps.js';
import type { ConsentStore } from './consent.js';
import { canonicalGraphPermission } from './consent.js';
import type { ConsentAnswer } from './identityContext.js';

/**
 * The consent controls of `Emulator.consent` and `/_emulator/…`: what an administrator does in the Entra admin
 * center (register an app, grant or revoke consent), plus the scripted answer of the signed-in user to a prompt.
 */
export function consentControls(apps: Map<string, RegisteredApp>, store: ConsentStore, userExists: (id: string) => boolean): EmulatorConsent & { answerNow(): ConsentAnswer } {
  let answer: ConsentAnswer = 'accept';
  const appOf = (clientId: string): RegisteredApp => {
    const app = apps.get(clientId.toLowerCase());
    if (!app) throw new Error(`No app registration with client id '${clientId}'.`);
    if (app.preauthorizedScopes) throw new Error(`'${app.displayName}' is a first-party app: Graph pre-authorises it, nobody in a tenant consents to it.`);
    return app;
  };
  return {
    registerApp(o: RegisterAppOptions) {
      const clientId = (o.clientId ?? randomUUID()).toLowerCase();
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(clientId)) throw new Error(`The client id '${o.clientId ?? ''}' is not a GUID.`);
      if (apps.has(clientId)) throw new Error(`An app with client id '${clientId}' is already registered.`);
      const app: RegisteredApp = {
        clientId,
        displayName: o.displayName ?? `Test app ${clientId.slice(0, 8)}`,
        appRoles: [],
        requiredScopes: permissions(o.requiredScopes),
        ...(o.publicClient === true ? {} : { clientSecret: randomBytes(24).toString('base64url') }),
      };
      apps.set(clientId, app);
      return { clientId, displayName: app.displayName, requiredScopes: [...app.requiredScopes], ...(app.clientSecret !== undefined ? { clientSecret: app.clientSecret } : {}) };
    },
    grantAdminConsent(clientId, scopes) {
      const app = appOf(clientId);
      return store.grant(app.clientId, 'AllPrincipals', null, scopes ? permissions(scopes) : app.requiredScopes);
    },
    grantUserConsent(clientId, userId, scopes) {
      const app = appOf(clientId);
      if (!userExists(userId)) throw new Error(`No user with id ${userId}`);
      return store.grant(app.clientId, 'Principal', userId, permissions(scopes));
    },
    revoke(clientId, what) {
      store.revoke(appOf(clientId).clientId, what);
    },
    grants: (clientId) => store.list(clientId),
    setAnswer(a) {
      if (a !== 'accept' && a !== 'decline') throw new Error(`The consent answer must be 'accept' or 'decline', not '${String(a)}'.`);
      answer = a;
    },
    get answer() {
      return answer;
    },
    answerNow: () => answer,
  };
}

/** The demo app starts admin-consented tenant-wide for everything its registration lists. */
export function consentDemoApp(store: ConsentStore, demo: RegisteredApp): void {
  store.grant(demo.clientId, 'AllPrincipals', null, demo.requiredScopes);
}

function permissions(names: readonly string[]): string[] {
  if (!Array.isArray(names)) throw new Error('Expected a list of Graph delegated permissions.');
  return names.map((n) => {
    const p = typeof n === 'string' ? canonicalGraphPermission(n) : undefined;
    if (!p) throw new Error(`'${String(n)}' is not a Microsoft Graph delegated permission the emulator knows.`);
    return p;
  });
}
