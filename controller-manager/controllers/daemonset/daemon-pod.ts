/**
 * What a DaemonSet's pods look like (upstream `daemon/util`): the tolerations every daemon pod
 * gets, the template with the `controller-revision-hash` and `pod-template-generation` labels,
 * the required node affinity pinning a pod to its node (the scheduler binds it there), which
 * node a pod is for, and whether a pod is of the current template. Pure.
 */
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PodSpec, PodTemplateSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import { CONTROLLER_REVISION_HASH_LABEL } from '../../../pkg/controller-history/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerRef } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

type Toleration = NonNullable<PodSpec['tolerations']>[number];
type Affinity = NonNullable<PodSpec['affinity']>;
type AnyPod = Pod | DeepReadonly<Pod>;

export { CONTROLLER_REVISION_HASH_LABEL };
/** The label carrying the DaemonSet's template generation (kept for compatibility). */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
export const DAEMONSET_OWNER = { apiVersion: 'apps/v1', kind: 'DaemonSet' } as const;

/** Upstream `AddOrUpdateDaemonPodTolerations`: the tolerations added, in order. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const noExecute = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute' }));
  const noSchedule = ['node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable', ...(hostNetwork ? ['node.kubernetes.io/network-unavailable'] : [])].map((key) => ({ key, operator: 'Exists', effect: 'NoSchedule' }));
  return [...noExecute, ...noSchedule];
}

const sameToleration = (a: Toleration, b: Toleration) => (a.key ?? '') === (b.key ?? '') && (a.effect ?? '') === (b.effect ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '');

/**
 * Upstream `AddOrUpdateTolerationInPodSpec` for each daemon toleration: one matching key, effect,
 * operator and value is replaced (dropping its `tolerationSeconds`), otherwise it is appended.
 */
export function withDaemonTolerations(spec: PodSpec): PodSpec {
  let tolerations = [...(spec.tolerations ?? [])];
  for (const wanted of daemonTolerations(spec.hostNetwork === true)) {
    if (tolerations.some((t) => sameToleration(t, wanted))) tolerations = tolerations.map((t) => (sameToleration(t, wanted) ? { ...wanted } : t));
    else tolerations.push({ ...wanted });
  }
  return { ...spec, tolerations };
}

/** Upstream `CreatePodTemplate`: the template with daemon tolerations and the generation and hash labels. */
export function createPodTemplate(template: DeepReadonly<PodTemplateSpec> | PodTemplateSpec | undefined, generation: number | undefined, hash: string): PodTemplateSpec {
  const copy = copyJson((template ?? {}) as PodTemplateSpec);
  const labels = { ...(copy.metadata?.labels ?? {}) };
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  return { ...copy, metadata: { ...(copy.metadata ?? {}), labels }, spec: withDaemonTolerations(copy.spec ?? {}) };
}

/**
 * Upstream `ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node affinity becomes the one
 * term `matchFields metadata.name In [node]`; preferred terms and pod (anti-)affinity stay.
 */
export function replaceNodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  const nodeAffinity = { ...(affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: required };
  return { ...(affinity ?? {}), nodeAffinity };
}

/** The pod the DaemonSet creates for `nodeName` from a {@link createPodTemplate} template (upstream `GetPodFromTemplate`). */
export function podForNode(ds: DaemonSet | DeepReadonly<DaemonSet>, template: PodTemplateSpec, nodeName: string): Pod {
  const t = copyJson(template);
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: meta.labels ?? {},
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      ownerReferences: [newControllerRef(ds, DAEMONSET_OWNER)],
    },
    spec: { ...(t.spec ?? {}), affinity: replaceNodeNameAffinity(t.spec?.affinity, nodeName) },
  } as Pod;
}

/**
 * Upstream `GetTargetNodeName`: `spec.nodeName`, or for a pod not yet scheduled the single value of
 * its `matchFields metadata.name In` requirement; undefined when there is none (or several).
 */
export function targetNodeName(pod: AnyPod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const req of term.matchFields ?? []) {
      if (req.key === 'metadata.name' && req.operator === 'In') return req.values?.length === 1 ? req.values[0] : undefined;
    }
  }
  return undefined;
}

/** Upstream `IsPodUpdated`: the pod carries the current hash, or the current template generation. */
export function isPodUpdated(pod: AnyPod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const generationMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation);
  return (hash !== '' && labels[CONTROLLER_REVISION_HASH_LABEL] === hash) || generationMatches;
}
