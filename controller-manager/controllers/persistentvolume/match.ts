/**
 * Which volume a claim binds to (upstream index.go findBestMatchForClaim / FindMatchingVolume and
 * pv_controller.go checkVolumeSatisfyClaim), pure:
 * - a volume pre-bound to the claim (claimRef naming it) wins if it is large enough;
 * - with delayed binding (WaitForFirstConsumer) nothing else is chosen here: the scheduler does;
 * - otherwise an Available, unclaimed, not-deleting volume of the claim's class ('' matches only
 *   ''), the claim's volume mode, matching the claim's label selector, with every requested
 *   access mode and capacity ≥ the request. Volumes whose access-mode set is smallest are
 *   preferred (upstream walks the index from the fewest modes up), then the smallest capacity.
 * Node affinity does not exclude a volume here (the binder has no node; upstream passes none).
 */
import { compareQuantity } from '../../../pkg/api/quantity.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import { accessModesContained, claimClass, isVolumeBoundToClaim, requestedStorage, volumeCapacity, volumeClass, volumeModeMismatch, type PV, type PVC } from '../../../pkg/volume/claims.ts';

/** The best volume for `claim` among `volumes`, or undefined. */
export function findBestMatch<V extends PV>(claim: PVC, volumes: readonly V[], delayBinding: boolean): V | undefined {
  const requested = requestedStorage(claim);
  const wanted = claim.spec?.accessModes ?? [];
  const selector = claim.spec?.selector ? fromLabelSelector(claim.spec.selector as never) : undefined;
  const klass = claimClass(claim);
  let best: V | undefined;
  let bestModes = Infinity;
  for (const volume of volumes) {
    if (volumeModeMismatch(claim, volume)) continue;
    if (!accessModesContained(volume.spec?.accessModes, wanted)) continue;
    if (volume.metadata.deletionTimestamp) continue;
    const big = compareQuantity(volumeCapacity(volume), requested) >= 0;
    if (isVolumeBoundToClaim(volume, claim)) {
      if (big) return volume;
      continue;
    }
    if (delayBinding) continue;
    if (volume.status?.phase !== 'Available' || volume.spec?.claimRef) continue;
    if (selector && !selector.matches((volume.metadata.labels ?? {}) as Record<string, string>)) continue;
    if (volumeClass(volume) !== klass || !big) continue;
    const modes = new Set(volume.spec?.accessModes ?? []).size;
    if (!best || modes < bestModes || (modes === bestModes && compareQuantity(volumeCapacity(volume), volumeCapacity(best)) < 0)) {
      best = volume;
      bestModes = modes;
    }
  }
  return best;
}

/** Why a claim's `spec.volumeName` volume cannot serve it (upstream checkVolumeSatisfyClaim), or undefined. */
export function volumeMismatch(volume: PV, claim: PVC): string | undefined {
  if (volume.metadata.deletionTimestamp) return `the volume is marked for deletion "${volume.metadata.name}"`;
  if (compareQuantity(volumeCapacity(volume), requestedStorage(claim)) < 0) return 'requested PV is too small';
  if (volumeClass(volume) !== claimClass(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, volume)) return 'incompatible volumeMode';
  if (!accessModesContained(volume.spec?.accessModes, claim.spec?.accessModes)) return 'incompatible accessMode';
  return undefined;
}
