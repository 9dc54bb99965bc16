import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startLoopbackRedirect } from '../../src/auth/loopbackRedirect';
import { AuthError } from '../../src/auth/types';
import { rawGet } from './authFakes';

describe('loopback redirect', () => {
  it('listens on 127.0.0.1 with an ephemeral port and returns the code for the right state', async () => {
    const loopback = await startLoopbackRedirect();
    assert.match(loopback.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const code = loopback.waitForCode('s1', 5000);

    assert.equal((await rawGet(`${loopback.redirectUri}favicon.ico`)).status, 404);
    const foreign = await rawGet(`${loopback.redirectUri}?code=evil&state=other`);
    assert.equal(foreign.status, 400, 'a redirect for another request is refused');
    const answer = await rawGet(`${loopback.redirectUri}?code=the-code&state=s1`);
    assert.equal(answer.status, 200);
    assert.match(answer.body, /close this tab/i);
    assert.equal(await code, 'the-code');
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(rawGet(loopback.redirectUri), 'the server is closed afterwards');
  });

  it('stops waiting and closes when the sign-in is cancelled from VS Code', async () => {
    const loopback = await startLoopbackRedirect();
    const cancel = new AbortController();
    const code = loopback.waitForCode('s3', 60_000, cancel.signal);
    cancel.abort();
    await assert.rejects(code, (e: unknown) => e instanceof AuthError && e.code === 'Cancelled');
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(rawGet(loopback.redirectUri), 'the server is closed afterwards');
  });

  it('turns an error redirect into an AuthError without echoing attacker text', async () => {
    const loopback = await startLoopbackRedirect();
    const code = loopback.waitForCode('s2', 5000);
    code.catch(() => undefined);
    const description = encodeURIComponent('AADSTS65001: The user or administrator has not consented. client_secret=abc123');
    const answer = await rawGet(`${loopback.redirectUri}?error=consent_required%3Cscript%3E&error_description=${description}&state=s2`);
    assert.equal(answer.status, 400);
    assert.doesNotMatch(answer.body, /AADSTS|script/);
    await assert.rejects(code, (e: unknown) => e instanceof AuthError && e.code === 'ConsentRequired' && !/<script>|abc123/.test(e.message));
  });

  it('maps access_denied to a cancellation', async () => {
    const loopback = await startLoopbackRedirect();
    const code = loopback.waitForCode('s3', 5000);
    code.catch(() => undefined);
    await rawGet(`${loopback.redirectUri}?error=access_denied&error_description=User%20cancelled&state=s3`);
    await assert.rejects(code, (e: unknown) => e instanceof AuthError && e.code === 'Cancelled');
  });

  it('gives up after the timeout and closes', async () => {
    const loopback = await startLoopbackRedirect();
    await assert.rejects(loopback.waitForCode('s4', 50), (e: unknown) => e instanceof AuthError && e.code === 'Cancelled' && /timed out/i.test(e.message));
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(rawGet(loopback.redirectUri));
  });
});
