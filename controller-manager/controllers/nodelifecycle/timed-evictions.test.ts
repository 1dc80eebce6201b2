import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { FakeClock } from '../../../pkg/workqueue/index.ts';
import { TimedEvictions } from './timed-evictions.ts';

const flush = () => new Promise((r) => setImmediate(r));

describe('TimedEvictions', () => {
  const setup = (fail = false) => {
    const clock = new FakeClock(0);
    const fired: Array<[string, number]> = [];
    const evictions = new TimedEvictions(clock, async (key) => {
      fired.push([key, clock.now()]);
      if (fail) throw new Error('boom');
    }, pino({ level: 'silent' }));
    return { clock, fired, evictions };
  };

  it('fires at fireAt, remembers a done eviction until forgotten', async () => {
    const { clock, fired, evictions } = setup();
    expect(evictions.add('ns/p', { createdAt: 0, fireAt: 1000 })).toBe(true);
    expect(evictions.add('ns/p', { createdAt: 0, fireAt: 5 })).toBe(false);
    expect(evictions.scheduled('ns/p')).toEqual({ createdAt: 0, fireAt: 1000 });
    clock.step(999);
    expect(fired).toEqual([]);
    clock.step(1);
    await flush();
    expect(fired).toEqual([['ns/p', 1000]]);
    expect(evictions.scheduled('ns/p')).toBeUndefined();
    expect(evictions.add('ns/p', { createdAt: 2000, fireAt: 2000 })).toBe(false);
    // Cancelling it forgets it but cancels nothing.
    expect(evictions.cancel('ns/p')).toBe(false);
    expect(evictions.add('ns/p', { createdAt: 2000, fireAt: 2000 })).toBe(true);
  });

  it('an eviction under way is not cancelled by its own pod deletion', async () => {
    const clock = new FakeClock(0);
    let finish!: () => void;
    const evictions = new TimedEvictions(clock, () => new Promise<void>((resolve) => (finish = resolve)), pino({ level: 'silent' }));
    evictions.add('ns/p', { createdAt: 0, fireAt: 10 });
    clock.step(10);
    await flush();
    // The pod's deletion is seen before the delete call answers.
    expect(evictions.cancel('ns/p')).toBe(false);
    finish();
    await flush();
    expect(evictions.scheduled('ns/p')).toBeUndefined();
  });

  it('a cancelled eviction never fires; a failed one is forgotten', async () => {
    const { clock, fired, evictions } = setup();
    evictions.add('ns/a', { createdAt: 0, fireAt: 100 });
    expect(evictions.cancel('ns/a')).toBe(true);
    clock.step(200);
    expect(fired).toEqual([]);
    const failing = setup(true);
    failing.evictions.add('ns/b', { createdAt: 0, fireAt: 0 });
    failing.clock.step(0);
    await flush();
    expect(failing.fired).toHaveLength(1);
    expect(failing.evictions.cancel('ns/b')).toBe(false);
  });

  it('stop cancels everything and refuses new work', () => {
    const { clock, fired, evictions } = setup();
    evictions.add('ns/a', { createdAt: 0, fireAt: 100 });
    evictions.stop();
    clock.step(200);
    expect(fired).toEqual([]);
    expect(evictions.add('ns/b', { createdAt: 0, fireAt: 0 })).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });
});
