import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.ts';
import { BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, sleep, TokenBucket } from './rate-limiters.ts';
import { newRateLimitingQueue } from './rate-limiting-queue.ts';

describe('ItemExponentialFailureRateLimiter', () => {
  it.each([
    [1, 5],
    [2, 10],
    [3, 20],
    [5, 80],
    [18, 655_360],
    [19, 1_000_000],
    [2000, 1_000_000],
  ])('failure #%i waits %i ms', (n, expected) => {
    const l = new ItemExponentialFailureRateLimiter<string>();
    let last = 0;
    for (let i = 0; i < n; i++) last = l.when('a');
    expect(last).toBe(expected);
    expect(l.numRequeues('a')).toBe(n);
  });

  it('tracks items separately and forget resets', () => {
    const l = new ItemExponentialFailureRateLimiter<string>({ baseMs: 1, maxMs: 1000 });
    l.when('a');
    l.when('a');
    expect(l.when('b')).toBe(1);
    l.forget('a');
    expect(l.numRequeues('a')).toBe(0);
    expect(l.when('a')).toBe(1);
  });
});

describe('TokenBucket / BucketRateLimiter', () => {
  it('allows a burst, then spaces requests at 1/qps', () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter<string>({ qps: 10, burst: 100, clock });
    for (let i = 0; i < 100; i++) expect(l.when()).toBe(0);
    expect(l.when()).toBeCloseTo(100);
    expect(l.when()).toBeCloseTo(200);
  });

  it('refills with time up to the burst', () => {
    const clock = new FakeClock();
    const b = new TokenBucket(5, 10, clock);
    for (let i = 0; i < 10; i++) b.reserve();
    clock.step(1000);
    for (let i = 0; i < 5; i++) expect(b.reserve()).toBe(0);
    expect(b.reserve()).toBeCloseTo(200);
    clock.step(60_000);
    for (let i = 0; i < 10; i++) expect(b.reserve()).toBe(0);
    expect(b.reserve()).toBeGreaterThan(0);
  });

  it('wait resolves after the clock reaches the reservation and rejects on abort', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(1, 1, clock);
    await b.wait();
    let done = false;
    const p = b.wait().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    clock.step(1000);
    await p;
    expect(done).toBe(true);
    const ac = new AbortController();
    const aborted = sleep(clock, 10_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('MaxOfRateLimiter and the default controller limiter', () => {
  it('takes the largest delay and forgets everywhere', () => {
    const a = new ItemExponentialFailureRateLimiter<string>({ baseMs: 1, maxMs: 1000 });
    const b = new ItemExponentialFailureRateLimiter<string>({ baseMs: 10, maxMs: 1000 });
    const m = new MaxOfRateLimiter(a, b);
    expect(m.when('x')).toBe(10);
    expect(m.when('x')).toBe(20);
    expect(m.numRequeues('x')).toBe(2);
    m.forget('x');
    expect(a.numRequeues('x') + b.numRequeues('x')).toBe(0);
  });

  it('default limiter: per-item backoff until the bucket runs dry', () => {
    const clock = new FakeClock();
    const l = defaultControllerRateLimiter<string>(clock);
    expect(l.when('a')).toBe(5);
    expect(l.when('a')).toBe(10);
    for (let i = 0; i < 98; i++) l.when(`other-${i}`);
    expect(l.when('b')).toBeCloseTo(100);
  });
});

describe('RateLimitingQueue', () => {
  it('addRateLimited waits the limiter delay; forget resets requeues', async () => {
    const clock = new FakeClock();
    const q = newRateLimitingQueue<string>({ clock });
    q.addRateLimited('a');
    expect(q.len()).toBe(0);
    expect(q.numRequeues('a')).toBe(1);
    clock.step(5);
    expect(q.len()).toBe(1);
    const r = await q.get();
    expect(r).toEqual({ shutdown: false, item: 'a' });
    q.addRateLimited('a');
    clock.step(9);
    expect(q.len()).toBe(0);
    q.done('a');
    clock.step(1);
    expect(q.len()).toBe(1);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('ignores addRateLimited after shutdown', () => {
    const clock = new FakeClock();
    const q = newRateLimitingQueue<string>({ clock });
    q.shutDown();
    q.addRateLimited('a');
    expect(clock.pendingTimers()).toBe(0);
    expect(q.numRequeues('a')).toBe(0);
  });
});
