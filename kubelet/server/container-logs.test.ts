import { describe, expect, it } from 'vitest';
import type { RuntimeContainer } from '../runtime/types.ts';
import { previousContainer } from './container-logs.ts';

const c = (id: string, restartCount: number, state: RuntimeContainer['state'] = 'exited'): RuntimeContainer => ({ id, sandboxId: 's', name: 'app', state, attempt: restartCount, hash: '', restartCount, image: 'i', imageRef: 'i', createdAtMs: restartCount, startedAtMs: 0, finishedAtMs: 0, exitCode: 1, reason: '', message: '' });

describe('previousContainer (kubectl logs --previous)', () => {
  it('in a crash loop after GC (one dead container left, waiting to restart): the one the status names as last terminated', () => {
    const dead = c('d3', 3);
    expect(previousContainer([dead], 'app', dead, 'containerd://d3')).toBe(dead);
  });

  it('while the next attempt runs: the newest other attempt', () => {
    const dead = c('d3', 3);
    const running = c('r4', 4, 'running');
    expect(previousContainer([dead, running], 'app', running, 'containerd://d3')).toBe(dead);
    expect(previousContainer([dead, running], 'app', running, undefined)).toBe(dead);
  });

  it('a status naming a container the runtime no longer has falls back to the attempts it has', () => {
    const latest = c('d5', 5);
    const older = c('d4', 4);
    expect(previousContainer([older, latest], 'app', latest, 'containerd://gone')).toBe(older);
  });

  it('a status lagging a crash (it names an attempt GC removed; the latest exited and will restart): the latest', () => {
    const latest = c('d6', 6);
    expect(previousContainer([latest], 'app', latest, 'containerd://d5', true)).toBe(latest);
    expect(previousContainer([latest], 'app', latest, 'containerd://d5', false)).toBeUndefined();
  });

  it('none: a first attempt has no previous one', () => {
    const running = c('r0', 0, 'running');
    expect(previousContainer([running], 'app', running, undefined)).toBeUndefined();
  });
});
