/**
 * Which PersistentVolumeClaims a pod uses and in which state they are (upstream volumebinding
 * `podHasPVCs` and binder `GetPodVolumeClaims`, component-helpers `storage/volume` and
 * `storage/ephemeral`). Pure: the caller passes lookups over its informer caches.
 */
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import type { DeepReadonly, PodObject } from '../../framework/index.ts';
import { ANN_BIND_COMPLETED, claimClass } from '../../../pkg/volume/claims.ts';
import { claimNotForPod, podClaimRefs } from '../../../pkg/volume/pod-claims.ts';

export type ClaimObject = DeepReadonly<PersistentVolumeClaim>;
export type VolumeObject = DeepReadonly<PersistentVolume>;
export type ClassObject = DeepReadonly<StorageClass>;

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
      const err = claimNotForPod(pod, claim);
      if (err) return { kind: 'error', message: err };
    }
    if (isClaimFullyBound(claim)) claims.bound.push(claim);
    else if (isDelayBinding(claim, (n) => lookups.storageClass(n)) && !claim.spec?.volumeName) claims.delayBinding.push(claim);
    else claims.immediate.push(claim);
  }
  return { kind: 'claims', claims };
}
