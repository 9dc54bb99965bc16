import { fail, isRecord, ok } from './errors';
import { ErrorCodes, type Organization, type Result } from './types';

/**
 * What the client reads of the tenant (GET /organization, https://learn.microsoft.com/graph/api/organization-list):
 * exactly the properties a signed-in user's User.Read may read, so the least privileged sign-in gets real values.
 */
export const ORGANIZATION_SELECT = ['id', 'displayName', 'verifiedDomains'] as const;

/** The one organization of the collection Graph answers, with its default and initial domains picked out. */
export function organizationFrom(body: unknown): Result<Organization> {
  const first = isRecord(body) && Array.isArray(body.value) ? (body.value as unknown[])[0] : undefined;
  if (!isRecord(first) || typeof first.id !== 'string' || first.id === '') {
    return fail({ code: ErrorCodes.invalidResponse, message: 'Microsoft Graph answered GET /organization without an organization.' });
  }
  const domains = Array.isArray(first.verifiedDomains) ? first.verifiedDomains.filter(isRecord) : [];
  const domainWhere = (flag: 'isDefault' | 'isInitial'): string | undefined => {
    const name = domains.find((d) => d[flag] === true)?.name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  };
  const displayName = typeof first.displayName === 'string' && first.displayName.trim() !== '' ? first.displayName : undefined;
  const defaultDomain = domainWhere('isDefault');
  const initialDomain = domainWhere('isInitial');
  return ok({
    id: first.id,
    ...(displayName !== undefined ? { displayName } : {}),
    ...(defaultDomain !== undefined ? { defaultDomain } : {}),
    ...(initialDomain !== undefined ? { initialDomain } : {}),
  });
}
