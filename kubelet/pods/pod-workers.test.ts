import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PodWorkers } from './pod-workers.ts';

/** A sync that records each call and waits until released. */
function gatedSync() {
  const calls: string[] = [];
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  return {
    calls,
    sync: async (uid: string) => {
      calls.push(uid);
      await gate;
    },
    open() {
      release();
      gate = Promise.resolve();
    },
  };
}

describe('PodWorkers', () => {
  it('serializes one pod, coalesces requests made while it syncs, and runs pods in parallel', async () => {
    const g = gatedSync();
    const w = new PodWorkers(g.sync, pino({ level: 'silent' }));
    w.enqueue('a');
    w.enqueue('a');
    w.enqueue('a');
    w.enqueue('b');
    expect(g.calls).toEqual(['a', 'b']);
    expect(w.busy()).toBe(2);
    g.open();
    await w.idle();
    expect(g.calls).toEqual(['a', 'b', 'a']);
    expect(w.busy()).toBe(0);
  });

  it('after stop() starts nothing: a request queued behind a running sync and later ones are dropped', async () => {
    const g = gatedSync();
    const w = new PodWorkers(g.sync, pino({ level: 'silent' }));
    w.enqueue('a');
    w.enqueue('a');
    w.stop();
    w.enqueue('b');
    g.open();
    await w.idle();
    w.enqueue('c');
    await w.idle();
    expect(g.calls).toEqual(['a']);
  });
});
