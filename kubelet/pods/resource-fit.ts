/**
 * Whether a pod fits the node beside the pods already on it (upstream `noderesources.Fits` as the
 * kubelet's admission runs it), pure: the pod count first, then CPU (millicores), memory and
 * ephemeral storage (bytes) — a resource the pod requests none of never fails.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { quantityToMilli } from '../../pkg/api/quantity.ts';
import { podRequests, type PodLike } from '../../pkg/quota/pod-usage.ts';
import type { ResourceList } from '../../pkg/quota/resource-list.ts';

/** The resource the node lacks, in upstream's units (pods, millicores, bytes). */
export interface InsufficientResource {
  name: 'pods' | 'cpu' | 'memory' | 'ephemeral-storage';
  requested: number;
  used: number;
  capacity: number;
}

/** The amount of `name` in `list`: millicores for CPU, whole units (rounded up) otherwise. */
export function amountOf(list: ResourceList, name: string): number {
  const milli = quantityToMilli(list[name] ?? 0);
  return name === 'cpu' ? milli : Math.ceil(milli / 1000);
}

/**
 * The first of `names` the node's `allocatable` lacks for `pod` beside `others` (their requests as
 * the node holds them); undefined when it fits.
 */
export function insufficientResource(pod: Pod, others: readonly PodLike[], allocatable: ResourceList, names: ReadonlyArray<InsufficientResource['name']> = ['pods', 'cpu', 'memory', 'ephemeral-storage']): InsufficientResource | undefined {
  const wanted = podRequests(pod as PodLike);
  const used = others.map((o) => podRequests(o));
  for (const name of names) {
    const capacity = amountOf(allocatable, name);
    if (name === 'pods') {
      if (others.length + 1 > capacity) return { name, requested: 1, used: others.length, capacity };
      continue;
    }
    const requested = amountOf(wanted, name);
    const inUse = used.reduce((n, r) => n + amountOf(r, name), 0);
    if (requested > 0 && requested + inUse > capacity) return { name, requested, used: inUse, capacity };
  }
  return undefined;
}

/** Upstream InsufficientResourceError's text. */
export function insufficientResourceMessage(r: InsufficientResource): string {
  return `Node didn't have enough resource: ${r.name}, requested: ${r.requested}, used: ${r.used}, capacity: ${r.capacity}`;
}
