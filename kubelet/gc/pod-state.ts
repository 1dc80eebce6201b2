/**
 * What the container collector may do with a pod's leftovers, from what the kubelet knows of it
 * (upstream pod workers' `ShouldPodContentBeRemoved` / `ShouldPodRuntimeBeRemoved`). Pure.
 *
 * - no such pod (deleted from the API, or a static pod whose manifest is gone): `removable`;
 * - deleted (a deletion timestamp) or evicted by this kubelet: `removable` — only what is dead
 *   goes, so a pod still stopping keeps its running parts;
 * - in a final phase (Succeeded, Failed, or rejected at admission): `terminated`;
 * - otherwise `active`.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { isTerminalPodPhase } from '../../pkg/api/core/v1/pod-status.ts';
import type { GcPodState } from './container-gc.ts';

/** Inputs of {@link gcPodState}. */
export interface PodStateFacts {
  /** The pod as the kubelet has it (API or static), undefined when it has none. */
  pod: Pod | undefined;
  /** The final status this kubelet gave the pod, if any: `evicted` when it was evicted after running. */
  fate?: { evicted: boolean };
}

export function gcPodState({ pod, fate }: PodStateFacts): GcPodState {
  if (!pod) return 'removable';
  if (pod.metadata.deletionTimestamp || fate?.evicted) return 'removable';
  if (fate || isTerminalPodPhase(pod.status?.phase)) return 'terminated';
  return 'active';
}
