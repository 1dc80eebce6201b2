/** NodePorts: a pod's host ports must be free on the node. */
import {
  ActionType,
  podHostPorts,
  stateKey,
  Status,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type HostPort,
  type HostPortInfo,
  type PluginFactory,
  type PreFilterPlugin,
} from '../../framework/index.ts';
import { Names } from '../names.ts';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
const portsKey = stateKey<HostPort[]>('PreFilter' + Names.NodePorts);

/** Whether every wanted port is free. */
export function fitsPorts(wanted: readonly HostPort[], used: HostPortInfo): boolean {
  return !wanted.some((p) => used.conflicts(p));
}

export const nodePorts: PluginFactory = (): PreFilterPlugin & FilterPlugin & EnqueueExtensions => ({
  name: Names.NodePorts,
  preFilter: (state, pod) => {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return { status: Status.skip() };
    state.write(portsKey, ports);
    return { status: Status.SUCCESS };
  },
  filter: (state, _pod, nodeInfo) => (fitsPorts(state.read(portsKey), nodeInfo.usedPorts) ? Status.SUCCESS : Status.unschedulable(ERR_REASON_PORTS)),
  eventsToRegister: (): ClusterEventWithHint[] => [
    { event: { resource: 'AssignedPod', actionType: ActionType.Delete } },
    { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateOther } },
  ],
});
