/**
 * What the extension-host suite and the harness agree on. The suite's console output reaches the harness mixed with
 * the workbench's own log lines, so the suite marks its lines, and ends with one machine-readable summary line.
 */
export const HOST_LINE_PREFIX = '[e2e-host] ';
export const HOST_SUMMARY_PREFIX = `${HOST_LINE_PREFIX}SUMMARY `;

export interface HostSummary {
  passed: number;
  failed: number;
  pending: number;
}

export function isHostSummary(value: unknown): value is HostSummary {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.passed === 'number' && typeof record.failed === 'number' && typeof record.pending === 'number';
}

/** Environment variables the harness passes to the extension host for the suite (through `extensionEnvironment`). */
export const HOST_ENV = {
  /** Absolute path of the extension under test (its package.json is read at runtime). */
  extensionRoot: 'ENTRA_E2E_EXTENSION_ROOT',
  /** `mocha --grep` for the suite. */
  grep: 'ENTRA_E2E_GREP',
  /** The emulator's Graph base URL, for tests that want to assert against it. */
  graphUrl: 'ENTRA_E2E_GRAPH_URL',
  /**
   * Graph base URL of a second emulator that plays an attacker's server (own tenant, same trusted certificate):
   * nothing the extension does may ever reach it.
   */
  attackerGraphUrl: 'ENTRA_E2E_ATTACKER_GRAPH_URL',
} as const;

/**
 * The line the activation probe (test/bench/hostActivationProbe.ts) prints after timing the extension's activation in
 * the extension host; test/bench/hostActivation.ts reads it back from the suite's lines.
 */
export const HOST_ACTIVATION_PREFIX = 'ACTIVATION ';

export interface HostActivationSample {
  /** `await extension.activate()`: the host imports dist/extension.mjs (with its chunks) and calls `activate()`, from inactive. */
  activateMs: number;
  /** How long the probe waited for the extension host to go idle first, and whether it did within the limit. */
  settleMs: number;
  settled: boolean;
  /** TCP/pipe connections, DNS lookups and fetch calls started from just before activation until 500 ms after it. */
  network: string[];
  /** Whether dist/msal.js was loaded by then (it must load only at sign-in). */
  msalLoaded: boolean;
  /** Commands the package declares that the extension had registered by then (activation ran to the end). */
  commandsRegistered: number;
  commandsDeclared: number;
}

export function isHostActivationSample(value: unknown): value is HostActivationSample {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.activateMs === 'number' &&
    typeof r.settleMs === 'number' &&
    typeof r.settled === 'boolean' &&
    Array.isArray(r.network) &&
    r.network.every((n) => typeof n === 'string') &&
    typeof r.msalLoaded === 'boolean' &&
    typeof r.commandsRegistered === 'number' &&
    typeof r.commandsDeclared === 'number'
  );
}
