import { describe, expect, it } from 'vitest';
import { nodeReclaimFor } from './node-reclaim.ts';
import type { Signal } from './signals.ts';

describe('nodeReclaimFor (upstream buildSignalToNodeReclaimFuncs)', () => {
  it.each<[Signal, string, string]>([
    // signal, imagefs on nodefs, dedicated imagefs
    ['memory.available', 'none', 'none'],
    ['allocatableMemory.available', 'none', 'none'],
    ['pid.available', 'none', 'none'],
    ['nodefs.available', 'containers-and-images', 'none'],
    ['nodefs.inodesFree', 'containers-and-images', 'none'],
    ['containerfs.available', 'containers-and-images', 'none'],
    ['containerfs.inodesFree', 'containers-and-images', 'none'],
    ['imagefs.available', 'containers-and-images', 'containers-and-images'],
    ['imagefs.inodesFree', 'containers-and-images', 'containers-and-images'],
  ])('%s: %s, with a dedicated imagefs %s', (signal, shared, dedicated) => {
    expect(nodeReclaimFor(signal, false)).toBe(shared);
    expect(nodeReclaimFor(signal, true)).toBe(dedicated);
  });
});
