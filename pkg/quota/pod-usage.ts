/**
 * The pod evaluator's arithmetic (upstream pkg/quota/v1/evaluator/core/pods.go and
 * component-helpers resource.PodRequests/PodLimits with `UseStatusResources`, as 1.33 runs them):
 * a pod's effective requests and limits (containers summed, restartable init containers added,
 * each init container a peak, overhead added; a container or sidecar being resized in place
 * counted at the larger of its spec and its allocated/actual status resources), the quota names
 * they charge (`pods`, `cpu`/`requests.cpu`, `limits.memory`, hugepages, extended
 * `requests.<name>`), whether a pod still counts (not Succeeded/Failed, not past its deletion
 * grace period), and the `must specify` constraint. Pure.
 */
import { addLists, compareQuantities, type ResourceList } from './resource-list.ts';
import { isExtendedResourceName, isQuotaHugePageResourceName } from '../api/core/v1/resourcequota-names.ts';
import { isTerminalPodPhase } from '../api/core/v1/pod-status.ts';
import { containerStatusesByName, effectiveContainerLimits, effectiveContainerRequests, type ResizePodLike } from '../api/core/v1/pod-resize-resources.ts';

/** The parts of a container the evaluator reads. */
export interface ContainerLike {
  name?: string | undefined;
  restartPolicy?: string | undefined;
  resources?: { requests?: ResourceList | undefined; limits?: ResourceList | undefined } | undefined;
}

/** The parts of a pod the evaluator reads (its status: phase, and what resizing containers were allocated and run with). */
export interface PodLike extends ResizePodLike {
  metadata: { deletionTimestamp?: string | undefined; deletionGracePeriodSeconds?: number | undefined };
  spec?: {
    containers?: ContainerLike[] | undefined;
    initContainers?: ContainerLike[] | undefined;
    overhead?: ResourceList | undefined;
    activeDeadlineSeconds?: number | undefined;
    priorityClassName?: string | undefined;
    affinity?: unknown;
  } | undefined;
  status?: (NonNullable<ResizePodLike['status']> & { phase?: string | undefined }) | undefined;
}

/** `a` raised to `b` key by key (maxResourceList). */
function maxLists(a: ResourceList, b: ResourceList): ResourceList {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) if (!(k in out) || compareQuantities(v, out[k]) > 0) out[k] = v;
  return out;
}

/**
 * AggregateContainerRequests/Limits: containers and sidecars at their resize-aware resources
 * (spec and status), plain init containers at their spec.
 */
function aggregate(pod: PodLike, kind: 'requests' | 'limits', options: PodResourcesOptions): ResourceList {
  const statuses = options.useStatusResources ? containerStatusesByName(pod) : undefined;
  const effective = kind === 'requests' ? effectiveContainerRequests : effectiveContainerLimits;
  const resized = (c: ContainerLike) => (statuses ? effective(pod, c.resources?.[kind], statuses.get(c.name ?? '')) : c.resources?.[kind]);
  let total: ResourceList = {};
  for (const c of pod.spec?.containers ?? []) total = addLists(total, resized(c) ?? {});
  let sidecars: ResourceList = {};
  let initPeak: ResourceList = {};
  for (const c of pod.spec?.initContainers ?? []) {
    let own: ResourceList = (c.restartPolicy === 'Always' ? resized(c) : c.resources?.[kind]) ?? {};
    if (c.restartPolicy === 'Always') {
      total = addLists(total, own);
      sidecars = addLists(sidecars, own);
      own = sidecars;
    } else {
      own = addLists(own, sidecars);
    }
    initPeak = maxLists(initPeak, own);
  }
  return maxLists(total, initPeak);
}

/** Upstream `PodResourcesOptions`, the part k8ts uses. */
export interface PodResourcesOptions {
  /**
   * Count a resizing container at the largest of its spec and its status' allocated and actual
   * resources (the quota's view). Default false, as upstream's zero value: the spec alone, which
   * the kubelet reads for pods whose spec it has already replaced by what it granted.
   */
  useStatusResources?: boolean;
}

/** PodRequests: containers, init containers and overhead. */
export function podRequests(pod: PodLike, options: PodResourcesOptions = {}): ResourceList {
  const reqs = aggregate(pod, 'requests', options);
  return addLists(reqs, pod.spec?.overhead ?? {});
}

/** PodLimits: as requests; overhead only on resources that have a limit. */
export function podLimits(pod: PodLike, options: PodResourcesOptions = {}): ResourceList {
  const limits = aggregate(pod, 'limits', options);
  const overhead = pod.spec?.overhead ?? {};
  const out = { ...limits };
  for (const k of Object.keys(limits)) if (k in overhead) out[k] = addLists({ [k]: limits[k]! }, { [k]: overhead[k]! })[k]!;
  return out;
}

/** podComputeUsageHelper: the quota names a set of requests and limits charges, with `pods: 1`. */
export function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: '1' };
  for (const name of ['cpu', 'memory', 'ephemeral-storage']) {
    if (name in requests) {
      out[name] = requests[name]!;
      out[`requests.${name}`] = requests[name]!;
    }
    if (name in limits) out[`limits.${name}`] = limits[name]!;
  }
  for (const [name, value] of Object.entries(requests)) {
    if (name.startsWith('hugepages-')) {
      out[name] = value;
      out[`requests.${name}`] = value;
    } else if (isExtendedResourceName(name)) out[`requests.${name}`] = value;
  }
  return out;
}

/**
 * QuotaV1Pod: whether a pod's compute resources still count — not Succeeded or Failed, and not
 * past `deletionTimestamp + deletionGracePeriodSeconds`.
 */
export function podCountsForQuota(pod: PodLike, now: Date): boolean {
  if (isTerminalPodPhase(pod.status?.phase)) return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata;
  if (deletionTimestamp && deletionGracePeriodSeconds !== undefined && deletionGracePeriodSeconds !== null) {
    const end = Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000;
    if (now.getTime() > end) return false;
  }
  return true;
}

/** The quota counts a resizing pod at what it may be running with (upstream `UseStatusResources`). */
const WITH_STATUS: PodResourcesOptions = { useStatusResources: true };

/** PodUsageFunc: `count/pods` always; the compute names only while the pod counts. */
export function podUsage(pod: PodLike, now: Date): ResourceList {
  const base: ResourceList = { 'count/pods': '1' };
  if (!podCountsForQuota(pod, now)) return base;
  return addLists(base, computeUsage(podRequests(pod, WITH_STATUS), podLimits(pod, WITH_STATUS)));
}

/** Upstream podResources plus hugepages and extended requests: the names the pod evaluator charges. */
const POD_RESOURCES = new Set(['count/pods', 'cpu', 'memory', 'ephemeral-storage', 'pods', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage']);

export function podMatchingResources(names: readonly string[]): string[] {
  return names.filter((n) => POD_RESOURCES.has(n) || isQuotaHugePageResourceName(n) || (n.startsWith('requests.') && isExtendedResourceName(n.slice('requests.'.length))));
}

/** The names for which every container must state a value (upstream validationSet). */
const MUST_SPECIFY = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/**
 * The pod evaluator's Constraints: with cpu/memory constrained, every container (and init
 * container) must state them. Undefined when satisfied, else upstream's text:
 * `must specify limits.cpu for: c1,c2; limits.memory for: c1`.
 */
export function podConstraintViolation(required: readonly string[], pod: PodLike): string | undefined {
  const needed = required.filter((n) => MUST_SPECIFY.has(n));
  if (!needed.length) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const has = computeUsage(c.resources?.requests ?? {}, c.resources?.limits ?? {});
    for (const name of needed) if (!(name in has)) (missing.get(name) ?? missing.set(name, new Set()).get(name)!).add(c.name ?? '');
  }
  if (!missing.size) return undefined;
  return `must specify ${[...missing.keys()].sort().map((name) => `${name} for: ${[...missing.get(name)!].sort().join(',')}`).join('; ')}`;
}
