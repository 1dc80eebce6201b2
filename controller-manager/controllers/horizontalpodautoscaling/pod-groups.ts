/**
 * Which of the selected pods count for a metric (upstream replica_calculator.go `groupPods`)
 * and what each requests of a resource (`calculatePodRequestsFromContainers`). Pure: the clock
 * is an argument.
 *
 * - Deleted pods and Failed pods are ignored.
 * - Pending pods are unready.
 * - Pods without a metric are missing.
 * - For cpu only, a pod is unready when it has no Ready condition or start time; within the cpu
 *   initialization period (default 5 minutes) when it is not Ready or its sample was taken less
 *   than one metric window after the last readiness transition; after it, when it is not Ready
 *   and has never been Ready (its last transition came within the initial readiness delay,
 *   default 30 s, of its start).
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { parseQuantity } from '../../../pkg/api/quantity.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { CalcError } from './calc-error.ts';

/** One pod's sample from a metrics API, in milli-units. */
export interface PodMetric {
  readonly value: number;
  /** When the sample was taken (ms since the epoch). */
  readonly timestampMs: number;
  /** The sampling window (ms). */
  readonly windowMs: number;
}

/** Samples by pod name. */
export type PodMetrics = Map<string, PodMetric>;

/** Timing knobs of pod grouping (the controller-manager flags). */
export interface ReadinessOptions {
  nowMs: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period` (default 5 m). */
  cpuInitializationPeriodMs: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay` (default 30 s). */
  initialReadinessDelayMs: number;
}

/** The outcome of {@link groupPods}. */
export interface PodGroups {
  readyCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

type ReadPod = DeepReadonly<Pod>;

/** `time.Time{}` (0001-01-01T00:00:00Z), what an unset metav1.Time reads as. */
const GO_ZERO_TIME_MS = -62_135_596_800_000;

function timeMs(text: string | undefined | null): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether a cpu sample of this pod must be left out as unready (see the file comment). */
function cpuUnready(pod: ReadPod, metric: PodMetric, options: ReadinessOptions): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const startMs = timeMs(pod.status?.startTime);
  if (!ready || startMs === undefined) return true;
  // A condition without a transition time counts as transitioned at Go's zero time.
  const transitionMs = timeMs(ready.lastTransitionTime) ?? GO_ZERO_TIME_MS;
  if (startMs + options.cpuInitializationPeriodMs > options.nowMs) {
    return ready.status === 'False' || metric.timestampMs < transitionMs + metric.windowMs;
  }
  return ready.status === 'False' && startMs + options.initialReadinessDelayMs > transitionMs;
}

/** Sorts the pods into ready (counted), unready, missing-metric and ignored. */
export function groupPods(pods: readonly ReadPod[], metrics: PodMetrics, resource: string, options: ReadinessOptions): PodGroups {
  const groups: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      groups.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      groups.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      groups.missing.add(name);
      continue;
    }
    if (resource === 'cpu' && cpuUnready(pod, metric, options)) {
      groups.unready.add(name);
      continue;
    }
    groups.readyCount++;
  }
  return groups;
}

/**
 * Each pod's request of `resource` in milli-units: the sum over its containers and restartable
 * (sidecar) init containers, or only over those named `container` when given (a pod without
 * it requests 0, as upstream 1.33). A counted container without that request is an error.
 */
export function podRequests(pods: readonly ReadPod[], resource: string, container = ''): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const containers = [
      ...(pod.spec?.containers ?? []),
      ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
    ];
    let sum = 0;
    for (const c of containers) {
      if (container && c.name !== container) continue;
      const text = (c.resources?.requests as Readonly<Record<string, string | number>> | undefined)?.[resource];
      const quantity = text === undefined ? undefined : parseQuantity(text);
      if (!quantity) throw new CalcError('MissingRequest', `missing request for ${resource} in container ${c.name} of Pod ${name}`);
      sum += quantity.milli;
    }
    requests.set(name, sum);
  }
  return requests;
}
