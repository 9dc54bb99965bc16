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
    // The OData/path builders are checked by parsing their output and send nothing; every other action must have
    // exercised both branches: inputs refused before sending, and inputs sent and checked — every input one of the two.
    const builders = new Set(['odataString', 'searchClause', 'pathSegment']);
    assert.deepEqual(report.actions.filter((a) => a.requests === 0).map((a) => a.action).sort(), [...builders].sort(), 'the actions that sent nothing');
    for (const a of report.actions.filter((x) => !builders.has(x.action))) {
      assert.ok(a.refused > 0, `${a.action}: no input was refused`);
      assert.ok(a.sent > 0, `${a.action}: no input was sent`);
      assert.equal(a.refused + a.sent, a.runs, a.action);
      assert.ok(a.requests >= a.sent, a.action);
    }
  });
});
