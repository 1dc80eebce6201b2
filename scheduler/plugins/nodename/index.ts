/** NodeName: a pod with `spec.nodeName` fits only that node. */
import { ActionType, Status, type ClusterEventWithHint, type EnqueueExtensions, type FilterPlugin, type NodeInfo, type PluginFactory, type PodObject } from '../../framework/index.ts';
import { Names } from '../names.ts';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function fitsNodeName(pod: PodObject, nodeName: string): boolean {
  const want = pod.spec?.nodeName;
  return !want || want === nodeName;
}

export const nodeName: PluginFactory = (): FilterPlugin & EnqueueExtensions => ({
  name: Names.NodeName,
  filter: (_state, pod, nodeInfo: NodeInfo) => (fitsNodeName(pod, nodeInfo.nodeName()) ? Status.SUCCESS : Status.unresolvable(ERR_REASON_NODE_NAME)),
  eventsToRegister: (): ClusterEventWithHint[] => [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } }],
});
