/**
 * A container's requests while its pod may be resizing in place (upstream 1.33 component-helpers
 * `resource.PodRequests` with `UseStatusResources`, InPlacePodVerticalScaling on by default): the
 * per-resource maximum of what the spec asks, what the kubelet allocated and what the container
 * runs with, so a pending or half-applied resize never lets the node be overcommitted. Pure.
 */
import { compareQuantity } from '../../pkg/api/quantity.ts';
import type { PodObject } from './types.ts';

type ResourceList = Readonly<Record<string, string | number>>;
type ContainerStatus = NonNullable<NonNullable<PodObject['status']>['containerStatuses']>[number];

/** Upstream `IsPodResizeInfeasible`: the first `PodResizePending` condition has reason `Infeasible`. */
export function isPodResizeInfeasible(pod: PodObject): boolean {
  const pending = (pod.status?.conditions ?? []).find((c) => c.type === 'PodResizePending');
  return pending?.reason === 'Infeasible';
}

/** The statuses of containers and init containers by name (upstream builds one map of both). */
export function containerStatusesByName(pod: PodObject): ReadonlyMap<string, ContainerStatus> {
  return new Map([...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].map((s) => [s.name, s]));
}

/** Per resource, the largest of the lists (upstream `max`). */
function maxOfLists(lists: ReadonlyArray<ResourceList | undefined>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const list of lists) {
    for (const [name, q] of Object.entries(list ?? {})) if (!(name in out) || compareQuantity(q, out[name]!) > 0) out[name] = q;
  }
  return out;
}

/**
 * Upstream `determineContainerReqs`: with a status reporting `resources`, the max of the spec's
 * requests (unless the pod's resize is Infeasible: the kubelet will never apply it), the status'
 * `resources.requests` and its `allocatedResources`; without one, the spec's requests.
 */
export function effectiveContainerRequests(pod: PodObject, specRequests: ResourceList | undefined, status: ContainerStatus | undefined): ResourceList | undefined {
  if (!status?.resources) return specRequests;
  const fromStatus = [status.resources.requests, status.allocatedResources];
  return maxOfLists(isPodResizeInfeasible(pod) ? fromStatus : [specRequests, ...fromStatus]);
}
