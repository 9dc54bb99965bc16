/**
 * Least privilege from the first sign-in, end to end through msal-node against the emulator's consent model: an app
 * registration with an administrator's consent for the read permissions only; sign-in asks for those; the first write
 * asks once for its own permission, and what happens next depends on who the user is and what they answer.
 */
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ACCESS_FIXTURES, startEmulator, VSCODE_CLIENT_ID, type Emulator, type RegisteredAppInfo } from '../emulator';
import { decodeJwtClaims } from '../emulator/identity/jwt';
import { httpsFetch } from '../hardening/secrets';
import { SignInManager } from '../../src/auth/signInManager';
import { AuthError } from '../../src/auth/types';
import { GraphClient } from '../../src/core';
import { FakeSecrets, fakeDeps, httpsNetworkClient, rawGet, session } from './authFakes';

/** The read permissions README documents for browsing; written out here, not read from the implementation. */
const READ = ['GroupMember.Read.All', 'User.Read', 'User.Read.All'];
const WRITES = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
const nonAdmin = ACCESS_FIXTURES.users.noRole;
const ownedGroup = ACCESS_FIXTURES.groups.ownedGroup.id;
const newMember = ACCESS_FIXTURES.users.helpdeskAdmin.id;

let emu: Emulator;
let ca: string;
/** The emulator's first signed-in user: a Global Administrator. */
let adminId: string;

before(async () => {
  emu = await startEmulator({ https: true, users: 20, groups: 5 });
  ca = emu.caCert ?? assert.fail('the emulator serves HTTPS');
  adminId = emu.signedInUserId;
});
after(() => emu.close());

const scopesOf = (url: string): string[] => (new URL(url).searchParams.get('scope') ?? '').split(' ').filter((s) => !['openid', 'profile', 'offline_access'].includes(s)).sort();
const scp = (token: string): string[] => {
  const value = decodeJwtClaims(token)?.['scp'];
  return typeof value === 'string' ? value.split(' ').filter(Boolean).sort() : [];
};
const unescapeHtml = (s: string): string => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replaceAll('&amp;', '&');

/**
 * Plays the browser: follows /authorize to its redirect, or, on the "Need admin approval" page, takes the page's
 * "return to the application" link, as a user who cannot get further would.
 */
function browser(visits: string[]): (url: string) => Promise<boolean> {
  return async (url) => {
    visits.push(url);
    const page = await rawGet(url, ca);
    if (page.status === 302 && page.location) {
      await rawGet(page.location);
      return true;
    }
    const back = /<a id="return" href="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(back, `the authorize page neither redirected nor offered a way back (${page.status}): ${page.body.slice(0, 300)}`);
    await rawGet(unescapeHtml(back));
    return true;
  };
}

interface Setup {
  app: RegisteredAppInfo;
  auth: SignInManager;
  graph: GraphClient;
  visits: string[];
  questions: string[];
}

/** An app listing read and write permissions, with an administrator's consent for the read ones only. */
async function setUp(userId: string, answer: { consentModal?: boolean } = {}): Promise<Setup> {
  const app = emu.consent.registerApp({ displayName: 'Entra ID Directory (own app)', requiredScopes: [...READ, ...WRITES] });
  emu.consent.grantAdminConsent(app.clientId, READ);
  emu.setSignedInUser(userId);
  const visits: string[] = [];
  const questions: string[] = [];
  const secrets = new FakeSecrets();
  await secrets.store(`entraId.clientSecret/${app.clientId}`, app.clientSecret ?? assert.fail('a confidential client'));
  const deps = fakeDeps({
    settings: {
      'entraId.auth.method': 'authorizationCode',
      'entraId.auth.clientId': app.clientId,
      'entraId.auth.tenantId': emu.tenantId,
      'entraId.cloud': 'custom',
      'entraId.customGraphEndpoint': emu.graphUrl,
      'entraId.customAuthorityHost': emu.authorityHost,
    },
    secrets,
    msalNetworkClient: httpsNetworkClient(ca),
    openExternal: browser(visits),
    signInTimeoutMs: 10_000,
    confirm: (message) => {
      questions.push(message);
      return Promise.resolve(answer.consentModal ?? true);
    },
  });
  const auth = new SignInManager(deps);
  const graph = new GraphClient({ baseUrl: emu.graphUrl, getAccessToken: auth.tokenProvider, fetch: httpsFetch(ca), maxRetries: 0 });
  return { app, auth, graph, visits, questions };
}

async function browses(graph: GraphClient): Promise<void> {
  const users = await graph.getOrganizationUsers({ maxItems: 5 });
  assert.ok(users.success, users.success ? '' : users.error.message);
  const groups = await graph.getOrganizationGroups({ maxItems: 5 });
  assert.ok(groups.success, groups.success ? '' : groups.error.message);
  const members = await graph.groupMembersPage(ownedGroup);
  assert.ok(members.success, members.success ? '' : members.error.message);
  const owners = await graph.groupOwnersPage(ownedGroup);
  assert.ok(owners.success, owners.success ? '' : owners.error.message);
  const manager = await graph.getManager(nonAdmin.id);
  assert.ok(manager.success, manager.success ? '' : manager.error.message);
  const org = await graph.getOrganization();
  assert.ok(org.success, org.success ? '' : org.error.message);
}

const memberAdds = (): number => emu.log.filter((e) => e.method === 'POST' && e.path.includes('/members/$ref')).length;

describe('incremental consent (emulator consent model)', () => {
  beforeEach(() => {
    emu.consent.setAnswer('accept');
    emu.clearLog();
  });

  it('a non-admin signs in with the read permissions only and browses users, groups, members, owners, managers and the tenant', async () => {
    const { auth, graph, visits } = await setUp(nonAdmin.id);
    const account = await auth.signIn();
    assert.equal(account?.userId, nonAdmin.id);
    assert.equal(visits.length, 1);
    assert.deepEqual(scopesOf(visits[0] ?? ''), READ, 'sign-in asks for the read permissions and nothing else');
    assert.deepEqual(scp(await auth.tokenProvider()), READ);
    await browses(graph);
    assert.equal(visits.length, 1, 'browsing never opens the browser again');
    auth.dispose();
  });

  it('as a non-admin, the first change asks once, ends on "Need admin approval", says so, and browsing keeps working', async () => {
    const { app, auth, graph, visits, questions } = await setUp(nonAdmin.id);
    await auth.signIn();
    const added = await graph.addMemberToGroup(ownedGroup, newMember);
    assert.ok(!added.success);
    assert.equal(added.error.code, 'AuthenticationFailed');
    assert.match(added.error.message, /Changing group members needs the permission GroupMember\.ReadWrite\.All/);
    assert.match(added.error.message, /AADSTS90094/);
    assert.match(added.error.message, /administrator/);
    assert.ok(added.error.message.includes(app.clientId), 'names the app an administrator has to consent for');
    assert.match(added.error.message, /Browsing keeps working/);
    assert.equal(questions.length, 1, 'one question');
    assert.match(questions[0] ?? '', /GroupMember\.ReadWrite\.All/);
    assert.equal(visits.length, 2, 'one interactive consent request');
    assert.deepEqual(scopesOf(visits[1] ?? ''), [...READ, 'GroupMember.ReadWrite.All'].sort(), 'asks for the one write permission the change needs');
    assert.equal(memberAdds(), 0, 'nothing was sent to Graph without the permission');
    assert.ok(auth.account, 'still signed in');
    await browses(graph);
    assert.equal(emu.consent.grants(app.clientId).some((g) => g.scope.includes('GroupMember.ReadWrite.All')), false);
    auth.dispose();
  });

  it('as an administrator, the first change asks once, consents and succeeds; the next change of the same kind asks nothing', async () => {
    const { app, auth, graph, visits, questions } = await setUp(adminId);
    await auth.signIn();
    const first = await graph.addMemberToGroup(ownedGroup, newMember);
    assert.ok(first.success, first.success ? '' : first.error.message);
    assert.equal(questions.length, 1);
    assert.equal(visits.length, 2);
    assert.deepEqual(scopesOf(visits[1] ?? ''), [...READ, 'GroupMember.ReadWrite.All'].sort());
    assert.ok(auth.account?.grantedScopes?.includes('GroupMember.ReadWrite.All'), 'the account now holds the write permission');
    const grant = emu.consent.grants(app.clientId).find((g) => g.consentType === 'Principal');
    assert.ok(grant?.scope.includes('GroupMember.ReadWrite.All'), 'the consent was recorded for the user');

    const second = await graph.removeMemberFromGroup(ownedGroup, newMember);
    assert.ok(second.success, second.success ? '' : second.error.message);
    assert.equal(questions.length, 1, 'no second question');
    assert.equal(visits.length, 2, 'no second browser visit');
    await browses(graph);

    // Another kind of change needs another permission: one more question, for that permission only.
    const renamed = await graph.updateGroup(ownedGroup, { description: 'Renamed by the consent test' });
    assert.ok(renamed.success, renamed.success ? '' : renamed.error.message);
    assert.equal(questions.length, 2);
    assert.deepEqual(scopesOf(visits[2] ?? ''), [...READ, 'Group.ReadWrite.All'].sort());
    auth.dispose();
  });

  it('a consent declined in the browser (AADSTS65004) is reported as declined; browsing keeps working', async () => {
    const { auth, graph, visits } = await setUp(adminId);
    await auth.signIn();
    emu.consent.setAnswer('decline');
    const added = await graph.addMemberToGroup(ownedGroup, newMember);
    assert.ok(!added.success);
    assert.match(added.error.message, /the permission GroupMember\.ReadWrite\.All was not granted/);
    assert.match(added.error.message, /Browsing keeps working/);
    assert.equal(visits.length, 2);
    assert.equal(memberAdds(), 0);
    assert.ok(auth.account);
    await browses(graph);
    auth.dispose();
  });

  it('answering no to the question opens no browser and sends nothing', async () => {
    const { auth, graph, visits, questions } = await setUp(adminId, { consentModal: false });
    await auth.signIn();
    const added = await graph.addMemberToGroup(ownedGroup, newMember);
    assert.ok(!added.success);
    assert.match(added.error.message, /Changing group members was not done/);
    assert.equal(questions.length, 1);
    assert.equal(visits.length, 1, 'only the sign-in');
    assert.equal(memberAdds(), 0);
    await browses(graph);
    auth.dispose();
  });
});

describe('client credentials (emulator)', () => {
  it("asks nothing for a write: the app's roles are what an administrator granted, and a missing one is Graph's refusal", async () => {
    const visits: string[] = [];
    const questions: string[] = [];
    const secrets = new FakeSecrets();
    await secrets.store(`entraId.clientSecret/${emu.apps.demo.clientId}`, emu.apps.demo.clientSecret);
    const deps = fakeDeps({
      settings: {
        'entraId.auth.method': 'clientCredentials',
        'entraId.auth.clientId': emu.apps.demo.clientId,
        'entraId.auth.tenantId': emu.tenantId,
        'entraId.cloud': 'custom',
        'entraId.customGraphEndpoint': emu.graphUrl,
        'entraId.customAuthorityHost': emu.authorityHost,
      },
      secrets,
      msalNetworkClient: httpsNetworkClient(ca),
      openExternal: browser(visits),
      confirm: (message) => {
        questions.push(message);
        return Promise.resolve(true);
      },
    });
    const auth = new SignInManager(deps);
    const token = await auth.tokenProvider({ access: { operation: 'addMember', scopes: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'] } });
    assert.ok(Array.isArray(decodeJwtClaims(token)?.['roles']), 'an app-only token');
    assert.deepEqual(questions, []);
    assert.deepEqual(visits, []);
    auth.dispose();
  });
});

describe("VS Code's own app (emulator)", () => {
  /**
   * VS Code's Microsoft provider, played against the emulator's /authorize with VS Code's client id: a known session
   * for the scopes it was given, otherwise the identity platform's answer as the provider reports it (its error text).
   */
  function vscodeProvider(known: readonly string[]) {
    const asked: string[][] = [];
    const getSession = async (_provider: string, scopes: readonly string[], options: { silent?: boolean }) => {
      const graphScopes = scopes.filter((s) => !s.startsWith('VSCODE_'));
      if (graphScopes.every((s) => known.includes(s))) return session('ada@contoso.com', { oid: adminId, scp: graphScopes.join(' ') }, graphScopes);
      if (options.silent) return undefined;
      asked.push([...graphScopes]);
      const params = new URLSearchParams({ client_id: VSCODE_CLIENT_ID, response_type: 'code', redirect_uri: 'http://127.0.0.1:4711/', scope: graphScopes.join(' '), code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
      const page = await fetch(`${emu.url}/organizations/oauth2/v2.0/authorize?${params.toString()}`, { redirect: 'manual' });
      const text = unescapeHtml(await page.text());
      throw new Error(/AADSTS\d+:[^<]*/.exec(text)?.[0] ?? `unexpected answer ${page.status}`);
    };
    return { getSession, asked };
  }

  it('signing in for browsing gets AADSTS65002 and the explanation offers the guided setup', async () => {
    const provider = vscodeProvider([]);
    const deps = fakeDeps({ getSession: provider.getSession });
    const auth = new SignInManager(deps);
    await assert.rejects(auth.signIn(), (e: unknown) => e instanceof AuthError && e.code === 'NeedsOwnApp' && /AADSTS65002/.test(e.message) && /Guided Setup/.test(e.message));
    assert.equal(provider.asked.length, 1);
    auth.dispose();
  });

  it('a write permission asked of VS Code\'s app gets AADSTS65002 and the same explanation', async () => {
    const provider = vscodeProvider(READ);
    const deps = fakeDeps({ getSession: provider.getSession });
    const auth = new SignInManager(deps);
    assert.ok(await auth.signIn());
    await assert.rejects(
      auth.tokenProvider({ access: { operation: 'createGroup', scopes: ['Group.ReadWrite.All', 'Directory.ReadWrite.All'] } }),
      (e: unknown) => e instanceof AuthError && e.code === 'NeedsOwnApp' && /Creating groups needs the permission Group\.ReadWrite\.All/.test(e.message) && /AADSTS65002/.test(e.message) && /Guided Setup/.test(e.message),
    );
    assert.deepEqual(provider.asked, [[...['User.Read', 'User.Read.All', 'GroupMember.Read.All'], 'Group.ReadWrite.All']]);
    assert.ok(auth.account, 'the read sign-in stays');
    auth.dispose();
  });
});
