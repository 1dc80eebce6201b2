/**
 * ReplicaSet status from its pods (upstream `calculateStatus`): replicas counts active pods,
 * fullyLabeledReplicas those carrying every template label, readyReplicas the Ready ones,
 * availableReplicas those Ready for `minReadySeconds`; `ReplicaFailure` reports create/delete
 * errors. Pure.
 */
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { isPodActive, isPodAvailable, readyCondition } from './pod-ranking.ts';

type RS = ReplicaSet | DeepReadonly<ReplicaSet>;

/** The status to write; `manageError` is the message of a failed create/delete, if any. */
export function computeReplicaSetStatus(rs: RS, pods: ReadonlyArray<Pod | DeepReadonly<Pod>>, nowMs: number, manageError?: { reason: 'FailedCreate' | 'FailedDelete'; message: string }): NonNullable<ReplicaSet['status']> {
  const active = pods.filter(isPodActive);
  const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const old = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  const conditions = manageError
    ? [{ type: 'ReplicaFailure', status: 'True', reason: manageError.reason, message: manageError.message, lastTransitionTime: old?.status === 'True' ? old.lastTransitionTime : new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z') }]
    : [];
  return {
    replicas: active.length,
    fullyLabeledReplicas: active.filter((p) => templateLabels.every(([k, v]) => p.metadata.labels?.[k] === v)).length,
    readyReplicas: active.filter((p) => readyCondition(p).ready).length,
    availableReplicas: active.filter((p) => isPodAvailable(p, minReady, nowMs)).length,
    observedGeneration: rs.metadata.generation,
    ...(conditions.length ? { conditions } : {}),
  };
}
