import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowControl, type FlowOutcome } from '../../src/core/flowControl';

/** The documented quiet period after which the limit is lifted (QUIET_MS in flowControl.ts). */
const QUIET_MS = 30_000;

/** Lets every pending promise continuation run (one macrotask turn drains the microtask queue). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A fake clock: `sleep` resolves only when the test advances time past its deadline, or at once when its
 * signal aborts (as the real defaultSleep does). Nothing depends on how fast the machine is.
 */
class FakeClock {
  private t = 0;
  private seq = 0;
  private timers: Array<{ at: number; seq: number; fire: () => void }> = [];

  readonly now = (): number => this.t;

  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      };
      const timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });

  get pendingSleeps(): number {
    return this.timers.length;
  }

  /** Moves time forward to `target`, firing due sleeps in deadline order and letting their continuations run. */
  async advanceTo(target: number): Promise<void> {
    assert.ok(target >= this.t, 'the fake clock only moves forward');
    for (;;) {
      await settle();
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.t = due.at;
      due.fire();
    }
    this.t = target;
    await settle();
  }
}

interface Req {
  id: string;
  since: number;
  /** Set when acquire resolved: the time the transport would send it. */
  sentAt?: number;
  released: boolean;
}

/** Plays the transport's part: acquire, then exactly one release per acquire, recording who was let through. */
class Harness {
  readonly clock = new FakeClock();
  readonly flow = new FlowControl(this.clock.now, this.clock.sleep);
  /** Ids in the order their acquire resolved. */
  readonly served: string[] = [];
  private readonly all: Req[] = [];

  submit(id: string, since: number = this.clock.now(), signal?: AbortSignal): Req {
    const req: Req = { id, since, released: false };
    this.all.push(req);
    void this.flow.acquire(since, signal).then(() => {
      req.sentAt = this.clock.now();
      this.served.push(id);
    });
    return req;
  }

  finish(req: Req, outcome: FlowOutcome, retryAfterMs?: number): void {
    assert.ok(req.sentAt !== undefined, `${req.id} was never let through`);
    assert.equal(req.released, false, `${req.id} released twice`);
    req.released = true;
    this.flow.release(outcome, req.sentAt, retryAfterMs);
  }

  /** Let through and not yet released, oldest first. */
  running(): Req[] {
    return this.all.filter((r) => r.sentAt !== undefined && !r.released);
  }

  waiting(): Req[] {
    return this.all.filter((r) => r.sentAt === undefined);
  }

  /** Puts the client into a throttled state with a limit of one and no Retry-After pending. */
  async throttleToOne(): Promise<void> {
    const first = this.submit('setup');
    await settle();
    await this.clock.advanceTo(this.clock.now() + 10);
    // One request in flight, throttled: half of one, floored, is kept at the minimum of one.
    this.finish(first, 'throttled');
    await settle();
  }
}

describe('FlowControl (fake clock)', () => {
  it('without throttling lets every request through at once', async () => {
    const h = new Harness();
    const reqs = Array.from({ length: 100 }, (_, i) => h.submit(`r${i}`, i % 7));
    await settle();
    assert.equal(h.served.length, 100);
    assert.equal(h.clock.pendingSleeps, 0, 'nothing should be waiting on a timer');

    // Successes and ordinary failures are no reason to slow down either.
    reqs.forEach((r, i) => h.finish(r, i % 2 === 0 ? 'ok' : 'other'));
    for (let i = 0; i < 100; i++) h.submit(`s${i}`);
    await settle();
    assert.equal(h.served.length, 200);
    assert.equal(h.running().length, 100);
  });

  describe('Retry-After', () => {
    it('lets no queued request through before resumeAt, and lets it through at resumeAt', async () => {
      const h = new Harness();
      const a = h.submit('a');
      const b = h.submit('b');
      await settle();
      await h.clock.advanceTo(100);
      h.finish(a, 'throttled', 2000); // resume at 2100
      await h.clock.advanceTo(200);
      // A later 429 with a shorter Retry-After must not bring the resume time forward.
      h.finish(b, 'throttled', 500);
      const w = h.submit('w');
      await h.clock.advanceTo(2099);
      assert.equal(w.sentAt, undefined, 'released before Retry-After had passed');
      await h.clock.advanceTo(2100);
      assert.equal(w.sentAt, 2100);
    });

    it('holds a request that arrives to an empty queue shortly before resumeAt', async () => {
      const h = new Harness();
      const a = h.submit('a');
      await settle();
      await h.clock.advanceTo(100);
      h.finish(a, 'throttled', 2000);
      await h.clock.advanceTo(2099);
      const late = h.submit('late');
      await settle();
      assert.equal(late.sentAt, undefined);
      await h.clock.advanceTo(2100);
      assert.equal(late.sentAt, 2100);
    });
  });

  describe('in-flight limit', () => {
    /** Eight in flight from t=0; at t=100 three of them are throttled, the rest fail otherwise. */
    async function halved(): Promise<Harness> {
      const h = new Harness();
      const first = Array.from({ length: 8 }, (_, i) => h.submit(`first${i}`, 0));
      await settle();
      await h.clock.advanceTo(100);
      // All three were sent before the first cut: one episode, so one cut, from 8 in flight to 4.
      for (const r of first.slice(0, 3)) h.finish(r, 'throttled');
      for (const r of first.slice(3)) h.finish(r, 'other');
      await h.clock.advanceTo(200);
      for (let i = 0; i < 40; i++) h.submit(`w${i}`);
      await settle();
      return h;
    }

    it('is halved once per throttling episode', async () => {
      const h = await halved();
      assert.equal(h.running().length, 4, 'expected 8 / 2, not one cut per 429');

      // Answers to requests sent after the cut are news: a new episode, halved again (4 -> 2), once.
      await h.clock.advanceTo(300);
      const [r0, r1, r2, r3] = h.running();
      assert.ok(r0 && r1 && r2 && r3);
      h.finish(r0, 'throttled');
      h.finish(r1, 'throttled');
      h.finish(r2, 'other');
      h.finish(r3, 'other');
      await settle();
      assert.equal(h.running().length, 2);
    });

    it('grows by one after each window of successes (a window is as many successes as the limit)', async () => {
      const h = await halved();
      // Capacity after each success, starting from 4: +1 after 4 successes, then after 5, then after 6.
      const expected = [4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 7];
      const seen: number[] = [];
      for (let i = 0; i < expected.length; i++) {
        await h.clock.advanceTo(h.clock.now() + 10);
        const oldest = h.running()[0];
        assert.ok(oldest);
        h.finish(oldest, 'ok');
        await settle();
        seen.push(h.running().length);
      }
      assert.deepEqual(seen, expected);
      assert.ok(h.waiting().length > 0, 'the queue must not have run dry, or capacity was not measured');
    });

    it(`is lifted once ${QUIET_MS} ms pass without throttling`, async () => {
      const h = await halved(); // last throttled at t=100
      await h.clock.advanceTo(100 + QUIET_MS - 1);
      const [a, b] = h.running();
      assert.ok(a && b);
      h.finish(a, 'ok');
      await settle();
      assert.equal(h.running().length, 4, 'lifted before the quiet period was over');
      await h.clock.advanceTo(100 + QUIET_MS + 1);
      h.finish(b, 'ok');
      await settle();
      assert.equal(h.waiting().length, 0, 'everything waiting goes once the limit is lifted');
      assert.equal(h.running().length, 40 - 2);
    });
  });

  describe('queue order', () => {
    it('releases oldest first by first-send time, and a throttled request keeps its place while it waits to retry', async () => {
      const h = new Harness();
      const a = h.submit('a', 0);
      await h.clock.advanceTo(10);
      const b = h.submit('b', 10);
      await h.clock.advanceTo(50);
      // Two in flight, one throttled: limit 1, no sends before 1050.
      h.finish(a, 'throttled', 1000);
      // The transport adds jitter, so `a` comes back a little after Retry-After.
      let aRetry: Req | undefined;
      void h.flow.waitToRetry(0, 1050).then(() => {
        aRetry = h.submit('a-retry', 0);
      });
      await h.clock.advanceTo(60);
      h.submit('c', 60);
      await h.clock.advanceTo(70);
      h.submit('d', 70);
      // A request first sent at 5 (retrying after a network fault) queues ahead of c and d.
      await h.clock.advanceTo(80);
      h.submit('e', 5);
      await h.clock.advanceTo(100);
      h.finish(b, 'other');

      // Retry-After is over and there is capacity, but `a` has not come back yet: nobody may take its place.
      await h.clock.advanceTo(1099);
      assert.deepEqual(h.served, ['a', 'b']);
      await h.clock.advanceTo(1100);
      assert.ok(aRetry);
      assert.deepEqual(h.served, ['a', 'b', 'a-retry']);

      while (h.running().length > 0) {
        const r = h.running()[0];
        assert.ok(r);
        h.finish(r, 'other');
        await settle();
        assert.ok(h.running().length <= 1, 'limit of one exceeded');
      }
      assert.deepEqual(h.served, ['a', 'b', 'a-retry', 'e', 'c', 'd']);
    });

    it('serves two callers with interleaved bursts in first-send order, so neither starves the other', async () => {
      const h = new Harness();
      await h.throttleToOne();
      const submitted: Array<{ id: string; since: number; seq: number }> = [];
      const burst = (caller: string, n: number): void => {
        for (let i = 0; i < n; i++) {
          const id = `${caller}@${h.clock.now()}#${i}`;
          submitted.push({ id, since: h.clock.now(), seq: submitted.length });
          h.submit(id);
        }
      };
      await h.clock.advanceTo(100);
      burst('X', 3);
      await h.clock.advanceTo(101);
      burst('Y', 3);
      await h.clock.advanceTo(102);
      burst('X', 3);
      await h.clock.advanceTo(103);
      burst('Y', 3);
      // X keeps producing while Y still waits: its newer requests must not overtake Y's older ones.
      for (let step = 0; step < 12; step++) {
        await h.clock.advanceTo(h.clock.now() + 10);
        const r = h.running()[0];
        assert.ok(r);
        h.finish(r, 'other');
        if (step < 4) burst('X', 2);
        await settle();
      }
      while (h.running().length > 0) {
        const r = h.running()[0];
        assert.ok(r);
        h.finish(r, 'other');
        await settle();
      }
      // Oracle: oldest first-send time first; same time, in arrival order.
      const expected = [...submitted].sort((p, q) => p.since - q.since || p.seq - q.seq).map((s) => s.id);
      assert.deepEqual(h.served.slice(1), expected);
      const firstY = h.served.findIndex((id) => id.startsWith('Y'));
      assert.equal(firstY, 4, 'Y waits only for the X burst sent before it');
    });
  });

  describe('cancellation', () => {
    it('removes an aborted waiter without leaking a slot or reordering the rest', async () => {
      const h = new Harness();
      await h.throttleToOne();
      await h.clock.advanceTo(100);
      h.submit('holder');
      await settle();
      await h.clock.advanceTo(110);
      h.submit('w1');
      const abort = new AbortController();
      const w2 = h.submit('w2', h.clock.now() + 1, abort.signal);
      h.submit('w3', h.clock.now() + 2);
      await settle();
      assert.deepEqual(h.served, ['setup', 'holder']);

      abort.abort();
      await settle();
      // The aborted acquire resolves so its caller can stop; like any acquire it is then released once.
      assert.notEqual(w2.sentAt, undefined);
      h.finish(w2, 'other');
      await settle();
      assert.deepEqual(h.served, ['setup', 'holder', 'w2'], 'the abort must not let anyone else through');

      for (const expectedNext of ['w1', 'w3']) {
        const r = h.running()[0];
        assert.ok(r);
        h.finish(r, 'other');
        await settle();
        assert.equal(h.served.at(-1), expectedNext);
        assert.equal(h.running().length, 1);
      }
      h.finish(h.running()[0] as Req, 'other');

      // Counts balance: with a limit of one, of two later requests exactly one goes.
      await h.clock.advanceTo(200);
      h.submit('later1');
      h.submit('later2');
      await settle();
      assert.deepEqual(h.running().map((r) => r.id), ['later1']);
    });

    it('does not hold a waiter whose signal was already aborted when it queued', async () => {
      const h = new Harness();
      const a = h.submit('a');
      await settle();
      await h.clock.advanceTo(100);
      h.finish(a, 'throttled', 60_000);
      const abort = new AbortController();
      abort.abort();
      const cancelled = h.submit('cancelled', h.clock.now(), abort.signal);
      await settle();
      assert.notEqual(cancelled.sentAt, undefined, 'a cancelled request waited out Retry-After');
      h.finish(cancelled, 'other');
      // Its slot came back: after Retry-After one new request goes.
      const next = h.submit('next');
      await h.clock.advanceTo(60_100);
      assert.equal(next.sentAt, 60_100);
    });

    it('gives up the place of a throttled request cancelled while it waits to retry', async () => {
      const h = new Harness();
      const a = h.submit('a', 0);
      await settle();
      await h.clock.advanceTo(50);
      h.finish(a, 'throttled', 1000);
      const abort = new AbortController();
      // The transport's part: after the wait, a cancelled request forgets its place instead of coming back.
      void h.flow.waitToRetry(0, 1000, abort.signal).then(() => h.flow.forget(0));
      await h.clock.advanceTo(60);
      const b = h.submit('b');
      await h.clock.advanceTo(500);
      abort.abort();
      await h.clock.advanceTo(1049);
      assert.equal(b.sentAt, undefined);
      await h.clock.advanceTo(1050);
      assert.equal(b.sentAt, 1050);
    });
  });

  describe('requests sharing a first-send time', () => {
    it('serves two throttled requests with the same `since` exactly once each, before newer ones', async () => {
      const h = new Harness();
      const a = h.submit('a', 100);
      const b = h.submit('b', 100);
      await settle();
      await h.clock.advanceTo(150);
      h.finish(a, 'throttled', 1000);
      h.finish(b, 'throttled', 1000);
      void h.flow.waitToRetry(100, 1000).then(() => h.submit('a-retry', 100));
      void h.flow.waitToRetry(100, 1100).then(() => h.submit('b-retry', 100));
      await h.clock.advanceTo(160);
      h.submit('newer', 160);

      for (let t = 1200; h.served.length < 5 && t < 5000; t += 100) {
        await h.clock.advanceTo(t);
        for (const r of h.running()) h.finish(r, 'other');
      }
      await settle();
      assert.deepEqual(h.served, ['a', 'b', 'a-retry', 'b-retry', 'newer']);
      assert.equal(h.waiting().length, 0);
    });

    it('does not deadlock when one of two same-`since` requests is cancelled and the other comes back', async () => {
      const h = new Harness();
      const a = h.submit('a', 100);
      const b = h.submit('b', 100);
      await settle();
      await h.clock.advanceTo(150);
      h.finish(a, 'throttled', 1000);
      h.finish(b, 'throttled', 1000);
      const abort = new AbortController();
      void h.flow.waitToRetry(100, 1000).then(() => h.submit('a-retry', 100));
      void h.flow.waitToRetry(100, 1000, abort.signal).then(() => h.flow.forget(100));
      await h.clock.advanceTo(160);
      h.submit('newer', 160);
      abort.abort();

      for (let t = 1200; h.served.length < 4 && t < 5000; t += 100) {
        await h.clock.advanceTo(t);
        for (const r of h.running()) h.finish(r, 'other');
      }
      await settle();
      assert.deepEqual(h.served, ['a', 'b', 'a-retry', 'newer']);
      assert.equal(h.waiting().length, 0);
      assert.equal(h.clock.pendingSleeps, 0);
    });
  });
});
