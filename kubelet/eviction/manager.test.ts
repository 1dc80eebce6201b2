import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import { EvictionManager, type EvictionRequest } from './manager.ts';
import type { PodUsage } from './rank.ts';
import type { NodeReadings } from './signals.ts';
import { parseThresholds } from './thresholds.ts';
import type { PodStorageUsage } from './local-storage.ts';

const MI = 1024 * 1024;

function pod(name: string, extra: Partial<NonNullable<Pod['spec']>> = {}, annotations?: Record<string, string>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: name, ...(annotations ? { annotations } : {}) }, spec: { containers: [{ name: 'c', image: 'i' }], ...extra } } as Pod;
}

function setup(options: { availableMi: number; pods: Pod[]; usage?: Record<string, PodUsage>; hard?: Record<string, string>; storage?: Record<string, PodStorageUsage> }) {
  const clock = new FakeClock();
  const events: string[] = [];
  const evicted: Array<{ pod: string; request: EvictionRequest }> = [];
  const counted: string[] = [];
  let available = options.availableMi;
  const manager = new EvictionManager({
    config: { thresholds: parseThresholds({ evictionHard: options.hard ?? { 'memory.available': '100Mi' } }), pressureTransitionMs: 300_000, maxPodGracePeriodSeconds: 0 },
    readings: { read: async (): Promise<NodeReadings> => ({ atMs: clock.now(), memory: { workingSetBytes: 1024 * MI - available * MI, capacityBytes: 1024 * MI } }) },
    activePods: () => options.pods,
    usage: () => (p) => options.usage?.[p.metadata.name as string],
    ...(options.storage ? { storageUsage: async (pods: readonly Pod[]) => new Map(pods.flatMap((p) => (options.storage?.[p.metadata.uid as string] ? [[p.metadata.uid as string, options.storage[p.metadata.uid as string]!] as const] : []))) } : {}),
    evictPod: async (p, request) => {
      evicted.push({ pod: p.metadata.name as string, request });
    },
    podEvent: (p, type, reason, message) => events.push(`pod ${p.metadata.name} ${type} ${reason}: ${message}`),
    nodeEvent: (type, reason, message) => events.push(`node ${type} ${reason}: ${message}`),
    metrics: { evicted: (signal) => counted.push(signal) },
    clock,
    log: pino({ level: 'silent' }),
  });
  return { manager, clock, events, evicted, counted, setAvailable: (mi: number) => (available = mi) };
}

describe('EvictionManager', () => {
  it('without pressure: no condition, no eviction, every pod admitted', async () => {
    const { manager, evicted, events } = setup({ availableMi: 500, pods: [pod('a')] });
    expect(await manager.synchronize()).toEqual([]);
    expect(manager.conditions()).toEqual([]);
    expect(manager.admit(pod('new'))).toEqual({ admit: true });
    expect(evicted).toEqual([]);
    expect(events).toEqual([]);
  });

  it('under a hard memory threshold: MemoryPressure, the node event, one pod evicted per round with grace 1', async () => {
    const usage = { a: { memoryBytes: 10 * MI, containers: [{ name: 'c', memoryBytes: 10 * MI }] }, b: { memoryBytes: 50 * MI, containers: [{ name: 'c', memoryBytes: 50 * MI }] } };
    const { manager, evicted, events, clock, counted } = setup({ availableMi: 42, pods: [pod('a'), pod('b')], usage });
    const [first] = await manager.synchronize();
    expect(first?.metadata.name).toBe('b');
    expect(manager.conditions()).toEqual(['MemoryPressure']);
    const message = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 42Mi. Container c was using 50Mi, request is 0, has larger consumption of memory. ';
    expect(evicted).toEqual([{ pod: 'b', request: { graceSeconds: 1, reason: 'Evicted', message, condition: { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message } } }]);
    expect(events).toEqual(['node Warning EvictionThresholdMet: Attempting to reclaim memory', `pod b Warning Evicted: ${message}`]);
    expect(manager.admit(pod('new'))).toEqual({ admit: false, reason: 'Evicted', message: 'The node had condition: [MemoryPressure]. ' });
    clock.step(10_000);
    await manager.synchronize();
    expect(evicted.map((e) => e.pod)).toEqual(['b', 'b']); // the fake keeps offering b as active
    // kubelet_evictions{eviction_signal} counts each eviction by the signal that caused it.
    expect(counted).toEqual(['memory.available', 'memory.available']);
  });

  it('critical pods are skipped for the next in rank', async () => {
    const pods = [pod('static', {}, { 'kubernetes.io/config.source': 'file' }), pod('critical', { priority: 2_000_000_000 }), pod('plain')];
    const { manager, evicted } = setup({ availableMi: 42, pods });
    expect((await manager.synchronize())[0]?.metadata.name).toBe('plain');
    expect(evicted.map((e) => e.pod)).toEqual(['plain']);
  });

  it('only critical pods: nothing is evicted', async () => {
    const { manager, evicted, counted } = setup({ availableMi: 42, pods: [pod('critical', { priority: 2_000_000_000 })] });
    expect(await manager.synchronize()).toEqual([]);
    expect(evicted).toEqual([]);
    expect(counted).toEqual([]);
  });

  it('soft thresholds evict with evictionMaxPodGracePeriod after their grace period', async () => {
    const clock = new FakeClock();
    const evicted: EvictionRequest[] = [];
    const manager = new EvictionManager({
      config: { thresholds: parseThresholds({ evictionHard: {}, evictionSoft: { 'memory.available': '200Mi' }, evictionSoftGracePeriod: { 'memory.available': '30s' } }), pressureTransitionMs: 300_000, maxPodGracePeriodSeconds: 7 },
      readings: { read: async () => ({ atMs: clock.now(), memory: { workingSetBytes: 900 * MI, capacityBytes: 1024 * MI } }) },
      activePods: () => [pod('a')],
      usage: () => () => undefined,
      evictPod: async (_p, r) => void evicted.push(r),
      podEvent: () => {},
      nodeEvent: () => {},
      clock,
      log: pino({ level: 'silent' }),
    });
    await manager.synchronize();
    expect(manager.conditions()).toEqual(['MemoryPressure']);
    expect(evicted).toEqual([]);
    clock.step(30_000);
    await manager.synchronize();
    expect(evicted.map((r) => r.graceSeconds)).toEqual([7]);
  });

  it('the condition clears only after the transition period', async () => {
    const { manager, clock, setAvailable } = setup({ availableMi: 42, pods: [] });
    await manager.synchronize();
    setAvailable(500);
    clock.step(299_000);
    await manager.synchronize();
    expect(manager.conditions()).toEqual(['MemoryPressure']);
    clock.step(1000);
    await manager.synchronize();
    expect(manager.conditions()).toEqual([]);
  });

  it('evicts every pod over a local storage limit at once (grace 0, no condition), before and instead of node pressure, even without thresholds', async () => {
    const withDir = pod('dir', { volumes: [{ name: 'd', emptyDir: { sizeLimit: '1Mi' } }] });
    const withLimit = pod('limit', { containers: [{ name: 'c', image: 'i', resources: { limits: { 'ephemeral-storage': '1Mi' } } }] });
    const within = pod('within', { containers: [{ name: 'c', image: 'i', resources: { limits: { 'ephemeral-storage': '1Gi' } } }] });
    const critical = pod('critical', { priority: 2_000_001_000, volumes: [{ name: 'd', emptyDir: { sizeLimit: '1Mi' } }] });
    const storage = {
      dir: { volumes: new Map([['d', 2 * MI]]), containers: new Map() },
      limit: { volumes: new Map(), containers: new Map([['c', { rootfsBytes: 2 * MI }]]) },
      within: { volumes: new Map(), containers: new Map([['c', { rootfsBytes: 2 * MI }]]) },
      critical: { volumes: new Map([['d', 2 * MI]]), containers: new Map() },
    };
    const { manager, evicted, events, counted } = setup({ availableMi: 42, pods: [withDir, within, withLimit, critical, pod('plain')], storage });
    expect((await manager.synchronize()).map((p) => p.metadata.name)).toEqual(['dir', 'limit']);
    // Node pressure is still observed; its eviction waits for a round without storage evictions.
    expect(manager.conditions()).toEqual(['MemoryPressure']);
    const dirMessage = 'Usage of EmptyDir volume "d" exceeds the limit "1Mi". ';
    const limitMessage = 'Pod ephemeral local storage usage exceeds the total limit of containers 1Mi. ';
    expect(evicted).toEqual([
      { pod: 'dir', request: { graceSeconds: 0, reason: 'Evicted', message: dirMessage } },
      { pod: 'limit', request: { graceSeconds: 0, reason: 'Evicted', message: limitMessage } },
    ]);
    expect(events).toEqual([`pod dir Warning Evicted: ${dirMessage}`, `pod limit Warning Evicted: ${limitMessage}`]);
    expect(counted).toEqual(['emptydirfs.limit', 'ephemeralpodfs.limit']);

    const quiet = setup({ availableMi: 500, hard: {}, pods: [withDir], storage });
    expect((await quiet.manager.synchronize()).map((p) => p.metadata.name)).toEqual(['dir']);
  });
});
