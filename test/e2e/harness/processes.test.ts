/** The process helpers leave nothing running, checked with `ps`. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'mocha';
import { sleep } from './log';
import { repoRoot } from './paths';
import { groupMembers, spawnManaged, type ManagedProcess } from './processes';

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function fixture(mode: string): ManagedProcess {
  return spawnManaged(`fixture:${mode}`, process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'e2e', 'fixtures', 'holdChildren.ts'), mode], { cwd: repoRoot });
}

async function fixtureGroup(child: ManagedProcess): Promise<number> {
  await waitFor(() => /GROUP \d+/.test(child.output()), 20_000, 'the fixture to report its group');
  const group = Number(/GROUP (\d+)/.exec(child.output())?.[1]);
  await waitFor(() => groupMembers(group).length >= 3, 5000, 'the sleepers to start');
  return group;
}

describe('harness: processes', function () {
  this.timeout(30_000);

  it('stop() ends every member of the process group', async () => {
    const child = spawnManaged('sleepers', 'sh', ['-c', 'sleep 300 & sleep 300 & wait']);
    await waitFor(() => groupMembers(child.pid).length >= 3, 5000, 'shell and two sleepers');
    await child.stop();
    assert.deepEqual(groupMembers(child.pid), []);
  });

  it('stop() SIGKILLs a group that ignores SIGTERM after 3 s', async () => {
    const child = spawnManaged('stubborn', process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"]);
    await waitFor(() => child.output().includes('ready'), 5000, 'the stubborn child');
    const t0 = Date.now();
    await child.stop();
    const took = Date.now() - t0;
    assert.deepEqual(groupMembers(child.pid), []);
    assert.ok(took >= 2900 && took < 6000, `stopped after ${took} ms`);
    assert.equal((await child.exited).signal, 'SIGKILL');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} to the harness stops its children before it exits`, async () => {
      const child = fixture('signal');
      const group = await fixtureGroup(child);
      process.kill(child.pid, signal);
      const exit = await child.exited;
      assert.equal(exit.code, signal === 'SIGINT' ? 130 : 143);
      assert.deepEqual(groupMembers(group), []);
      await child.stop();
    });
  }

  for (const mode of ['crash', 'exit'] as const) {
    it(`children are killed when the harness ends by ${mode === 'crash' ? 'an uncaught error' : 'process.exit()'}`, async () => {
      const child = fixture(mode);
      const group = await fixtureGroup(child);
      const exit = await child.exited;
      assert.notEqual(exit.code, 0);
      await waitFor(() => groupMembers(group).length === 0, 3000, 'the sleepers to be gone');
      await child.stop();
    });
  }
});
