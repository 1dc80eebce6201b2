import { describe, expect, it } from 'vitest';
import { evaluate, INITIAL_STATE, thresholdsMet, type EvictionState } from './evaluate.ts';
import type { Observations } from './signals.ts';
import type { Threshold } from './thresholds.ts';

const MI = 1024 * 1024;
const hardMemory: Threshold = { signal: 'memory.available', value: { quantity: '100Mi' }, gracePeriodMs: 0 };
const softMemory: Threshold = { signal: 'memory.available', value: { quantity: '200Mi' }, gracePeriodMs: 60_000 };
const hardDisk: Threshold = { signal: 'nodefs.available', value: { percentage: Math.fround(0.1) }, gracePeriodMs: 0 };
const hardPid: Threshold = { signal: 'pid.available', value: { quantity: '100' }, gracePeriodMs: 0 };

function obs(memoryMi: number | undefined, atMs: number, diskAvailable = 500, pids = 1000): Observations {
  return {
    ...(memoryMi === undefined ? {} : { 'memory.available': { available: memoryMi * MI, capacity: 1024 * MI, atMs, unit: 'bytes' as const } }),
    'nodefs.available': { available: diskAvailable, capacity: 1000, atMs, unit: 'bytes' },
    'pid.available': { available: pids, capacity: 2000, atMs, unit: 'count' },
  };
}

describe('thresholdsMet', () => {
  it.each([
    [99, [hardMemory], false, 1],
    [100, [hardMemory], false, 0], // available == threshold: not met (strictly less than)
    [150, [hardMemory], false, 0],
    [150, [{ ...hardMemory, minReclaim: { quantity: '100Mi' } }], true, 1], // 100Mi + 100Mi > 150Mi
    [150, [{ ...hardMemory, minReclaim: { quantity: '100Mi' } }], false, 0],
    [undefined, [hardMemory], false, 0], // no observation
  ])('memory %s Mi available: %j (min reclaim %s) → %d met', (mi, thresholds, withMin, count) => {
    expect(thresholdsMet(thresholds, obs(mi, 1), withMin)).toHaveLength(count);
  });

  it('a percentage is of the observed capacity', () => {
    expect(thresholdsMet([hardDisk], obs(500, 1, 99), false)).toHaveLength(1);
    expect(thresholdsMet([hardDisk], obs(500, 1, 100), false)).toHaveLength(0);
  });
});

function run(thresholds: Threshold[], steps: Array<{ at: number; mi: number; disk?: number; pids?: number }>, transitionMs = 300_000) {
  let state: EvictionState = INITIAL_STATE;
  return steps.map((s) => {
    const r = evaluate({ thresholds, observations: obs(s.mi, s.at, s.disk, s.pids), state, nowMs: s.at, pressureTransitionMs: transitionMs });
    state = r.state;
    return { conditions: r.conditions, act: r.act.map((t) => `${t.signal}/${t.gracePeriodMs}`) };
  });
}

describe('evaluate', () => {
  it('a hard threshold acts at once and sets its condition', () => {
    expect(run([hardMemory], [{ at: 0, mi: 50 }])).toEqual([{ conditions: ['MemoryPressure'], act: ['memory.available/0'] }]);
  });

  it('the condition is held for the transition period after the signal clears', () => {
    expect(run([hardMemory], [{ at: 0, mi: 50 }, { at: 10_000, mi: 500 }, { at: 299_999, mi: 500 }, { at: 300_000, mi: 500 }])).toEqual([
      { conditions: ['MemoryPressure'], act: ['memory.available/0'] },
      { conditions: ['MemoryPressure'], act: [] },
      { conditions: ['MemoryPressure'], act: [] },
      { conditions: [], act: [] },
    ]);
  });

  it('a soft threshold sets the condition at once but acts only after its grace period', () => {
    expect(run([softMemory], [{ at: 0, mi: 150 }, { at: 59_999, mi: 150 }, { at: 60_000, mi: 150 }])).toEqual([
      { conditions: ['MemoryPressure'], act: [] },
      { conditions: ['MemoryPressure'], act: [] },
      { conditions: ['MemoryPressure'], act: ['memory.available/60000'] },
    ]);
  });

  it('a soft threshold that clears before its grace period starts over', () => {
    const r = run([softMemory], [{ at: 0, mi: 150 }, { at: 30_000, mi: 500 }, { at: 40_000, mi: 150 }, { at: 90_000, mi: 150 }, { at: 100_000, mi: 150 }]);
    expect(r.map((x) => x.act)).toEqual([[], [], [], [], ['memory.available/60000']]);
  });

  it('a threshold past its grace period stays acted on until the minimum reclaim is freed', () => {
    const t = { ...hardMemory, minReclaim: { quantity: '100Mi' } };
    expect(run([t], [{ at: 0, mi: 50 }, { at: 10_000, mi: 150 }, { at: 20_000, mi: 250 }]).map((x) => x.act)).toEqual([['memory.available/0'], ['memory.available/0'], []]);
  });

  it('memory comes first; disk and PID pressure are their own conditions', () => {
    expect(run([hardDisk, hardPid, hardMemory], [{ at: 0, mi: 50, disk: 10, pids: 5 }])).toEqual([
      { conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure'], act: ['memory.available/0', 'nodefs.available/0', 'pid.available/0'] },
    ]);
  });

  it('does not act twice on the same observation', () => {
    let state: EvictionState = INITIAL_STATE;
    const o = obs(50, 7);
    const first = evaluate({ thresholds: [hardMemory], observations: o, state, nowMs: 0, pressureTransitionMs: 1 });
    state = first.state;
    const second = evaluate({ thresholds: [hardMemory], observations: o, state, nowMs: 10_000, pressureTransitionMs: 1 });
    expect(first.act).toHaveLength(1);
    expect(second.act).toHaveLength(0);
    expect(second.conditions).toEqual(['MemoryPressure']);
  });
});
