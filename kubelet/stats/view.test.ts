import { describe, expect, it } from 'vitest';
import { SummarySchema } from '../../pkg/api/stats/v1alpha1/summary.ts';
import type { RuntimeContainerStats } from '../runtime/types.ts';
import type { CpuState } from './rate.ts';
import { buildStatsView, toSummary, type ContainerEntry } from './view.ts';

const T = Date.parse('2026-12-06T08:30:10.250Z');
const POD_A = { uid: 'uid-a', name: 'web', namespace: 'default' };
const POD_B = { uid: 'uid-b', name: 'db', namespace: 'apps' };

function entry(pod: { uid: string; name: string; namespace: string }, name: string, cpu: CpuState | undefined, workingSetBytes?: number, extra: Partial<RuntimeContainerStats> = {}): ContainerEntry {
  return {
    stats: {
      id: `${pod.uid}-${name}`,
      name,
      podUid: pod.uid,
      podName: pod.name,
      podNamespace: pod.namespace,
      createdAtMs: T - 60_000,
      sandboxCreatedAtMs: T - 61_000,
      ...(cpu ? { cpu: cpu.sample } : {}),
      ...(workingSetBytes !== undefined ? { memory: { atMs: T, workingSetBytes, usageBytes: workingSetBytes * 2 } } : {}),
      ...extra,
    },
    ...(cpu ? { cpu } : {}),
  };
}

const rated = (usageCoreNanoSeconds: number, usageNanoCores?: number): CpuState => ({ sample: { atMs: T, usageCoreNanoSeconds }, ...(usageNanoCores !== undefined ? { usageNanoCores } : {}) });

const node = { cpu: rated(5e12, 1_500_000_000), memory: { atMs: T, workingSetBytes: 4e9, availableBytes: 2e10, usageBytes: 5e9, rssBytes: 1e9, pageFaults: 10, majorPageFaults: 1 } };

describe('buildStatsView + toSummary', () => {
  it('node, pods sorted by namespace/name, containers by name, pod totals summed', () => {
    const summary = toSummary(buildStatsView({
      nodeName: 'node-a',
      nodeStartMs: Date.parse('2026-12-01T00:00:00Z'),
      node,
      containers: [entry(POD_A, 'sidecar', rated(1e9, 1_000_000), 1000), entry(POD_A, 'app', rated(3e9, 900_000_000), 5000), entry(POD_B, 'db', rated(7e9, 0), 70)],
      pods: [POD_A, POD_B],
    }));
    expect(SummarySchema.parse(summary)).toEqual(summary);
    expect(summary).toEqual({
      node: {
        nodeName: 'node-a',
        startTime: '2026-12-01T00:00:00Z',
        cpu: { time: '2026-12-06T08:30:10Z', usageNanoCores: 1_500_000_000, usageCoreNanoSeconds: 5e12 },
        memory: { time: '2026-12-06T08:30:10Z', availableBytes: 2e10, usageBytes: 5e9, workingSetBytes: 4e9, rssBytes: 1e9, pageFaults: 10, majorPageFaults: 1 },
      },
      pods: [
        {
          podRef: { name: 'db', namespace: 'apps', uid: 'uid-b' },
          startTime: '2026-12-06T08:29:09Z',
          containers: [{ name: 'db', startTime: '2026-12-06T08:29:10Z', cpu: { time: '2026-12-06T08:30:10Z', usageNanoCores: 0, usageCoreNanoSeconds: 7e9 }, memory: { time: '2026-12-06T08:30:10Z', usageBytes: 140, workingSetBytes: 70 } }],
          cpu: { time: '2026-12-06T08:30:10Z', usageNanoCores: 0, usageCoreNanoSeconds: 7e9 },
          memory: { time: '2026-12-06T08:30:10Z', usageBytes: 140, workingSetBytes: 70 },
        },
        {
          podRef: { name: 'web', namespace: 'default', uid: 'uid-a' },
          startTime: '2026-12-06T08:29:09Z',
          containers: [
            { name: 'app', startTime: '2026-12-06T08:29:10Z', cpu: { time: '2026-12-06T08:30:10Z', usageNanoCores: 900_000_000, usageCoreNanoSeconds: 3e9 }, memory: { time: '2026-12-06T08:30:10Z', usageBytes: 10000, workingSetBytes: 5000 } },
            { name: 'sidecar', startTime: '2026-12-06T08:29:10Z', cpu: { time: '2026-12-06T08:30:10Z', usageNanoCores: 1_000_000, usageCoreNanoSeconds: 1e9 }, memory: { time: '2026-12-06T08:30:10Z', usageBytes: 2000, workingSetBytes: 1000 } },
          ],
          cpu: { time: '2026-12-06T08:30:10Z', usageNanoCores: 901_000_000, usageCoreNanoSeconds: 4e9 },
          memory: { time: '2026-12-06T08:30:10Z', usageBytes: 12000, workingSetBytes: 6000 },
        },
      ],
    });
  });

  it('a container sampled once: no usageNanoCores for it or its pod, but memory and cumulative CPU', () => {
    const { pods } = toSummary(buildStatsView({ nodeName: 'n', nodeStartMs: 0, node: {}, containers: [entry(POD_A, 'app', rated(3e9, 5)), entry(POD_A, 'new', rated(1e6), 10)], pods: [POD_A] }));
    expect(pods[0].containers.map((c) => c.cpu)).toEqual([
      { time: '2026-12-06T08:30:10Z', usageNanoCores: 5, usageCoreNanoSeconds: 3e9 },
      { time: '2026-12-06T08:30:10Z', usageCoreNanoSeconds: 1e6 },
    ]);
    expect(pods[0].cpu).toEqual({ time: '2026-12-06T08:30:10Z', usageCoreNanoSeconds: 3e9 + 1e6 });
    // One container has no memory figures: the pod shows no partial memory total.
    expect(pods[0].containers[1].memory).toEqual({ time: '2026-12-06T08:30:10Z', usageBytes: 20, workingSetBytes: 10 });
    expect(pods[0].memory).toBeUndefined();
  });

  it('only pods the kubelet runs; node without readings keeps its name and start time', () => {
    const summary = toSummary(buildStatsView({ nodeName: 'n', nodeStartMs: Date.parse('2026-12-01T00:00:00.900Z'), node: {}, containers: [entry(POD_A, 'app', rated(1, 1), 1), entry(POD_B, 'db', rated(1, 1), 1)], pods: [POD_B, { uid: 'uid-none', name: 'pending', namespace: 'default' }] }));
    expect(summary.node).toEqual({ nodeName: 'n', startTime: '2026-12-01T00:00:00Z' });
    expect(summary.pods.map((p) => p.podRef.uid)).toEqual(['uid-b']);
  });

  it('the pod name and namespace come from the kubelet\'s pod, not the runtime labels', () => {
    const { pods } = toSummary(buildStatsView({ nodeName: 'n', nodeStartMs: 0, node: {}, containers: [entry({ ...POD_A, name: 'stale' }, 'app', rated(1), 1)], pods: [POD_A] }));
    expect(pods[0].podRef).toEqual({ name: 'web', namespace: 'default', uid: 'uid-a' });
  });
});
