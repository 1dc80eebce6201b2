import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeRuntime } from '../runtime/fake-runtime.ts';
import type { RuntimeContainerStats } from '../runtime/types.ts';
import { StatsCollector } from './collector.ts';
import type { NodeReading } from './node-usage.ts';

const log = pino({ level: 'silent' });

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms), setTimeout: () => 0 as never, clearTimeout: () => undefined };
}

async function runningPod(runtime: FakeRuntime, uid: string, name: string, containers: string[]): Promise<string[]> {
  const sandboxConfig = { metadata: { name, uid, namespace: 'default', attempt: 0 } };
  const sandbox = await runtime.runSandbox(sandboxConfig);
  return Promise.all(containers.map((c) => runtime.startContainer(sandbox, { metadata: { name: c, attempt: 0 }, image: { image: 'busybox' } })));
}

describe('StatsCollector', () => {
  it('derives rates from the last two samples, for containers and the node; memory from the first', async () => {
    const clock = manualClock();
    const runtime = new FakeRuntime(clock);
    const [busy, idle] = await runningPod(runtime, 'uid-1', 'p', ['busy', 'idle']);
    let nodeCpuNs = 0;
    const node = { read: async (): Promise<NodeReading> => ({ cpu: { atMs: clock.now(), usageCoreNanoSeconds: nodeCpuNs }, memory: { atMs: clock.now(), workingSetBytes: 5e9 } }) };
    const collector = new StatsCollector({ runtime, node, nodeName: 'n', nodeStartMs: 0, log });
    const pods = [{ uid: 'uid-1', name: 'p', namespace: 'default' }];
    runtime.setUsage(busy, { usageCoreNanoSeconds: 1e9, workingSetBytes: 4096 });
    runtime.setUsage(idle, { usageCoreNanoSeconds: 1e6, workingSetBytes: 1024 });
    await collector.sample();
    let view = collector.view(pods);
    expect(view?.pods[0].containers.map((c) => [c.name, c.cpu?.usageNanoCores, c.memory?.workingSetBytes])).toEqual([['busy', undefined, 4096], ['idle', undefined, 1024]]);
    expect(view?.node.cpu).toEqual({ atMs: clock.now(), usageCoreNanoSeconds: 0 });

    clock.advance(10_000);
    nodeCpuNs = 15e9;
    runtime.setUsage(busy, { usageCoreNanoSeconds: 11e9, workingSetBytes: 4096 });
    runtime.setUsage(idle, { usageCoreNanoSeconds: 2e6, workingSetBytes: 1024 });
    await collector.sample();
    view = collector.view(pods);
    expect(view?.pods[0].containers.map((c) => [c.name, c.cpu?.usageNanoCores])).toEqual([['busy', 1_000_000_000], ['idle', 100_000]]);
    expect(view?.pods[0].cpu).toMatchObject({ usageNanoCores: 1_000_100_000, usageCoreNanoSeconds: 11e9 + 2e6 });
    expect(view?.node.cpu?.usageNanoCores).toBe(1_500_000_000);
    expect(view?.node.memory?.workingSetBytes).toBe(5e9);
  });

  it('answers the writable layer bytes of a running container from the last sample', async () => {
    const clock = manualClock();
    const stats: RuntimeContainerStats[] = [
      { id: 'c1', name: 'app', podUid: 'uid-1', podName: 'p', podNamespace: 'default', createdAtMs: 0, sandboxCreatedAtMs: 0, rootfsUsedBytes: 31502336 },
      { id: 'c2', name: 'side', podUid: 'uid-1', podName: 'p', podNamespace: 'default', createdAtMs: 0, sandboxCreatedAtMs: 0 },
    ];
    const collector = new StatsCollector({ runtime: { containerStats: async () => stats }, node: { read: async () => ({}) }, nodeName: 'n', nodeStartMs: clock.now(), log });
    expect(collector.writableLayerBytes('uid-1', 'app')).toBeUndefined();
    await collector.sample();
    expect(collector.writableLayerBytes('uid-1', 'app')).toBe(31502336);
    expect(collector.writableLayerBytes('uid-1', 'side')).toBeUndefined();
    expect(collector.writableLayerBytes('uid-2', 'app')).toBeUndefined();
  });

  it('drops containers that stopped, and pods the kubelet does not run are not shown', async () => {
    const clock = manualClock();
    const runtime = new FakeRuntime(clock);
    const [a] = await runningPod(runtime, 'uid-1', 'p', ['a']);
    await runningPod(runtime, 'uid-2', 'other', ['x']);
    const collector = new StatsCollector({ runtime, node: { read: async () => ({}) }, nodeName: 'n', nodeStartMs: 0, log });
    await collector.sample();
    expect(collector.trackedContainers).toBe(2);
    expect(collector.view([{ uid: 'uid-1', name: 'p', namespace: 'default' }])?.pods.map((p) => p.ref.name)).toEqual(['p']);
    await runtime.stopContainer(a);
    await collector.sample();
    expect(collector.trackedContainers).toBe(1);
    expect(collector.view([{ uid: 'uid-1', name: 'p', namespace: 'default' }])?.pods).toEqual([]);
  });

  it('a failing runtime makes the view unavailable until a sample succeeds; a failing node read keeps the last node figures', async () => {
    let fail = true;
    const stats: RuntimeContainerStats[] = [];
    const runtime = { containerStats: async () => (fail ? Promise.reject(new Error('containerd down')) : stats) };
    let nodeFails = false;
    const node = { read: async (): Promise<NodeReading> => (nodeFails ? Promise.reject(new Error('no /proc')) : { memory: { atMs: 1, workingSetBytes: 1 } }) };
    const collector = new StatsCollector({ runtime, node, nodeName: 'n', nodeStartMs: 0, log });
    await collector.sample();
    expect(collector.view([])).toBeUndefined();
    fail = false;
    await collector.sample();
    expect(collector.view([])?.node.memory?.workingSetBytes).toBe(1);
    nodeFails = true;
    await collector.sample();
    expect(collector.view([])?.node.memory?.workingSetBytes).toBe(1);
  });
});
