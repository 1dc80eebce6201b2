/**
 * StatefulSet status from its pods (upstream computeReplicaStatus / completeRollingUpdate /
 * inconsistentStatus), pure. `replicas` counts created pods, `readyReplicas` Running and Ready
 * ones, `availableReplicas` those ready for `minReadySeconds`, `currentReplicas` /
 * `updatedReplicas` the non-terminating pods at the current / update revision. A rolling update
 * is complete when every desired pod is created, ready and at the update revision: the update
 * revision then becomes the current one, which is what `kubectl rollout status` waits for.
 */
import type { StatefulSet, StatefulSetStatus } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { isCreated, isRunningAndReady, isTerminating, podRevision, replicasOf } from './identity.ts';
import { isPodAvailable } from '../replicaset/pod-ranking.ts';

type P = Pod | DeepReadonly<Pod>;
type S = StatefulSet | DeepReadonly<StatefulSet>;

/** The counts and revisions of a status (zeros kept: callers compare these). */
export interface StatusCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

/** The counts over `pods` (upstream computeReplicaStatus). */
export function countPods(pods: readonly P[], options: { minReadySeconds: number; nowMs: number; currentRevision: string; updateRevision: string }): StatusCounts {
  const counts: StatusCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    if (isCreated(pod)) counts.replicas++;
    if (isRunningAndReady(pod)) {
      counts.readyReplicas++;
      if (isPodAvailable(pod, options.minReadySeconds, options.nowMs)) counts.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const revision = podRevision(pod);
      if (revision === options.currentRevision) counts.currentReplicas++;
      if (revision === options.updateRevision) counts.updatedReplicas++;
    }
  }
  return counts;
}

/** The full status (before {@link completeRollingUpdate}). */
export interface ComputedStatus extends StatusCounts {
  observedGeneration: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/** Upstream completeRollingUpdate: all desired pods updated and ready → the update revision is current. */
export function completeRollingUpdate(set: S, status: ComputedStatus): ComputedStatus {
  const want = replicasOf(set);
  if (set.spec?.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === want && status.readyReplicas === want && status.replicas === want) {
    return { ...status, currentReplicas: status.updatedReplicas, currentRevision: status.updateRevision };
  }
  return status;
}

/** The status as written: zero counts other than replicas and availableReplicas are omitted, as upstream's JSON. */
export function toWireStatus(status: ComputedStatus): StatefulSetStatus {
  const optional = (v: number) => (v ? v : undefined);
  const out: StatefulSetStatus = {
    observedGeneration: status.observedGeneration,
    replicas: status.replicas,
    readyReplicas: optional(status.readyReplicas),
    currentReplicas: optional(status.currentReplicas),
    updatedReplicas: optional(status.updatedReplicas),
    currentRevision: status.currentRevision || undefined,
    updateRevision: status.updateRevision || undefined,
    collisionCount: status.collisionCount,
    availableReplicas: status.availableReplicas,
  };
  for (const k of Object.keys(out) as (keyof StatefulSetStatus)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** Upstream inconsistentStatus: whether the stored status differs from the computed one. */
export function statusChanged(stored: StatefulSet['status'] | DeepReadonly<StatefulSet['status']>, status: ComputedStatus): boolean {
  const s = stored ?? { replicas: 0, availableReplicas: 0 };
  return (
    status.observedGeneration > (s.observedGeneration ?? 0) ||
    status.replicas !== (s.replicas ?? 0) ||
    status.currentReplicas !== (s.currentReplicas ?? 0) ||
    status.readyReplicas !== (s.readyReplicas ?? 0) ||
    status.updatedReplicas !== (s.updatedReplicas ?? 0) ||
    status.availableReplicas !== (s.availableReplicas ?? 0) ||
    status.currentRevision !== (s.currentRevision ?? '') ||
    status.updateRevision !== (s.updateRevision ?? '') ||
    status.collisionCount !== (s.collisionCount ?? 0)
  );
}
