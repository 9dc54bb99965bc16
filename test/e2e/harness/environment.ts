/** How the extension is pointed at the emulator: user settings plus environment for the extension host. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The parts of the emulator handle (test/emulator) this harness uses. */
export interface EmulatorEndpoints {
  url: string;
  graphUrl: string;
  authorityHost: string;
  tenantId: string;
  /** Present when the emulator serves HTTPS. */
  caCert?: string;
  apps: { demo: { clientId: string; clientSecret: string } };
}

/** Settings for `<user-data-dir>/User/settings.json`: the custom cloud at the emulator, app-only sign-in, a quiet workbench. */
export function extensionSettings(emulator: EmulatorEndpoints): Record<string, unknown> {
  return {
    'entraId.cloud': 'custom',
    'entraId.customGraphEndpoint': emulator.graphUrl,
    'entraId.customAuthorityHost': emulator.authorityHost,
    'entraId.auth.method': 'clientCredentials',
    'entraId.auth.clientId': emulator.apps.demo.clientId,
    'entraId.auth.tenantId': emulator.tenantId,
    ...quietWorkbenchSettings(),
    // The extension host's own fetch (proxy support) trusts only the system store, not NODE_EXTRA_CA_CERTS, so the
    // emulator's certificate would be rejected; plain Node fetch honours NODE_EXTRA_CA_CERTS.
    'http.fetchAdditionalSupport': false,
  };
}

/** A workbench without start page, trust prompt, tips or chat: nothing on screen or in the background but the test. */
export function quietWorkbenchSettings(): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    // Keep the built-in chat out of the way: it opens the secondary side bar and starts an agent process.
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  };
}

/**
 * Writes the CA bundle the extension host trusts: the emulator's certificate, appended to whatever
 * NODE_EXTRA_CA_CERTS already named (Node reads only one file, and this machine sets one).
 */
export function writeCaBundle(emulator: EmulatorEndpoints, dir: string): string {
  const file = path.join(dir, 'emulator-ca.pem');
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  const inherited = existing && existsSync(existing) ? readFileSync(existing, 'utf8') : '';
  const own = emulator.caCert;
  if (!own) throw new Error('the emulator has no certificate: start it with { https: true }');
  writeFileSync(file, `${inherited.trimEnd()}\n${own.trim()}\n`.trimStart());
  return file;
}

/** Environment for code-server (inherited by the extension host). */
export function extensionEnv(emulator: EmulatorEndpoints, caBundle: string): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: caBundle,
    // Test-only: the client secret of the emulator's demo app, for the app-only sign-in.
    ENTRA_ID_CLIENT_SECRET: emulator.apps.demo.clientSecret,
    // The emulator serves Graph and sign-in from one origin: confirmed for the run, as a user confirms a custom cloud once.
    ENTRA_ID_TRUSTED_ORIGINS: new URL(emulator.url).origin,
  };
}
