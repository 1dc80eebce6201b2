/**
 * What the DaemonSet's core loop does on each node (upstream `podsShouldBeOnNode` and
 * `getUnscheduledPodsWithoutNode`), pure: create the missing pod, delete pods that must not
 * stay, finished pods and extra pods (keeping the oldest; with surge, keeping one old and one new
 * pod until the new one is available). Failed pods are returned apart: deleting them goes
 * through the caller's back-off.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { isPodAvailable, readyCondition } from '../replicaset/pod-ranking.ts';
import { CONTROLLER_REVISION_HASH_LABEL } from './daemon-pod.ts';
import type { ShouldRun } from './should-run.ts';

type P = Pod | DeepReadonly<Pod>;

/** Scheduled pods first, then the oldest, then by name (upstream `podByCreationTimestampAndPhase`). */
export function compareDaemonPods(a: P, b: P): number {
  const sa = a.spec?.nodeName ? 0 : 1;
  const sb = b.spec?.nodeName ? 0 : 1;
  if (sa !== sb) return sa - sb;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** What {@link planNode} decides from: where the node stands for the DaemonSet and the pods meant for it. */
export interface NodePlanInput<T extends P> extends ShouldRun {
  /** The DaemonSet's pods meant for this node (by {@link targetNodeName}). */
  pods: readonly T[];
  /** The current revision's hash. */
  hash: string;
  /** Whether the update strategy allows a second pod per node (maxSurge > 0). */
  allowsSurge: boolean;
  minReadySeconds: number;
  nowMs: number;
}

/** The decision for one node; the pods listed are among the input's, none listed twice. */
export interface NodePlan<T extends P> {
  create: boolean;
  /** Pods to delete at once. */
  delete: T[];
  /** Succeeded pods among `delete` (upstream reports each with a SucceededDaemonPod event). */
  succeeded: T[];
  /** Failed pods to delete, subject to the failed-pod back-off. */
  failed: T[];
}

/** The plan for one node. */
export function planNode<T extends P>(input: NodePlanInput<T>): NodePlan<T> {
  const plan: NodePlan<T> = { create: false, delete: [], succeeded: [], failed: [] };
  const exists = input.pods.length > 0;
  if (input.shouldRun && !exists) {
    plan.create = true;
    return plan;
  }
  if (!input.shouldContinueRunning) {
    plan.delete = input.pods.filter((p) => !p.metadata.deletionTimestamp);
    return plan;
  }
  const running: T[] = [];
  for (const pod of input.pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (pod.status?.phase === 'Failed') plan.failed.push(pod);
    else if (pod.status?.phase === 'Succeeded') plan.succeeded.push(pod);
    else running.push(pod);
  }
  plan.delete.push(...plan.succeeded);
  running.sort(compareDaemonPods);
  if (!input.allowsSurge) {
    plan.delete.push(...running.slice(1));
    return plan;
  }
  if (running.length <= 1) {
    plan.create = running.length === 0 && input.shouldRun;
    return plan;
  }
  let oldestNew: T | undefined;
  let oldestOld: T | undefined;
  for (const pod of running) {
    const isNew = pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === input.hash;
    if (isNew && !oldestNew) oldestNew = pod;
    else if (!isNew && !oldestOld) oldestOld = pod;
    else plan.delete.push(pod);
  }
  if (oldestNew && oldestOld && (!readyCondition(oldestOld).ready || isPodAvailable(oldestNew, input.minReadySeconds, input.nowMs))) {
    plan.delete.push(oldestOld);
  }
  return plan;
}

/**
 * Pods not yet scheduled whose target node no longer exists: nothing else would ever delete them
 * (upstream `getUnscheduledPodsWithoutNode`).
 */
export function unscheduledPodsWithoutNode<T extends P>(nodeNames: ReadonlySet<string>, podsByNode: ReadonlyMap<string, readonly T[]>): T[] {
  const out: T[] = [];
  for (const [node, pods] of podsByNode) {
    if (nodeNames.has(node)) continue;
    out.push(...pods.filter((p) => !p.spec?.nodeName));
  }
  return out;
}
