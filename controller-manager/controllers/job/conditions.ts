/** Job conditions (upstream newCondition / ensureJobConditionStatus / IsJobFinished). Pure. */
import type { JobCondition } from '../../../pkg/api/batch/v1/job.ts';
import type { J } from './pods.ts';

/** RFC 3339 seconds, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): JobCondition {
  const at = rfc3339(nowMs);
  return { type, status, lastProbeTime: at, lastTransitionTime: at, reason, message };
}

export function findCondition(conditions: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function hasTrueCondition(job: J, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** Complete=True or Failed=True. */
export function isJobFinished(job: J): boolean {
  return hasTrueCondition(job, 'Complete') || hasTrueCondition(job, 'Failed');
}

/**
 * Upstream ensureJobConditionStatus: updates the condition of that type when status, reason or
 * message differ, appends it when missing (unless the new status is False). Returns the new list
 * and whether it changed; the input is not modified.
 */
export function ensureCondition(list: readonly JobCondition[], type: string, status: string, reason: string, message: string, nowMs: number): [JobCondition[], boolean] {
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status === status && c.reason === reason && c.message === message) return [[...list], false];
    const out = [...list];
    out[i] = newCondition(type, status, reason, message, nowMs);
    return [out, true];
  }
  if (status === 'False') return [[...list], false];
  return [[...list, newCondition(type, status, reason, message, nowMs)], true];
}
