import { describe, expect, it } from 'vitest';
import { cpuQuantity, memoryQuantity, metaTime, nodeMetricsFrom, podMetricsFrom, podStatsIndex, statsFor } from './convert.ts';
import { SummarySchema } from '../../pkg/api/stats/v1alpha1/summary.ts';
import { summaryOf } from './testing/fake-kubelet.ts';

const options = { now: new Date('2026-12-06T08:00:07.250Z'), windowMs: 10_000 };

describe('quantities as metrics-server prints them', () => {
  it.each([
    [123456789, '123456789n'],
    [250_000_000, '250m'],
    [1_000_000_000, '1'],
    [1_500_000_000, '1500m'],
    [2_000_001, '2000001n'],
    [3000, '3u'],
    [0, '0'],
    [12.6, '13n'],
  ])('cpu %d nanocores → %s', (nano, text) => expect(cpuQuantity(nano)).toBe(text));

  it.each([
    [12 * 1024 * 1024, '12Mi'],
    [5 * 1024 * 1024 + 4096, '5124Ki'],
    [2 * 1024 ** 3, '2Gi'],
    [12_345_678, '12345678'],
    [1000, '1k'], // below 1024 a BinarySI quantity prints as DecimalSI
    [0, '0'],
  ])('working set %d bytes → %s', (bytes, text) => expect(memoryQuantity(bytes)).toBe(text));

  it.each([
    ['2026-12-06T08:00:00.123456789Z', '2026-12-06T08:00:00Z'],
    ['2026-12-06T09:00:05+01:00', '2026-12-06T08:00:05Z'],
    ['garbage', undefined],
    [undefined, undefined],
  ])('sample time %s → %s', (text, out) => expect(metaTime(text)).toBe(out));
});

describe('summary → NodeMetrics', () => {
  it('reports the node CPU rate and working set at the sample time, with the node labels', () => {
    const summary = SummarySchema.parse(summaryOf({ node: 'n1', cpu: 250_000_000, memory: 512 * 1024 * 1024 }));
    expect(nodeMetricsFrom({ name: 'n1', labels: { zone: 'a' } }, summary, options)).toEqual({
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'n1', creationTimestamp: '2026-12-06T08:00:07Z', labels: { zone: 'a' } },
      timestamp: '2026-12-06T08:00:00Z',
      window: '10s',
      usage: { cpu: '250m', memory: '512Mi' },
    });
  });

  it.each([
    ['no CPU rate', { node: 'n1', memory: 1024 }],
    ['no working set', { node: 'n1', cpu: 1 }],
  ])('has no metrics with %s', (_what, input) => {
    expect(nodeMetricsFrom({ name: 'n1' }, SummarySchema.parse(summaryOf(input)), options)).toBeUndefined();
  });
});

describe('summary → PodMetrics', () => {
  const summary = SummarySchema.parse(
    summaryOf({
      node: 'n1',
      cpu: 1,
      memory: 1,
      pods: [
        { name: 'web', containers: [{ name: 'nginx', cpu: 1_234_567, memory: 12 * 1024 * 1024 }, { name: 'sidecar', cpu: 5_000_000, memory: 3 * 1024 * 1024 + 8192 }] },
        { name: 'starting', containers: [{ name: 'a', cpu: 1, memory: 4096 }, { name: 'b' }] },
        { name: 'empty', containers: [] },
        { name: 'other-ns', namespace: 'kube-system', containers: [{ name: 'c', cpu: 1, memory: 4096 }] },
      ],
    }),
  );
  const index = podStatsIndex(summary);

  it('reports every container, stamped with the sample time and the pod labels', () => {
    const pod = { name: 'web', namespace: 'default', uid: 'uid-web', labels: { app: 'web' } };
    expect(podMetricsFrom(pod, statsFor(pod, index)!, options)).toEqual({
      kind: 'PodMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-12-06T08:00:07Z', labels: { app: 'web' } },
      timestamp: '2026-12-06T08:00:00Z',
      window: '10s',
      containers: [
        { name: 'nginx', usage: { cpu: '1234567n', memory: '12Mi' } },
        { name: 'sidecar', usage: { cpu: '5m', memory: '3080Ki' } },
      ],
    });
  });

  it('leaves out a pod until every container has usage, and a pod without containers', () => {
    expect(podMetricsFrom({ name: 'starting', namespace: 'default' }, statsFor({ name: 'starting', namespace: 'default' }, index)!, options)).toBeUndefined();
    expect(podMetricsFrom({ name: 'empty', namespace: 'default' }, statsFor({ name: 'empty', namespace: 'default' }, index)!, options)).toBeUndefined();
  });

  it('finds stats by namespace and name, not for another namespace or an older pod of the same name', () => {
    expect(statsFor({ name: 'other-ns', namespace: 'kube-system' }, index)?.podRef.name).toBe('other-ns');
    expect(statsFor({ name: 'other-ns', namespace: 'default' }, index)).toBeUndefined();
    expect(statsFor({ name: 'web', namespace: 'default', uid: 'uid-new' }, index)).toBeUndefined();
    expect(statsFor({ name: 'web', namespace: 'default' }, index)?.podRef.name).toBe('web');
  });

  it('stamps a pod with its earliest container sample', () => {
    const raw = summaryOf({ node: 'n1', pods: [{ name: 'p', containers: [{ name: 'a', cpu: 1, memory: 1 }, { name: 'b', cpu: 1, memory: 1 }] }] }) as { pods: Array<{ containers: Array<{ cpu: { time: string } }> }> };
    raw.pods[0].containers[1].cpu.time = '2026-12-06T07:59:50Z';
    const stats = SummarySchema.parse(raw).pods[0];
    expect(podMetricsFrom({ name: 'p', namespace: 'default' }, stats, options)?.timestamp).toBe('2026-12-06T07:59:50Z');
  });
});

describe('the summary at the boundary (the kubelet\'s schema, pkg/api/stats/v1alpha1)', () => {
  it('accepts what the fake kubelet serves and drops unknown fields', () => {
    const raw = summaryOf({ node: 'n1', cpu: 1, memory: 1, pods: [{ name: 'p', containers: [{ name: 'c', cpu: 1, memory: 1 }] }] }) as { node: Record<string, unknown> };
    raw.node.fs = { capacityBytes: 1 };
    const parsed = SummarySchema.parse(raw);
    expect(parsed.node).not.toHaveProperty('fs');
    expect(parsed.pods[0]?.containers[0]?.cpu?.usageNanoCores).toBe(1);
  });

  it.each([
    ['no node', { pods: [] }],
    ['no pods', { node: { nodeName: 'n1', startTime: '2026-12-06T07:00:00Z' } }],
    ['a negative rate', { node: { nodeName: 'n1', startTime: '2026-12-06T07:00:00Z', cpu: { time: '2026-12-06T08:00:00Z', usageNanoCores: -1 } }, pods: [] }],
    ['a string rate', { node: { nodeName: 'n1', startTime: '2026-12-06T07:00:00Z', cpu: { time: '2026-12-06T08:00:00Z', usageNanoCores: '5' } }, pods: [] }],
    ['a pod without podRef', { node: { nodeName: 'n1', startTime: '2026-12-06T07:00:00Z' }, pods: [{ startTime: '2026-12-06T07:00:00Z', containers: [] }] }],
  ])('rejects %s', (_what, body) => expect(SummarySchema.safeParse(body).success).toBe(false));
});
