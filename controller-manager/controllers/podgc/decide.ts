/**
 * What the pod garbage collector removes (upstream pkg/controller/podgc), pure:
 * - terminating pods on a node that is not Ready and carries the `node.kubernetes.io/out-of-service`
 *   taint — the operator's confirmation that the node is down, so no second copy can run while
 *   the first is alive (without the taint such pods stay Terminating until their kubelet confirms);
 * - pods bound to a node that no longer exists (seen missing for the quarantine time);
 * - terminating pods that were never scheduled;
 * - the oldest finished (Succeeded/Failed) pods above `--terminated-pod-gc-threshold`.
 */
import { isNodeReady, type Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { isTerminalPodPhase } from '../../../pkg/api/core/v1/pod-status.ts';

export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

export type CollectReason = 'OutOfServiceNode' | 'OrphanedNode' | 'UnscheduledTerminating' | 'TerminatedOverThreshold';

export interface PodToCollect {
  pod: DeepReadonly<Pod>;
  reason: CollectReason;
}

export interface CollectInput {
  pods: readonly DeepReadonly<Pod>[];
  nodes: readonly DeepReadonly<Node>[];
  /** Nodes seen missing, by name → first time (ms); updated by the caller from `missingNodes`. */
  missingSince: ReadonlyMap<string, number>;
  now: number;
  /** How long a node must be missing before its pods count as orphaned (upstream 40 s). */
  quarantineMs: number;
  /** `--terminated-pod-gc-threshold` (upstream 12500; 0 disables). */
  terminatedThreshold: number;
}

function isTerminated(pod: DeepReadonly<Pod>): boolean {
  return isTerminalPodPhase(pod.status?.phase);
}

/** Names of nodes pods are bound to that do not exist. */
export function missingNodes(pods: readonly DeepReadonly<Pod>[], nodes: readonly DeepReadonly<Node>[]): Set<string> {
  const known = new Set(nodes.map((n) => n.metadata.name));
  return new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => Boolean(n) && !known.has(n)));
}

/** The pods to delete now, each once, with why. */
export function podsToCollect(input: CollectInput): PodToCollect[] {
  const out = new Map<string, PodToCollect>();
  const add = (pod: DeepReadonly<Pod>, reason: CollectReason) => {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (!out.has(key)) out.set(key, { pod, reason });
  };
  const byName = new Map(input.nodes.map((n) => [n.metadata.name, n]));
  for (const pod of input.pods) {
    const nodeName = pod.spec?.nodeName;
    if (pod.metadata.deletionTimestamp && !nodeName) add(pod, 'UnscheduledTerminating');
    if (!nodeName) continue;
    const node = byName.get(nodeName);
    if (!node) {
      const since = input.missingSince.get(nodeName);
      if (since !== undefined && input.now - since >= input.quarantineMs) add(pod, 'OrphanedNode');
      continue;
    }
    if (pod.metadata.deletionTimestamp && !isNodeReady(node) && node.spec?.taints?.some((t) => t.key === OUT_OF_SERVICE_TAINT)) add(pod, 'OutOfServiceNode');
  }
  if (input.terminatedThreshold > 0) {
    const finished = input.pods.filter((p) => isTerminated(p) && !p.metadata.deletionTimestamp);
    const excess = finished.length - input.terminatedThreshold;
    if (excess > 0) {
      const oldest = [...finished].sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? ''));
      for (const pod of oldest.slice(0, excess)) add(pod, 'TerminatedOverThreshold');
    }
  }
  return [...out.values()];
}
