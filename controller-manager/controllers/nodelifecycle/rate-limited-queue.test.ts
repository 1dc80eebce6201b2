import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../pkg/workqueue/index.ts';
import { RateLimitedTimedQueue, TokenBucket, type ProcessOutcome } from './rate-limited-queue.ts';

describe('TokenBucket.tryAccept', () => {
  it('starts full, refills at qps, never accepts at 0', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(0.1, 1, clock);
    expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(false);
    clock.step(9_999);
    expect(bucket.tryAccept()).toBe(false);
    clock.step(1);
    expect(bucket.tryAccept()).toBe(true);
    expect(new TokenBucket(0, 1, clock).tryAccept()).toBe(false);
  });
});

describe('RateLimitedTimedQueue', () => {
  const drain = async (q: RateLimitedTimedQueue, outcome: (v: string) => ProcessOutcome = () => ({ done: true })) => {
    const seen: string[] = [];
    await q.process(async ({ value }) => {
      seen.push(value);
      return outcome(value);
    });
    return seen;
  };

  it('processes one node per token, in order, and never a processed node twice until removed', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedTimedQueue(0.1, clock);
    expect(q.add('a', 'ua')).toBe(true);
    clock.step(1);
    expect(q.add('b', 'ub')).toBe(true);
    expect(q.add('a', 'ua')).toBe(false);
    expect(await drain(q)).toEqual(['a']);
    clock.step(10_000);
    expect(await drain(q)).toEqual(['b']);
    expect(q.add('a', 'ua')).toBe(false);
    expect(q.remove('a')).toBe(true);
    expect(q.add('a', 'ua')).toBe(true);
  });

  it('retries a failed node after the wait', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedTimedQueue(1000, clock);
    q.add('a', 'u');
    expect(await drain(q, () => ({ done: false, retryAfterMs: 50 }))).toEqual(['a']);
    expect(q.pending().map((v) => v.value)).toEqual(['a']);
    clock.step(10);
    expect(await drain(q)).toEqual([]);
    clock.step(41);
    expect(await drain(q)).toEqual(['a']);
    expect(q.pending()).toEqual([]);
  });

  it('stops at rate 0 and drains a new limiter when the old one was empty', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedTimedQueue(0.1, clock);
    q.add('a', 'u');
    q.swapLimiter(0);
    expect(await drain(q)).toEqual([]);
    q.swapLimiter(0.1);
    expect(q.qps).toBe(0.1);
    // The stopped limiter had no token, so the new one starts drained (as upstream).
    expect(await drain(q)).toEqual([]);
    clock.step(10_000);
    expect(await drain(q)).toEqual(['a']);
    q.add('b', 'u');
    q.swapLimiter(0.2);
    expect(await drain(q)).toEqual([]);
    clock.step(5000);
    expect(await drain(q)).toEqual(['b']);
  });
});
