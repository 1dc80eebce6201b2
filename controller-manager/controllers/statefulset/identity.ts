/**
 * A StatefulSet pod's stable identity (upstream stateful_set_utils.go), pure: the ordinal parsed
 * from `<set>-<ordinal>`, the ordinal range `[start, start + replicas)`, the pod built from a
 * template for one ordinal (name, `generateName`, hostname and subdomain, the pod-name,
 * pod-index and controller-revision-hash labels, claim volumes, the controller reference), and
 * the health predicates the ordering rules read (Running and Ready, Available, Terminating).
 */
import type { PersistentVolumeClaimTemplate, StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Volume } from '../../../pkg/api/core/v1/pod-spec.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerRef } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { isPodAvailable, readyCondition } from '../replicaset/pod-ranking.ts';
import { isTerminalPodPhase } from '../../../pkg/api/core/v1/pod-status.ts';

type P = Pod | DeepReadonly<Pod>;
type S = StatefulSet | DeepReadonly<StatefulSet>;

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';
export const STATEFULSET_OWNER = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const;

const MAX_INT32 = 2147483647;

/** Parent name and ordinal of a pod name (`web-2` → web, 2); ordinal -1 when there is none. */
export function parseOrdinal(podName: string | undefined): { parent: string; ordinal: number } {
  const m = /^(.*)-([0-9]+)$/.exec(podName ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1] as string, ordinal: n <= MAX_INT32 ? n : -1 };
}

export const ordinalOf = (pod: P): number => parseOrdinal(pod.metadata.name).ordinal;

/** Whether the pod's name says it belongs to `set` (upstream isMemberOf). */
export function isMemberOf(set: S, pod: P): boolean {
  return parseOrdinal(pod.metadata.name).parent === set.metadata.name;
}

export const startOrdinal = (set: S): number => set.spec?.ordinals?.start ?? 0;
export const replicasOf = (set: S): number => set.spec?.replicas ?? 1;

export const podName = (set: S, ordinal: number): string => `${set.metadata.name}-${ordinal}`;

/** `<template>-<set>-<ordinal>`, the claim a pod of that ordinal mounts. */
export function claimName(set: S, template: DeepReadonly<PersistentVolumeClaimTemplate> | PersistentVolumeClaimTemplate, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${set.metadata.name}-${ordinal}`;
}

/** The revision a pod was created from (its controller-revision-hash label), or ''. */
export const podRevision = (pod: P): string => pod.metadata.labels?.[REVISION_LABEL] ?? '';

/** Name, namespace, pod-name and pod-index labels as the set says (upstream identityMatches). */
export function identityMatches(set: S, pod: P): boolean {
  const { parent, ordinal } = parseOrdinal(pod.metadata.name);
  return ordinal >= 0 && parent === set.metadata.name && pod.metadata.name === podName(set, ordinal) && pod.metadata.namespace === set.metadata.namespace && pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name && pod.metadata.labels?.[POD_INDEX_LABEL] === String(ordinal);
}

/** Every claim template has its volume pointing at this ordinal's claim (upstream storageMatches). */
export function storageMatches(set: S, pod: P): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec?.volumeClaimTemplates ?? []).every((t) => volumes.get(t.metadata?.name ?? '')?.persistentVolumeClaim?.claimName === claimName(set, t, ordinal));
}

/** The labels a pod of `ordinal` must carry besides the template's. */
export function identityLabels(set: S, ordinal: number): Record<string, string> {
  return { [POD_NAME_LABEL]: podName(set, ordinal), [POD_INDEX_LABEL]: String(ordinal) };
}

/** The pod's volumes with one per claim template replacing any of the same name (upstream updateStorage). */
export function volumesWithClaims(set: S, ordinal: number, current: readonly Volume[] | readonly DeepReadonly<Volume>[] | undefined): Volume[] {
  const templates = set.spec?.volumeClaimTemplates ?? [];
  const claimVolumes: Volume[] = templates.map((t) => ({ name: t.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(set, t, ordinal), readOnly: false } }) as Volume);
  const names = new Set(claimVolumes.map((v) => v.name));
  return [...claimVolumes, ...copyJson((current ?? []) as Volume[]).filter((v) => !names.has(v.name))];
}

/**
 * The pod of `ordinal` from `set`'s template (`set` already carries the revision's template),
 * labelled with `revision` (upstream newStatefulSetPod + setPodRevision).
 */
export function newStatefulSetPod(set: S, ordinal: number, revision: string): Pod {
  const template = copyJson(set.spec?.template ?? {}) as NonNullable<NonNullable<StatefulSet['spec']>['template']>;
  const meta = template.metadata ?? {};
  const name = podName(set, ordinal);
  const spec = { ...(template.spec ?? {}), hostname: name, ...(set.spec?.serviceName ? { subdomain: set.spec.serviceName } : {}) };
  if ((set.spec?.volumeClaimTemplates ?? []).length) spec.volumes = volumesWithClaims(set, ordinal, spec.volumes);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${set.metadata.name}-`,
      namespace: set.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...identityLabels(set, ordinal), [REVISION_LABEL]: revision },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [newControllerRef(set, STATEFULSET_OWNER)],
    },
    spec,
  } as Pod;
}

/** The API server has seen the pod (it has a phase). */
export const isCreated = (pod: P): boolean => Boolean(pod.status?.phase);
/** Failed or Succeeded: a StatefulSet pod never finishes, it is recreated. */
export const isFinished = (pod: P): boolean => isTerminalPodPhase(pod.status?.phase);
export const isTerminating = (pod: P): boolean => Boolean(pod.metadata.deletionTimestamp);
export const isRunningAndReady = (pod: P): boolean => pod.status?.phase === 'Running' && readyCondition(pod).ready;

export const isHealthy = (pod: P): boolean => isRunningAndReady(pod) && !isTerminating(pod);
export const isUnavailable = (pod: P, minReadySeconds: number, nowMs: number): boolean => !isHealthy(pod) || !isPodAvailable(pod, minReadySeconds, nowMs);
