/** `npm start` and `npm test` check the machine first: install what is missing when allowed, else stop at once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensureSystemPackages, type MachineAccess } from '../e2e/harness/systemPackages';

function machine(present: Set<string>, mayInstall: boolean, provides = true): MachineAccess & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    needs: () => ['chromium', 'libkrb5-dev'].map((debian) => ({ debian, present: () => present.has(debian) })),
    mayInstall: () => mayInstall,
    aptGet: (args) => {
      calls.push(args);
      if (provides && args[0] === 'install') for (const p of args.slice(4)) present.add(p);
      return 0;
    },
    report: () => undefined,
  };
}

describe('system packages', () => {
  it('does nothing when everything is there', () => {
    const m = machine(new Set(['chromium', 'libkrb5-dev']), false);
    ensureSystemPackages('test', m);
    assert.deepEqual(m.calls, []);
  });

  it('stops at once with the one command to run when it may not install', () => {
    const m = machine(new Set(['chromium']), false);
    assert.throws(() => ensureSystemPackages('test', m), /lacks the Debian packages libkrb5-dev[\s\S]*sudo apt-get update && sudo apt-get install -y --no-install-recommends libkrb5-dev/);
    assert.deepEqual(m.calls, [], 'nothing run');
  });

  it('installs what is missing as root, like .ci/run', () => {
    const m = machine(new Set(), true);
    ensureSystemPackages('test', m);
    assert.deepEqual(m.calls, [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'libkrb5-dev']]);
  });

  it('says so when apt-get did not provide a package', () => {
    const m = machine(new Set(), true, false);
    assert.throws(() => ensureSystemPackages('test', m), /apt-get did not provide chromium, libkrb5-dev/);
  });
});
