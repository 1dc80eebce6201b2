/**
 * `spec.activeDeadlineSeconds` on the node (upstream's activeDeadlineHandler): a pod that has
 * been active longer than its deadline since its `status.startTime` fails with reason
 * `DeadlineExceeded`, and the kubelet stops it. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';

export const DEADLINE_EXCEEDED_REASON = 'DeadlineExceeded';
export const DEADLINE_EXCEEDED_MESSAGE = 'Pod was active on the node longer than the specified deadline';

/** Whether `pod` ran past its active deadline at `nowMs` (never without a deadline or a start time). */
export function pastActiveDeadline(pod: Pod, nowMs: number): boolean {
  const deadline = pod.spec?.activeDeadlineSeconds;
  const start = Date.parse(pod.status?.startTime ?? '');
  if (deadline === undefined || deadline === null || !Number.isFinite(start)) return false;
  return nowMs - start >= deadline * 1000;
}
