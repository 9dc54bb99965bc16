/** Setting and clearing a manager from the palette, a user row or a profile: who, with what confirmation, and what changes. */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { clearManager, setManager } from '../../src/commands/managerCommands';
import type { CommandDeps } from '../../src/commands/types';
import { userRef } from '../../src/shared/userRef';
import { startEmulator, type Emulator } from '../emulator';
import { makeUser } from '../emulator/directory/factories';
import { installQuickPicks } from '../hardening/quickPick';
import { commandDeps } from '../support/commandDeps';
import { emulatorServices } from '../support/services';
import * as vscode from '../support/vscodeFake';

const ID = (n: number): string => `7b000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ABEL = ID(1);
const MEGAN = ID(2);
const NESTOR = ID(3);

let emu: Emulator;
let picks: ReturnType<typeof installQuickPicks>;
let deps: CommandDeps;

before(async () => {
  emu = await startEmulator({ users: 10, groups: 2, seed: 21 });
  picks = installQuickPicks();
});
after(async () => {
  picks.uninstall();
  await emu.close();
});
beforeEach(() => {
  for (const id of [ABEL, MEGAN, NESTOR]) emu.state.deleteObject(id);
  emu.state.addUser(makeUser({ id: ABEL, userPrincipalName: 'abel@contoso.test', displayName: 'Abel Kim', accountEnabled: true }));
  emu.state.addUser(makeUser({ id: MEGAN, userPrincipalName: 'megan@contoso.test', displayName: 'Megan Bowen', accountEnabled: true }));
  emu.state.addUser(makeUser({ id: NESTOR, userPrincipalName: 'nestor@contoso.test', displayName: 'Nestor Wilke', accountEnabled: true }));
  emu.state.setManager(ABEL, MEGAN);
  deps = commandDeps(emulatorServices(emu));
  emu.clearLog();
});
afterEach(() => {
  vscode.shown.reset();
  vscode.fakeUi.reset();
  picks.plans.length = 0;
});

const writes = (): string[] => emu.log.filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path}`);

describe('manager commands', () => {
  it('"Set Manager…" on a user asks whom, makes that user the manager and names both', async () => {
    picks.plans.push({ choose: NESTOR });
    await setManager(deps, userRef({ id: ABEL, displayName: 'Abel Kim', userPrincipalName: 'abel@contoso.test' }));
    assert.equal(emu.state.managerOf(ABEL)?.id, NESTOR);
    assert.deepEqual(writes(), [`PUT /v1.0/users/${ABEL}/manager/$ref`]);
    assert.match(picks.opened.at(-1)?.title ?? '', /Who is the manager of "Abel Kim"\?/);
    assert.equal(vscode.shown.info.at(-1), '"Abel Kim" now reports to Nestor Wilke (nestor@contoso.test).');
  });

  it('refuses the user as their own manager without calling Graph', async () => {
    picks.plans.push({ choose: ABEL });
    await setManager(deps, userRef({ id: ABEL, displayName: 'Abel Kim', userPrincipalName: null }));
    assert.deepEqual(writes(), []);
    assert.equal(emu.state.managerOf(ABEL)?.id, MEGAN);
    assert.match(vscode.shown.info.at(-1) ?? '', /cannot be their own manager/);
  });

  it('"Clear Manager…" names the current manager in a modal; Cancel keeps it, Clear Manager removes it', async () => {
    const abel = userRef({ id: ABEL, displayName: 'Abel Kim', userPrincipalName: 'abel@contoso.test' });
    await clearManager(deps, abel);
    assert.match(vscode.shown.modals.at(-1)?.text ?? '', /Remove Megan Bowen \(megan@contoso\.test\) as the manager of "Abel Kim"\?/);
    assert.deepEqual(writes(), [], 'dismissed: nothing sent');
    assert.equal(emu.state.managerOf(ABEL)?.id, MEGAN);

    vscode.fakeUi.messageAnswers.push('Clear Manager');
    await clearManager(deps, abel);
    assert.deepEqual(writes(), [`DELETE /v1.0/users/${ABEL}/manager/$ref`]);
    assert.equal(emu.state.managerOf(ABEL), undefined);
    assert.equal(vscode.shown.info.at(-1), '"Abel Kim" no longer has a manager.');
  });

  it('"Clear Manager…" on a user without a manager says so and asks nothing', async () => {
    await clearManager(deps, userRef({ id: NESTOR, displayName: 'Nestor Wilke', userPrincipalName: null }));
    assert.equal(vscode.shown.modals.length, 0);
    assert.equal(vscode.shown.info.at(-1), '"Nestor Wilke" has no manager.');
    assert.deepEqual(writes(), []);
  });
});
