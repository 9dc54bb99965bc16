/**
 * The group-nesting page's extension side against the emulator: what it cannot draw it says, never leaving links out
 * silently.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { isExtensionMessage, MAX_NEST_EDGES, type ExtensionMessage, type NestingState } from '../../src/webviews/protocol';
import { startEmulator, type Emulator } from '../emulator';
import { makeGroup } from '../emulator/directory/factories';
import { panelsOf } from '../support/panels';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

type Msg<T extends ExtensionMessage['type']> = Extract<ExtensionMessage, { type: T }>;
const of = <T extends ExtensionMessage['type']>(type: T) => (m: unknown): m is Msg<T> => isExtensionMessage(m) && m.type === type;

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ users: 10, groups: 2, seed: 33 });
});
after(() => emu.close());
afterEach(() => {
  for (const p of vscode.webviewPanels.splice(0)) p.dispose();
});

describe('the group-nesting page', () => {
  it('says how many nesting links it leaves out when there are more than it draws', async () => {
    // 70 groups, each nested in every one before it: 70·69/2 = 2,415 links below the first, more than MAX_NEST_EDGES.
    const groups = Array.from({ length: 70 }, (_, i) => makeGroup({ id: randomUUID(), displayName: `Layer ${i}`, mailNickname: `layer-${randomUUID().slice(0, 8)}` }));
    for (const g of groups) emu.state.addGroup(g);
    for (const [i, outer] of groups.entries()) for (const inner of groups.slice(i + 1)) emu.state.addMember(outer.id, inner.id);
    const links = (groups.length * (groups.length - 1)) / 2;
    assert.ok(links > MAX_NEST_EDGES);

    panelsOf(emulatorServices(emu)).showNesting({ kind: 'group', id: groups[0]?.id ?? '' });
    const panel = vscode.webviewPanels.at(-1);
    assert.ok(panel);
    panel.receive({ type: 'ready' });
    const state = (await panel.waitFor((m): m is Msg<'init'> => of('init')(m) && (m.state as NestingState).loading === false, 60_000)).state as NestingState;
    assert.equal(state.down.length, MAX_NEST_EDGES);
    assert.match(state.incomplete ?? '', new RegExp(`${links - MAX_NEST_EDGES} nesting links are not drawn \\(at most ${MAX_NEST_EDGES} each way\\)`));
  });
});
