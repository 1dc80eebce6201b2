/**
 * Whether a node should run a DaemonSet's pod (upstream `NodeShouldRunDaemonPod`), pure:
 * - `shouldRun`: a pod should be created there if none runs: the template's nodeName (if any)
 *   is this node, nodeSelector and required node affinity match, and every NoSchedule and
 *   NoExecute taint is tolerated (with the daemon tolerations added);
 * - `shouldContinueRunning`: a pod already there may stay: as above, except that untolerated
 *   NoSchedule taints do not matter (only NoExecute ones evict).
 */
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { requiredNodeAffinity } from '../../../scheduler/plugins/helper/node-selector.ts';
import { findUntoleratedTaint } from '../../../pkg/api/core/v1/taints.ts';
import { withDaemonTolerations } from './daemon-pod.ts';

type DS = DaemonSet | DeepReadonly<DaemonSet>;
type AnyNode = Node | DeepReadonly<Node>;

/** Where a node stands for a DaemonSet (see the module comment); shouldRun implies shouldContinueRunning. */
export interface ShouldRun {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/** The tolerations and node constraints of the DaemonSet's pods, computed once per DaemonSet. */
export interface DaemonPlacement {
  (node: AnyNode): ShouldRun;
}

/** Builds {@link DaemonPlacement} for `ds` (upstream `NewPod` + `predicates`). */
export function daemonPlacement(ds: DS): DaemonPlacement {
  const spec = withDaemonTolerations((ds.spec?.template?.spec ?? {}) as NonNullable<Pod['spec']>);
  const affinity = requiredNodeAffinity({ metadata: {}, spec } as DeepReadonly<Pod>);
  const tolerations = spec.tolerations ?? [];
  const wantedNode = ds.spec?.template?.spec?.nodeName;
  return (node) => {
    if (wantedNode && wantedNode !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
    if (!affinity.match(node as DeepReadonly<Node>)) return { shouldRun: false, shouldContinueRunning: false };
    const taints = (node.spec?.taints ?? []) as DeepReadonly<NonNullable<NonNullable<Node['spec']>['taints']>>;
    const blocking = findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    if (!blocking) return { shouldRun: true, shouldContinueRunning: true };
    const evicting = findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute');
    return { shouldRun: false, shouldContinueRunning: !evicting };
  };
}

/** One-off form of {@link daemonPlacement}. */
export function nodeShouldRunDaemonPod(node: AnyNode, ds: DS): ShouldRun {
  return daemonPlacement(ds)(node);
}
