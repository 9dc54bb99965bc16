/**
 * Clear Client Secret, run last: the secret cannot be entered again from inside the extension host (its password box
 * takes no programmatic input), so nothing may run after this file that needs a sign-in.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EmulatorControl } from './emulatorControl';
import { activateExtension, invokeTool, occurrences, productLog, waitForProductLog } from './workbench';
import { within } from './wait';

const em = EmulatorControl.fromEnvironment();

describe('Clear Client Secret', () => {
  before(async () => {
    await activateExtension();
  });

  it('forgets the secret: the app-only sign-in stops and no token is requested', async () => {
    const working = await invokeTool('entra_get_organization_users', { maxItems: 1 });
    assert.equal(working.payload.success, true, 'signed in before');
    const removed = occurrences(await productLog(), 'Removed the client secret for app');

    await within('Clear Client Secret', 10_000, vscode.commands.executeCommand('entraId.clearClientSecret'));
    await waitForProductLog('the removal', (log) => occurrences(log, 'Removed the client secret for app') > removed);
    const since = await em.mark();
    const { payload } = await invokeTool('entra_get_organization_users', { maxItems: 1 });
    assert.equal(payload.success, false);
    assert.equal(payload.error?.code, 'NotSignedIn');
    assert.deepEqual(await em.extensionRequests(since), [], 'neither a token nor a Graph request without the secret');
  });
});
