/** NodeUnschedulable: cordoned nodes (`spec.unschedulable`) fit only pods tolerating the unschedulable taint. */
import { ActionType, Status, type ClusterEventWithHint, type EnqueueExtensions, type FilterPlugin, type NodeObject, type PluginFactory, type PodObject } from '../../framework/index.ts';
import { Names } from '../names.ts';
import { podTolerations, toleratesTaint } from '../helper/taints.ts';

export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/** The failure reason, or undefined when the pod may go to the node. */
export function unschedulableReason(pod: PodObject, node: NodeObject | undefined): string | undefined {
  if (!node) return ERR_REASON_UNKNOWN_CONDITION;
  if (!node.spec?.unschedulable) return undefined;
  const taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };
  return podTolerations(pod).some((t) => toleratesTaint(t, taint)) ? undefined : ERR_REASON_UNSCHEDULABLE;
}

export const nodeUnschedulable: PluginFactory = (): FilterPlugin & EnqueueExtensions => ({
  name: Names.NodeUnschedulable,
  filter: (_state, pod, nodeInfo) => {
    const reason = unschedulableReason(pod, nodeInfo.node);
    return reason ? Status.unresolvable(reason) : Status.SUCCESS;
  },
  eventsToRegister: (): ClusterEventWithHint[] => [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateOther } }],
});
