/** Progress lines for the harness, prefixed with the seconds since start so slow phases stand out. */
const started = Date.now();

export function log(scope: string, message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[e2e ${seconds}s] ${scope}: ${message}`);
}

/** Runs `fn`, logs how long it took, and returns its result with the duration. */
export async function timed<T>(scope: string, label: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  log(scope, `${label}…`);
  const value = await fn();
  const ms = Date.now() - t0;
  log(scope, `${label} done in ${(ms / 1000).toFixed(1)} s`);
  return { value, ms };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
