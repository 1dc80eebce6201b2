import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.ts';
import { newQueue, type GetResult } from './queue.ts';

const itemOf = (r: GetResult<string>): string | undefined => (r.shutdown ? undefined : r.item);

/** Resolves to 'pending' when the promise has not settled after the microtask queue drains. */
async function state<T>(p: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
}

describe('Queue', () => {
  it('hands items out in FIFO order', async () => {
    const q = newQueue();
    for (const k of ['a', 'b', 'c']) q.add(k);
    expect([itemOf(await q.get()), itemOf(await q.get()), itemOf(await q.get())]).toEqual(['a', 'b', 'c']);
  });

  it('collapses duplicates while queued, keeping the first position', async () => {
    const q = newQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(itemOf(await q.get())).toBe('a');
    expect(itemOf(await q.get())).toBe('b');
  });

  it('never gives an item being processed to a second worker; re-add is processed after done', async () => {
    const q = newQueue();
    q.add('a');
    const first = await q.get();
    expect(itemOf(first)).toBe('a');
    q.add('a');
    expect(q.len()).toBe(0);
    const second = q.get();
    expect(await state(second)).toBe('pending');
    q.done('a');
    expect(itemOf(await second)).toBe('a');
  });

  it('done without re-add does not requeue', async () => {
    const q = newQueue();
    q.add('a');
    await q.get();
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('a pending get resolves when an item is added, waiters served in order', async () => {
    const q = newQueue();
    const g1 = q.get();
    const g2 = q.get();
    q.add('x');
    q.add('y');
    expect(itemOf(await g1)).toBe('x');
    expect(itemOf(await g2)).toBe('y');
  });

  it('shutDown releases waiters, still hands out queued items, ignores new adds', async () => {
    const q = newQueue();
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toEqual({ shutdown: true });
    const q2 = newQueue();
    q2.add('a');
    q2.shutDown();
    q2.add('b');
    expect(q2.shuttingDown()).toBe(true);
    expect(await q2.get()).toEqual({ shutdown: false, item: 'a' });
    expect(await q2.get()).toEqual({ shutdown: true });
  });

  it('shutDownWithDrain resolves only after processing items are done', async () => {
    const q = newQueue();
    q.add('a');
    await q.get();
    const drained = q.shutDownWithDrain();
    expect(await state(drained)).toBe('pending');
    q.done('a');
    expect(await state(drained)).toBeUndefined();
  });

  it('reports metrics through hooks', async () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const q = newQueue({
      name: 'test',
      clock,
      metrics: {
        added: (n) => seen.push(`added:${n}`),
        queueLatency: (_n, ms) => seen.push(`latency:${ms}`),
        workDuration: (_n, ms) => seen.push(`work:${ms}`),
      },
    });
    q.add('a');
    clock.step(7);
    await q.get();
    clock.step(3);
    q.done('a');
    expect(seen).toEqual(['added:test', 'latency:7', 'work:3']);
  });
});
