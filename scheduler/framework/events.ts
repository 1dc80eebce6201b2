/**
 * Cluster events that can make an unschedulable pod schedulable (upstream framework.ClusterEvent
 * and ActionType), and the queueing hints plugins attach to them.
 */
import type { PodObject } from './types.ts';

/** Bit flags of what happened to an object (upstream ActionType). */
export const ActionType = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodToleration: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  UpdatePodGeneratedResourceClaim: 1 << 11,
  /** Any other update. */
  UpdateOther: 1 << 12,
  Update: 0b1_1111_1111_1100,
  All: 0b1_1111_1111_1111,
} as const;
export type ActionType = number;

/**
 * The kinds of objects events are about. `AssignedPod` is a pod bound to a node (by anyone),
 * `UnscheduledPod` a pod still waiting; `Pod` means both. `*` matches every resource.
 */
export type EventResource = 'Pod' | 'AssignedPod' | 'UnscheduledPod' | 'Node' | 'Namespace' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'StorageClass' | 'CSINode' | '*' | (string & {});

/** Something that happened in the cluster. `label` names it in metrics and logs. */
export interface ClusterEvent {
  readonly resource: EventResource;
  readonly actionType: ActionType;
  readonly label?: string;
}

/** Whether a queueing hint says the event may make the pod schedulable. */
export type QueueingHint = 'Queue' | 'QueueSkip';

/**
 * Decides, for one pending pod, whether an event is worth retrying it for. Throwing means
 * "Queue" (upstream treats hint errors as Queue).
 */
export type QueueingHintFn = (pod: PodObject, oldObj: unknown, newObj: unknown) => QueueingHint;

export interface ClusterEventWithHint {
  readonly event: ClusterEvent;
  /** Absent: always Queue. */
  readonly queueingHintFn?: QueueingHintFn;
}

/** Whether a registered event (`registered`) covers an observed one (`observed`). */
export function eventMatches(registered: ClusterEvent, observed: ClusterEvent): boolean {
  if ((registered.actionType & observed.actionType) === 0) return false;
  if (registered.resource === '*' || registered.resource === observed.resource) return true;
  // `Pod` registrations cover both assigned and unscheduled pod events.
  return registered.resource === 'Pod' && (observed.resource === 'AssignedPod' || observed.resource === 'UnscheduledPod');
}

/** Events the queue itself raises. */
export const WILDCARD_EVENT: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'WildCardEvent' };
export const UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'UnschedulableTimeout' };
export const FORCE_ACTIVATE: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'ForceActivate' };
export const NODE_ADD: ClusterEvent = { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' };
export const NODE_DELETE: ClusterEvent = { resource: 'Node', actionType: ActionType.Delete, label: 'NodeDelete' };
export const ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Delete, label: 'AssignedPodDelete' };
export const ASSIGNED_POD_ADD: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Add, label: 'AssignedPodAdd' };
