/** Smoke size of the fault soak (test/hardening/soak.ts; the full 10,000 operations run with `npm run soak`). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SOAK, formatSoak, runSoak } from '../hardening/soak';

describe('fault soak (smoke size)', () => {
  it('loses, duplicates and hides nothing across 400 operations with 10 % injected faults', async () => {
    const report = await runSoak({ ops: 400, lanes: 8, seed: 3 });
    for (const line of formatSoak(report)) console.log(line);
    assert.equal(report.ops, 400);
    assert.ok(report.faults > 0, 'faults were injected');
    assert.equal(report.unreported, 0, report.problems.join('\n'));
    assert.equal(report.lost, 0, report.problems.join('\n'));
    assert.equal(report.duplicated, 0, report.problems.join('\n'));
  });

  it('injects every fault kind at the full size', () => {
    assert.deepEqual([...DEFAULT_SOAK.kinds].sort(), ['429', '503', '504', 'hang', 'reset', 'resetAfterApply']);
    assert.equal(DEFAULT_SOAK.ops, 10_000);
    assert.equal(DEFAULT_SOAK.faultRate, 0.1);
  });
});
