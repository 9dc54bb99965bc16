/**
 * The one classification of groups, used by the tree, the pickers, the forms, CSV and the chat tools.
 * Graph's group kinds follow from three properties (Microsoft Graph, "Working with groups in Microsoft Graph",
 * groups-overview: group types table): `groupTypes` holding "Unified" makes a Microsoft 365 group; otherwise
 * `mailEnabled` and `securityEnabled` tell a security group (security only), a mail-enabled security group (both)
 * and a distribution list (mail only). "DynamicMembership" in `groupTypes` adds rule-based membership to any of them.
 */
import type { Group } from '../core';

/** Every kind of group Graph knows (the core's `GroupKind` is the narrower set this extension can create). */
export type GroupClassKind = 'security' | 'microsoft365' | 'mailEnabledSecurity' | 'distribution';

export interface GroupClass {
  kind: GroupClassKind;
  /** Members come from a membership rule; nobody can add or remove them by hand. */
  dynamic: boolean;
}

export function classifyGroup(group: Pick<Group, 'groupTypes' | 'mailEnabled' | 'securityEnabled'>): GroupClass {
  const types = group.groupTypes ?? [];
  const dynamic = types.includes('DynamicMembership');
  if (types.includes('Unified')) return { kind: 'microsoft365', dynamic };
  const mail = group.mailEnabled === true;
  // Not read (undefined) counts as the default a create makes: a security group.
  const security = group.securityEnabled !== false;
  if (mail && security) return { kind: 'mailEnabledSecurity', dynamic };
  if (mail) return { kind: 'distribution', dynamic };
  return { kind: 'security', dynamic };
}

/**
 * Whether Graph lets this extension change the group's properties and members. Mail-enabled security groups and
 * distribution lists are managed in Exchange; Graph refuses writes to them (group update and add-member pages).
 */
export function isWritableThroughGraph(c: GroupClass): boolean {
  return c.kind === 'security' || c.kind === 'microsoft365';
}

/** Whether members can be added or removed by hand: a writable kind without a membership rule. */
export function acceptsManualMembers(c: GroupClass): boolean {
  return isWritableThroughGraph(c) && !c.dynamic;
}
