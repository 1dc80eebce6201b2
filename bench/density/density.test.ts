import { describe, expect, it } from 'vitest';
import type { DensityResult } from '../lib/results.ts';
import { splitNodes } from './cluster.ts';
import { PodTracker } from './pod-tracker.ts';
import { cpuProjection, densityRows } from './rows.ts';
import { createWithRetries, deploymentSizes, densityDeployment } from './run.ts';

describe('splitNodes', () => {
  it.each([
    [1000, 4, [250, 250, 250, 250]],
    [10, 3, [4, 3, 3]],
    [2, 4, [1, 1]],
    [5, 0, [5]],
  ])('%d nodes over %d processes', (nodes, processes, split) => expect(splitNodes(nodes, processes)).toEqual(split));
});

describe('deploymentSizes', () => {
  it.each([
    [250, 100, [100, 100, 50]],
    [100, 100, [100]],
    [0, 100, []],
  ])('%d pods, at most %d per Deployment', (pods, per, sizes) => expect(deploymentSizes(pods, per)).toEqual(sizes));

  it('builds Deployments whose selector matches their template', () => {
    const d = densityDeployment('density-1', 30);
    expect(d.spec?.replicas).toBe(30);
    expect(d.spec?.template?.metadata?.labels).toEqual(d.spec?.selector?.matchLabels);
  });
});

describe('PodTracker', () => {
  const pod = (uid: string, phase: string, namespace = 'density') => ({ metadata: { uid, namespace }, status: { phase } });

  it('measures creation → Running from the start mark to the last Running pod', () => {
    const t = new PodTracker(new Set(['density']));
    t.started(1000);
    t.observe(pod('a', 'Pending'), 1100);
    t.observe(pod('b', 'Pending'), 1200);
    t.observe(pod('x', 'Running', 'other'), 1300);
    t.observe(pod('a', 'Running'), 1600);
    t.observe(pod('a', 'Running'), 2500); // seen again: first time counts
    t.observe(pod('b', 'Running'), 3000);
    expect(t.counts()).toEqual({ created: 2, running: 2 });
    expect(t.seconds()).toBe(2);
    expect(t.podsPerSecond()).toBe(1);
    expect(t.latenciesMs()).toEqual([500, 1800]);
  });

  it('is 0 pods/s before any pod runs', () => {
    const t = new PodTracker();
    t.observe(pod('a', 'Pending'), 5);
    expect(t.podsPerSecond()).toBe(0);
  });
});

describe('densityRows', () => {
  const result = { nodes: 1000, pods: 30_000, podsRunning: 30_000, podsPerSecond: 150, apiLatencyMs: { POST: { p50: 10, p99: 800 }, PATCH: { p50: 5, p99: 1200 }, LIST: { p50: 100, p99: 2000 } }, apiserverBytesPerPod: 20_480 } as unknown as DensityResult;

  it('puts each figure beside its target', () => {
    const rows = densityRows(result);
    expect(rows.map((r) => [r.value, r.baseline])).toEqual([
      [150, 300],
      [1200, 1000], // the worst mutating verb
      [2000, 30_000],
      [20, 40],
    ]);
  });
});

describe('cpuProjection', () => {
  it('is bounded by the busiest process and by all cores together', () => {
    // apiserver 2 ms/pod → 500 pods/s alone; total 2+1+1 = 4 ms/pod on 2 cores → 500 pods/s.
    expect(cpuProjection({ apiserver: 20, etcd: 10, kubelet: 10 }, 10_000, 2)).toEqual({ cpuMsPerPod: { apiserver: 2, etcd: 1, kubelet: 1 }, projectedPodsPerSecond: 500 });
    // One core: the sum (4 ms) bounds it at 250 pods/s.
    expect(cpuProjection({ apiserver: 20, etcd: 10, kubelet: 10 }, 10_000, 1).projectedPodsPerSecond).toBe(250);
  });
  it('is 0 without Running pods', () => expect(cpuProjection({ a: 1 }, 0, 2).projectedPodsPerSecond).toBe(0));
});

describe('createWithRetries', () => {
  const failing = (codes: Array<number | undefined>) => {
    let calls = 0;
    const create = async () => {
      const code = codes[calls++];
      if (code !== undefined) throw Object.assign(new Error(`code ${code}`), { code });
    };
    return { create, calls: () => calls };
  };

  it('retries timeouts and overload, and takes AlreadyExists after a retry as done', async () => {
    const f = failing([504, 429, 409]);
    await createWithRetries(f.create);
    expect(f.calls()).toBe(3);
  });

  it('passes on AlreadyExists from a first attempt, other errors, and the last failure', async () => {
    await expect(createWithRetries(failing([409]).create)).rejects.toMatchObject({ code: 409 });
    await expect(createWithRetries(failing([422]).create)).rejects.toMatchObject({ code: 422 });
    const f = failing([504, 504, 504]);
    await expect(createWithRetries(f.create, 3)).rejects.toMatchObject({ code: 504 });
    expect(f.calls()).toBe(3);
  });
});
