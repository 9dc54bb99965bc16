import type { Rng } from '../util/prng.js';
import type { TenantState } from './tenant.js';
import type { GroupRecord, UserRecord } from './records.js';
import { makeGroup, isoSeconds } from './factories.js';
import { compileRule } from './dynamicRule.js';
import { DEPARTMENTS, SITES, PROJECT_CODENAMES, GROUP_DESCRIPTION_TOPICS } from '../data/orgData.js';
import { HOSTILE_GROUPS } from '../data/adversarial.js';

/** Groups added on top of `groups` when `adversarial` is on. */
export const ADVERSARIAL_GROUP_COUNT = HOSTILE_GROUPS.length;

type Flavour = 'security' | 'microsoft365' | 'dynamic' | 'nested' | 'distribution' | 'mailEnabledSecurity';

const FLAVOURS: readonly (readonly [Flavour, number])[] = [
  ['security', 40],
  ['microsoft365', 35],
  ['dynamic', 8],
  ['nested', 12],
  ['distribution', 3],
  ['mailEnabledSecurity', 2],
];

const EPOCH_2017 = Date.UTC(2017, 0, 1);
const SPAN_MS = Date.UTC(2025, 6, 1) - EPOCH_2017;

/**
 * Group mix: one company-wide Microsoft 365 group holding every user, then security,
 * Microsoft 365, dynamic (membership computed from the rule once), nested security
 * groups, and a few Exchange-mastered ones whose membership Graph cannot change.
 */
export function generateGroups(
  state: TenantState,
  rng: Rng,
  o: { groups: number; adversarial: boolean; managers: readonly UserRecord[] },
): void {
  const userIds = [...state.usersById.keys()];
  const nicknames = new Set<string>();
  const ruleCache = new Map<string, string[]>();
  const plainSecurity: string[] = [];

  const uniqueNick = (base: string): string => {
    let nick = base.slice(0, 56) || 'group';
    for (let n = 2; nicknames.has(nick.toLowerCase()); n++) nick = `${base.slice(0, 56)}${n}`;
    nicknames.add(nick.toLowerCase());
    return nick;
  };
  const created = (): string => isoSeconds(new Date(EPOCH_2017 + Math.floor(rng.next() * SPAN_MS)));
  const addOwners = (g: GroupRecord): void => {
    if (!rng.chance(0.85) || userIds.length === 0) return;
    const pool = o.managers.length > 0 ? o.managers.map((m) => m.id) : userIds;
    for (const i of rng.sample(pool.length, rng.int(1, 3))) state.addOwner(g.id, pool[i] as string);
  };
  const addRandomMembers = (g: GroupRecord): void => {
    if (userIds.length === 0) return;
    const size = rng.weighted<[number, number]>([
      [[3, 25], 70],
      [[25, 200], 25],
      [[200, 2000], 5],
    ]);
    for (const i of rng.sample(userIds.length, rng.int(size[0], size[1]))) state.addMember(g.id, userIds[i] as string);
  };

  if (o.groups >= 1) {
    const nick = uniqueNick('allstaff');
    const all = makeGroup({
      id: rng.guid(),
      displayName: 'All Staff',
      description: 'Everyone in the organization: company-wide announcements, news and events',
      mailNickname: nick,
      ...unifiedMail(nick, state.domain),
      visibility: 'Public',
      createdDateTime: '2016-01-04T09:05:00Z',
      resourceProvisioningOptions: ['Team'],
    });
    state.addGroup(all);
    for (const id of userIds) state.addMember(all.id, id);
    if (state.adminUserId) state.addOwner(all.id, state.adminUserId);
  }

  for (let i = 1; i < o.groups; i++) {
    const flavour = rng.weighted(FLAVOURS);
    const dyn = flavour === 'dynamic' ? dynamicRule(rng) : undefined;
    const name = dyn ? dyn.name : groupName(rng, flavour);
    const nick = uniqueNick(slug(name));
    const description = `${name}: ${rng.pick(GROUP_DESCRIPTION_TOPICS)}`;
    const base = { id: rng.guid(), displayName: name, description, mailNickname: nick, createdDateTime: created() };
    let g: GroupRecord;
    switch (flavour) {
      case 'microsoft365':
        g = makeGroup({
          ...base,
          ...unifiedMail(nick, state.domain),
          visibility: rng.weighted([
            ['Public', 60],
            ['Private', 38],
            ['HiddenMembership', 2],
          ]),
          resourceProvisioningOptions: rng.chance(0.3) ? ['Team'] : [],
        });
        break;
      case 'dynamic':
        g = makeGroup({ ...base, groupTypes: ['DynamicMembership'], membershipRule: dyn?.rule ?? null, membershipRuleProcessingState: 'On' });
        break;
      case 'distribution':
      case 'mailEnabledSecurity':
        g = makeGroup({
          ...base,
          mailEnabled: true,
          securityEnabled: flavour === 'mailEnabledSecurity',
          mail: `${nick}@${state.domain}`,
          proxyAddresses: [`SMTP:${nick}@${state.domain}`],
        });
        break;
      default:
        g = makeGroup({
          ...base,
          isAssignableToRole: rng.chance(0.05) ? true : null,
          onPremisesSyncEnabled: rng.chance(0.03) ? true : null,
        });
        if (g.isAssignableToRole) g.visibility = 'Private';
    }
    state.addGroup(g);
    addOwners(g);
    if (flavour === 'dynamic' && g.membershipRule) {
      let ids = ruleCache.get(g.membershipRule);
      if (!ids) {
        const pred = compileRule(g.membershipRule);
        ids = [];
        for (const u of state.users()) if (pred(u)) ids.push(u.id);
        ruleCache.set(g.membershipRule, ids);
      }
      for (const id of ids) state.addMember(g.id, id);
    } else {
      addRandomMembers(g);
    }
    if (flavour === 'nested' && plainSecurity.length > 0) {
      for (const j of rng.sample(plainSecurity.length, rng.int(1, 3))) state.addMember(g.id, plainSecurity[j] as string);
    }
    if (flavour === 'security' || flavour === 'nested') plainSecurity.push(g.id);
  }

  if (o.adversarial) {
    HOSTILE_GROUPS.forEach((h, i) => {
      const nick = uniqueNick(`hostile-group-${i + 1}`);
      const unified = i === 3;
      const g = makeGroup({
        id: rng.guid(),
        displayName: h.displayName,
        description: h.description,
        mailNickname: nick,
        createdDateTime: created(),
        ...(unified ? { ...unifiedMail(nick, state.domain), visibility: 'Public' } : {}),
      });
      state.addGroup(g);
      if (state.adminUserId) state.addOwner(g.id, state.adminUserId);
      for (const j of rng.sample(userIds.length, 5)) state.addMember(g.id, userIds[j] as string);
    });
  }
}

function unifiedMail(nick: string, domain: string): Pick<GroupRecord, 'groupTypes' | 'mailEnabled' | 'securityEnabled' | 'mail' | 'proxyAddresses'> {
  const mail = `${nick}@${domain}`;
  return { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false, mail, proxyAddresses: [`SMTP:${mail}`] };
}

function groupName(rng: Rng, flavour: Flavour): string {
  const dept = rng.pick(DEPARTMENTS);
  const code = rng.pick(PROJECT_CODENAMES);
  const city = rng.pick(SITES).city;
  switch (flavour) {
    case 'security':
    case 'nested':
      return rng.pick([`SG-${dept.replace(/\s+/g, '')}-Access`, `${dept} ${rng.pick(['Admins', 'Readers', 'Approvers'])}`, `${code} Contributors`]);
    case 'distribution':
      return `${dept} Announcements`;
    case 'mailEnabledSecurity':
      return `${dept} Mail Security`;
    default:
      return rng.pick([`${dept} Team`, `Project ${code}`, `${code} Production`, `${city} Office`, `${dept} ${code} Working Group`]);
  }
}

function dynamicRule(rng: Rng): { rule: string; name: string } {
  const dept = rng.pick(DEPARTMENTS);
  const site = rng.pick(SITES);
  return rng.pick([
    { rule: `(user.department -eq "${dept}")`, name: `Dynamic - ${dept}` },
    { rule: `(user.country -eq "${site.country}")`, name: `All ${site.country} Employees` },
    { rule: `(user.city -eq "${site.city}") -and (user.department -eq "${dept}")`, name: `${site.city} ${dept} (dynamic)` },
    { rule: `(user.department -eq "${dept}") -and (user.accountEnabled -eq true)`, name: `Dyn ${dept} Active` },
  ]);
}

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9-]+/g, '')
    .toLowerCase();
}
