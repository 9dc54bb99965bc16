import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, parseRetryAfter, throttleDelay } from '../../src/core/retry';

describe('retry timing', () => {
  it('parses Retry-After seconds, fractions and HTTP dates', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    assert.equal(parseRetryAfter('2', now), 2000);
    assert.equal(parseRetryAfter('2.128', now), 2128);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 12:00:03 GMT', now), 3000);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 11:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
  });

  it('backs off exponentially with jitter between half and the whole step, capped', () => {
    assert.equal(backoffDelay(0, () => 0), 250);
    assert.equal(backoffDelay(0, () => 1), 500);
    assert.equal(backoffDelay(3, () => 1), 4000);
    assert.equal(backoffDelay(20, () => 1), 32_000);
  });

  it('adds at most 10 % (and at most 250 ms) on top of the server wait', () => {
    assert.equal(throttleDelay(1000, () => 0), 1000);
    assert.equal(throttleDelay(1000, () => 1), 1100);
    assert.equal(throttleDelay(10_000, () => 1), 10_250);
  });
});
