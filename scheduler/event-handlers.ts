/**
 * Informer events → cache and queue (upstream eventhandlers.go). Handlers only record state and
 * move pods between queues; they never call the API.
 */
import {
  ActionType,
  ASSIGNED_POD_ADD,
  ASSIGNED_POD_DELETE,
  NODE_ADD,
  NODE_DELETE,
  podRequests,
  type ClusterEvent,
  type NodeObject,
  type PodObject,
} from './framework/index.ts';
import type { Cache } from './cache/index.ts';
import type { SchedulingQueue } from './queue/index.ts';
import { isTerminalPodPhase } from '../pkg/api/core/v1/pod-status.ts';

export function isAssigned(pod: PodObject): boolean {
  return Boolean(pod.spec?.nodeName);
}

export function isTerminal(pod: PodObject): boolean {
  return isTerminalPodPhase(pod.status?.phase);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Which scheduling-relevant properties of a node changed (upstream nodeSchedulingPropertiesChange). */
export function nodeUpdateEvent(oldNode: NodeObject, newNode: NodeObject): ClusterEvent | undefined {
  let action = 0;
  if (!same(oldNode.status?.allocatable, newNode.status?.allocatable)) action |= ActionType.UpdateNodeAllocatable;
  if (!same(oldNode.metadata?.labels, newNode.metadata?.labels)) action |= ActionType.UpdateNodeLabel;
  if (!same(oldNode.spec?.taints, newNode.spec?.taints) || Boolean(oldNode.spec?.unschedulable) !== Boolean(newNode.spec?.unschedulable)) action |= ActionType.UpdateNodeTaint;
  const cond = (n: NodeObject) => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).sort();
  if (!same(cond(oldNode), cond(newNode))) action |= ActionType.UpdateNodeCondition;
  if (!same(oldNode.metadata?.annotations, newNode.metadata?.annotations)) action |= ActionType.UpdateNodeAnnotation;
  return action === 0 ? undefined : { resource: 'Node', actionType: action, label: 'NodeUpdate' };
}

/**
 * Whether any request of the pod went down (upstream extractPodScaleDown, which compares
 * resource.PodRequests with status resources: a resize lowers them once the kubelet applied it).
 */
function podScaledDown(oldPod: PodObject, newPod: PodObject): boolean {
  const before = podRequests(oldPod);
  const after = podRequests(newPod);
  if (after.milliCPU < before.milliCPU || after.memory < before.memory || after.ephemeralStorage < before.ephemeralStorage) return true;
  return Object.entries(before.scalar).some(([name, v]) => (after.scalar[name] ?? 0) < v);
}

/** What changed on an assigned pod that may help others (labels, scale-down). */
export function assignedPodUpdateEvent(oldPod: PodObject, newPod: PodObject): ClusterEvent {
  let action = 0;
  if (!same(oldPod.metadata?.labels, newPod.metadata?.labels)) action |= ActionType.UpdatePodLabel;
  if (podScaledDown(oldPod, newPod)) action |= ActionType.UpdatePodScaleDown;
  return { resource: 'AssignedPod', actionType: action || ActionType.UpdateOther, label: 'AssignedPodUpdate' };
}

export interface EventHandlerDeps {
  cache: Cache;
  queue: SchedulingQueue;
  /** Whether a profile of this scheduler owns the pod (its schedulerName). */
  responsibleFor(pod: PodObject): boolean;
  /** A pod left the queue for good (deleted, bound elsewhere): reject it if it waits at Permit. */
  onPodGone(pod: PodObject): void;
}

export function podHandlers(d: EventHandlerDeps) {
  const addAssigned = (pod: PodObject) => {
    d.cache.addPod(pod);
    d.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_ADD, undefined, pod);
  };
  const removeAssigned = (pod: PodObject) => {
    d.cache.removePod(pod);
    d.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE, pod, undefined);
  };
  return {
    onAdd(pod: PodObject): void {
      if (isAssigned(pod)) {
        if (!isTerminal(pod)) addAssigned(pod);
      } else if (d.responsibleFor(pod) && !isTerminal(pod) && !pod.metadata?.deletionTimestamp) d.queue.add(pod);
    },
    onUpdate(oldPod: PodObject, newPod: PodObject): void {
      if (isAssigned(newPod)) {
        if (!isAssigned(oldPod)) {
          d.queue.delete(newPod);
          if (!isTerminal(newPod)) addAssigned(newPod);
          return;
        }
        if (isTerminal(newPod)) {
          if (!isTerminal(oldPod)) removeAssigned(newPod);
          return;
        }
        d.cache.updatePod(oldPod, newPod);
        d.queue.moveAllToActiveOrBackoffQueue(assignedPodUpdateEvent(oldPod, newPod), oldPod, newPod);
        return;
      }
      if (!d.responsibleFor(newPod)) return;
      if (isTerminal(newPod)) {
        d.queue.delete(newPod);
        d.onPodGone(newPod);
        return;
      }
      d.queue.update(oldPod, newPod);
    },
    onDelete(pod: PodObject): void {
      if (isAssigned(pod)) {
        removeAssigned(pod);
        return;
      }
      d.queue.delete(pod);
      d.onPodGone(pod);
    },
  };
}

export function nodeHandlers(d: Pick<EventHandlerDeps, 'cache' | 'queue'>) {
  return {
    onAdd(node: NodeObject): void {
      d.cache.addNode(node);
      d.queue.moveAllToActiveOrBackoffQueue(NODE_ADD, undefined, node);
    },
    onUpdate(oldNode: NodeObject, newNode: NodeObject): void {
      d.cache.updateNode(oldNode, newNode);
      const ev = nodeUpdateEvent(oldNode, newNode);
      if (ev) d.queue.moveAllToActiveOrBackoffQueue(ev, oldNode, newNode);
    },
    onDelete(node: NodeObject): void {
      // As upstream since 1.32: a deleted node can unblock pods (PodTopologySpread's domains).
      d.queue.moveAllToActiveOrBackoffQueue(NODE_DELETE, node, undefined);
      d.cache.removeNode(node);
    },
  };
}

/** The storage kinds whose add/update events requeue pods (upstream addAllEventHandlers for PV, PVC, StorageClass). */
export type StorageResource = 'PersistentVolume' | 'PersistentVolumeClaim' | 'StorageClass';

/** Handlers moving pods on add/update of a storage object; deletes help no pod. */
export function storageHandlers(d: Pick<EventHandlerDeps, 'queue'>, resource: StorageResource) {
  return {
    onAdd(obj: unknown): void {
      d.queue.moveAllToActiveOrBackoffQueue({ resource, actionType: ActionType.Add, label: `${resource}Add` }, undefined, obj);
    },
    onUpdate(oldObj: unknown, newObj: unknown): void {
      d.queue.moveAllToActiveOrBackoffQueue({ resource, actionType: ActionType.Update, label: `${resource}Update` }, oldObj, newObj);
    },
  };
}
