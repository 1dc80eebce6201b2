/** PrioritySort: activeQ order — higher `spec.priority` first, then earlier queue timestamp. */
import { podPriority, type PluginFactory, type QueuedPodInfo, type QueueSortPlugin } from '../../framework/index.ts';
import { Names } from '../names.ts';

/** Whether `a` goes before `b`. */
export function priorityLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = podPriority(a.podInfo.pod);
  const pb = podPriority(b.podInfo.pod);
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

export const prioritySort: PluginFactory = (): QueueSortPlugin => ({ name: Names.PrioritySort, less: priorityLess });
