import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../pkg/workqueue/index.ts';
import { Code } from '../status.ts';
import type { PodObject } from '../types.ts';
import { WaitingPods } from './waiting-pods.ts';

const pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1' } } as PodObject;

describe('WaitingPods (Permit Wait)', () => {
  it.each([
    { name: 'allowed by every plugin', act: (w: WaitingPods) => ['A', 'B'].forEach((p) => w.get('u1')!.allow(p)), code: Code.Success, message: '' },
    { name: 'rejected by one plugin', act: (w: WaitingPods) => w.get('u1')!.reject('B', 'quota exceeded'), code: Code.Unschedulable, message: 'quota exceeded' },
    { name: 'timed out', act: (_w: WaitingPods, c: FakeClock) => c.step(5000), code: Code.Unschedulable, message: 'rejected due to timeout after waiting 5s at plugin A' },
  ])('$name', async ({ act, code, message }) => {
    const clock = new FakeClock();
    const waiting = new WaitingPods(clock);
    const done = waiting.add(pod, new Map([['A', 5000], ['B', 10_000]]));
    expect(waiting.get('u1')!.pendingPlugins()).toEqual(['A', 'B']);
    act(waiting, clock);
    const s = await done;
    expect(s.code).toBe(code);
    expect(s.message()).toBe(message);
    expect(waiting.get('u1')).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
  });
});
