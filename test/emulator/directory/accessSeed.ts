import type { TenantState } from './tenant.js';
import type { DirectoryRole } from './roles.js';
import { makeGroup, makeUser } from './factories.js';

/**
 * Fixed users and groups of every seeded tenant for the access model: signed-in users with each directory role
 * the rules distinguish (and one with none), privileged targets, a role-assignable group, the group kinds Graph
 * keeps read-only, and a synced user. Ids are constants so tests and the e2e harness can name them; UPNs are
 * `<local>@<tenant domain>`. The seeded admin (`admin@…`, Global Administrator) stays the default signed-in user.
 */
export interface FixtureUser {
  id: string;
  local: string;
  displayName: string;
  role?: DirectoryRole;
  synced?: boolean;
}

export interface FixtureGroup {
  id: string;
  nickname: string;
  displayName: string;
  kind: 'roleAssignable' | 'mailEnabledSecurity' | 'distribution' | 'security';
  synced?: boolean;
}

const fixtureId = (n: number): string => `5eed0000-ac55-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const ACCESS_FIXTURES = {
  users: {
    /** A second Global Administrator: a privileged target only PAA / GA may change sensitive properties of. */
    globalAdmin2: { id: fixtureId(1), local: 'gale.global', displayName: 'Gale Global', role: 'Global Administrator' },
    userAdmin: { id: fixtureId(2), local: 'uma.useradmin', displayName: 'Uma Useradmin', role: 'User Administrator' },
    groupsAdmin: { id: fixtureId(3), local: 'gus.groupsadmin', displayName: 'Gus Groupsadmin', role: 'Groups Administrator' },
    privilegedRoleAdmin: { id: fixtureId(4), local: 'priya.roleadmin', displayName: 'Priya Roleadmin', role: 'Privileged Role Administrator' },
    privilegedAuthAdmin: { id: fixtureId(5), local: 'paula.authadmin', displayName: 'Paula Authadmin', role: 'Privileged Authentication Administrator' },
    helpdeskAdmin: { id: fixtureId(6), local: 'hal.helpdesk', displayName: 'Hal Helpdesk', role: 'Helpdesk Administrator' },
    /** No directory role: may change only groups it owns (`ownedGroup`) and its own profile. */
    noRole: { id: fixtureId(7), local: 'mona.member', displayName: 'Mona Member' },
    /** No role, but a member of the role-assignable group: protected like an administrator. */
    protectedMember: { id: fixtureId(8), local: 'theo.protected', displayName: 'Theo Protected' },
    synced: { id: fixtureId(9), local: 'sami.synced', displayName: 'Sami Synced', synced: true },
  },
  groups: {
    roleAssignable: { id: fixtureId(0x101), nickname: 'tier0-admins', displayName: 'Tier 0 Admins', kind: 'roleAssignable' },
    mailEnabledSecurity: { id: fixtureId(0x102), nickname: 'finance-mailsec', displayName: 'Finance Mail Security', kind: 'mailEnabledSecurity' },
    distribution: { id: fixtureId(0x103), nickname: 'sales-announce', displayName: 'Sales Announcements', kind: 'distribution' },
    /** A plain security group owned by the role-less user. */
    ownedGroup: { id: fixtureId(0x104), nickname: 'mona-project', displayName: "Mona's Project", kind: 'security' },
    syncedGroup: { id: fixtureId(0x105), nickname: 'hq-synced-staff', displayName: 'HQ Synced Staff', kind: 'security', synced: true },
  },
} as const satisfies { users: Record<string, FixtureUser>; groups: Record<string, FixtureGroup> };

export const ACCESS_FIXTURE_USER_COUNT = Object.keys(ACCESS_FIXTURES.users).length;
export const ACCESS_FIXTURE_GROUP_COUNT = Object.keys(ACCESS_FIXTURES.groups).length;

export function seedAccessFixtures(state: TenantState): void {
  const domain = state.domain;
  for (const f of Object.values(ACCESS_FIXTURES.users) as FixtureUser[]) {
    const upn = `${f.local}@${domain}`;
    const [given = '', surname = ''] = f.displayName.split(' ');
    state.addUser(
      makeUser({
        id: f.id,
        userPrincipalName: upn,
        displayName: f.displayName,
        givenName: given,
        surname,
        mail: upn,
        mailNickname: f.local,
        proxyAddresses: [`SMTP:${upn}`],
        jobTitle: f.role ?? 'Analyst',
        department: f.role ? 'IT' : 'Operations',
        mobilePhone: '+1 425 555 0100',
        businessPhones: ['+1 425 555 0101'],
        usageLocation: 'US',
        country: 'United States',
        city: 'Redmond',
        createdDateTime: '2020-02-03T09:00:00Z',
        onPremisesSyncEnabled: f.synced === true ? true : null,
      }),
    );
    if (f.role) state.assignRole(f.id, f.role);
  }
  const g = ACCESS_FIXTURES.groups;
  const mailOf = (nick: string): { mail: string; proxyAddresses: string[] } => ({ mail: `${nick}@${domain}`, proxyAddresses: [`SMTP:${nick}@${domain}`] });
  const created = '2021-05-10T08:00:00Z';
  state.addGroup(
    makeGroup({ id: g.roleAssignable.id, displayName: g.roleAssignable.displayName, mailNickname: g.roleAssignable.nickname, isAssignableToRole: true, visibility: 'Private', createdDateTime: created }),
  );
  // Exchange-mastered kinds: groupTypes [] with mailEnabled true (https://learn.microsoft.com/graph/api/resources/groups-overview).
  state.addGroup(
    makeGroup({ id: g.mailEnabledSecurity.id, displayName: g.mailEnabledSecurity.displayName, mailNickname: g.mailEnabledSecurity.nickname, mailEnabled: true, securityEnabled: true, ...mailOf(g.mailEnabledSecurity.nickname), createdDateTime: created }),
  );
  state.addGroup(
    makeGroup({ id: g.distribution.id, displayName: g.distribution.displayName, mailNickname: g.distribution.nickname, mailEnabled: true, securityEnabled: false, ...mailOf(g.distribution.nickname), createdDateTime: created }),
  );
  state.addGroup(makeGroup({ id: g.ownedGroup.id, displayName: g.ownedGroup.displayName, mailNickname: g.ownedGroup.nickname, createdDateTime: created }));
  state.addGroup(makeGroup({ id: g.syncedGroup.id, displayName: g.syncedGroup.displayName, mailNickname: g.syncedGroup.nickname, onPremisesSyncEnabled: true, createdDateTime: created }));

  const u = ACCESS_FIXTURES.users;
  state.addMember(g.roleAssignable.id, u.protectedMember.id);
  state.addMember(g.roleAssignable.id, u.globalAdmin2.id);
  for (const id of [u.noRole.id, u.helpdeskAdmin.id]) state.addMember(g.mailEnabledSecurity.id, id);
  for (const id of [u.noRole.id, u.synced.id]) state.addMember(g.distribution.id, id);
  state.addOwner(g.ownedGroup.id, u.noRole.id);
  state.addMember(g.ownedGroup.id, u.synced.id);
  state.addMember(g.syncedGroup.id, u.synced.id);
  const allStaff = state.findGroup((x) => x.displayName === 'All Staff' && x.groupTypes.includes('Unified'));
  if (allStaff) for (const f of Object.values(u)) state.addMember(allStaff.id, f.id);
}
