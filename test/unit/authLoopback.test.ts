import * as assert from 'node:assert/strict';
import * as net from 'node:net';
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

  it('refuses a duplicated state or code and keeps waiting for the real answer', async () => {
    const loopback = await startLoopbackRedirect();
    const code = loopback.waitForCode('s6', 5000);
    code.catch(() => undefined);
    for (const query of ['code=evil&state=s6&state=s6', 'code=evil&code=the-code&state=s6', 'state=other&code=evil&state=s6', 'code=evil&state=s6&error=x&error=y']) {
      const answer = await rawGet(`${loopback.redirectUri}?${query}`);
      assert.equal(answer.status, 400, `${query} is refused`);
      assert.doesNotMatch(answer.body, /Sign-in complete/);
    }
    assert.equal(await pendingAfter(code), true, 'no refused request completed the sign-in');
    assert.equal((await rawGet(`${loopback.redirectUri}?code=the-code&state=s6`)).status, 200);
    assert.equal(await code, 'the-code');
  });

  it('refuses other paths, methods and a wrong state without completing or failing the sign-in', async () => {
    const loopback = await startLoopbackRedirect();
    const code = loopback.waitForCode('s7', 5000);
    code.catch(() => undefined);
    const { port } = new URL(loopback.redirectUri);
    const refused: Array<[string, string, number]> = [
      ['GET', '/callback?code=evil&state=s7', 404],
      ['GET', '//evil.example/?code=evil&state=s7', 404],
      ['GET', '/%2F?code=evil&state=s7', 404],
      ['POST', '/?code=evil&state=s7', 404],
      ['GET', '/?code=evil&state=S7', 400],
      ['GET', '/?code=evil', 400],
      ['GET', '/?error=access_denied&state=wrong', 400],
    ];
    for (const [method, target, status] of refused) {
      const [answer] = await rawRequests(Number(port), [`${method} ${target}`]);
      assert.equal(answer, status, `${method} ${target}`);
    }
    assert.equal(await pendingAfter(code), true, 'still waiting');
    assert.equal((await rawGet(`${loopback.redirectUri}?code=the-code&state=s7`)).status, 200);
    assert.equal(await code, 'the-code');
  });

  it('takes the first valid redirect and ignores the ones after it', async () => {
    // Two answers that arrive together must both reach the handler for this to test anything; a run where the
    // server was already closed for the second one is repeated.
    let compared = false;
    for (let attempt = 0; attempt < 10 && !compared; attempt++) {
      const loopback = await startLoopbackRedirect();
      const code = loopback.waitForCode('s8', 5000);
      const { port } = new URL(loopback.redirectUri);
      const statuses = await rawRequests(Number(port), ['GET /?code=first&state=s8', 'GET /?code=second&state=s8']);
      const got = await code;
      if (statuses.includes(0)) continue;
      compared = true;
      assert.deepEqual([...statuses].sort(), [200, 404], 'one answer completed the sign-in, the other found nobody waiting');
      assert.equal(got, statuses[0] === 200 ? 'first' : 'second', 'the code is the one of the answer that completed');
    }
    assert.ok(compared, 'both answers reached the server in one of the attempts');
  });

  it('gives up after the timeout and closes', async () => {
    const loopback = await startLoopbackRedirect();
    await assert.rejects(loopback.waitForCode('s4', 50), (e: unknown) => e instanceof AuthError && e.code === 'Cancelled' && /timed out/i.test(e.message));
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(rawGet(loopback.redirectUri));
  });
});

/** True when the promise has not settled within a few event-loop turns. */
async function pendingAfter(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  const winner = await Promise.race([promise.then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r(pending), 30))]);
  return winner === pending;
}

/**
 * Sends raw requests ("METHOD target"), each on its own already-accepted connection, written in the same tick;
 * resolves with each response's status (0 when the connection ended without one).
 */
async function rawRequests(port: number, requests: string[]): Promise<number[]> {
  const sockets = await Promise.all(
    requests.map(
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  const answers = sockets.map(
    (socket) =>
      new Promise<number>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
      }),
  );
  // Let the server accept every connection first, so the requests are read in one turn of its event loop.
  await new Promise((r) => setTimeout(r, 20));
  requests.forEach((request, i) => sockets[i]?.write(`${request} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
  return Promise.all(answers);
}
