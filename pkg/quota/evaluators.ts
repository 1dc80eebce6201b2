/**
 * Quota evaluators (upstream pkg/quota/v1/evaluator/core and generic): for each kind, which
 * quota names it charges, which writes it handles, whether a scoped quota covers an object,
 * the object's usage and its constraints. Pods, Services and PersistentVolumeClaims have their
 * own; every other kind gets an object-count evaluator (`count/<resource>[.<group>]`, plus the
 * legacy bare name for configmaps, secrets, replicationcontrollers and resourcequotas). Pure.
 */
import type { KubeObject } from '../api/meta.ts';
import { RESIZE } from '../api/core/v1/pod-resize.ts';
import { podConstraintViolation, podMatchingResources, podUsage, type PodLike } from './pod-usage.ts';
import { isTerminating, podMatchesScope, type ScopeRequirement } from './pod-scopes.ts';
import { compareQuantities, type ResourceList } from './resource-list.ts';

export type QuotaOperation = 'CREATE' | 'UPDATE';

/** One admitted write as an evaluator's `handles` sees it. */
export interface QuotaWrite {
  operation: QuotaOperation;
  /** `resize` for `pods/resize`; undefined for the main resource. */
  subresource?: string | undefined;
  object: KubeObject;
  /** The stored object on UPDATE. */
  oldObject?: KubeObject | undefined;
}

/** What the quota system knows about one kind. */
export interface QuotaEvaluator {
  readonly group: string;
  readonly resource: string;
  /** Whether a write of this kind is charged (Handles); writes to subresources only where the kind says so. */
  handles(write: QuotaWrite): boolean;
  /** The names among `names` this evaluator charges (MatchingResources). */
  matchingResources(names: readonly string[]): string[];
  /** Whether the object falls in one scope requirement (kinds without scopes: never). */
  matchesScope(requirement: ScopeRequirement, object: KubeObject): boolean;
  /** Upstream Constraints: undefined when satisfied, else the reason. */
  constraints(required: readonly string[], object: KubeObject): string | undefined;
  /** The object's usage (Usage). */
  usage(object: KubeObject, now: Date): ResourceList;
}

/** `count/pods`, `count/deployments.apps` (ObjectCountQuotaResourceNameFor). */
export function objectCountName(group: string, resource: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

const noScope = () => false;
const noConstraint = () => undefined;

/**
 * The pod evaluator's Handles: on the main resource a create, or an update that moves the pod
 * between the Terminating and NotTerminating scopes; on `pods/resize` every update (upstream
 * since the subresource exists: a resize changes the pod's requests and limits); nothing else.
 */
export function podHandles({ operation, subresource, object, oldObject }: QuotaWrite): boolean {
  if (subresource === RESIZE) return operation === 'UPDATE';
  if (subresource) return false;
  return operation === 'CREATE' || (operation === 'UPDATE' && !!oldObject && isTerminating(oldObject as PodLike) !== isTerminating(object as PodLike));
}

export const podEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'pods',
  handles: podHandles,
  matchingResources: podMatchingResources,
  matchesScope: (req, obj) => podMatchesScope(obj as PodLike, req),
  constraints: (required, obj) => podConstraintViolation(required, obj as PodLike),
  usage: (obj, now) => podUsage(obj as PodLike, now),
};

const SERVICE_RESOURCES = new Set(['count/services', 'services', 'services.nodeports', 'services.loadbalancers']);

type ServiceLike = { spec?: { type?: string; ports?: Array<{ nodePort?: number }>; allocateLoadBalancerNodePorts?: boolean } };

/**
 * Service usage: one service; its ports as node ports for NodePort and LoadBalancer (with
 * `allocateLoadBalancerNodePorts: false`, only the ports that name a node port), and one load
 * balancer for LoadBalancer.
 */
export function serviceUsage(svc: ServiceLike): ResourceList {
  const ports = svc.spec?.ports?.length ?? 0;
  const out: ResourceList = { 'count/services': '1', services: '1', 'services.loadbalancers': '0', 'services.nodeports': '0' };
  if (svc.spec?.type === 'NodePort') out['services.nodeports'] = String(ports);
  if (svc.spec?.type === 'LoadBalancer') {
    const explicit = (svc.spec.ports ?? []).filter((p) => !!p?.nodePort).length;
    out['services.nodeports'] = String(svc.spec.allocateLoadBalancerNodePorts === false ? explicit : ports);
    out['services.loadbalancers'] = '1';
  }
  return out;
}

export const serviceEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'services',
  handles: ({ subresource }) => !subresource,
  matchingResources: (names) => names.filter((n) => SERVICE_RESOURCES.has(n)),
  matchesScope: noScope,
  constraints: noConstraint,
  usage: (obj) => serviceUsage(obj as ServiceLike),
};

/** The `<class>.storageclass.storage.k8s.io/` prefix of per-class claim quotas. */
export const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const PVC_RESOURCES = new Set(['persistentvolumeclaims', 'count/persistentvolumeclaims', 'requests.storage']);

type ClaimLike = {
  metadata: { annotations?: Record<string, string> | undefined };
  spec?: { storageClassName?: string | undefined; resources?: { requests?: ResourceList | undefined } | undefined };
  status?: { allocatedResources?: ResourceList | undefined };
};

/** Claim usage: the claim and its storage (the larger of request and allocation), also per class. */
export function claimUsage(pvc: ClaimLike): ResourceList {
  const out: ResourceList = { persistentvolumeclaims: '1', 'count/persistentvolumeclaims': '1' };
  const cls = pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '';
  if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = '1';
  const requested = pvc.spec?.resources?.requests?.storage;
  const allocated = pvc.status?.allocatedResources?.storage;
  const storage = requested !== undefined && allocated !== undefined ? (compareQuantities(allocated, requested) > 0 ? allocated : requested) : (requested ?? allocated);
  if (storage !== undefined) {
    out['requests.storage'] = storage;
    if (cls) out[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = storage;
  }
  return out;
}

export const claimEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  handles: ({ subresource }) => !subresource,
  matchingResources: (names) => names.filter((n) => PVC_RESOURCES.has(n) || (n.includes(STORAGE_CLASS_SUFFIX) && (n.endsWith('/persistentvolumeclaims') || n.endsWith('/requests.storage')))),
  matchesScope: noScope,
  constraints: noConstraint,
  usage: (obj) => claimUsage(obj as ClaimLike),
};

/** The legacy bare names some core kinds are also counted under. */
const CORE_ALIASES: Readonly<Record<string, string>> = { configmaps: 'configmaps', secrets: 'secrets', replicationcontrollers: 'replicationcontrollers', resourcequotas: 'resourcequotas' };

/** NewObjectCountEvaluator: counts objects on create. */
export function objectCountEvaluator(group: string, resource: string): QuotaEvaluator {
  const names = [objectCountName(group, resource)];
  const alias = group === '' ? CORE_ALIASES[resource] : undefined;
  if (alias) names.push(alias);
  return {
    group,
    resource,
    handles: ({ operation, subresource }) => operation === 'CREATE' && !subresource,
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    matchesScope: noScope,
    constraints: noConstraint,
    usage: () => Object.fromEntries(names.map((n) => [n, '1'])),
  };
}

const SPECIAL: readonly QuotaEvaluator[] = [podEvaluator, serviceEvaluator, claimEvaluator];

/** The evaluator of a kind (an object-count one unless it has its own). */
export function evaluatorFor(group: string, resource: string): QuotaEvaluator {
  return SPECIAL.find((e) => e.group === group && e.resource === resource) ?? objectCountEvaluator(group, resource);
}
