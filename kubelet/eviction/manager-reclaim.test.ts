import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import { EvictionManager } from './manager.ts';
import type { NodeReadings } from './signals.ts';
import { parseThresholds } from './thresholds.ts';

const GI = 1024 ** 3;
const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: name }, spec: { containers: [{ name: 'c', image: 'i' }] } }) as Pod;

/** A node whose nodefs has `availableGi` of 100 Gi free; reclaim frees `reclaimGi`. */
function setup(options: { availableGi: number; reclaimGi: number; hard: Record<string, string>; minimumReclaim?: Record<string, string>; dedicatedImageFs?: boolean; withReclaim?: boolean }) {
  const clock = new FakeClock();
  let available = options.availableGi;
  const calls: string[] = [];
  const manager = new EvictionManager({
    config: { thresholds: parseThresholds({ evictionHard: options.hard, evictionMinimumReclaim: options.minimumReclaim }), pressureTransitionMs: 300_000, maxPodGracePeriodSeconds: 0 },
    readings: { read: async (): Promise<NodeReadings> => ({ atMs: clock.now(), memory: { workingSetBytes: GI, capacityBytes: 2 * GI }, nodeFs: { capacityBytes: 100 * GI, availableBytes: available * GI, inodes: 1000, inodesFree: 900 } }) },
    activePods: () => [pod('a')],
    usage: () => () => undefined,
    evictPod: async (p) => void calls.push(`evict ${p.metadata.name}`),
    podEvent: () => {},
    nodeEvent: (_t, reason, message) => calls.push(`event ${reason}: ${message}`),
    ...(options.withReclaim === false
      ? {}
      : {
          nodeReclaim: {
            dedicatedImageFs: options.dedicatedImageFs ?? false,
            reclaim: async () => {
              calls.push('reclaim');
              available += options.reclaimGi;
            },
          },
        }),
    clock,
    log: pino({ level: 'silent' }),
  });
  return { manager, calls };
}

describe('EvictionManager node-level reclaim', () => {
  it('disk pressure that reclaim relieves: containers and images are collected, no pod is evicted', async () => {
    const { manager, calls } = setup({ availableGi: 5, reclaimGi: 10, hard: { 'nodefs.available': '10%' } });
    expect(await manager.synchronize()).toEqual([]);
    expect(calls).toEqual(['event EvictionThresholdMet: Attempting to reclaim ephemeral-storage', 'reclaim']);
    expect(manager.conditions()).toEqual(['DiskPressure']);
  });

  it('disk pressure reclaim cannot relieve: a pod is evicted after the reclaim', async () => {
    const { manager, calls } = setup({ availableGi: 5, reclaimGi: 1, hard: { 'nodefs.available': '10%' } });
    expect((await manager.synchronize())[0]?.metadata.name).toBe('a');
    expect(calls).toEqual(['event EvictionThresholdMet: Attempting to reclaim ephemeral-storage', 'reclaim', 'evict a']);
  });

  it('after reclaim, thresholds are checked with their minimum reclaim', async () => {
    const { manager, calls } = setup({ availableGi: 5, reclaimGi: 6, hard: { 'nodefs.available': '10%' }, minimumReclaim: { 'nodefs.available': '2Gi' } });
    expect((await manager.synchronize())[0]?.metadata.name).toBe('a');
    expect(calls.slice(1)).toEqual(['reclaim', 'evict a']);
  });

  it('memory pressure has no node-level reclaim', async () => {
    const { manager, calls } = setup({ availableGi: 50, reclaimGi: 10, hard: { 'memory.available': '2Gi' } });
    expect((await manager.synchronize())[0]?.metadata.name).toBe('a');
    expect(calls).toEqual(['event EvictionThresholdMet: Attempting to reclaim memory', 'evict a']);
  });

  it('with a dedicated image filesystem, nodefs pressure evicts without reclaim', async () => {
    const { manager, calls } = setup({ availableGi: 5, reclaimGi: 10, hard: { 'nodefs.available': '10%' }, dedicatedImageFs: true });
    expect((await manager.synchronize())[0]?.metadata.name).toBe('a');
    expect(calls).not.toContain('reclaim');
  });

  it('without node-level reclaim configured, disk pressure evicts', async () => {
    const { manager, calls } = setup({ availableGi: 5, reclaimGi: 10, hard: { 'nodefs.available': '10%' }, withReclaim: false });
    expect((await manager.synchronize())[0]?.metadata.name).toBe('a');
    expect(calls).toEqual(['event EvictionThresholdMet: Attempting to reclaim ephemeral-storage', 'evict a']);
  });
});
