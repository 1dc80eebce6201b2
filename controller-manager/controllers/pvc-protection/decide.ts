/**
 * StorageObjectInUseProtection for claims, pure (upstream pkg/controller/volume/pvcprotection):
 * a claim keeps `kubernetes.io/pvc-protection` while a scheduled pod uses it — through
 * `persistentVolumeClaim.claimName` (whatever the pod's phase, as upstream), or as the generic
 * ephemeral claim `<pod>-<volume>` the pod controls, unless the pod is shut down (force-deleted
 * or deleted by its kubelet). Unscheduled pods do not count: the kubelet never starts a pod whose
 * claim is being deleted.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { controllerRefOf } from '../../../pkg/runtime/index.ts';
import { PVC_PROTECTION_FINALIZER, type PVC } from '../../../pkg/volume/claims.ts';
import { ephemeralClaimName } from '../../../pkg/volume/pod-claims.ts';

type P = Pod | DeepReadonly<Pod>;

/** What a protection controller does with its finalizer on one object. */
export type ProtectionAction = 'add' | 'remove' | 'keep';

/** Upstream podIsShutDown: deleted with a zero grace period. */
export const podIsShutDown = (pod: P): boolean => Boolean(pod.metadata.deletionTimestamp) && pod.metadata.deletionGracePeriodSeconds === 0;

/** Upstream podUsesPVC. */
export function podUsesClaim(pod: P, claim: PVC): boolean {
  if (!pod.spec?.nodeName || pod.metadata.namespace !== claim.metadata.namespace) return false;
  return (pod.spec.volumes ?? []).some((v) => {
    if (v.persistentVolumeClaim) return v.persistentVolumeClaim.claimName === claim.metadata.name;
    if (!v.ephemeral || podIsShutDown(pod)) return false;
    return ephemeralClaimName(pod, v) === claim.metadata.name && controllerRefOf(claim)?.uid === pod.metadata.uid;
  });
}

/** Add the finalizer to a live claim lacking it; remove it from a deleting claim no pod uses. */
export function decideClaimProtection(claim: PVC, inUse: () => boolean): ProtectionAction {
  const has = claim.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER) ?? false;
  if (!claim.metadata.deletionTimestamp) return has ? 'keep' : 'add';
  if (!has) return 'keep';
  return inUse() ? 'keep' : 'remove';
}
