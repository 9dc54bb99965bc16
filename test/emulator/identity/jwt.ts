import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRecord } from '../util/json.js';

/**
 * Compact JWS with HS256 and a per-instance secret. The emulator both issues and
 * verifies its tokens, so a shared secret is enough and no key needs publishing.
 */
export type Claims = Record<string, unknown>;

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

export function signJwt(claims: Claims, secret: Buffer, kid: string): string {
  const head = b64({ typ: 'JWT', alg: 'HS256', kid });
  const body = b64(claims);
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export type VerifyFailure = 'malformed' | 'signature' | 'expired';

export function verifyJwt(token: string, secret: Buffer, nowSec: number): { ok: true; claims: Claims } | { ok: false; reason: VerifyFailure } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head = '', body = '', sig = ''] = parts;
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isRecord(header) || !isRecord(claims)) return { ok: false, reason: 'malformed' };
  if (header['alg'] !== 'HS256') return { ok: false, reason: 'signature' };
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  const exp = claims['exp'];
  const nbf = claims['nbf'];
  if (typeof exp !== 'number' || exp <= nowSec || (typeof nbf === 'number' && nbf > nowSec)) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** Reads claims without verifying (for tests and logs). */
export function decodeJwtClaims(token: string): Claims | undefined {
  try {
    const body = token.split('.')[1];
    if (body === undefined) return undefined;
    const v: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
