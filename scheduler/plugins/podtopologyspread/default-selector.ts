/**
 * The selector default constraints use (upstream plugins/helper DefaultSelector): the merged
 * selectors of the Services selecting the pod, plus the selector of its controlling
 * ReplicaSet / StatefulSet / ReplicationController.
 */
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { ReplicationController } from '../../../pkg/api/core/v1/replicationcontroller.ts';
import type { LabelSelector } from '../../../pkg/api/meta.ts';
import { fromLabelSelector, selectorFromSet, type LabelSelectorMatcher } from '../../../pkg/api/selectors/index.ts';
import { BUILTIN_COORDINATES } from '../../../pkg/client/index.ts';
import type { Handle, PodObject } from '../../framework/index.ts';

/** The parts of a Service and of a workload controller the selector is built from. */
export interface ServiceLike {
  readonly spec?: { readonly selector?: Readonly<Record<string, string>> | undefined } | undefined;
}
export interface ControllerLike {
  readonly spec?: { readonly selector?: unknown } | undefined;
}

/**
 * Read access to the objects a pod may belong to. A controller kind left out (tests) gives its
 * pods no selector.
 */
export interface WorkloadSource {
  servicesInNamespace(namespace: string): readonly ServiceLike[];
  replicaSet?(namespace: string, name: string): ControllerLike | undefined;
  statefulSet?(namespace: string, name: string): ControllerLike | undefined;
  replicationController?(namespace: string, name: string): { readonly spec?: { readonly selector?: Readonly<Record<string, string>> | undefined } | undefined } | undefined;
}

/** A source with no objects (no default selector for any pod). */
export const NO_WORKLOADS: WorkloadSource = { servicesInNamespace: () => [] };

function safeSetSelector(set: Readonly<Record<string, string>>): LabelSelectorMatcher | undefined {
  try {
    return selectorFromSet(set);
  } catch {
    return undefined;
  }
}

/**
 * Upstream DefaultSelector. Services with no selector match nothing; the set-based selectors of
 * Services and a ReplicationController are merged (later keys win), a ReplicaSet's or
 * StatefulSet's selector requirements are added. Invalid selectors are ignored.
 */
export function defaultSelector(pod: PodObject, source: WorkloadSource): LabelSelectorMatcher {
  const ns = pod.metadata?.namespace ?? '';
  const podLabels = pod.metadata?.labels;
  let labelSet: Record<string, string> = {};
  for (const svc of source.servicesInNamespace(ns)) {
    const sel = svc.spec?.selector;
    if (!sel) continue;
    if (safeSetSelector(sel)?.matches(podLabels)) labelSet = { ...labelSet, ...sel };
  }
  let selector = safeSetSelector(labelSet) ?? selectorFromSet({});
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true);
  if (!owner) return selector;
  const name = owner.name ?? '';
  if (owner.apiVersion === 'v1' && owner.kind === 'ReplicationController') {
    const rc = source.replicationController?.(ns, name);
    if (rc) selector = safeSetSelector({ ...labelSet, ...(rc.spec?.selector ?? {}) }) ?? selector;
  } else if (owner.apiVersion === 'apps/v1' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
    const ctrl = owner.kind === 'ReplicaSet' ? source.replicaSet?.(ns, name) : source.statefulSet?.(ns, name);
    if (ctrl) {
      try {
        const other = fromLabelSelector(ctrl.spec?.selector as LabelSelector | null | undefined);
        if (other.selectable()) selector = selector.add(...other.requirements());
      } catch {
        // upstream ignores a selector that does not convert
      }
    }
  }
  return selector;
}

/**
 * A {@link WorkloadSource} over the shared informer caches of Services, ReplicationControllers,
 * ReplicaSets and StatefulSets. Call it from the plugin factory (the informers start with the others).
 */
export function workloadListers(handle: Handle): WorkloadSource {
  const services = handle.lister<Service>(BUILTIN_COORDINATES.services);
  const replicaSets = handle.lister<ReplicaSet>(BUILTIN_COORDINATES.replicaSets);
  const statefulSets = handle.lister<StatefulSet>(BUILTIN_COORDINATES.statefulSets);
  const replicationControllers = handle.lister<ReplicationController>(BUILTIN_COORDINATES.replicationControllers);
  return {
    servicesInNamespace: (namespace) => services.listInNamespace(namespace),
    replicaSet: (namespace, name) => replicaSets.get(`${namespace}/${name}`),
    statefulSet: (namespace, name) => statefulSets.get(`${namespace}/${name}`),
    replicationController: (namespace, name) => replicationControllers.get(`${namespace}/${name}`),
  };
}
