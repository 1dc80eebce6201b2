/**
 * What one sync of a StatefulSet does next (upstream defaultStatefulSetControl.updateStatefulSet),
 * pure: the steps to take, in order, and the status to report.
 *
 * Pods are split into `replicas` (ordinals in `[start, start + replicas)`, a hole where no pod
 * exists) and `condemned` (ordinals beyond, highest first). Then, as upstream:
 * 1. replicas, lowest ordinal first: a Failed/Succeeded pod is deleted (it is recreated on a later
 *    sync), a missing one created — at the current revision below the partition, else at the
 *    update revision — and a pod with a wrong identity relabelled. `OrderedReady` stops at the
 *    first pod it creates or deletes and at the first pod not yet Running, Ready and Available
 *    (or terminating): ordinal i is created only once 0…i-1 are ready. `Parallel` does all at once.
 * 2. condemned pods (scale down), only once every replica is healthy under `OrderedReady`: one
 *    at a time from the highest ordinal, waiting for each to terminate; all at once for `Parallel`.
 * 3. `RollingUpdate` only (`OnDelete` stops here): from the highest ordinal down to the partition,
 *    the first pod not at the update revision is deleted (it comes back at the new revision), one
 *    at a time, waiting for each replacement to be available.
 */
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import {
  identityMatches,
  isFinished,
  isRunningAndReady,
  isTerminating,
  isUnavailable,
  newStatefulSetPod,
  ordinalOf,
  podRevision,
  replicasOf,
  startOrdinal,
  storageMatches,
} from './identity.ts';
import { countPods, type ComputedStatus } from './status.ts';
import { isPodAvailable } from '../replicaset/pod-ranking.ts';

type P = Pod | DeepReadonly<Pod>;
type S = StatefulSet | DeepReadonly<StatefulSet>;

/** A revision and the set as it was at that revision (its template). */
export interface RevisionState {
  name: string;
  set: S;
}

/** What {@link planStatefulSet} decides from: state read now (level-based), nothing else. */
export interface PlanInput {
  set: S;
  /** The pods the set controls (claimed, members by name). */
  pods: readonly P[];
  current: RevisionState;
  update: RevisionState;
  collisionCount: number;
  nowMs: number;
}

/** Which loop of the sync a step belongs to (`Parallel` runs one loop's steps concurrently). */
export type Phase = 'replicas' | 'condemned' | 'update';

/** One write of a sync, in the order it must happen; a failed step stops the sync (it is retried). */
export type Step =
  | { action: 'create'; phase: 'replicas'; ordinal: number; pod: Pod }
  | { action: 'delete'; phase: Phase; reason: 'finished' | 'scale-down' | 'update'; pod: P }
  | { action: 'fix-identity'; phase: 'replicas'; pod: P };

/** The decision: steps to run and the status to report (even if a step fails). */
export interface Plan {
  /** False for `Parallel`: steps of one phase may run at once. */
  monotonic: boolean;
  steps: Step[];
  /** Before completeRollingUpdate. */
  status: ComputedStatus;
}

/** The revision a new pod of `ordinal` gets (upstream newVersionedStatefulSetPod). */
export function revisionForNewPod(input: Pick<PlanInput, 'set' | 'current' | 'update'>, ordinal: number): RevisionState {
  const { set } = input;
  const strategy = set.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate') return input.update;
  const start = startOrdinal(set);
  const below = strategy.rollingUpdate ? ordinal < start + (strategy.rollingUpdate.partition ?? 0) : ordinal < start + (set.status?.currentReplicas ?? 0);
  return below ? input.current : input.update;
}

/** Pure: the same input always gives the same plan; nothing is read or written. */
export function planStatefulSet(input: PlanInput): Plan {
  const { set, nowMs } = input;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const start = startOrdinal(set);
  const count = replicasOf(set);
  const replicas: Array<P | undefined> = new Array(count).fill(undefined);
  const condemned: P[] = [];
  for (const pod of input.pods) {
    const ordinal = ordinalOf(pod);
    if (ordinal >= start && ordinal < start + count) replicas[ordinal - start] = pod;
    else if (ordinal >= 0) condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  const counted = [...replicas.filter((p): p is P => p !== undefined), ...condemned];
  const status: ComputedStatus = {
    observedGeneration: set.metadata.generation ?? 0,
    currentRevision: input.current.name,
    updateRevision: input.update.name,
    collisionCount: input.collisionCount,
    ...countPods(counted, { minReadySeconds: minReady, nowMs, currentRevision: input.current.name, updateRevision: input.update.name }),
  };
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const steps: Step[] = [];
  const done = (): Plan => ({ monotonic, steps, status });
  if (set.metadata.deletionTimestamp) return done();

  // Pods to create, in place, so later loops see them as upstream does (not created, unavailable).
  const slots: P[] = replicas.map((pod, i) => {
    if (pod) return pod;
    const revision = revisionForNewPod(input, start + i);
    return newStatefulSetPod(revision.set, start + i, revision.name);
  });
  const unavailable = (pod: P) => isUnavailable(pod, minReady, nowMs);
  const firstUnhealthy = slots.find(unavailable) ?? [...condemned].reverse().find(unavailable);

  for (const [i, pod] of slots.entries()) {
    if (replicas[i] && isFinished(pod)) {
      if (!isTerminating(pod)) steps.push({ action: 'delete', phase: 'replicas', reason: 'finished', pod });
      if (monotonic) return done();
      continue;
    }
    if (!replicas[i]) {
      steps.push({ action: 'create', phase: 'replicas', ordinal: start + i, pod: pod as Pod });
      if (monotonic) return done();
      continue;
    }
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isPodAvailable(pod, minReady, nowMs))) return done();
    if (!identityMatches(set, pod) || !storageMatches(set, pod)) steps.push({ action: 'fix-identity', phase: 'replicas', pod });
  }

  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return done();
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !isPodAvailable(pod, minReady, nowMs))) return done();
    steps.push({ action: 'delete', phase: 'condemned', reason: 'scale-down', pod });
    if (monotonic) return done();
  }

  if (set.spec?.updateStrategy?.type !== 'RollingUpdate') return done();
  const updateMin = set.spec.updateStrategy.rollingUpdate?.partition ?? 0;
  for (let target = slots.length - 1; target >= updateMin; target--) {
    const pod = slots[target] as P;
    if (podRevision(pod) !== input.update.name && !isTerminating(pod)) {
      steps.push({ action: 'delete', phase: 'update', reason: 'update', pod });
      status.currentReplicas--;
      return done();
    }
    if (unavailable(pod)) return done();
  }
  return done();
}
