import type { DirectoryObject, Group, User } from '../core/types';
import { forWebview } from '../shared/text';
import type { DirectoryRef } from './protocol';

/** Directory text as a page may show it, inside the protocol's bounds whatever Graph returned. */
const clip = (value: string, max?: number): string => forWebview(value, max);

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A user (or any directory object) as a list row: the name, then UPN, mail or job title. */
export function personRef(o: User | DirectoryObject): DirectoryRef {
  const upn = str(o.userPrincipalName);
  const mail = str(o.mail);
  return {
    id: clip(o.id, 128),
    displayName: clip(str(o.displayName) ?? upn ?? mail ?? o.id),
    detail: clip(upn ?? mail ?? str(o.jobTitle) ?? ''),
  };
}

export function groupRef(g: Group): DirectoryRef {
  return { id: clip(g.id, 128), displayName: clip(str(g.displayName) ?? g.id), detail: clip(str(g.mail) ?? str(g.description) ?? '') };
}
