/**
 * The replica count one metric asks for (upstream replica_calculator.go), from the pods the
 * scale selects and the samples a metrics API returned. Pure: no I/O, the clock is an input.
 *
 * The usage ratio is current / target. Within the tolerance (default 10 % either way) the count
 * stays. Without unready or missing pods the count is ceil(ratio × ready pods). Otherwise the
 * ratio is computed again, assuming missing pods use 100 % of their request (or the target when
 * it is higher) on a scale-down and 0 % on a scale-up, and unready pods 0 % on a scale-up; the
 * count only changes when that second ratio leaves the tolerance and keeps the direction.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { CalcError } from './calc-error.ts';
import { groupPods, podRequests, type PodMetrics, type ReadinessOptions } from './pod-groups.ts';

/** The dead band around a ratio of 1: no change while `1 - scaleDown <= ratio <= 1 + scaleUp`. */
export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

export function withinTolerance(t: Tolerances, ratio: number): boolean {
  return 1 - t.scaleDown <= ratio && ratio <= 1 + t.scaleUp;
}

/** Upstream `GetResourceUtilizationRatio`: integer percent of the summed requests, and the average raw usage. */
export function utilizationRatio(metrics: PodMetrics, requests: ReadonlyMap<string, number>, targetUtilization: number): { ratio: number; utilization: number; rawAverage: number } {
  let used = 0;
  let requested = 0;
  let entries = 0;
  for (const [pod, metric] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue;
    used += metric.value;
    requested += request;
    entries++;
  }
  if (requested === 0) throw new CalcError('NoMatchingMetrics', 'no metrics returned matched known pods');
  const utilization = Math.trunc((used * 100) / requested);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(used / entries) };
}

/** Upstream `GetMetricUsageRatio`: the integer average usage over the samples, against the target. */
export function usageRatio(metrics: PodMetrics, targetUsage: number): { ratio: number; usage: number } {
  let total = 0;
  for (const metric of metrics.values()) total += metric.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}

type ReadPod = DeepReadonly<Pod>;

/** Inputs shared by the per-pod calculations. */
export interface PodCalcInput {
  currentReplicas: number;
  tolerances: Tolerances;
  pods: readonly ReadPod[];
  /** Samples by pod name (not modified). */
  metrics: PodMetrics;
  readiness: ReadinessOptions;
}

/**
 * The shared second pass: with `fill(pod, scaleDown)` giving a missing pod's assumed value,
 * recompute the ratio and keep the current count unless it moves clearly in the same direction.
 */
function rebalance(
  input: PodCalcInput,
  first: { ratio: number; readyCount: number; unready: Set<string>; missing: Set<string> },
  metrics: PodMetrics,
  fillMissing: (pod: string) => number,
  ratioOf: (m: PodMetrics) => number,
): number {
  const { currentReplicas, tolerances } = input;
  const scaleUpWithUnready = first.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && first.missing.size === 0) {
    return withinTolerance(tolerances, first.ratio) ? currentReplicas : Math.ceil(first.ratio * first.readyCount);
  }
  if (first.missing.size > 0 && first.ratio !== 1) {
    for (const pod of first.missing) metrics.set(pod, { value: first.ratio < 1 ? fillMissing(pod) : 0, timestampMs: 0, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const pod of first.unready) metrics.set(pod, { value: 0, timestampMs: 0, windowMs: 0 });
  const next = ratioOf(metrics);
  if (withinTolerance(tolerances, next) || (first.ratio < 1 && next > 1) || (first.ratio > 1 && next < 1)) return currentReplicas;
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return currentReplicas;
  return replicas;
}

/** Keeps only the samples of pods that count (drops ignored and unready ones); fails when none is left. */
function countedMetrics(input: PodCalcInput, resource: string) {
  if (input.pods.length === 0) throw new CalcError('NoPods', 'no pods returned by selector while calculating replica count');
  const groups = groupPods(input.pods, input.metrics, resource, input.readiness);
  const metrics: PodMetrics = new Map([...input.metrics].filter(([pod]) => !groups.ignored.has(pod) && !groups.unready.has(pod)));
  if (metrics.size === 0) throw new CalcError('NoReadyMetrics', 'did not receive metrics for targeted pods (pods might be unready)');
  return { groups, metrics };
}

/** A `Utilization` target (percent of request) of a resource, optionally of one container. */
export function resourceReplicas(input: PodCalcInput & { targetUtilization: number; resource: string; container?: string }): { replicas: number; utilization: number; rawAverage: number } {
  const { groups, metrics } = countedMetrics(input, input.resource);
  const requests = podRequests(input.pods, input.resource, input.container ?? '');
  const first = utilizationRatio(metrics, requests, input.targetUtilization);
  const fallbackPercent = Math.max(100, input.targetUtilization);
  const replicas = rebalance(
    input,
    { ratio: first.ratio, readyCount: groups.readyCount, unready: groups.unready, missing: groups.missing },
    metrics,
    (pod) => Math.trunc(((requests.get(pod) ?? 0) * fallbackPercent) / 100),
    (m) => utilizationRatio(m, requests, input.targetUtilization).ratio,
  );
  return { replicas, utilization: first.utilization, rawAverage: first.rawAverage };
}

/**
 * An `AverageValue` target per pod (a resource's raw usage, or a pods metric when `resource`
 * is empty): missing pods are assumed to use exactly the target on a scale-down.
 */
export function plainMetricReplicas(input: PodCalcInput & { targetUsage: number; resource?: string }): { replicas: number; usage: number } {
  const { groups, metrics } = countedMetrics(input, input.resource ?? '');
  const first = usageRatio(metrics, input.targetUsage);
  const replicas = rebalance(
    input,
    { ratio: first.ratio, readyCount: groups.readyCount, unready: groups.unready, missing: groups.missing },
    metrics,
    () => input.targetUsage,
    (m) => usageRatio(m, input.targetUsage).ratio,
  );
  return { replicas, usage: first.usage };
}
