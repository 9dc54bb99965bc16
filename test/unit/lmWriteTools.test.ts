import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { startEmulator, type Emulator, type UserRecord } from '../emulator';
import { makeGroup } from '../emulator/directory/factories';
import { confirmation, emulatorClient, invoke, makeHarness, prepare, renderMarkdown, type Harness } from './lmHarness';

const MISSING_GROUP = '00000000-0000-4000-8000-000000000001';

describe('LM write tools against the Graph emulator', () => {
  let emu: Emulator;
  let h: Harness;

  before(async () => {
    emu = await startEmulator({ users: 40, groups: 12 });
    const client = emulatorClient(emu);
    h = makeHarness(() => client);
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.scriptFaults([]);
    emu.clearLog();
    h.fired.length = 0;
    h.writeEnabled.value = true;
  });

  const user = (name: string): UserRecord => {
    const u = emu.state.findUser((x) => x.displayName === name);
    assert.ok(u, name);
    return u;
  };
  const hostileUser = () => user('[x](command:workbench.action.quit)');
  const imgUser = () => user('<img src=x onerror=alert(1)>');
  const plainUser = (): UserRecord => {
    const u = emu.state.findUser((x) => x.accountEnabled && /^[A-Za-z]+ [A-Za-z]+$/.test(x.displayName ?? '') && x.id !== emu.state.adminUserId);
    assert.ok(u);
    return u;
  };
  const groupNamed = (pred: (name: string) => boolean) => {
    const g = emu.state.findGroup((x) => pred(x.displayName));
    assert.ok(g);
    return g;
  };
  const linkGroup = () => groupNamed((n) => n.startsWith('[Open me]'));
  const imgGroup = () => groupNamed((n) => n.startsWith('<img'));
  const writes = () => emu.log.filter((e) => e.method !== 'GET');

  /** The confirmation shows hostile names as text: no link, image or HTML once rendered. */
  function assertInert(markdown: string): void {
    const html = renderMarkdown(markdown);
    assert.doesNotMatch(html, /<a\s|<img|<script/i, html);
  }

  it('entra_add_member_to_group confirms with escaped display names, adds, and tells the views', async () => {
    const member = hostileUser();
    const group = linkGroup();
    assert.ok(!emu.state.isMember(group.id, member.id));
    const c = confirmation(await prepare(h, 'entra_add_member_to_group', { groupId: group.id, memberId: member.userPrincipalName }));
    assert.equal(c.title, 'Add a member to the group?');
    assert.equal(c.trusted, false);
    assert.ok(c.markdown.startsWith('Add **\\[x\\]\\(command\\:workbench\\.action\\.quit\\)** to **\\[Open me\\]\\(command\\:workbench\\.action\\.quit\\)**.'), c.markdown);
    assertInert(c.markdown);
    assert.deepEqual(writes(), [], 'preparing must not change anything');

    const r = await invoke(h, 'entra_add_member_to_group', { groupId: group.id.toUpperCase(), memberId: member.userPrincipalName });
    assert.equal(r.json.success, true, r.summary);
    assert.ok(emu.state.isMember(group.id, member.id));
    assert.equal(h.fired.length, 1);
    const fired = h.fired[0];
    assert.equal(fired?.kind, 'memberAdded');
    // The views get the group as read for the confirmation (its name and kind), and the member as resolved.
    assert.equal(fired?.kind === 'memberAdded' && fired.group.id, group.id);
    assert.equal(fired?.kind === 'memberAdded' && fired.group.displayName, group.displayName);
    assert.deepEqual(fired?.kind === 'memberAdded' && fired.member, { id: member.id, displayName: member.displayName, userPrincipalName: member.userPrincipalName, '@odata.type': '#microsoft.graph.user' });
    assert.deepEqual(writes().map((e) => `${e.method} ${e.path}`), [`POST /v1.0/groups/${group.id}/members/$ref`]);

    h.fired.length = 0;
    const again = await invoke(h, 'entra_add_member_to_group', { groupId: group.id, memberId: member.id });
    assert.equal(again.json.success, true);
    assert.equal(again.json.alreadyMember, true);
    assert.deepEqual(h.fired, []);
  });

  it('entra_remove_member_from_group confirms, removes only the membership, and tells the views', async () => {
    const group = imgGroup();
    const memberId = emu.state.membersOf(group.id)[0];
    assert.ok(memberId);
    const member = emu.state.user(memberId);
    assert.ok(member);
    const c = confirmation(await prepare(h, 'entra_remove_member_from_group', { groupId: group.id, memberId: member.userPrincipalName }));
    assert.equal(c.title, 'Remove a member from the group?');
    assert.ok(c.markdown.includes(' from **\\<img src\\=x onerror\\=alert\\(1\\)\\> Group**.'), c.markdown);
    assertInert(c.markdown);

    const r = await invoke(h, 'entra_remove_member_from_group', { groupId: group.id, memberId: member.userPrincipalName });
    assert.equal(r.json.success, true, r.summary);
    assert.ok(!emu.state.isMember(group.id, member.id));
    assert.ok(emu.state.user(member.id), 'the user itself stays');
    assert.deepEqual(h.fired, [{ kind: 'memberRemoved', groupId: group.id, memberId: member.id }]);
    assert.deepEqual(writes().map((e) => `${e.method} ${e.path}`), [`DELETE /v1.0/groups/${group.id}/members/${member.id}/$ref`]);
  });

  it('entra_update_user confirms the exact change with current values, patches, and tells the views', async () => {
    const target = imgUser();
    const before = { jobTitle: target.jobTitle, department: target.department };
    const c = confirmation(await prepare(h, 'entra_update_user', { userId: target.userPrincipalName, changes: { jobTitle: 'Lead', department: 'Ops' } }));
    assert.equal(c.title, 'Update the user?');
    assert.ok(c.markdown.startsWith("Update user **\\<img src\\=x onerror\\=alert\\(1\\)\\>**: jobTitle → 'Lead', department → 'Ops'"), c.markdown);
    assert.ok(c.markdown.includes(`Now: jobTitle ${before.jobTitle ? '\'' : '*(empty)*'}`), c.markdown);
    assertInert(c.markdown);
    assert.equal(emu.state.user(target.id)?.jobTitle, before.jobTitle);

    const r = await invoke(h, 'entra_update_user', { userId: target.userPrincipalName, changes: { jobTitle: 'Lead', department: 'Ops' } });
    assert.equal(r.json.success, true, r.summary);
    assert.equal(emu.state.user(target.id)?.jobTitle, 'Lead');
    assert.equal(emu.state.user(target.id)?.department, 'Ops');
    assert.deepEqual(h.fired, [{ kind: 'userUpdated', userId: target.id, changes: { jobTitle: 'Lead', department: 'Ops' } }]);
    const patch = writes()[0];
    assert.equal(patch?.method, 'PATCH');
    assert.deepEqual(patch.body, { jobTitle: 'Lead', department: 'Ops' });
  });

  it('entra_update_group confirms old → new, patches, and tells the views', async () => {
    const group = imgGroup();
    const c = confirmation(await prepare(h, 'entra_update_group', { groupId: group.id, changes: { description: 'New [desc](command:x)', visibility: 'Private' } }));
    assert.equal(c.title, 'Update the group?');
    assert.ok(c.markdown.startsWith("Update group **\\<img src\\=x onerror\\=alert\\(1\\)\\> Group**: description → 'New \\[desc\\]\\(command\\:x\\)', visibility → 'Private'"), c.markdown);
    assert.ok(c.markdown.includes("Now: description '\\<script\\>"), c.markdown);
    assertInert(c.markdown);

    const r = await invoke(h, 'entra_update_group', { groupId: group.id, changes: { description: 'New [desc](command:x)', visibility: 'Private' } });
    assert.equal(r.json.success, true, r.summary);
    assert.equal(emu.state.group(group.id)?.description, 'New [desc](command:x)');
    assert.equal(emu.state.group(group.id)?.visibility, 'Private');
    assert.deepEqual(h.fired, [{ kind: 'groupUpdated', groupId: group.id, changes: { description: 'New [desc](command:x)', visibility: 'Private' } }]);
  });

  it('entra_create_group confirms kind, alias, visibility, owners and members by name, creates, and tells the views', async () => {
    const owner = plainUser();
    const member = hostileUser();
    const input = { displayName: 'Sales EMEA', kind: 'microsoft365', visibility: 'Private', description: 'EMEA sales team', ownerIds: [owner.userPrincipalName], memberIds: [member.id, imgUser().id] };
    const c = confirmation(await prepare(h, 'entra_create_group', input));
    assert.equal(c.title, 'Create a Microsoft 365 group?');
    const lines = c.markdown.split('\n');
    assert.equal(lines[0], 'Create Microsoft 365 group **Sales EMEA** (mailNickname SalesEMEA, Private) with 1 owner and 2 members.');
    assert.ok(lines.includes(`- Owners: **${owner.displayName ?? ''}**`), c.markdown);
    assert.ok(lines.includes('- Members: **\\[x\\]\\(command\\:workbench\\.action\\.quit\\)**, **\\<img src\\=x onerror\\=alert\\(1\\)\\>**'), c.markdown);
    assertInert(c.markdown);
    assert.deepEqual(writes(), []);

    const r = await invoke(h, 'entra_create_group', input);
    assert.equal(r.json.success, true, r.summary);
    const id = (r.json.data as { id: string }).id;
    const created = emu.state.group(id);
    assert.ok(created);
    assert.equal(created.displayName, 'Sales EMEA');
    assert.deepEqual(created.groupTypes, ['Unified']);
    assert.equal(created.visibility, 'Private');
    assert.deepEqual(emu.state.ownersOf(id), [owner.id]);
    assert.deepEqual(emu.state.membersOf(id).sort(), [member.id, imgUser().id].sort());
    assert.equal(h.fired.length, 1);
    assert.equal(h.fired[0]?.kind, 'groupCreated');
    assert.equal(h.fired[0]?.kind === 'groupCreated' ? h.fired[0].group.id : '', id);
    assert.deepEqual(r.json.data, { id, displayName: 'Sales EMEA', kind: 'microsoft365', mail: created.mail, mailNickname: 'SalesEMEA', visibility: 'Private', description: 'EMEA sales team' });
  });

  it('entra_create_group escapes a hostile new name and rejects a duplicate alias with Graph\'s error', async () => {
    const input = { displayName: '[x](command:workbench.action.quit) <img src=x onerror=alert(1)>', kind: 'security', mailNickname: 'hostile-new' };
    const c = confirmation(await prepare(h, 'entra_create_group', input));
    assert.equal(c.title, 'Create a security group?');
    assert.ok(c.markdown.startsWith('Create security group **\\[x\\]\\(command\\:workbench\\.action\\.quit\\) \\<img src\\=x onerror\\=alert\\(1\\)\\>** (mailNickname hostile\\-new, default visibility) with 0 owners and 0 members.'), c.markdown);
    assertInert(c.markdown);
    const r = await invoke(h, 'entra_create_group', input);
    assert.equal(r.json.success, true, r.summary);

    h.fired.length = 0;
    const taken = groupNamed((n) => n === 'All Staff').mailNickname;
    const dup = await invoke(h, 'entra_create_group', { displayName: 'Another', kind: 'microsoft365', mailNickname: taken });
    assert.equal(dup.json.success, false);
    assert.equal(dup.json.error?.status, 400);
    assert.match(dup.json.error?.message ?? '', /mailNickname/);
    assert.deepEqual(h.fired, []);
  });

  it('entra_create_group reports a group created with some members missing as not successful, and still shows it', async () => {
    const real = [...emu.state.users()].filter((u) => u.accountEnabled).slice(0, 20).map((u) => u.id);
    const missing = '00000000-0000-4000-8000-0000000000aa';
    const r = await invoke(h, 'entra_create_group', { displayName: 'Big Team', kind: 'security', memberIds: [...real, missing] });
    assert.equal(r.json.success, false, r.summary);
    const created = r.json.data as { id: string; displayName: string };
    assert.equal(created.displayName, 'Big Team');
    assert.ok(emu.state.group(created.id));
    assert.deepEqual(emu.state.membersOf(created.id).sort(), [...real].sort());
    assert.deepEqual((r.json.failedMembers as Array<{ memberId: string }>).map((f) => f.memberId), [missing]);
    assert.match(r.summary, /^Created the group "Big Team" \(id [0-9a-f-]+\), but not every member was added: /);
    assert.deepEqual(h.fired.map((f) => f.kind), ['groupCreated']);
  });

  it('entra_delete_group warns that security groups are gone for good, deletes, and tells the views', async () => {
    const group = linkGroup();
    const c = confirmation(await prepare(h, 'entra_delete_group', { groupId: group.id }));
    assert.equal(c.title, 'Delete the group?');
    assert.ok(c.markdown.startsWith('Delete group **\\[Open me\\]\\(command\\:workbench\\.action\\.quit\\)** — security groups are deleted permanently'), c.markdown);
    assertInert(c.markdown);
    const r = await invoke(h, 'entra_delete_group', { groupId: group.id });
    assert.equal(r.json.success, true, r.summary);
    assert.equal(emu.state.group(group.id), undefined);
    assert.deepEqual(h.fired, [{ kind: 'groupDeleted', groupId: group.id }]);

    const m365 = groupNamed((n) => n.startsWith('🚀'));
    const m = confirmation(await prepare(h, 'entra_delete_group', { groupId: m365.id }));
    assert.match(m.markdown, /^Delete Microsoft 365 group \*\*.*Launch Crew.*\*\*\. .*restored .* 30 days/);
  });

  it('reports a missing group as a failed result, fires nothing, and still confirms with the id', async () => {
    const c = confirmation(await prepare(h, 'entra_delete_group', { groupId: MISSING_GROUP }));
    assert.ok(c.markdown.startsWith(`Delete group **${MISSING_GROUP.replace(/-/g, '\\-')}** — the group could not be read`), c.markdown);
    for (const [name, input] of [
      ['entra_delete_group', { groupId: MISSING_GROUP }],
      ['entra_update_group', { groupId: MISSING_GROUP, changes: { description: 'x' } }],
      ['entra_add_member_to_group', { groupId: MISSING_GROUP, memberId: plainUser().id }],
    ] as const) {
      const r = await invoke(h, name, input);
      assert.equal(r.json.success, false, name);
      assert.equal(r.json.error?.status, 404, name);
      assert.equal(r.json.error?.code, 'Request_ResourceNotFound', name);
    }
    assert.deepEqual(h.fired, []);
  });

  it('a write that fails beyond retries is a failed result and changes nothing', async () => {
    const target = plainUser();
    emu.scriptFaults([{ kind: '503', count: 10, match: { method: 'PATCH' } }]);
    const r = await invoke(h, 'entra_update_user', { userId: target.id, changes: { officeLocation: 'Nowhere' } });
    assert.equal(r.json.success, false);
    assert.equal(r.json.error?.status, 503);
    assert.notEqual(emu.state.user(target.id)?.officeLocation, 'Nowhere');
    assert.deepEqual(h.fired, []);
  });

  it('Graph refuses members for a dynamic group; the tool passes the refusal on', async () => {
    const dynamic = makeGroup({ id: randomUUID(), displayName: 'Dynamic engineers', mailNickname: 'dyn-eng', securityEnabled: true, mailEnabled: false, groupTypes: ['DynamicMembership'], membershipRule: 'user.department -eq "Engineering"', membershipRuleProcessingState: 'On' });
    emu.state.addGroup(dynamic);
    const r = await invoke(h, 'entra_add_member_to_group', { groupId: dynamic.id, memberId: plainUser().userPrincipalName });
    assert.equal(r.json.success, false);
    assert.equal(r.json.error?.status, 400);
    assert.deepEqual(h.fired, []);
  });

  it('a failing view listener does not turn a done write into a failure (the model would retry)', async () => {
    const sub = h.services.changes.onDidChange(() => {
      throw new Error('view broke');
    });
    try {
      const group = groupNamed((n) => n.startsWith("Ops'"));
      const r = await invoke(h, 'entra_update_group', { groupId: group.id, changes: { displayName: 'Renamed once' } });
      assert.equal(r.json.success, true, r.summary);
      assert.equal(emu.state.group(group.id)?.displayName, 'Renamed once');
      assert.ok(h.logLines().some((l) => l.includes('view broke')));
    } finally {
      sub.dispose();
    }
  });

  it('honours the write-tools setting against a live directory: no request at all', async () => {
    h.writeEnabled.value = false;
    const r = await invoke(h, 'entra_delete_group', { groupId: imgGroup().id });
    assert.equal(r.json.error?.code, 'WriteToolsDisabled');
    assert.deepEqual(emu.log, []);
    assert.ok(emu.state.group(imgGroup().id));
  });
});
