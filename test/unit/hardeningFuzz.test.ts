/** Smoke size of the input fuzzing (test/hardening/fuzz.ts; 10,000 inputs per action run with `npm run fuzz`). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTION_NAMES, formatFuzz, runFuzz } from '../hardening/fuzz';

describe('input fuzzing (smoke size)', () => {
  it('refuses or safely sends 200 generated inputs per action', async () => {
    const report = await runFuzz({ runsPerAction: 200, seed: 7 });
    for (const line of formatFuzz(report)) console.log(line);
    assert.deepEqual(report.violations, []);
    assert.deepEqual(report.actions.map((a) => a.action), [...ACTION_NAMES]);
    for (const a of report.actions) assert.equal(a.runs, 200, a.action);
    // Both branches are exercised: inputs refused before sending, and inputs sent and checked.
    for (const a of report.actions.filter((x) => x.requests > 0 || x.refused > 0)) assert.ok(a.refused > 0 && a.sent > 0, a.action);
  });
});
