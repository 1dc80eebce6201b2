/** SchedulingGates: pods with `spec.schedulingGates` stay out of activeQ until the gates are removed. */
import { ActionType, Code, Status, type ClusterEventWithHint, type EnqueueExtensions, type PluginFactory, type PodObject, type PreEnqueuePlugin } from '../../framework/index.ts';
import { Names } from '../names.ts';

/** Upstream message: `waiting for scheduling gates: [a b]`. */
export function schedulingGatesStatus(pod: PodObject): Status {
  const gates = pod.spec?.schedulingGates ?? [];
  if (gates.length === 0) return Status.SUCCESS;
  return Status.of(Code.UnschedulableAndUnresolvable, `waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
}

export const schedulingGates: PluginFactory = (): PreEnqueuePlugin & EnqueueExtensions => ({
  name: Names.SchedulingGates,
  preEnqueue: schedulingGatesStatus,
  eventsToRegister: (): ClusterEventWithHint[] => [{ event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodSchedulingGatesEliminated } }],
});
