import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { admissionMessage, evictionMessage, rejectedStatusMessage, thresholdMetEvent } from './messages.ts';
import type { Observations } from './signals.ts';
import type { Threshold } from './thresholds.ts';

const MI = 1024 * 1024;
const memory: Threshold = { signal: 'memory.available', value: { quantity: '100Mi' }, gracePeriodMs: 0 };
const disk: Threshold = { signal: 'nodefs.available', value: { percentage: Math.fround(0.1) }, gracePeriodMs: 0 };
const observations: Observations = {
  'memory.available': { available: 42 * MI, capacity: 1024 * MI, atMs: 1, unit: 'bytes' },
  'nodefs.available': { available: 50 * MI, capacity: 1000 * MI, atMs: 1, unit: 'bytes' },
};

const pod = {
  metadata: { name: 'p', namespace: 'default' },
  spec: {
    containers: [
      { name: 'x', image: 'i' },
      { name: 'y', image: 'i', resources: { requests: { memory: '1Mi' } } },
      { name: 'z', image: 'i', resources: { requests: { memory: '1Gi' } } },
    ],
  },
} as Pod;

describe('evictionMessage', () => {
  it.each([
    [
      'memory: threshold, then every container above its request',
      { resource: 'memory' as const, usage: { memoryBytes: 0, containers: [{ name: 'x', memoryBytes: 1263616 }, { name: 'y', memoryBytes: 2 * MI }, { name: 'z', memoryBytes: 2 * MI }] }, thresholds: [memory] },
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 42Mi. Container x was using 1234Ki, request is 0, has larger consumption of memory. Container y was using 2Mi, request is 1Mi, has larger consumption of memory. ',
    ],
    ['memory without stats', { resource: 'memory' as const, usage: undefined, thresholds: [memory] }, 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 42Mi. '],
    [
      'disk quotes the percentage as bytes of the capacity',
      { resource: 'ephemeral-storage' as const, usage: { diskBytes: 5 }, thresholds: [memory, disk] },
      'The node was low on resource: ephemeral-storage. Threshold quantity: 104857601, available: 50Mi. ',
    ],
    ['containers not in the spec are not named', { resource: 'memory' as const, usage: { containers: [{ name: 'gone', memoryBytes: MI }] }, thresholds: [memory] }, 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 42Mi. '],
  ])('%s', (_name, input, want) => {
    expect(evictionMessage({ ...input, pod, observations })).toBe(want);
  });
});

describe('admission and event messages', () => {
  it.each([
    [['MemoryPressure'], 'The node had condition: [MemoryPressure]. '],
    [['MemoryPressure', 'DiskPressure'], 'The node had condition: [MemoryPressure DiskPressure]. '],
  ] as const)('%j', (conditions, want) => {
    expect(admissionMessage(conditions)).toBe(want);
    expect(rejectedStatusMessage(admissionMessage(conditions))).toBe(`Pod was rejected: ${want}`);
  });

  it('EvictionThresholdMet names the resource', () => {
    expect(thresholdMetEvent('memory')).toEqual({ reason: 'EvictionThresholdMet', message: 'Attempting to reclaim memory' });
  });
});
