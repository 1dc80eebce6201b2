/**
 * The cluster events that may make a pod VolumeBinding rejected schedulable, with upstream's
 * queueing hints (isSchedulableAfterPersistentVolumeClaimChange / StorageClassChange).
 */
import { ActionType, type ClusterEventWithHint, type PodObject, type QueueingHint } from '../../framework/index.ts';
import type { ClaimObject, ClassObject } from './claims.ts';
import { podClaimRefs } from '../../../pkg/volume/pod-claims.ts';

/** Queue when the claim is one of the pod's (same namespace, a referenced or ephemeral claim name). */
export function schedulableAfterClaimChange(pod: PodObject, _old: unknown, newObj: unknown): QueueingHint {
  const claim = newObj as ClaimObject | undefined;
  if (!claim) return 'Queue';
  if (claim.metadata?.namespace !== pod.metadata?.namespace) return 'QueueSkip';
  return podClaimRefs(pod).some((r) => r.claimName === claim.metadata?.name) ? 'Queue' : 'QueueSkip';
}

/** Queue on any new class, and on an update of `allowedTopologies`. */
export function schedulableAfterClassChange(_pod: PodObject, oldObj: unknown, newObj: unknown): QueueingHint {
  const before = oldObj as ClassObject | undefined;
  const after = newObj as ClassObject | undefined;
  if (!before || !after) return 'Queue';
  return JSON.stringify(before.allowedTopologies ?? null) !== JSON.stringify(after.allowedTopologies ?? null) ? 'Queue' : 'QueueSkip';
}

export function volumeBindingEvents(): ClusterEventWithHint[] {
  return [
    { event: { resource: 'StorageClass', actionType: ActionType.Add | ActionType.Update }, queueingHintFn: schedulableAfterClassChange },
    { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.Update }, queueingHintFn: schedulableAfterClaimChange },
    { event: { resource: 'PersistentVolume', actionType: ActionType.Add | ActionType.Update } },
    { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint } },
  ];
}
