/**
 * Which claims a pod uses (upstream component-helpers storage/ephemeral and the PVC index
 * functions): a `persistentVolumeClaim` volume names its claim; a generic `ephemeral` volume uses
 * the claim `<pod>-<volume>`, which must be controlled by the pod. Pure.
 */
import type { Pod } from '../api/core/v1/pod.ts';
import type { Volume } from '../api/core/v1/pod-volume.ts';
import type { DeepReadonly } from '../informer/index.ts';
import type { PVC } from './claims.ts';

type P = Pod | DeepReadonly<Pod>;

/** One claim a pod volume refers to. */
export interface PodClaimRef {
  volume: string;
  claimName: string;
  ephemeral: boolean;
}

/** Upstream ephemeral.VolumeClaimName. */
export const ephemeralClaimName = (pod: P, volume: Pick<Volume, 'name'>): string => `${pod.metadata?.name ?? ''}-${volume.name}`;

/** The claims of `pod`'s `persistentVolumeClaim` and generic `ephemeral` volumes, in volume order. */
export function podClaimRefs(pod: P): PodClaimRef[] {
  const refs: PodClaimRef[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) refs.push({ volume: v.name, claimName: v.persistentVolumeClaim.claimName ?? '', ephemeral: false });
    else if (v.ephemeral) refs.push({ volume: v.name, claimName: ephemeralClaimName(pod, v), ephemeral: true });
  }
  return refs;
}

/** Names of the claims `pod` uses (in its namespace). */
export const claimNamesOf = (pod: P): string[] => podClaimRefs(pod).map((r) => r.claimName).filter(Boolean);

/**
 * Upstream ephemeral.VolumeIsForPod: undefined when the claim is in the pod's namespace and
 * controlled by the pod, else upstream's error text.
 */
export function claimNotForPod(pod: P, claim: PVC): string | undefined {
  const owner = (claim.metadata?.ownerReferences ?? []).find((r) => r.controller);
  if (claim.metadata?.namespace === pod.metadata?.namespace && owner && owner.uid === pod.metadata?.uid) return undefined;
  return `PVC ${claim.metadata?.namespace ?? ''}/${claim.metadata?.name ?? ''} was not created for pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} (pod is not owner)`;
}
