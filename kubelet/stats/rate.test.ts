import { describe, expect, it } from 'vitest';
import { nextCpuState, usageNanoCores, type CpuSample } from './rate.ts';

const s = (atMs: number, usageCoreNanoSeconds: number): CpuSample => ({ atMs, usageCoreNanoSeconds });

describe('usageNanoCores', () => {
  it.each<[string, CpuSample | undefined, CpuSample, number | undefined]>([
    ['single sample: no rate yet', undefined, s(10_000, 5e9), undefined],
    ['one full core over 10 s', s(0, 0), s(10_000, 10e9), 1_000_000_000],
    ['a quarter core over 10 s', s(0, 1e9), s(10_000, 3.5e9), 250_000_000],
    ['two cores over 500 ms', s(1000, 0), s(1500, 1e9), 2_000_000_000],
    ['idle', s(0, 7e6), s(10_000, 7e6), 0],
    ['sub-millisecond timestamps', s(0.5, 0), s(1.5, 250_000), 250_000_000],
    ['counter reset (container restarted in place)', s(0, 9e9), s(10_000, 1e9), undefined],
    ['no time passed', s(10_000, 1e9), s(10_000, 2e9), undefined],
    ['clock went backwards', s(10_000, 1e9), s(9_000, 2e9), undefined],
  ])('%s', (_name, prev, cur, expected) => {
    expect(usageNanoCores(prev, cur)).toBe(expected);
  });
});

describe('nextCpuState', () => {
  it('keeps only the latest sample, with the rate from the previous one', () => {
    const first = nextCpuState(undefined, s(0, 0));
    expect(first).toEqual({ sample: s(0, 0) });
    const second = nextCpuState(first, s(10_000, 5e9));
    expect(second).toEqual({ sample: s(10_000, 5e9), usageNanoCores: 500_000_000 });
    const third = nextCpuState(second, s(20_000, 6e9));
    expect(third).toEqual({ sample: s(20_000, 6e9), usageNanoCores: 100_000_000 });
  });

  it('after a reset: no rate, then a rate from the new baseline', () => {
    const reset = nextCpuState({ sample: s(0, 9e9), usageNanoCores: 1e9 }, s(10_000, 1e9));
    expect(reset).toEqual({ sample: s(10_000, 1e9) });
    expect(nextCpuState(reset, s(20_000, 2e9))).toEqual({ sample: s(20_000, 2e9), usageNanoCores: 100_000_000 });
  });

  it('a sample that is not newer leaves the state as it was', () => {
    const state = { sample: s(10_000, 5e9), usageNanoCores: 3 };
    expect(nextCpuState(state, s(10_000, 6e9))).toBe(state);
  });
});
