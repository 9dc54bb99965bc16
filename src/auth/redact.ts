/**
 * Scrubbing of text that leaves the auth layer (errors, logs). Identity libraries and servers can echo request
 * bodies, so anything shaped like a token, a secret or a credential parameter is replaced before it is shown.
 */

const REDACTED = '[redacted]';
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?/g;
const CREDENTIAL_PARAM = /\b(client_secret|client_assertion|code_verifier|code|refresh_token|access_token|id_token|assertion|password|secret)(=|"\s*:\s*")[^&\s"',}]+/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// Long opaque runs with letters and digits: client secrets, refresh tokens, codes. GUIDs are ids, not secrets.
const OPAQUE = /[A-Za-z0-9~_.+=-]{32,}/g;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Removes tokens and secrets from `text`; `known` are values that must disappear verbatim (e.g. the client secret). */
export function redact(text: string, known: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const value of known) {
    if (value && value.length >= 4) out = out.split(value).join(REDACTED);
  }
  return out
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(CREDENTIAL_PARAM, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(OPAQUE, (run) => (GUID.test(run) || !/[0-9]/.test(run) || !/[A-Za-z]/.test(run) ? run : REDACTED));
}

/**
 * A short, safe description of an identity-platform error: msal's `errorCode` plus the first meaningful line of
 * its message, without trace/correlation ids, timestamps or anything secret-looking.
 */
export function describeAuthFailure(error: unknown, known: ReadonlyArray<string | undefined> = []): { errorCode?: string; description: string } {
  const errorCode = readString(error, 'errorCode');
  let raw = readString(error, 'errorMessage') ?? (error instanceof Error ? error.message : typeof error === 'string' ? error : '');
  // msal wraps server errors as "Error(s): … - Timestamp: … - Description: … - Correlation ID: … - Trace ID: …".
  const server = /\bDescription: ([\s\S]*?)(?: - Correlation ID:| - Trace ID:|$)/.exec(raw);
  if (server?.[1]) raw = server[1];
  const line = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !/^(Trace ID|Correlation ID|Timestamp)\b/i.test(l));
  let description = redact(line ?? '', known)
    .replace(/\s*(Trace ID|Correlation ID|Timestamp):.*$/i, '')
    .trim();
  if (description.length > 240) description = `${description.slice(0, 237)}...`;
  return { ...(errorCode ? { errorCode } : {}), description };
}

/** The AADSTS error number in an identity-platform message, e.g. 7000215 for a wrong client secret. */
export function aadstsCode(text: string): number | undefined {
  const match = /AADSTS(\d{5,})/.exec(text);
  return match?.[1] ? Number(match[1]) : undefined;
}

function readString(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
