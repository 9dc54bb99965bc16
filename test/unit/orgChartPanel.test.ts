/**
 * The org chart's extension side against the emulator: what an expansion answers, what a manager change does to the
 * chart, and that reports left out are marked on the person, not only in one reply.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { isExtensionMessage, MAX_CHART_REPORTS, type ExtensionMessage, type OrgChartState } from '../../src/webviews/protocol';
import { startEmulator, type Emulator, type UserRecord } from '../emulator';
import { makeUser } from '../emulator/directory/factories';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

type Msg<T extends ExtensionMessage['type']> = Extract<ExtensionMessage, { type: T }>;
const of = <T extends ExtensionMessage['type']>(type: T) => (m: unknown): m is Msg<T> => isExtensionMessage(m) && m.type === type;

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ users: 10, groups: 2, seed: 45 });
});
after(() => emu.close());
afterEach(() => {
  for (const p of vscode.webviewPanels.splice(0)) p.dispose();
});

function person(name: string, managerId?: string): UserRecord {
  const tag = randomUUID().slice(0, 8);
  const user = makeUser({ id: randomUUID(), displayName: `${name} ${tag}`, userPrincipalName: `${name.toLowerCase().replace(/\W/g, '')}.${tag}@${emu.domain}` });
  emu.state.addUser(user);
  if (managerId) emu.state.setManager(user.id, managerId);
  return user;
}

const ref = (u: UserRecord) => ({ id: u.id, displayName: u.displayName, '@odata.type': '#microsoft.graph.user' });

async function openChart(services: ReturnType<typeof emulatorServices>, focusId: string): Promise<{ panel: vscode.FakeWebviewPanel; state: () => OrgChartState }> {
  panelsOf(services).showOrgChart(focusId);
  const panel = vscode.webviewPanels.at(-1);
  assert.ok(panel);
  panel.receive({ type: 'ready' });
  await panel.waitFor((m): m is Msg<'init'> => of('init')(m) && (m.state as OrgChartState).loading === false && (m.state as OrgChartState).people.length > 0, 30_000);
  const state = (): OrgChartState => panel.posted.filter(of('init')).at(-1)?.state as OrgChartState;
  return { panel, state };
}

describe('the org chart page', () => {
  it('an expansion answers with every report on the chart, also when asked again', async () => {
    const top = person('Top');
    const focus = person('Focus', top.id);
    const sibling = person('Sibling', top.id);
    const { panel } = await openChart(emulatorServices(emu), focus.id);
    panel.receive({ type: 'chartExpand', requestId: 1, userId: top.id });
    const first = await panel.waitFor((m): m is Msg<'chartReports'> => of('chartReports')(m) && m.requestId === 1);
    // Asked again (the page lost the first answer when it was rebuilt): the same people, not an empty list.
    panel.receive({ type: 'chartExpand', requestId: 2, userId: top.id });
    const again = await panel.waitFor((m): m is Msg<'chartReports'> => of('chartReports')(m) && m.requestId === 2);
    const ids = (m: Msg<'chartReports'>): string[] => m.people.map((p) => p.id).sort();
    assert.deepEqual(ids(first), [focus.id, sibling.id].sort());
    assert.deepEqual(ids(again), ids(first));
  });

  it('a new manager for someone in the chain reads the chain again; someone below leaves with their reports', async () => {
    const top = person('Boss');
    const other = person('Other Boss');
    const focus = person('Centre', top.id);
    const report = person('Report', focus.id);
    const below = person('Below', report.id);
    const services = emulatorServices(emu);
    const { panel, state } = await openChart(services, focus.id);
    panel.receive({ type: 'chartExpand', requestId: 1, userId: report.id });
    await panel.waitFor((m): m is Msg<'chartReports'> => of('chartReports')(m) && m.requestId === 1);

    // The focus gets another manager: the chain above the new manager is read (not the link just written: Graph lags).
    emu.clearLog();
    const moved = await services.writes.setManager(ref(focus), ref(other), { surface: 'command' });
    assert.ok(moved.success);
    await panel.waitFor((m): m is Msg<'init'> => of('init')(m) && (m.state as OrgChartState).people.some((p) => p.id === other.id && p.managerId === ''), 30_000);
    const after = state();
    assert.equal(after.people.find((p) => p.id === focus.id)?.managerId, other.id);
    assert.ok(!after.people.some((p) => p.id === top.id), 'the old manager is no longer above the focus');
    assert.ok(after.people.some((p) => p.id === below.id), 'everyone below the focus stays');
    assert.ok(!emu.log.some((e) => e.method === 'GET' && e.path.toLowerCase() === `/v1.0/users/${focus.id}/manager`), 'the written link is not read back');

    // Someone below the focus gets a manager whose reports are not shown: they leave, and nobody is left hanging.
    panel.receive({ type: 'chartExpand', requestId: 2, userId: report.id });
    await panel.waitFor((m): m is Msg<'chartReports'> => of('chartReports')(m) && m.requestId === 2);
    const away = await services.writes.setManager(ref(report), ref(top), { surface: 'command' });
    assert.ok(away.success);
    await panel.waitFor((m): m is Msg<'init'> => of('init')(m) && !(m.state as OrgChartState).people.some((p) => p.id === report.id));
    const ids = new Set(state().people.map((p) => p.id));
    assert.ok(!ids.has(below.id), 'the report\'s own report leaves too');
    for (const p of state().people) assert.ok(p.managerId === '' || ids.has(p.managerId), `${p.displayName} has a manager on the chart`);
  });

  it(`marks a person with more than ${MAX_CHART_REPORTS} reports as having reports not shown, in the chart's state`, async () => {
    const manager = person('Big Boss');
    for (let i = 0; i < MAX_CHART_REPORTS + 2; i++) person(`Staff ${i}`, manager.id);
    const { state } = await openChart(emulatorServices(emu), manager.id);
    const focus = state().people.find((p) => p.id === manager.id);
    assert.equal(focus?.reportsRead, true);
    assert.equal(focus?.moreReports, true);
    assert.equal(state().people.filter((p) => p.managerId === manager.id).length, MAX_CHART_REPORTS);
  });
});
