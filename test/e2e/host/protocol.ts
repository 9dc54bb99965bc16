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
