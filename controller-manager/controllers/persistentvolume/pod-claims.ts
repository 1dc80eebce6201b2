/**
 * Which claims a pod uses, pure (upstream pkg/controller/volume/common PodPVCIndexFunc and
 * component-helpers ephemeral.VolumeClaimName): `persistentVolumeClaim.claimName`, and for a
 * generic ephemeral volume the claim `<pod>-<volume>`.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import type { PVC } from '../../../pkg/volume/claims.ts';
import { claimNamesOf } from '../../../pkg/volume/pod-claims.ts';
import { isTerminalPodPhase } from '../../../pkg/api/core/v1/pod-status.ts';

type P = Pod | DeepReadonly<Pod>;

/** Succeeded or Failed (upstream IsPodTerminated by phase). */
export const isPodTerminated = (pod: P): boolean => isTerminalPodPhase(pod.status?.phase);

/** The live (not terminated) pods of `pods` that use `claim`. */
export function podsUsingClaim<T extends P>(pods: readonly T[], claim: PVC): T[] {
  return pods.filter((p) => p.metadata.namespace === claim.metadata.namespace && !isPodTerminated(p) && claimNamesOf(p).includes(claim.metadata.name as string));
}
