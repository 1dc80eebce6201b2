/**
 * The pure replica calculation, on the scenarios of upstream's replica_calculator_test.go: pods
 * of two containers each requesting `request` millicores, each container using `level`, started
 * long ago and Ready unless said otherwise; the upstream testing timings (cpu initialization
 * period 2 minutes, initial readiness delay 10 s).
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { CalcError } from './calc-error.ts';
import { groupPods, podRequests, type PodMetrics } from './pod-groups.ts';
import { plainMetricReplicas, resourceReplicas, withinTolerance } from './replica-calculator.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const readiness = { nowMs: NOW, cpuInitializationPeriodMs: 120_000, initialReadinessDelayMs: 10_000 };
const TOL = { scaleDown: 0.1, scaleUp: 0.1 };

interface Scenario {
  current: number;
  /** Per-container cpu request (millicores) of pod i; absent = no request. */
  requests: number[];
  /** Per-container usage of pod i (pods past the end have no metrics). */
  levels: number[];
  ready?: Array<'True' | 'False'>;
  phase?: Array<'Running' | 'Pending' | 'Failed'>;
  deleted?: boolean[];
  /** Start `hot` (now, inside the initialization period, Ready since start) or long ago. */
  hot?: boolean[];
  /** Names of the pods the metrics belong to (default the pods' own). */
  metricPods?: string[];
}

function build(s: Scenario): { pods: Pod[]; metrics: PodMetrics } {
  const count = Math.max(s.current, s.phase?.length ?? 0);
  const pods: Pod[] = [];
  for (let i = 0; i < count; i++) {
    const hot = s.hot?.[i] ?? false;
    const start = hot ? NOW - 10_000 : NOW - 3_600_000;
    const requests = s.requests[i] === undefined ? undefined : { cpu: `${s.requests[i]}m` };
    pods.push({
      metadata: { name: `test-pod-${i}`, namespace: 'ns', ...(s.deleted?.[i] ? { deletionTimestamp: iso(NOW) } : {}) },
      spec: { containers: [0, 1].map((c) => ({ name: `c${c}`, image: 'x', resources: requests ? { requests } : {} })) },
      status: {
        phase: s.phase?.[i] ?? 'Running',
        startTime: iso(start),
        conditions: [{ type: 'Ready', status: s.ready?.[i] ?? 'True', ...(hot ? { lastTransitionTime: iso(start) } : {}) }],
      },
    } as Pod);
  }
  const metrics: PodMetrics = new Map(s.levels.map((level, i) => [s.metricPods?.[i] ?? `test-pod-${i}`, { value: 2 * level, timestampMs: NOW, windowMs: 60_000 }]));
  return { pods, metrics };
}

const ones = (n: number) => Array<number>(n).fill(1000);

describe('resourceReplicas (Utilization)', () => {
  it.each([
    ['scale up', { current: 3, requests: ones(3), levels: [300, 500, 700] }, 30, [5, 50, 1000]],
    ['scale up, an unready pod counts as 0 %', { current: 3, requests: ones(3), levels: [300, 500, 700], ready: ['False', 'True', 'True'] }, 30, [4, 60, 1200]],
    ['scale up, a hot pod whose sample predates a full window is unready', { current: 3, requests: ones(3), levels: [300, 500, 700], hot: [true, false, false] }, 30, [4, 60, 1200]],
    ['scale up held back by unready pods', { current: 3, requests: ones(3), levels: [400, 500, 700], ready: ['True', 'False', 'False'] }, 30, [3, 40, 800]],
    ['failed pods are ignored', { current: 2, requests: ones(4), levels: [500, 700], ready: ['True', 'True', 'False', 'False'], phase: ['Running', 'Running', 'Failed', 'Failed'] }, 30, [4, 60, 1200]],
    ['deleted pods are ignored', { current: 4, requests: ones(4), levels: [500, 700], ready: ['True', 'True', 'False', 'False'], deleted: [false, false, true, true] }, 30, [4, 60, 1200]],
    ['scale down', { current: 5, requests: ones(5), levels: [100, 300, 500, 250, 250] }, 50, [3, 28, 560]],
    ['scale down leaves never-ready pods out', { current: 5, requests: ones(5), levels: [100, 300, 500, 250, 250], ready: ['True', 'True', 'True', 'False', 'False'] }, 50, [2, 30, 600]],
    ['scale down leaves pending pods out', { current: 5, requests: ones(5), levels: [100], ready: ['True', 'False', 'False', 'False', 'False'], phase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'] }, 50, [1, 10, 200]],
    ['within tolerance', { current: 3, requests: [900, 1000, 1100], levels: [1010, 1030, 1020] }, 100, [3, 102, 2040]],
    ['samples of unknown pods are not counted', { current: 4, requests: ones(4), levels: [4000, 9500, 3000, 7000, 3200, 2000] }, 100, [24, 587, 11750]],
    ['missing pods count 100 % on a scale-down', { current: 4, requests: ones(4), levels: [400, 95] }, 100, [3, 24, 495]],
    ['missing pods: no change at the target', { current: 2, requests: ones(2), levels: [1000] }, 100, [2, 100, 2000]],
    ['missing pods count 0 % on a scale-up, back within tolerance', { current: 2, requests: ones(2), levels: [1900] }, 100, [2, 190, 3800]],
    ['missing pods: the count does not fall', { current: 2, requests: ones(2), levels: [600] }, 100, [2, 60, 1200]],
    ['missing and unready pods: direction would flip', { current: 3, requests: ones(3), levels: [100, 450], ready: ['False', 'True', 'True'] }, 50, [3, 45, 900]],
    ['missing and unready pods on a scale-up', { current: 3, requests: ones(3), levels: [100, 2000], ready: ['False', 'True', 'True'] }, 50, [4, 200, 4000]],
    ['missing and unready pods on a scale-down', { current: 4, requests: ones(4), levels: [100, 100, 100], ready: ['False', 'True', 'True', 'True'] }, 50, [3, 10, 200]],
    ['missing pods count the target when it is above 100 %', { current: 4, requests: ones(4), levels: [100, 100, 100] }, 200, [2, 10, 200]],
  ] as Array<[string, Scenario, number, [number, number, number]]>)('%s', (_name, scenario, target, [replicas, utilization, rawAverage]) => {
    const { pods, metrics } = build(scenario);
    const out = resourceReplicas({ currentReplicas: scenario.current, tolerances: TOL, pods, metrics, readiness, targetUtilization: target, resource: 'cpu' });
    expect(out).toEqual({ replicas, utilization, rawAverage });
  });

  it.each([
    ['a pod without a cpu request', { current: 1, requests: [], levels: [200] }, 'MissingRequest', 'missing request for cpu in container c0 of Pod test-pod-0'],
    ['samples only of unknown pods', { current: 1, requests: ones(1), levels: [100], metricPods: ['an-older-pod-name'] }, 'NoMatchingMetrics', 'no metrics returned matched known pods'],
    ['no pods', { current: 0, requests: [], levels: [100] }, 'NoPods', 'no pods returned by selector while calculating replica count'],
    ['only unready pods', { current: 2, requests: ones(2), levels: [100, 100], ready: ['False', 'False'] }, 'NoReadyMetrics', 'did not receive metrics for targeted pods (pods might be unready)'],
  ] as Array<[string, Scenario, string, string]>)('fails: %s', (_name, scenario, code, message) => {
    const { pods, metrics } = build(scenario);
    let caught: unknown;
    try {
      resourceReplicas({ currentReplicas: scenario.current, tolerances: TOL, pods, metrics, readiness, targetUtilization: 100, resource: 'cpu' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CalcError);
    expect(caught).toMatchObject({ code, message });
  });

  it('ContainerResource: only the named container\'s request counts', () => {
    const { pods, metrics } = build({ current: 2, requests: ones(2), levels: [500, 500] });
    // Metrics of container c0 alone: 500m of a 1000m request → 50 %.
    const c0: PodMetrics = new Map([...metrics].map(([name, m]) => [name, { ...m, value: m.value / 2 }]));
    expect(resourceReplicas({ currentReplicas: 2, tolerances: TOL, pods, metrics: c0, readiness, targetUtilization: 25, resource: 'cpu', container: 'c0' })).toEqual({ replicas: 4, utilization: 50, rawAverage: 500 });
  });

  it('per-direction tolerances', () => {
    expect(withinTolerance({ scaleDown: 0.1, scaleUp: 0 }, 1.05)).toBe(false);
    expect(withinTolerance({ scaleDown: 0.1, scaleUp: 0 }, 0.95)).toBe(true);
    const { pods, metrics } = build({ current: 3, requests: [900, 1000, 1100], levels: [1010, 1030, 1020] });
    expect(resourceReplicas({ currentReplicas: 3, tolerances: { scaleDown: 0.1, scaleUp: 0.01 }, pods, metrics, readiness, targetUtilization: 100, resource: 'cpu' }).replicas).toBe(4);
  });
});

describe('plainMetricReplicas (AverageValue, pods metrics)', () => {
  it.each([
    ['scale up', { current: 3, requests: [], levels: [10000, 5000, 15000] }, 15000, [4, 20000]],
    ['scale down', { current: 5, requests: [], levels: [6000, 6000, 6000, 6000, 6000] }, 20000, [3, 12000]],
    ['within tolerance', { current: 3, requests: [], levels: [10000, 10500, 10500] }, 20000, [3, 20666]],
    ['readiness does not matter outside cpu', { current: 3, requests: [], levels: [25000, 5000, 15000], ready: ['True', 'True', 'False'] }, 15000, [6, 30000]],
    ['missing pods count the target on a scale-down', { current: 4, requests: [], levels: [1000, 1000] }, 10000, [3, 2000]],
  ] as Array<[string, Scenario, number, [number, number]]>)('%s', (_name, scenario, target, [replicas, usage]) => {
    const { pods, metrics } = build(scenario);
    expect(plainMetricReplicas({ currentReplicas: scenario.current, tolerances: TOL, pods, metrics, readiness, targetUsage: target })).toEqual({ replicas, usage });
  });
});

describe('groupPods and podRequests', () => {
  it('a hot pod Ready for a full window counts; a cool never-ready pod does not', () => {
    const { pods } = build({ current: 2, requests: ones(2), levels: [], hot: [true, false], ready: ['True', 'False'] });
    const metrics: PodMetrics = new Map([
      ['test-pod-0', { value: 1, timestampMs: NOW, windowMs: 5_000 }],
      ['test-pod-1', { value: 1, timestampMs: NOW, windowMs: 5_000 }],
    ]);
    const groups = groupPods(pods, metrics, 'cpu', readiness);
    expect(groups).toEqual({ readyCount: 1, unready: new Set(['test-pod-1']), missing: new Set(), ignored: new Set() });
    expect(groupPods(pods, metrics, 'memory', readiness).readyCount).toBe(2);
  });

  it('sums containers and sidecar init containers', () => {
    const pod = {
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '200m' } } }],
        initContainers: [
          { name: 'sidecar', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '0.1' } } },
          { name: 'init', image: 'x' },
        ],
      },
    } as Pod;
    expect(podRequests([pod], 'cpu')).toEqual(new Map([['p', 300]]));
    expect(podRequests([pod], 'cpu', 'sidecar')).toEqual(new Map([['p', 100]]));
  });
});
