/**
 * Which PersistentVolumeClaims a pod uses and in which state they are (upstream volumebinding
 * `podHasPVCs` and binder `GetPodVolumeClaims`, component-helpers `storage/volume` and
 * `storage/ephemeral`). Pure: the caller passes lookups over its informer caches.
 */
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import type { DeepReadonly, PodObject } from '../../framework/index.ts';

export type ClaimObject = DeepReadonly<PersistentVolumeClaim>;
export type VolumeObject = DeepReadonly<PersistentVolume>;
export type ClassObject = DeepReadonly<StorageClass>;

/** PVC annotation set once the PV controller finished binding (value irrelevant). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** PV/PVC annotation: the binding was made by a controller (the scheduler counts as one). */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** PVC annotation the scheduler sets to ask for provisioning on that node. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** Legacy class annotation, still preferred over `storageClassName` (upstream). */
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** A class with this provisioner cannot provision (local static volumes). */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';

/** One claim a pod volume refers to. */
export interface PodClaimRef {
  volume: string;
  claimName: string;
  ephemeral: boolean;
}

/** The claims of `pod`'s `persistentVolumeClaim` and generic `ephemeral` volumes (`<pod>-<volume>`). */
export function podClaimRefs(pod: PodObject): PodClaimRef[] {
  const refs: PodClaimRef[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) refs.push({ volume: v.name, claimName: v.persistentVolumeClaim.claimName ?? '', ephemeral: false });
    else if (v.ephemeral) refs.push({ volume: v.name, claimName: `${pod.metadata?.name ?? ''}-${v.name}`, ephemeral: true });
  }
  return refs;
}

/** Upstream ephemeral.VolumeIsForPod: the claim must be controlled by the pod; the error text or undefined. */
export function ephemeralOwnerError(pod: PodObject, claim: ClaimObject): string | undefined {
  const owner = (claim.metadata?.ownerReferences ?? []).find((r) => r.controller);
  if (claim.metadata?.namespace === pod.metadata?.namespace && owner && owner.uid === pod.metadata?.uid) return undefined;
  return `PVC ${claim.metadata?.namespace ?? ''}/${claim.metadata?.name ?? ''} was not created for pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} (pod is not owner)`;
}

/** Upstream GetPersistentVolumeClaimClass: the beta annotation, else `spec.storageClassName`, else ''. */
export function claimClass(claim: ClaimObject): string {
  return claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec?.storageClassName ?? '';
}

/** Upstream GetPersistentVolumeClass. */
export function volumeClass(pv: VolumeObject): string {
  return pv.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? pv.spec?.storageClassName ?? '';
}

/** Upstream isPVCFullyBound: a volume name and the bind-completed annotation. */
export function isClaimFullyBound(claim: ClaimObject): boolean {
  return Boolean(claim.spec?.volumeName) && claim.metadata?.annotations?.[ANN_BIND_COMPLETED] !== undefined;
}

/** Whether the claim's class binds late (WaitForFirstConsumer); a missing class or none binds at once. */
export function isDelayBinding(claim: ClaimObject, getClass: (name: string) => ClassObject | undefined): boolean {
  const name = claimClass(claim);
  if (!name) return false;
  return getClass(name)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** Lookups over the scheduler's caches. */
export interface ClaimLookups {
  claim(namespace: string, name: string): ClaimObject | undefined;
  storageClass(name: string): ClassObject | undefined;
}

/** The pod's claims sorted by state (upstream PodVolumeClaims). */
export interface PodVolumeClaims {
  bound: ClaimObject[];
  /** Unbound claims of WaitForFirstConsumer classes: the scheduler binds or provisions them. */
  delayBinding: ClaimObject[];
  /** Unbound claims the PV controller should bind first (Immediate, no class, or pre-bound). */
  immediate: ClaimObject[];
}

export type PodClaimsOutcome = { kind: 'none' } | { kind: 'error'; message: string } | { kind: 'claims'; claims: PodVolumeClaims };

/**
 * PreFilter's classification: `none` when the pod uses no claim; `error` (upstream's texts) for
 * a missing claim, a lost or deleting one, or an ephemeral claim the pod does not own; otherwise
 * the claims by state.
 */
export function classifyPodClaims(pod: PodObject, lookups: ClaimLookups): PodClaimsOutcome {
  const refs = podClaimRefs(pod);
  if (refs.length === 0) return { kind: 'none' };
  const ns = pod.metadata?.namespace ?? '';
  const claims: PodVolumeClaims = { bound: [], delayBinding: [], immediate: [] };
  for (const ref of refs) {
    const claim = lookups.claim(ns, ref.claimName);
    if (!claim) {
      return { kind: 'error', message: ref.ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${ref.claimName}"` : `persistentvolumeclaim "${ref.claimName}" not found` };
    }
    if (claim.status?.phase === 'Lost') return { kind: 'error', message: `persistentvolumeclaim "${ref.claimName}" bound to non-existent persistentvolume "${claim.spec?.volumeName ?? ''}"` };
    if (claim.metadata?.deletionTimestamp) return { kind: 'error', message: `persistentvolumeclaim "${ref.claimName}" is being deleted` };
    if (ref.ephemeral) {
      const err = ephemeralOwnerError(pod, claim);
      if (err) return { kind: 'error', message: err };
    }
    if (isClaimFullyBound(claim)) claims.bound.push(claim);
    else if (isDelayBinding(claim, (n) => lookups.storageClass(n)) && !claim.spec?.volumeName) claims.delayBinding.push(claim);
    else claims.immediate.push(claim);
  }
  return { kind: 'claims', claims };
}
