/**
 * DaemonSet status from nodes and pods (upstream `updateDaemonSetStatus`), pure: per node that
 * should run a pod, whether one is there (current), whether the oldest one is ready, available
 * and of the current template (updated); pods on nodes that should not run one are misscheduled.
 * Fields upstream leaves out when zero (`omitempty`) are left out.
 */
import type { DaemonSet, DaemonSetStatus } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { isPodAvailable, readyCondition } from '../replicaset/pod-ranking.ts';
import { compareDaemonPods } from './node-plan.ts';
import type { DaemonPlacement } from './should-run.ts';

type P = Pod | DeepReadonly<Pod>;

/** Everything {@link computeDaemonSetStatus} reads; `podsByNode` maps target node names to the DaemonSet's pods. */
export interface StatusInput {
  ds: DaemonSet | DeepReadonly<DaemonSet>;
  nodes: readonly (Node | DeepReadonly<Node>)[];
  podsByNode: ReadonlyMap<string, readonly P[]>;
  placement: DaemonPlacement;
  isUpdated: (pod: P) => boolean;
  nowMs: number;
  /** Whether this sync acted on the current generation (false while expectations are pending). */
  observedGeneration: boolean;
}

/** The counts to store. */
export function computeDaemonSetStatus(input: StatusInput): DaemonSetStatus {
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let updated = 0;
  let available = 0;
  const minReady = input.ds.spec?.minReadySeconds ?? 0;
  for (const node of input.nodes) {
    const pods = input.podsByNode.get(node.metadata.name ?? '') ?? [];
    if (!input.placement(node).shouldRun) {
      if (pods.length) misscheduled++;
      continue;
    }
    desired++;
    if (!pods.length) continue;
    current++;
    const oldest = [...pods].sort(compareDaemonPods)[0]!;
    if (readyCondition(oldest).ready) {
      ready++;
      if (isPodAvailable(oldest, minReady, input.nowMs)) available++;
    }
    if (input.isUpdated(oldest)) updated++;
  }
  const previous = input.ds.status;
  const observed = input.observedGeneration ? input.ds.metadata.generation : previous?.observedGeneration;
  const status: DaemonSetStatus = { currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready };
  if (observed) status.observedGeneration = observed;
  if (updated) status.updatedNumberScheduled = updated;
  if (available) status.numberAvailable = available;
  if (desired - available) status.numberUnavailable = desired - available;
  if (previous?.collisionCount !== undefined) status.collisionCount = previous.collisionCount;
  if (previous?.conditions?.length) status.conditions = previous.conditions.map((c) => ({ ...c }));
  return status;
}

/** Whether `next` differs from what is stored (upstream skips the write when counts match and the generation was observed). */
export function statusChanged(ds: DaemonSet | DeepReadonly<DaemonSet>, next: DaemonSetStatus): boolean {
  const s = ds.status;
  const same = (k: keyof DaemonSetStatus) => ((s?.[k] as number | undefined) ?? 0) === ((next[k] as number | undefined) ?? 0);
  const counts = ['desiredNumberScheduled', 'currentNumberScheduled', 'numberMisscheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const;
  return !counts.every(same) || (s?.observedGeneration ?? 0) < (next.observedGeneration ?? 0);
}
