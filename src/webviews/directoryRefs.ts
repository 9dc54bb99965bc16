import type { DirectoryObject, Group, User } from '../core/types';
import type { DirectoryRef } from './protocol';

/** Keeps posted text inside the protocol's bounds whatever Graph returned. */
export function clip(value: string, max = 1000): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

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
