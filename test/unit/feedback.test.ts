/** Error toasts are short and inert; the details (whole message, code, status, request id) are in the log. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { showGraphError } from '../../src/ui/feedback';
import { notificationProblems } from '../hardening/surfaces';
import * as vscode from '../support/vscodeFake';

afterEach(() => {
  vscode.shown.reset();
  vscode.fakeUi.reset();
});

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('showGraphError', () => {
  it('shows one short line without live links, and logs every detail', async () => {
    const log = vscode.window.createOutputChannel('feedback test', { log: true });
    let shownLog = 0;
    const sink = { error: (m: string) => log.error(m), show: () => void shownLog++ };
    vscode.fakeUi.messageAnswers.push('Show Log');
    const longMessage = `Request failed [Fix it](command:workbench.action.quit) ${'because of many reasons '.repeat(40)}`;
    showGraphError(sink, 'Could not delete "Sales"', {
      code: 'Bad[x](command:evil)',
      message: longMessage,
      status: 400,
      requestId: '[id](https://example.invalid)',
    });
    await tick();

    const toast = vscode.shown.errors.at(-1) ?? '';
    assert.ok(toast.startsWith('Could not delete "Sales": Request failed'), toast);
    assert.ok(toast.length < 260, `the toast is short (${toast.length} characters)`);
    assert.ok(toast.endsWith('…'), 'a cut message says so');
    assert.deepEqual(notificationProblems(toast), []);
    assert.ok(!toast.includes('request-id'), 'the request id is in the log, not the toast');

    const logged = log.lines.join('\n');
    assert.ok(logged.includes(longMessage), 'the whole message is logged');
    assert.ok(logged.includes('Bad[x](command:evil)') && logged.includes('400') && logged.includes('request-id [id](https://example.invalid)'), logged);
    assert.equal(shownLog, 1, '"Show Log" opens the log');
  });

  it('says why a refusal happened and what fixes it, when the cause is known', async () => {
    const log = vscode.window.createOutputChannel('feedback test', { log: true });
    const sink = { error: (m: string) => log.error(m), show: () => undefined };
    showGraphError(sink, 'Could not add "Ann"', { code: 'Request_BadRequest', message: 'Cannot Update a mail-enabled security groups and or distribution list.', status: 400 });
    showGraphError(sink, 'Could not sign in', { code: 'invalid_grant', message: 'AADSTS65002: Consent between first party application and first party resource must be configured via preauthorization.' });
    showGraphError(sink, 'Could not add "Ann"', { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', status: 403 });
    await tick();
    assert.match(vscode.shown.errors[0] ?? '', /managed in Exchange; change them there/);
    assert.match(vscode.shown.errors[1] ?? '', /VS Code's own sign-in app cannot be given permission to read your directory \(AADSTS65002.*Register an app of your own/);
    // A 403 whose cause is unknown is shown as Graph said it, not blamed on consent.
    assert.equal(vscode.shown.errors[2], 'Could not add "Ann": Insufficient privileges to complete the operation.');
  });

  it("adds nothing to a failed token request: the sign-in's own message already says what was refused and the fix", async () => {
    const link = 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/0a1b2c3d-4e5f-4789-abcd-ef0123456789';
    const message = `Could not get an access token: Changing group members needs the permission GroupMember.ReadWrite.All, and only an administrator can grant it (AADSTS90094). Ask an administrator to grant admin consent for the app 0a1b2c3d-4e5f-4789-abcd-ef0123456789: ${link} Browsing keeps working with the read permissions.`;
    showGraphError({ error: () => undefined, show: () => undefined }, 'Could not add "Ann"', { code: 'AuthenticationFailed', message });
    await tick();
    const toast = vscode.shown.errors[0] ?? '';
    assert.match(toast, /GroupMember\.ReadWrite\.All/);
    assert.doesNotMatch(toast, /The permission has not been granted to the app/, 'no second, vaguer explanation');
    assert.ok(toast.includes(link) && toast.endsWith('Browsing keeps working with the read permissions.'), 'the whole message, link and all');
  });

  it('says nothing when the admin cancelled', () => {
    showGraphError({ error: () => undefined, show: () => undefined }, 'Could not list the users', { code: 'Cancelled', message: 'The request was cancelled.' });
    assert.deepEqual(vscode.shown.errors, []);
  });
});
