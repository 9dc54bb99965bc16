import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as vscode from 'vscode';
import { GraphClient } from '../../src/core';
import type { LmToolName } from '../../src/lm/toolTypes';
import { confirmation, invoke, makeHarness, prepare } from './lmHarness';

const BASE = 'https://graph.example.test/v1.0';
const GROUP = '0f8fad5b-d9cb-469f-a165-70867728950e';
const USER = '6e1b5b7c-1a2b-4c3d-8e9f-0a1b2c3d4e5f';

/** A Graph client whose fetch is scripted; `calls` counts requests. */
function stubGraph(reply: (url: string, init?: RequestInit) => Promise<Response> | Response = () => json(503, { error: { code: 'ServiceUnavailable', message: 'down' } })) {
  const calls: string[] = [];
  const client = new GraphClient({
    baseUrl: BASE,
    getAccessToken: () => Promise.resolve('token'),
    maxRetries: 0,
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      calls.push(`${init?.method ?? 'GET'} ${url}`);
      return reply(url, init);
    },
  });
  return { client, calls };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'request-id': 'req-1' } });
}

const WRITE_INPUTS: Array<[LmToolName, unknown]> = [
  ['entra_create_group', { displayName: 'X', kind: 'security' }],
  ['entra_update_group', { groupId: GROUP, changes: { description: 'd' } }],
  ['entra_delete_group', { groupId: GROUP }],
  ['entra_add_member_to_group', { groupId: GROUP, memberId: USER }],
  ['entra_remove_member_from_group', { groupId: GROUP, memberId: USER }],
  ['entra_update_user', { userId: USER, changes: { jobTitle: 'Lead' } }],
];

describe('LM tool runtime (no network)', () => {
  it('refuses every write tool when entraId.lm.enableWriteTools is off, without a request or a confirmation', async () => {
    const { client, calls } = stubGraph();
    const h = makeHarness(() => client);
    h.writeEnabled.value = false;
    for (const [name, input] of WRITE_INPUTS) {
      const prepared = await prepare(h, name, input);
      assert.equal(prepared.confirmationMessages, undefined, name);
      assert.match(prepared.invocationMessage ?? '', /turned off/);
      const r = await invoke(h, name, input);
      assert.equal(r.json.success, false, name);
      assert.equal(r.json.error?.code, 'WriteToolsDisabled');
      assert.match(r.summary, /entraId\.lm\.enableWriteTools/);
    }
    assert.deepEqual(calls, []);
    assert.deepEqual(h.fired, []);
  });

  const INVALID: Array<[LmToolName, unknown, string | undefined]> = [
    ['entra_get_profile', { userId: 42 }, 'userId'],
    ['entra_get_profile', { userId: '../../groups' }, 'userId'],
    ['entra_get_profile', { user: 'adele@contoso.com' }, 'user'],
    ['entra_get_manager', 'adele@contoso.com', undefined],
    ['entra_get_ms365_groups', { maxItems: 0 }, 'maxItems'],
    ['entra_get_organization_users', { maxItems: 1000 }, 'maxItems'],
    ['entra_get_organization_users', { includeDisabled: 'yes' }, 'includeDisabled'],
    ['entra_get_organization_groups', { maxItems: '10' }, 'maxItems'],
    ['entra_search_groups', {}, 'query'],
    ['entra_search_groups', { query: '   ' }, 'query'],
    ['entra_search_groups', { query: 'x'.repeat(257) }, 'query'],
    ['entra_create_group', { displayName: 'X', kind: 'distribution' }, 'kind'],
    ['entra_create_group', { displayName: 'X', kind: 'security', visibility: 'HiddenMembership' }, 'visibility'],
    ['entra_create_group', { displayName: 'X', kind: 'security', mailNickname: 'has space' }, 'mailNickname'],
    ['entra_create_group', { displayName: '日本', kind: 'security' }, 'mailNickname'],
    ['entra_create_group', { displayName: 'X', kind: 'security', ownerIds: ['not a user'] }, 'ownerIds'],
    ['entra_create_group', { displayName: 'X', kind: 'security', memberIds: 'adele@contoso.com' }, 'memberIds'],
    ['entra_update_group', { groupId: 'sales', changes: { description: 'd' } }, 'groupId'],
    ['entra_update_group', { groupId: GROUP, changes: {} }, 'changes'],
    ['entra_update_group', { groupId: GROUP, changes: { visibility: 'HiddenMembership' } }, 'changes.visibility'],
    ['entra_update_group', { groupId: GROUP, displayName: 'flat' }, 'displayName'],
    ['entra_delete_group', { groupId: `${GROUP}/members` }, 'groupId'],
    ['entra_delete_group', {}, 'groupId'],
    ['entra_add_member_to_group', { groupId: GROUP }, 'memberId'],
    ['entra_add_member_to_group', { groupId: GROUP, memberId: 'adele' }, 'memberId'],
    ['entra_remove_member_from_group', { groupId: GROUP, memberId: USER, force: true }, 'force'],
    ['entra_update_user', { userId: USER, changes: { id: 'x' } }, 'changes.id'],
    ['entra_update_user', { userId: USER, changes: { usageLocation: 'usa' } }, 'changes.usageLocation'],
    ['entra_update_user', { userId: USER, changes: { accountEnabled: 'false' } }, 'changes.accountEnabled'],
    ['entra_update_user', { userId: USER, changes: { businessPhones: ['1', '2'] } }, 'changes.businessPhones'],
    ['entra_update_user', { changes: { jobTitle: 'Lead' } }, 'userId'],
  ];
  for (const [name, input, field] of INVALID) {
    it(`${name} refuses ${JSON.stringify(input).slice(0, 60)} before any request`, async () => {
      const { client, calls } = stubGraph();
      const h = makeHarness(() => client);
      const r = await invoke(h, name, input);
      assert.equal(r.json.success, false);
      assert.equal(r.json.error?.code, 'ValidationError', r.summary);
      assert.equal(r.json.error?.field, field, r.summary);
      assert.match(r.summary, /^Invalid input: /);
      const prepared = await prepare(h, name, input);
      assert.equal(prepared.confirmationMessages, undefined);
      assert.deepEqual(calls, []);
      assert.deepEqual(h.fired, []);
    });
  }

  it('does not start when the invocation is already cancelled', async () => {
    const { client, calls } = stubGraph();
    const h = makeHarness(() => client);
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    const r = await invoke(h, 'entra_get_organization_users', {}, source.token);
    assert.equal(r.json.error?.code, 'Cancelled');
    assert.deepEqual(calls, []);
  });

  it('aborts the Graph request when the chat cancels, and answers with a result', async () => {
    const source = new vscode.CancellationTokenSource();
    const { client } = stubGraph((_url, init) => new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      setTimeout(() => source.cancel(), 5);
    }));
    const h = makeHarness(() => client);
    const r = await invoke(h, 'entra_search_groups', { query: 'sales' }, source.token);
    assert.equal(r.json.success, false);
    assert.equal(r.json.error?.code, 'Cancelled');
  });

  it('asks for a user when signed in app-only and none is named', async () => {
    const { client, calls } = stubGraph(() => json(200, { id: USER, displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.com', jobTitle: null }));
    const h = makeHarness(() => client, { method: 'clientCredentials', label: 'app', appOnly: true });
    for (const name of ['entra_get_profile', 'entra_get_manager', 'entra_get_ms365_groups'] as const) {
      const r = await invoke(h, name, {});
      assert.equal(r.json.error?.code, 'ValidationError');
      assert.equal(r.json.error?.field, 'userId');
      assert.match(r.summary, /app-only/);
    }
    assert.deepEqual(calls, []);
    const named = await invoke(h, 'entra_get_profile', { userId: 'adele@contoso.com' });
    assert.equal(named.json.success, true);
    assert.deepEqual(named.json.data, { id: USER, displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.com' });
    assert.match(calls[0] ?? '', /\/users\/adele%40contoso\.com\?/);
  });

  it('says so when nobody is signed in', async () => {
    const { client, calls } = stubGraph();
    const h = makeHarness(() => client, null);
    const r = await invoke(h, 'entra_get_profile', {});
    assert.equal(r.json.error?.code, 'NotSignedIn');
    assert.deepEqual(calls, []);
  });

  it('turns an unexpected exception into a failed result', async () => {
    const h = makeHarness(() => {
      throw new Error('boom');
    });
    const r = await invoke(h, 'entra_get_organization_groups', {});
    assert.equal(r.json.success, false);
    assert.equal(r.json.error?.code, 'UnexpectedError');
    assert.match(r.json.error?.message ?? '', /boom/);
    // A write whose confirmation cannot be built still asks, showing the raw input inertly.
    const prepared = await prepare(h, 'entra_delete_group', { groupId: GROUP });
    const c = confirmation(prepared);
    assert.match(c.markdown, /entra\\_delete\\_group/);
    assert.equal(c.trusted, false);
  });

  it('confirms with ids when Graph cannot name the objects', async () => {
    const { client } = stubGraph();
    const h = makeHarness(() => client);
    const c = confirmation(await prepare(h, 'entra_add_member_to_group', { groupId: GROUP, memberId: 'adele@contoso.com' }));
    assert.match(c.markdown, /^Add \*\*adele\\@contoso\\\.com\*\* to \*\*0f8fad5b\\-d9cb/);
  });

  it('reports Graph failures with code, status and request id', async () => {
    const { client } = stubGraph(() => json(403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }));
    const h = makeHarness(() => client);
    const r = await invoke(h, 'entra_get_organization_users', {});
    assert.deepEqual(r.json.error, { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', status: 403, requestId: 'req-1' });
    assert.match(r.summary, /Insufficient privileges.*Authorization_RequestDenied.*permission/);
    assert.ok(h.logLines().some((l) => l.includes('entra_get_organization_users: Authorization_RequestDenied')));
    assert.ok(!h.logLines().some((l) => l.includes('token')));
  });
});
