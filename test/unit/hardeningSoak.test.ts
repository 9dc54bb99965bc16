/** Smoke size of the fault soak (test/hardening/soak.ts; the full 10,000 operations run with `npm run soak`). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SOAK, formatSoak, runSoak } from '../hardening/soak';

describe('fault soak (smoke size)', () => {
  it('loses, duplicates and hides nothing across 400 operations, with every configured fault kind injected, under replication delay', async () => {
    // The full soak's fault rate, kinds and replication window; only the size, lanes and seed are smaller.
    const report = await runSoak({ ops: 400, lanes: 8, seed: 3 });
    for (const line of formatSoak(report)) console.log(line);
    const problems = report.problems.join('\n');
    // Every requested operation ran and came back with a result (a rejected promise is not counted as run).
    assert.equal(report.ops, 400, problems);
    assert.equal(report.unreported, 0, problems);
    assert.equal(report.lost, 0, problems);
    assert.equal(report.duplicated, 0, problems);
    // Bulk adds report each member exactly, also when a PATCH that added them lost its answer.
    assert.equal(report.alreadyMemberMisreported, 0, problems);
    // The soak proves something only if faults hit it: of every kind the full soak uses, and retries answered them.
    assert.ok(report.faults > 0, 'faults were injected');
    for (const kind of DEFAULT_SOAK.kinds) assert.ok((report.faultsByKind[kind] ?? 0) > 0, `no ${kind} fault was injected`);
    assert.deepEqual(Object.keys(report.faultsByKind).sort(), [...DEFAULT_SOAK.kinds].sort(), 'only the configured kinds were injected');
    assert.ok(report.retries > 0, 'faulted requests were retried');
    // Eventual consistency was met, not just configured: writes found new groups not yet replicated.
    assert.ok(report.notReplicated > 0, 'some writes met a group or member not yet replicated');
  });
});
