import { describe, expect, it } from 'vitest';
import { observe, parseLoadavgTasks } from './signals.ts';

const fs = { capacityBytes: 1000, availableBytes: 300, inodes: 100, inodesFree: 40 };

describe('observe', () => {
  it('memory.available is capacity minus the working set; its capacity is available + working set', () => {
    expect(observe({ atMs: 5, memory: { workingSetBytes: 300, capacityBytes: 1000 } })).toEqual({ 'memory.available': { available: 700, capacity: 1000, atMs: 5, unit: 'bytes' } });
  });

  it('a working set above the capacity leaves 0 available', () => {
    expect(observe({ atMs: 5, memory: { workingSetBytes: 1200, capacityBytes: 1000 } })['memory.available']).toMatchObject({ available: 0, capacity: 1200 });
  });

  it('imagefs reports nodefs figures without a separate image filesystem', () => {
    const o = observe({ atMs: 1, nodeFs: fs });
    expect(o['nodefs.available']).toEqual({ available: 300, capacity: 1000, atMs: 1, unit: 'bytes' });
    expect(o['nodefs.inodesFree']).toEqual({ available: 40, capacity: 100, atMs: 1, unit: 'count' });
    expect(o['imagefs.available']).toEqual(o['nodefs.available']);
    expect(o['imagefs.inodesFree']).toEqual(o['nodefs.inodesFree']);
  });

  it('a separate image filesystem has its own figures', () => {
    const o = observe({ atMs: 1, nodeFs: fs, imageFs: { ...fs, availableBytes: 10 } });
    expect(o['imagefs.available']?.available).toBe(10);
    expect(o['nodefs.available']?.available).toBe(300);
  });

  it('pid.available is the task limit minus the tasks', () => {
    expect(observe({ atMs: 1, pids: { max: 32768, running: 155 } })['pid.available']).toEqual({ available: 32613, capacity: 32768, atMs: 1, unit: 'count' });
  });

  it('leaves unread parts unobserved', () => {
    expect(observe({ atMs: 1 })).toEqual({});
  });
});

describe('parseLoadavgTasks', () => {
  it.each([
    ['8.90 8.40 6.10 4/155 802\n', 155],
    ['1.36 3.49 4.53 2/3518 3715089', 3518],
    ['1 2 3', undefined],
    ['1 2 3 x 5', undefined],
  ])('%j → %s', (text, want) => {
    expect(parseLoadavgTasks(text)).toBe(want);
  });
});
