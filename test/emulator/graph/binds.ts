import type { TenantState } from '../directory/tenant.js';
import type { DirectoryObject } from '../directory/records.js';
import { badRequest } from './errors.js';

/**
 * Reference URLs in `@odata.id` and `…@odata.bind`: Graph only looks at the trailing
 * `/{entitySet}/{id}` (any host, any version), so the emulator does the same.
 */
const REF_RE = /^https?:\/\/[^/]+(?:\/[^/]+)?\/(directoryObjects|users|groups|devices|servicePrincipals|contacts|orgContacts)(?:\/([^/?#()]+)|\('([^']+)'\))\/?$/i;

export interface ParsedRef {
  entitySet: string;
  id: string;
}

export function parseReference(url: unknown): ParsedRef {
  if (typeof url !== 'string') throw badRequest('Invalid URL format specified in payload.');
  const m = REF_RE.exec(url.trim());
  if (!m) throw badRequest('Invalid URL format specified in payload.');
  let id = m[2] ?? m[3] ?? '';
  try {
    id = decodeURIComponent(id);
  } catch {
    throw badRequest('Invalid URL format specified in payload.');
  }
  return { entitySet: (m[1] ?? '').toLowerCase(), id };
}

/** Finds the referenced object; users may also be addressed by UPN. */
export function lookupReference(state: TenantState, ref: ParsedRef): DirectoryObject | undefined {
  if (ref.entitySet === 'users') {
    const u = state.user(ref.id);
    return u ? { kind: 'user', rec: u } : undefined;
  }
  return state.object(ref.id);
}
