/**
 * In-place pod resize on the node (upstream 1.33 kubelet allocation manager and
 * `computePodResizeAction`), pure: the allocation a pod's spec asks for, whether the node takes a
 * changed one (`Infeasible` beyond its allocatable, `Deferred` while other pods hold the room),
 * which running containers must be updated in place or restarted (their `resizePolicy`), and the
 * `allocatedResources` / `resources` their statuses report.
 */
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { integerQuantity, quantityToMilli } from '../../pkg/api/quantity.ts';
import { podRequests, type PodLike } from '../../pkg/quota/pod-usage.ts';
import { listsEqual, type ResourceList } from '../../pkg/quota/resource-list.ts';
import { cgroupResources, type ContainerCgroupResources, type RuntimeContainer } from '../runtime/types.ts';
import { linuxResources } from './container-config.ts';
import { amountOf, insufficientResource, insufficientResourceMessage } from './resource-fit.ts';

/** Condition type while the kubelet cannot grant a resize (reason `Infeasible` or `Deferred`). */
export const POD_RESIZE_PENDING = 'PodResizePending';
/** Condition type while a granted resize is not yet applied to every container (reason `Error` when applying failed). */
export const POD_RESIZE_IN_PROGRESS = 'PodResizeInProgress';

/** The requests and limits the kubelet granted one container. */
export interface ContainerAllocation {
  requests: ResourceList;
  limits: ResourceList;
}

/** Granted resources per container name (app and init containers). */
export type PodAllocation = ReadonlyMap<string, ContainerAllocation>;

function allContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

/** What the pod's spec asks for: every container's requests and limits. */
export function desiredAllocation(pod: Pod): Map<string, ContainerAllocation> {
  return new Map(allContainers(pod).map((c) => [c.name ?? '', { requests: { ...(c.resources?.requests ?? {}) }, limits: { ...(c.resources?.limits ?? {}) } }]));
}

/** Same containers with equal requests and limits (quantities compared by value). */
export function allocationsEqual(a: PodAllocation, b: PodAllocation): boolean {
  if (a.size !== b.size) return false;
  for (const [name, x] of a) {
    const y = b.get(name);
    if (!y || !listsEqual(x.requests, y.requests) || !listsEqual(x.limits, y.limits)) return false;
  }
  return true;
}

/** The container with `granted` requests and limits (as it is when none are granted). */
export function withGrantedResources(c: Container, granted: ContainerAllocation | undefined): Container {
  return granted ? { ...c, resources: { ...c.resources, requests: granted.requests, limits: granted.limits } } : c;
}

/** The pod as it holds the node: its containers' resources replaced by `allocation` where it names them. */
export function withAllocation(pod: Pod, allocation: PodAllocation): Pod {
  const swap = (c: Container): Container => withGrantedResources(c, allocation.get(c.name ?? ''));
  return { ...pod, spec: { ...pod.spec, containers: (pod.spec?.containers ?? []).map(swap), ...(pod.spec?.initContainers ? { initContainers: pod.spec.initContainers.map(swap) } : {}) } } as Pod;
}

/** Whether the node grants a resize now, and why not. */
export type ResizeVerdict = { grant: true } | { grant: false; reason: 'Infeasible' | 'Deferred'; message: string };

/**
 * Upstream `canResizePod`: a pod asking for more CPU or memory than the node's allocatable is
 * `Infeasible` (memory named first); one that fits the node but not beside `others` (the other
 * active pods, as allocated) is `Deferred`, with the kubelet admission's text (CPU first).
 */
export function decideResize(pod: Pod, others: readonly PodLike[], allocatable: ResourceList): ResizeVerdict {
  const wanted = podRequests(pod as PodLike);
  for (const name of ['memory', 'cpu'] as const) {
    const [requested, capacity] = [amountOf(wanted, name), amountOf(allocatable, name)];
    if (requested > capacity) return { grant: false, reason: 'Infeasible', message: `Node didn't have enough capacity: ${name}, requested: ${requested}, capacity: ${capacity}` };
  }
  const lacking = insufficientResource(pod, others, allocatable, ['cpu', 'memory']);
  return lacking ? { grant: false, reason: 'Deferred', message: insufficientResourceMessage(lacking) } : { grant: true };
}

/** One running container to bring to its allocation: in place, or by a restart its resizePolicy asks for. */
export interface ResizeAction {
  container: RuntimeContainer;
  resources: ContainerCgroupResources;
  restart: boolean;
}

/** The cgroup values of a container's allocation, as the kubelet creates containers with them. */
export function allocatedCgroup(allocation: ContainerAllocation): ContainerCgroupResources {
  return cgroupResources(linuxResources(withGrantedResources({ name: '' }, allocation))) ?? {};
}

function restartPolicyOf(c: Container, resource: 'cpu' | 'memory'): string {
  return c.resizePolicy?.find((p) => p.resourceName === resource)?.restartPolicy || 'NotRequired';
}

/**
 * The resize actions of a sync (upstream `computePodResizeAction`): for each running app or
 * sidecar container whose runtime-reported cgroup values differ from its allocation, a restart
 * when a changed resource (CPU: shares or quota; memory: the limit) has `resizePolicy`
 * `RestartContainer`, else an in-place update. A container the runtime reports no resources for
 * is left alone.
 */
export function resizeActions(pod: Pod, allocation: PodAllocation, latest: (name: string) => RuntimeContainer | undefined): ResizeAction[] {
  const out: ResizeAction[] = [];
  const resizable = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
  for (const c of resizable) {
    const actual = latest(c.name ?? '');
    const granted = allocation.get(c.name ?? '');
    if (!actual?.resources || !granted || actual.state !== 'running') continue;
    const want = allocatedCgroup(granted);
    const have = actual.resources;
    const cpuChanged = want.cpuShares !== have.cpuShares || (want.cpuQuota ?? 0) !== (have.cpuQuota ?? 0);
    const memoryChanged = (want.memoryLimitInBytes ?? 0) !== (have.memoryLimitInBytes ?? 0);
    if (!cpuChanged && !memoryChanged) continue;
    const restart = (cpuChanged && restartPolicyOf(c, 'cpu') === 'RestartContainer') || (memoryChanged && restartPolicyOf(c, 'memory') === 'RestartContainer');
    out.push({ container: actual, resources: want, restart });
  }
  return out;
}

/** CPU shares back to millicores (upstream `sharesToMilliCPU`). */
function sharesToMilli(shares: number): number {
  return shares >= 2 ? Math.ceil((shares * 1000) / 1024) : 0;
}

/** A millicore amount as upstream prints `resource.NewMilliQuantity(m, DecimalSI)`. */
function milliQuantity(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** `reported` unless it equals `granted` by value, when the granted spelling is kept (`800m`, not `0.8`). */
function keepSpelling(reported: string, granted: string | number | undefined): string {
  return granted !== undefined && quantityToMilli(granted) === quantityToMilli(reported) ? String(granted) : reported;
}

/**
 * The resource fields of one container's status (upstream `convertContainerStatusResources`):
 * `allocatedResources` is the granted requests; `resources`, for a running container only, the
 * granted requests and limits with CPU (request from shares, limit from quota/period) and the
 * memory limit as the runtime reports them.
 */
export function containerStatusResources(allocation: ContainerAllocation | undefined, running: RuntimeContainer | undefined): { allocatedResources?: ResourceList; resources?: { requests?: ResourceList; limits?: ResourceList } } {
  if (!allocation) return {};
  const out: { allocatedResources?: ResourceList; resources?: { requests?: ResourceList; limits?: ResourceList } } = {};
  const hasRequests = Object.keys(allocation.requests).length > 0;
  const hasLimits = Object.keys(allocation.limits).length > 0;
  if (hasRequests) out.allocatedResources = { ...allocation.requests };
  if (running?.state !== 'running') return out;
  const actual = running.resources;
  const resources: { requests?: ResourceList; limits?: ResourceList } = {};
  if (hasLimits) {
    const limits = { ...allocation.limits };
    if ('cpu' in limits && actual?.cpuQuota && actual.cpuPeriod) limits.cpu = keepSpelling(milliQuantity(Math.floor((actual.cpuQuota * 1000) / actual.cpuPeriod)), allocation.limits.cpu);
    if ('memory' in limits && actual?.memoryLimitInBytes) limits.memory = keepSpelling(integerQuantity(actual.memoryLimitInBytes, 'BinarySI'), allocation.limits.memory);
    resources.limits = limits;
  }
  if (hasRequests) {
    const requests = { ...allocation.requests };
    if ('cpu' in requests && actual?.cpuShares) requests.cpu = keepSpelling(milliQuantity(sharesToMilli(actual.cpuShares)), allocation.requests.cpu);
    resources.requests = requests;
  }
  if (hasLimits || hasRequests) out.resources = resources;
  return out;
}
