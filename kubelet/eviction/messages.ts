/**
 * The words of eviction (upstream `evictionMessage` and the admission rejection): the pod
 * status message and event of an evicted pod, and the message of a pod the kubelet refuses
 * under pressure. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { formatQuantity, integerQuantity, parseQuantity } from '../../pkg/api/quantity.ts';
import type { PodUsage } from './rank.ts';
import { SIGNAL_RESOURCE, type Observations, type PressureCondition, type ReclaimResource } from './signals.ts';
import { formatObserved, formatThresholdAmount, type Threshold } from './thresholds.ts';

/** The pod status `reason` of an evicted or rejected pod. */
export const EVICTED_REASON = 'Evicted';

/** A container's request of `resource` as upstream prints it (`0` when none). */
function containerRequest(pod: Pod, name: string, resource: ReclaimResource): string {
  const c = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === name);
  const value = (c?.resources?.requests as Record<string, string | number> | undefined)?.[resource];
  const q = value === undefined ? undefined : parseQuantity(value);
  return q ? formatQuantity(q.nano, q.format) : '0';
}

/** Inputs of {@link evictionMessage}. */
export interface EvictionMessageInput {
  resource: ReclaimResource;
  pod: Pod;
  usage: PodUsage | undefined;
  /** The thresholds acted on this round (the first one of `resource` with an observation is quoted). */
  thresholds: readonly Threshold[];
  observations: Observations;
}

/**
 * `The node was low on resource: memory. Threshold quantity: 100Mi, available: 42Mi. Container x
 * was using 1234Ki, request is 0, has larger consumption of memory. ` — every container using more
 * than its request is named (memory only: k8ts measures no per-container disk usage).
 */
export function evictionMessage(input: EvictionMessageInput): string {
  const { resource, pod, usage } = input;
  let message = `The node was low on resource: ${resource}. `;
  for (const t of input.thresholds) {
    if (SIGNAL_RESOURCE[t.signal] !== resource) continue;
    const o = input.observations[t.signal];
    if (!o) continue;
    message += `Threshold quantity: ${formatThresholdAmount(t.value, o.capacity)}, available: ${formatObserved(o)}. `;
    break;
  }
  if (!usage || resource !== 'memory') return message;
  const specNames = new Set([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name));
  for (const c of usage.containers ?? []) {
    if (!specNames.has(c.name) || c.memoryBytes === undefined) continue;
    const request = containerRequest(pod, c.name, resource);
    if (c.memoryBytes > (parseQuantity(request)?.value ?? 0)) message += `Container ${c.name} was using ${integerQuantity(Math.trunc(c.memoryBytes), 'BinarySI')}, request is ${request}, has larger consumption of ${resource}. `;
  }
  return message;
}

/** The admission rejection's message (upstream `nodeConditionMessageFmt`): `The node had condition: [MemoryPressure]. `. */
export function admissionMessage(conditions: readonly PressureCondition[]): string {
  return `The node had condition: [${conditions.join(' ')}]. `;
}

/** The status message of a pod the kubelet rejected (upstream `rejectPod` prefixes it). */
export function rejectedStatusMessage(message: string): string {
  return `Pod was rejected: ${message}`;
}

/** The node event when eviction starts reclaiming (upstream `EvictionThresholdMet`). */
export function thresholdMetEvent(resource: ReclaimResource): { reason: string; message: string } {
  return { reason: 'EvictionThresholdMet', message: `Attempting to reclaim ${resource}` };
}
