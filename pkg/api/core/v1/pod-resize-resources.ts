/**
 * A container's resources while its pod may be resizing in place (upstream 1.33 component-helpers
 * `resource.PodRequests` / `PodLimits` with `UseStatusResources`, InPlacePodVerticalScaling on by
 * default): per resource, the largest of what the spec asks, what the kubelet allocated and what
 * the container runs with, so a pending or half-applied resize never lets a node be overcommitted
 * nor a quota be undercharged. The scheduler's fit and the quota evaluator's usage both count
 * containers and sidecars this way (plain init containers by their spec). Pure.
 */
import { compareQuantity } from '../../quantity.ts';

type ResourceList = Readonly<Record<string, string | number>>;

/** The parts of a container status the computation reads. */
export interface ResizeContainerStatusLike {
  readonly name: string;
  /** What the kubelet admitted (requests). */
  readonly allocatedResources?: ResourceList | undefined;
  /** What the container runs with, as its kubelet reports it; absent from kubelets that do not report it. */
  readonly resources?: { readonly requests?: ResourceList | undefined; readonly limits?: ResourceList | undefined } | undefined;
}

/** The parts of a pod the computation reads: its status conditions and container statuses. */
export interface ResizePodLike {
  readonly status?: {
    readonly conditions?: ReadonlyArray<{ readonly type?: string | undefined; readonly reason?: string | undefined }> | undefined;
    readonly containerStatuses?: ReadonlyArray<ResizeContainerStatusLike> | undefined;
    readonly initContainerStatuses?: ReadonlyArray<ResizeContainerStatusLike> | undefined;
  } | undefined;
}

/** Upstream `IsPodResizeInfeasible`: the first `PodResizePending` condition has reason `Infeasible`. */
export function isPodResizeInfeasible(pod: ResizePodLike): boolean {
  const pending = (pod.status?.conditions ?? []).find((c) => c.type === 'PodResizePending');
  return pending?.reason === 'Infeasible';
}

/** The statuses of containers and init containers by name (upstream builds one map of both). */
export function containerStatusesByName<S extends ResizeContainerStatusLike>(pod: { readonly status?: { readonly containerStatuses?: ReadonlyArray<S> | undefined; readonly initContainerStatuses?: ReadonlyArray<S> | undefined } | undefined }): ReadonlyMap<string, S> {
  const { containerStatuses, initContainerStatuses } = pod.status ?? {};
  // A pod not started yet (every pod the scheduler places) has none: no map built.
  if (!containerStatuses?.length && !initContainerStatuses?.length) return NO_STATUSES;
  return new Map([...(containerStatuses ?? []), ...(initContainerStatuses ?? [])].map((s) => [s.name, s]));
}

const NO_STATUSES: ReadonlyMap<string, never> = new Map<string, never>();

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
export function effectiveContainerRequests(pod: ResizePodLike, specRequests: ResourceList | undefined, status: ResizeContainerStatusLike | undefined): ResourceList | undefined {
  if (!status?.resources) return specRequests;
  const fromStatus = [status.resources.requests, status.allocatedResources];
  return maxOfLists(isPodResizeInfeasible(pod) ? fromStatus : [specRequests, ...fromStatus]);
}

/**
 * Upstream `determineContainerLimits`: with a status reporting `resources`, the max of the spec's
 * limits and the status' `resources.limits` (only the latter once the resize is Infeasible);
 * without one, the spec's limits. Allocation records no limits.
 */
export function effectiveContainerLimits(pod: ResizePodLike, specLimits: ResourceList | undefined, status: ResizeContainerStatusLike | undefined): ResourceList | undefined {
  if (!status?.resources) return specLimits;
  if (isPodResizeInfeasible(pod)) return status.resources.limits;
  return maxOfLists([specLimits, status.resources.limits]);
}
