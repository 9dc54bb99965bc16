import { Rng } from '../util/prng.js';
import { TenantState } from './tenant.js';
import { makeUser, isoSeconds } from './factories.js';
import type { UserRecord } from './records.js';
import { NAME_POOLS, SCRIPT_WEIGHTS, GUEST_DOMAINS } from '../data/names.js';
import { DEPARTMENTS, SITES, BUILDINGS, COMPANY, titlesFor } from '../data/orgData.js';
import type { Site } from '../data/orgData.js';
import { HOSTILE_USERS } from '../data/adversarial.js';
import { generateGroups } from './generateGroups.js';
import { seedAccessFixtures } from './accessSeed.js';
import { seedAppsAndDevices } from './appsAndDevices.js';

export interface GenerateOptions {
  users: number;
  groups: number;
  seed: number;
  adversarial: boolean;
  domain: string;
}

/** Users added on top of `users` when `adversarial` is on. */
export const ADVERSARIAL_USER_COUNT = HOSTILE_USERS.length;

const FORCED_GUEST_INDEX = 7;
const FORCED_DISABLED_INDEX = 9;
const EPOCH_2016 = Date.UTC(2016, 0, 1);
const SPAN_MS = Date.UTC(2025, 6, 1) - EPOCH_2016;

/**
 * Builds a deterministic tenant: an admin first, a CEO, vice presidents, managers
 * and individual contributors in a reporting tree, ~3% guests, ~5% disabled
 * accounts, a few directory-synced users, then groups, then the fixed users and groups of the access model
 * (directory roles, privileged targets, read-only group kinds; see accessSeed.ts).
 */
export function generateTenant(o: GenerateOptions): TenantState {
  const rng = new Rng(o.seed);
  const state = new TenantState(o.domain);
  const gen = new UserFactory(rng, o.domain);

  const vps: UserRecord[] = [];
  const managers: UserRecord[] = [];
  const vpQuota = Math.max(1, Math.round(o.users * 0.01));
  const managerQuota = Math.max(1, Math.round(o.users * 0.09));
  let ceo: UserRecord | undefined;

  for (let i = 0; i < o.users; i++) {
    if (i === 0) {
      const admin = gen.admin();
      state.addUser(admin);
      state.adminUserId = admin.id;
      state.assignRole(admin.id, 'Global Administrator');
      continue;
    }
    if (i === 1) {
      ceo = gen.member({ department: 'Executive', jobTitle: 'Chief Executive Officer', forceEnabled: true });
      state.addUser(ceo);
      continue;
    }
    // Small tenants still get at least one guest and one disabled account to exercise.
    if (rng.chance(0.03) || i === FORCED_GUEST_INDEX) {
      state.addUser(gen.guest());
      continue;
    }
    if (vps.length < vpQuota) {
      const dept = DEPARTMENTS[vps.length % DEPARTMENTS.length] as string;
      const vp = gen.member({ department: dept, jobTitle: rng.pick(titlesFor(dept, 0)), forceEnabled: true });
      state.addUser(vp);
      vps.push(vp);
      if (ceo) state.setManager(vp.id, ceo.id);
      continue;
    }
    if (managers.length < managerQuota) {
      const boss = rng.pick(vps);
      const dept = boss.department ?? 'Operations';
      const m = gen.member({ department: dept, jobTitle: rng.pick(titlesFor(dept, 1)) });
      state.addUser(m);
      managers.push(m);
      state.setManager(m.id, boss.id);
      continue;
    }
    const boss = managers.length > 0 ? rng.pick(managers) : vps.length > 0 ? rng.pick(vps) : ceo;
    const dept = boss?.department ?? rng.pick(DEPARTMENTS);
    const u = gen.member({ department: dept, jobTitle: rng.pick(titlesFor(dept, 2)) });
    if (i === FORCED_DISABLED_INDEX) u.accountEnabled = false;
    state.addUser(u);
    // Some accounts (service desks, contractors) have no manager recorded.
    if (boss && !rng.chance(0.03)) state.setManager(u.id, boss.id);
  }

  const adminBoss = vps.find((v) => v.department === 'IT') ?? vps[0] ?? ceo;
  if (adminBoss) state.setManager(state.adminUserId, adminBoss.id);

  if (o.adversarial) {
    HOSTILE_USERS.forEach((h, i) => {
      const u = gen.member({ department: h.department ?? 'Research', jobTitle: h.jobTitle ?? 'Tester', forceEnabled: true });
      u.givenName = h.givenName;
      u.surname = h.surname;
      u.displayName = h.displayName;
      const upn = `hostile${String(i + 1).padStart(2, '0')}@${o.domain}`;
      u.userPrincipalName = upn;
      u.mail = upn;
      u.mailNickname = upn.split('@')[0] ?? upn;
      u.proxyAddresses = [`SMTP:${upn}`];
      state.addUser(u);
      if (ceo) state.setManager(u.id, ceo.id);
    });
  }

  generateGroups(state, rng, { groups: o.groups, adversarial: o.adversarial, managers: managers.length > 0 ? managers : vps });
  // Added last and without the generator's random numbers, so every other seeded object stays as it was.
  seedAccessFixtures(state);
  seedAppsAndDevices(state);
  return state;
}

/** Produces individual user records; keeps UPNs unique. */
class UserFactory {
  private readonly upnCounts = new Map<string, number>();

  constructor(
    private readonly rng: Rng,
    private readonly domain: string,
  ) {}

  admin(): UserRecord {
    const site = SITES[0] as Site;
    const upn = `admin@${this.domain}`;
    this.upnCounts.set('admin', 1);
    return makeUser({
      id: this.rng.guid(),
      displayName: 'Avery Admin',
      givenName: 'Avery',
      surname: 'Admin',
      userPrincipalName: upn,
      mail: upn,
      proxyAddresses: [`SMTP:${upn}`],
      jobTitle: 'IT Administrator',
      department: 'IT',
      officeLocation: 'Building 1/1001',
      businessPhones: [`${site.phonePrefix} 0100`],
      preferredLanguage: site.language,
      usageLocation: site.usageLocation,
      city: site.city,
      country: site.country,
      companyName: COMPANY,
      employeeId: 'E000001',
      createdDateTime: '2016-01-04T09:00:00Z',
    });
  }

  member(o: { department: string; jobTitle: string; forceEnabled?: boolean }): UserRecord {
    const rng = this.rng;
    const name = this.name();
    const site = rng.pick(SITES);
    const local = this.uniqueLocal(`${name.romanGiven}.${name.romanSurname}`);
    const upn = `${local}@${this.domain}`;
    const synced = rng.chance(0.02);
    return makeUser({
      id: rng.guid(),
      displayName: name.displayName,
      givenName: name.given,
      surname: name.surname,
      userPrincipalName: upn,
      mail: upn,
      mailNickname: local,
      proxyAddresses: [`SMTP:${upn}`],
      jobTitle: o.jobTitle,
      department: o.department,
      officeLocation: rng.chance(0.9) ? `${rng.pick(BUILDINGS)}/${rng.int(1000, 4999)}` : null,
      mobilePhone: rng.chance(0.5) ? `${site.phonePrefix} ${rng.int(1000, 9999)}` : null,
      businessPhones: rng.chance(0.7) ? [`${site.phonePrefix} ${rng.int(1000, 9999)}`] : [],
      preferredLanguage: rng.chance(0.8) ? site.language : null,
      accountEnabled: o.forceEnabled === true ? true : !rng.chance(0.05),
      userType: 'Member',
      usageLocation: site.usageLocation,
      createdDateTime: this.created(),
      companyName: COMPANY,
      city: site.city,
      country: site.country,
      employeeId: `E${String(rng.int(100000, 999999))}`,
      onPremisesSyncEnabled: synced ? true : null,
    });
  }

  guest(): UserRecord {
    const rng = this.rng;
    const name = this.name();
    const extDomain = rng.pick(GUEST_DOMAINS);
    const local = this.uniqueLocal(`${name.romanGiven}.${name.romanSurname}`);
    const mail = `${local}@${extDomain}`;
    // A guest UPN encodes the external address: alice@fabrikam.example → alice_fabrikam.example#EXT#@tenant
    const upn = `${local}_${extDomain}#EXT#@${this.domain}`;
    return makeUser({
      id: rng.guid(),
      displayName: `${name.displayName} (${extDomain.split('.')[0] ?? extDomain})`,
      givenName: name.given,
      surname: name.surname,
      userPrincipalName: upn,
      mail,
      mailNickname: `${local}_${extDomain}#EXT#`,
      otherMails: [mail],
      proxyAddresses: [`SMTP:${mail}`],
      accountEnabled: !rng.chance(0.05),
      userType: 'Guest',
      createdDateTime: this.created(),
      companyName: extDomain,
      creationType: 'Invitation',
      externalUserState: rng.chance(0.9) ? 'Accepted' : 'PendingAcceptance',
    });
  }

  private name(): { given: string; surname: string; displayName: string; romanGiven: string; romanSurname: string } {
    const pool = NAME_POOLS[this.rng.weighted(SCRIPT_WEIGHTS)];
    const [given, romanGiven] = this.rng.pick(pool.given);
    const [surname, romanSurname] = this.rng.pick(pool.surnames);
    const displayName =
      pool.order === 'eastern' ? `${surname}${given}` : pool.order === 'easternSpaced' ? `${surname} ${given}` : `${given} ${surname}`;
    return { given, surname, displayName, romanGiven, romanSurname };
  }

  private uniqueLocal(base: string): string {
    const n = (this.upnCounts.get(base) ?? 0) + 1;
    this.upnCounts.set(base, n);
    return n === 1 ? base : `${base}${n}`;
  }

  private created(): string {
    return isoSeconds(new Date(EPOCH_2016 + Math.floor(this.rng.next() * SPAN_MS)));
  }
}
