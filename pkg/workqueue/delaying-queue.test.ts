import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.ts';
import { newDelayingQueue } from './delaying-queue.ts';

describe('DelayingQueue', () => {
  it('adds an item once its delay has passed', () => {
    const clock = new FakeClock();
    const q = newDelayingQueue({ clock });
    q.addAfter('a', 100);
    expect(q.len()).toBe(0);
    clock.step(99);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
  });

  it('adds immediately for a non-positive delay', () => {
    const q = newDelayingQueue({ clock: new FakeClock() });
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    expect(q.len()).toBe(2);
  });

  it('keeps the earlier ready time when an item waits twice', () => {
    const clock = new FakeClock();
    const q = newDelayingQueue({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 200);
    expect(q.waitingCount()).toBe(1);
    clock.step(50);
    expect(q.len()).toBe(1);
    clock.step(500);
    expect(q.len()).toBe(1);
  });

  it('releases items in ready-time order', async () => {
    const clock = new FakeClock();
    const q = newDelayingQueue({ clock });
    q.addAfter('late', 300);
    q.addAfter('early', 100);
    q.addAfter('middle', 200);
    clock.step(1000);
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await q.get();
      if (!r.shutdown) order.push(r.item);
    }
    expect(order).toEqual(['early', 'middle', 'late']);
  });

  it('drops waiting items and timers on shutdown', () => {
    const clock = new FakeClock();
    const q = newDelayingQueue({ clock });
    q.addAfter('a', 100);
    q.shutDown();
    expect(clock.pendingTimers()).toBe(0);
    clock.step(200);
    expect(q.len()).toBe(0);
  });
});
