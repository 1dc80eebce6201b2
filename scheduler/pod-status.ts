/** What users see of a scheduling failure: the PodScheduled condition and the FailedScheduling event text. */
import type { PodObject } from './framework/index.ts';
import { rfc3339 } from '../pkg/util/time.ts';

export const REASON_UNSCHEDULABLE = 'Unschedulable';
export const REASON_SCHEDULER_ERROR = 'SchedulerError';
/** Upstream truncates event notes to 1024 bytes. */
export const EVENT_NOTE_LIMIT = 1024;

export function truncateMessage(msg: string): string {
  if (msg.length <= EVENT_NOTE_LIMIT) return msg;
  const suffix = ' ...';
  return msg.slice(0, EVENT_NOTE_LIMIT - suffix.length) + suffix;
}

export interface SchedulingFailure {
  reason: string;
  message: string;
  /** undefined: leave status.nominatedNodeName alone; '' clears it. */
  nominatedNodeName?: string;
}

/**
 * The strategic-merge status patch for a failure, or undefined when the pod already carries
 * the same PodScheduled condition (status/reason/message) and nomination — upstream only
 * writes when something changed, and moves lastTransitionTime only when the status flips.
 */
export function failureStatusPatch(pod: PodObject, failure: SchedulingFailure, now: Date): Record<string, unknown> | undefined {
  const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const sameCondition = current?.status === 'False' && current.reason === failure.reason && current.message === failure.message;
  const nominationChanged = failure.nominatedNodeName !== undefined && (pod.status?.nominatedNodeName ?? '') !== failure.nominatedNodeName;
  if (sameCondition && !nominationChanged) return undefined;
  const transition = current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : rfc3339(now);
  const status: Record<string, unknown> = {
    conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: transition, reason: failure.reason, message: failure.message }],
  };
  if (nominationChanged) status.nominatedNodeName = failure.nominatedNodeName || null;
  return { status };
}

/** Upstream event note for a successful bind. */
export function scheduledMessage(pod: PodObject, nodeName: string): string {
  return `Successfully assigned ${pod.metadata?.namespace}/${pod.metadata?.name} to ${nodeName}`;
}
